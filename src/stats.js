// lab.batchNorm() and lab.pca(): statistics over a batch of hidden
// activations, computed by src/batchnorm.c and src/pca.c (declared in
// src/stats.h). This module checks the arguments, stages the arrays in wasm
// memory and turns statuses into errors naming the parameter.
//
//   lab.batchNorm(Z, { units, eps })  exercise 6: (Z - batch mean) / sqrt(batch var + eps) per column
//   lab.pca(H, { units, components }) the first principal directions of the rows of H

import { describe, finiteNumber, integer, options, floatArray, allFinite } from './checks.js';
import { OK, statusError } from './errors.js';

export const BATCH_NORM_KEYS = Object.freeze(['units', 'eps']);
export const PCA_KEYS = Object.freeze(['units', 'components']);
export const MAX_UNITS = 256; // STATS_MAX_UNITS in src/stats.h
export const MAX_ROWS = 1 << 20;
/** lab.batchNorm defaults: eps as PyTorch's BatchNorm1d. */
export const BATCH_NORM_DEFAULTS = Object.freeze({ eps: 1e-5 });

// A batch (n, units) from rows, or from a flat array and units.
function batch(value, param, units, minRows) {
  const { data, width } = floatArray(value, param);
  let w;
  if (units === undefined) {
    if (!width) throw new TypeError(`units: required when ${param} is a flat array (how many columns each row has)`);
    w = width;
  } else {
    w = integer(units, 'units', 1, MAX_UNITS);
    if (width && width !== w) throw new RangeError(`units: ${w}, but the rows of ${param} have ${width} values`);
  }
  if (width > MAX_UNITS) throw new RangeError(`${param}: rows of ${width} values; at most ${MAX_UNITS} units are accepted`);
  if (data.length === 0 || data.length % w !== 0) {
    throw new RangeError(`${param}: length ${data.length} is not a positive multiple of units (${w})`);
  }
  const n = data.length / w;
  if (n < minRows) throw new RangeError(`${param}: ${n} row${n === 1 ? '' : 's'}; at least ${minRows} are needed`);
  if (n > MAX_ROWS) throw new RangeError(`${param}: ${n} rows is more than the ${MAX_ROWS} accepted`);
  allFinite(data, param);
  return { data, n, w };
}

export function makeStats(core) {
  const x = core.exports;
  const need = (fn) => {
    if (typeof x[fn] !== 'function') throw new TypeError(`wasm: this build lacks ${fn}; rebuild the core (make wasm)`);
  };

  /**
   * Exercise 6: each column of Z (n x units) normalised by its batch's mean
   * and biased variance, (z - mean) / sqrt(var + eps). Returns
   * { out: Float32Array (n x units), mean, variance: Float64Array (units), n, units }.
   */
  function batchNorm(Z, value) {
    need('batchnorm_forward');
    const o = options(value, 'options', BATCH_NORM_KEYS);
    const eps = finiteNumber(o.eps ?? BATCH_NORM_DEFAULTS.eps, 'eps', { min: 0, minExclusive: true });
    const { data, n, w } = batch(Z, 'Z', o.units, 1);
    const ptr = core.alloc(data.length * 8 + w * 16, 'Z'); // Z, out (float32); mean, var (float64)
    try {
      const pz = ptr, pout = ptr + data.length * 4, pmean = ptr + data.length * 8, pvar = pmean + w * 8;
      core.f32().set(data, pz >> 2);
      const rc = x.batchnorm_forward(pout, pmean, pvar, pz, n, w, eps);
      if (rc !== OK) throw statusError(rc, 'Z');
      const buffer = x.memory.buffer;
      return {
        out: new Float32Array(buffer, pout, data.length).slice(),
        mean: new Float64Array(buffer, pmean, w).slice(),
        variance: new Float64Array(buffer, pvar, w).slice(),
        n, units: w,
      };
    } finally {
      core.free(ptr);
    }
  }

  /**
   * The first `components` principal directions of the rows of H (n >= 2 rows
   * of units values): { components: Float64Array (k x units, unit rows, the
   * largest entry of each positive), variance: Float64Array (k, decreasing),
   * mean: Float64Array (units), projected: Float32Array (n x k) }.
   */
  function pca(H, value) {
    need('pca_fit');
    const o = options(value, 'options', PCA_KEYS);
    const { data, n, w } = batch(H, 'H', o.units, 2);
    const k = o.components === undefined ? Math.min(2, w) : integer(o.components, 'components', 1, w);
    if (typeof k !== 'number') throw new TypeError(`components: expected an integer, got ${describe(k)}`);
    // H, projected (float32); components, variance, mean (float64, 8-aligned)
    const f32bytes = (data.length + n * k) * 4;
    const off = Math.ceil(f32bytes / 8) * 8;
    const ptr = core.alloc(off + (k * w + k + w) * 8, 'H');
    try {
      const ph = ptr, pproj = ptr + data.length * 4;
      const pcomp = ptr + off, pvar = pcomp + k * w * 8, pmean = pvar + k * 8;
      core.f32().set(data, ph >> 2);
      const rc = x.pca_fit(pcomp, pvar, pmean, pproj, ph, n, w, k);
      if (rc !== OK) throw statusError(rc, 'H');
      const buffer = x.memory.buffer;
      return {
        components: new Float64Array(buffer, pcomp, k * w).slice(),
        variance: new Float64Array(buffer, pvar, k).slice(),
        mean: new Float64Array(buffer, pmean, w).slice(),
        projected: new Float32Array(buffer, pproj, n * k).slice(),
        n, units: w,
      };
    } finally {
      core.free(ptr);
    }
  }

  return { batchNorm, pca };
}
