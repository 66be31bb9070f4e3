// lab.datasets: the synthetic data sets of the C core (src/data.c).

import { DATASETS, MAX_POINTS } from './names.js';
import { nameIndex, finiteNumber, integer, options } from './checks.js';
import { OK, statusError } from './errors.js';

export const DATASET_KEYS = Object.freeze(['n', 'noise', 'seed']);
/** lab.datasets.<name>() defaults. */
export const DATASET_DEFAULTS = Object.freeze({ n: 200, noise: 0, seed: 0 });

export function makeDatasets(core) {
  const x = core.exports;
  const info = (name) => {
    const kind = nameIndex(DATASETS, name, 'name');
    const p = core.scratch(2, 16, 'name');
    if (x.data_dims(kind, p, p + 4) !== OK || x.data_range(p + 8, p + 12, kind) !== OK) {
      throw new RangeError(`name: the core does not know data set ${name}`);
    }
    const i32 = new Int32Array(x.memory.buffer, p, 2);
    const f32 = core.f32();
    return { name, d: i32[0], classes: i32[1], range: [f32[(p >> 2) + 2], f32[(p >> 2) + 3]] };
  };
  const make = (name, value) => {
    const o = options(value, 'options', DATASET_KEYS);
    const { d, classes, range } = info(name);
    const n = integer(o.n ?? DATASET_DEFAULTS.n, 'n', 1, MAX_POINTS);
    const noise = finiteNumber(o.noise ?? DATASET_DEFAULTS.noise, 'noise', { min: 0, max: 1 });
    const seed = integer(o.seed ?? DATASET_DEFAULTS.seed, 'seed', 0, 0xffffffff);
    const px = core.scratch(0, n * d * 4, 'n');
    const py = core.scratch(1, n * 4, 'n');
    const rc = x.data_make(px, py, DATASETS.indexOf(name), n, noise, seed >>> 0);
    if (rc !== OK) throw statusError(rc, 'n');
    const f32 = core.f32();
    return {
      X: f32.slice(px >> 2, (px >> 2) + n * d),
      y: f32.slice(py >> 2, (py >> 2) + n),
      n, d, classes, range,
    };
  };
  const sets = { names: DATASETS, info };
  for (const name of DATASETS) sets[name] = (options) => make(name, options);
  return Object.freeze(sets);
}
