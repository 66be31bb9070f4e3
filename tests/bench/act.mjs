// Child process: activation throughput for one implementation.
//   node --no-liftoff tests/bench/act.mjs <impl> [n]
// impl: js | simd | scalar. For simd/scalar it times the kernel on data
// already in wasm memory (exports.act_forward / act_derivative), the package's
// lab.activate / lab.derivative end to end (copy in, run, copy out) when the
// package is there, and a memory-speed reference (a 4-byte-element
// copyWithin inside wasm memory: memmove of the same bytes).
// Each result: Melem/s (median of samples after warm-up) and the largest
// error against a float64 reference over the first 65,536 outputs.

import { timeIt, rng, ours, emit, ACTS, ACT_ID, ALPHA, BETA } from './lib.mjs';
import * as jsact from './jsact.mjs';

const impl = process.argv[2];
const N = Number(process.argv[3] || 1e6);
const CHECK = Math.min(N, 65536);

const r = rng(3);
const x = new Float32Array(N);
for (let i = 0; i < N; i++) x[i] = 16 * r() - 8; // [-8, 8): saturation and the middle

function maxErr(out, kind, deriv) {
  let e = 0;
  for (let i = 0; i < CHECK; i++) {
    const want = jsact.ref(kind, deriv, x[i], ALPHA, BETA);
    const d = Math.abs(out[i] - want) / Math.max(1, Math.abs(want));
    if (!(d <= e)) e = Number.isNaN(d) ? Infinity : d;
  }
  return e;
}

const melem = (t) => N / t.ms / 1e3;

if (impl === 'js') {
  const y = new Float32Array(N);
  for (const kind of ACTS)
    for (const deriv of [false, true]) {
      const f = (deriv ? jsact.derivative : jsact.forward)[kind];
      const t = timeIt(() => f(y, x, N, ALPHA, BETA));
      emit({ impl: 'js', kind, deriv, melem: melem(t), best: N / t.min / 1e3, t, err: maxErr(y, kind, deriv) });
    }
  const z = new Float32Array(N);
  const t = timeIt(() => z.set(x));
  emit({ impl: 'js', kind: 'copy', deriv: false, melem: melem(t), best: N / t.min / 1e3, t, err: 0 });
} else if (impl === 'simd' || impl === 'scalar') {
  const w = await ours(impl);
  const ex = w.exports;
  const pin = ex.malloc(N * 4), pout = ex.malloc(N * 4);
  if (!pin || !pout) throw new Error('malloc failed');
  new Float32Array(w.memory.buffer, pin, N).set(x);
  for (const kind of ACTS)
    for (const deriv of [false, true]) {
      const f = deriv ? ex.act_derivative : ex.act_forward;
      const id = ACT_ID[kind];
      let st = 0;
      const t = timeIt(() => { st |= f(pout, pin, N, id, ALPHA, BETA); });
      if (st !== 0) throw new Error(`${kind} returned ${st}`);
      const out = new Float32Array(w.memory.buffer, pout, N);
      emit({ impl, row: 'kernel', via: w.via, kind, deriv, melem: melem(t), best: N / t.min / 1e3, t, err: maxErr(out, kind, deriv) });
    }
  {
    const heap = new Float32Array(w.memory.buffer);
    const a = pin >> 2, b = pout >> 2;
    const t = timeIt(() => heap.copyWithin(b, a, a + N));
    emit({ impl, row: 'kernel', via: w.via, kind: 'copy', deriv: false, melem: melem(t), best: N / t.min / 1e3, t, err: 0 });
  }
  if (w.lab && typeof w.lab.activate === 'function') {
    for (const kind of ACTS)
      for (const deriv of [false, true]) {
        const opts = { alpha: ALPHA, beta: BETA };
        let out;
        const t = timeIt(() => { out = deriv ? w.lab.derivative(kind, x, opts) : w.lab.activate(kind, x, opts); });
        emit({ impl, row: 'e2e', via: 'package', kind, deriv, melem: melem(t), best: N / t.min / 1e3, t, err: maxErr(out, kind, deriv) });
      }
  }
} else {
  throw new Error(`unknown impl ${impl}`);
}
