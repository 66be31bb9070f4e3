// act_bench.mjs: rough speed of the activation kernels (not part of make test).
//   node tests/c/act_bench.mjs [sigmoid,tanh,...]
// ns per element over 10^6 floats in [-8, 8], best of 15 runs after 3 warm-up
// runs, through the raw exports (no copies): SIMD build, scalar build, and
// plain JS loops over a Float32Array for comparison.
import { load } from '../../src/mlp-lab.js';

const N = 1e6;
const REPS = 15;
const NAMES = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity'];
const only = process.argv[2] ? process.argv[2].split(',') : ['sigmoid', 'tanh', 'gelu', 'swish', 'relu'];

function nsPerElement(fn) {
  for (let i = 0; i < 3; i++) fn();
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t));
  }
  return best / N;
}

const src = new Float32Array(N);
for (let i = 0; i < N; i++) src[i] = -8 + 16 * ((i * 0.6180339887) % 1);
const rows = [];
for (const simd of [true, false]) {
  const lab = await load({ simd });
  const x = lab.exports;
  const px = x.malloc(N * 4);
  const py = x.malloc(N * 4);
  new Float32Array(x.memory.buffer, px, N).set(src);
  for (const name of only) {
    const k = NAMES.indexOf(name);
    if (k < 0) throw new RangeError(`unknown activation ${name}`);
    rows.push([`${name} ${simd ? 'simd' : 'scalar'}`, nsPerElement(() => x.act_forward(py, px, N, k, 0.25, 1)),
      nsPerElement(() => x.act_derivative(py, px, N, k, 0.25, 1))]);
  }
  x.free(px);
  x.free(py);
}
const y = new Float32Array(N);
rows.push(['sigmoid JS Math.exp', nsPerElement(() => { for (let i = 0; i < N; i++) y[i] = 1 / (1 + Math.exp(-src[i])); }), NaN]);
rows.push(['tanh JS Math.tanh', nsPerElement(() => { for (let i = 0; i < N; i++) y[i] = Math.tanh(src[i]); }), NaN]);
rows.push(['swish JS Math.exp', nsPerElement(() => { for (let i = 0; i < N; i++) { const v = src[i]; y[i] = v / (1 + Math.exp(-v)); } }), NaN]);
console.log('ns/element          f        f\'');
for (const [k, f, d] of rows) console.log(`${k.padEnd(20)}${f.toFixed(3).padStart(6)}   ${Number.isNaN(d) ? '' : d.toFixed(3).padStart(6)}`);
