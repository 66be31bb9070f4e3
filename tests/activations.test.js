// Activations and their derivatives, both builds (SIMD128 kernels and scalar
// references), against the independent float64 reference in
// tests/ref/activations64.js. Tolerance (numpy allclose): for every function
// and derivative, |got - ref| <= 1e-6 + 1e-5 |ref|, ref computed in float64
// from the float32 input.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from './ref/rng.js';

import { load } from '../src/mlp-lab.js';
import * as ref from './ref/activations64.js';

const NAMES = ref.NAMES;
const ATOL = 1e-6;
const RTOL = 1e-5;
const ACT_COUNT = NAMES.length;
const ERR_ARG = -1;


function uniform(n, lo, hi, seed) {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 1.1754943508222875e-38;

// -8..8 step 0.1 (each value the float32 nearest k/10).
const GRID = Float32Array.from({ length: 161 }, (_, i) => (i - 80) / 10);
const RANDOM = uniform(1e6, -30, 30, 20240601);
const TINY = uniform(1e4, -1e-3, 1e-3, 7);
const HUGE = Float32Array.from([1e3, 1e4, 1e6, 1e10, 1e20, 1e30, FLT_MAX].flatMap((v) => [v, -v]));
// cut-offs of the kernels and other edges, with their neighbours
const EDGES = Float32Array.from(
  [0, 1e-45, 1e-40, FLT_MIN, 1e-30, 1e-7, 0.5, 1, 9.01, 9.125, 13, 13.001, 13.75, 14.5, 14.75, 15, 16.6, 16.7, 43.6, 43.7,
    44.4, 87.33, 87.34, 88.7, 103.9, 104]
    .flatMap((v) => [v, -v, Math.fround(v * (1 + 2 ** -23)), -Math.fround(v * (1 + 2 ** -23))]),
);
const SETS = { 'grid -8..8 step 0.1': GRID, 'random [-30, 30] (1e6)': RANDOM,
  'random [-1e-3, 1e-3]': TINY, 'huge': HUGE, 'edges': EDGES };

// The float64 reference for a whole array, cached across the two builds.
const refCache = new Map();
function reference(deriv, name, x, opts, key) {
  const k = `${deriv}/${name}/${opts.alpha}/${opts.beta}/${key}`;
  let r = refCache.get(k);
  if (!r) {
    const fn = deriv ? ref.df : ref.f;
    r = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) r[i] = fn(name, x[i], opts);
    refCache.set(k, r);
  }
  return r;
}

// Compares got against the reference; returns the error statistics and the
// first few failures. A NaN where the reference is finite counts as a failure.
function compare(got, x, want) {
  let maxAbs = 0, maxRel = 0, failures = 0;
  const first = [];
  for (let i = 0; i < x.length; i++) {
    const r = want[i];
    const g = got[i];
    if (Number.isNaN(r)) {
      if (!Number.isNaN(g)) { failures++; if (first.length < 5) first.push(`x=${x[i]}: got ${g}, want NaN`); }
      continue;
    }
    if (!Number.isFinite(Math.fround(r))) { // an infinity, or a value that overflows float32
      if (g !== Math.fround(r)) { failures++; if (first.length < 5) first.push(`x=${x[i]}: got ${g}, want ${r}`); }
      continue;
    }
    const e = Math.abs(g - r);
    if (!(e <= ATOL + RTOL * Math.abs(r))) {
      failures++;
      if (first.length < 5) first.push(`x=${x[i]}: got ${g}, want ${r} (err ${e})`);
    }
    if (e > maxAbs) maxAbs = e;
    if (Math.abs(r) >= 1e-30 && e / Math.abs(r) > maxRel) maxRel = e / Math.abs(r);
  }
  return { maxAbs, maxRel, failures, first };
}

test('the float64 reference agrees with known values', () => {
  const close = (got, want, rtol = 1e-14) =>
    assert.ok(Math.abs(got - want) <= rtol * Math.abs(want), `got ${got}, want ${want}`);
  close(ref.erf(1), 0.8427007929497149);
  close(ref.erf(0.5), 0.5204998778130465);
  close(ref.erf(-2), -0.9953222650189527);
  close(ref.erf(3), 0.9999779095030014);
  close(ref.erfc(0.5), 0.4795001221869535, 1e-13);
  close(ref.erfc(2.5), 4.069520174449590e-4, 1e-12);
  close(ref.erfc(3), 2.209049699858544e-5, 1e-12);
  close(ref.erfc(10), 2.088487583762545e-45, 1e-12);
  close(ref.erfc(-1), 1.8427007929497148);
  close(ref.Phi(-5), 2.866515718791939e-7, 1e-12);
  close(ref.Phi(1.96), 0.9750021048517795);
  close(ref.Phi(-1), 0.15865525393145707, 1e-13);
  close(ref.pdf(1), 0.24197072451914337);
  assert.equal(ref.Phi(0), 0.5);
  // the series/continued-fraction switch at 2.5 is continuous
  close(ref.erfc(2.5 - 1e-12), ref.erfc(2.5 + 1e-12), 1e-10);
  for (const v of [-20, -3, -0.3, 0.1, 0.7, 5]) {
    close(ref.f('tanh', v), Math.tanh(v), 1e-15);
    close(ref.f('sigmoid', v), 1 / (1 + Math.exp(-v)), 1e-15);
    close(ref.f('gelu', v), v * ref.Phi(v), 1e-15);
  }
  // derivatives against central differences of the reference itself
  for (const name of NAMES) {
    for (const v of [-2.3, -0.6, 0.4, 1.7]) {
      const h = 1e-5;
      const o = { alpha: 0.25, beta: 1.5 };
      const fd = (ref.f(name, v + h, o) - ref.f(name, v - h, o)) / (2 * h);
      assert.ok(Math.abs(fd - ref.df(name, v, o)) < 1e-8, `${name}'(${v}): ${ref.df(name, v, o)} vs ${fd}`);
    }
  }
});

for (const simd of [true, false]) {
  describe(simd ? 'SIMD128 build' : 'scalar build', () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    test('loads the requested build', () => {
      assert.equal(lab.simd, simd);
      assert.deepEqual([...lab.activations], NAMES);
    });

    test('every function and derivative within 1e-6 + 1e-5 |ref| on the sweeps', (t) => {
      const opts = { alpha: 0.25, beta: 1 };
      const rows = [];
      let failed = [];
      for (const name of NAMES) {
        for (const deriv of [false, true]) {
          let maxAbs = 0, maxRel = 0;
          for (const [key, x] of Object.entries(SETS)) {
            const got = deriv ? lab.derivative(name, x, opts) : lab.activate(name, x, opts);
            assert.equal(got.length, x.length);
            const c = compare(got, x, reference(deriv, name, x, opts, key));
            if (c.failures) failed.push(`${deriv ? 'd' : ''}${name} on ${key}: ${c.failures} failures, e.g. ${c.first.join('; ')}`);
            if (key !== 'huge' && key !== 'edges') {
              maxAbs = Math.max(maxAbs, c.maxAbs);
              maxRel = Math.max(maxRel, c.maxRel);
            }
          }
          rows.push(`${(deriv ? name + "'" : name).padEnd(10)} abs ${maxAbs.toExponential(1)}  rel ${maxRel.toExponential(1)}`);
        }
      }
      t.diagnostic(`max errors (${simd ? 'simd' : 'scalar'}, grid + random sets; rel over |ref| >= 1e-30):\n${rows.join('\n')}`);
      assert.deepEqual(failed, []);
    });

    test('alpha and beta variations', () => {
      const x = Float32Array.from([...GRID, ...uniform(1e5, -30, 30, 99), ...EDGES, ...HUGE]);
      const failed = [];
      for (const alpha of [0, 0.25, -0.1, 2]) {
        for (const deriv of [false, true]) {
          const got = deriv ? lab.derivative('prelu', x, { alpha }) : lab.activate('prelu', x, { alpha });
          const c = compare(got, x, reference(deriv, 'prelu', x, { alpha: Math.fround(alpha), beta: 1 }, 'ab'));
          if (c.failures) failed.push(`prelu alpha=${alpha} deriv=${deriv}: ${c.first.join('; ')}`);
        }
      }
      for (const beta of [0.5, 1, 2, 0, -1]) {
        for (const deriv of [false, true]) {
          const got = deriv ? lab.derivative('swish', x, { beta }) : lab.activate('swish', x, { beta });
          const c = compare(got, x, reference(deriv, 'swish', x, { alpha: 0.25, beta: Math.fround(beta) }, 'ab'));
          if (c.failures) failed.push(`swish beta=${beta} deriv=${deriv}: ${c.first.join('; ')}`);
        }
      }
      assert.deepEqual(failed, []);
    });

    test('special values', () => {
      const f = (name, v, o) => lab.activate(name, [v], o)[0];
      const df = (name, v, o) => lab.derivative(name, [v], o)[0];
      const is = (got, want, what) => assert.ok(Object.is(got, want), `${what}: got ${got}, want ${want}`);
      const zero = (got, what) => assert.ok(got === 0, `${what}: got ${got}, want +-0`);
      const I = Infinity;

      is(f('sigmoid', I), 1, 'sigmoid(+Inf)');
      is(f('sigmoid', -I), 0, 'sigmoid(-Inf)');
      is(f('sigmoid', -1000), 0, 'sigmoid(-1000)');
      is(f('sigmoid', 1000), 1, 'sigmoid(1000)');
      is(f('sigmoid', 0), 0.5, 'sigmoid(0)');
      is(f('sigmoid', -0), 0.5, 'sigmoid(-0)');
      is(df('sigmoid', 0), 0.25, "sigmoid'(0)");
      is(df('sigmoid', I), 0, "sigmoid'(+Inf)");
      is(df('sigmoid', -I), 0, "sigmoid'(-Inf)");
      is(f('tanh', I), 1, 'tanh(+Inf)');
      is(f('tanh', -I), -1, 'tanh(-Inf)');
      is(f('tanh', 20), 1, 'tanh(20)');
      is(f('tanh', -20), -1, 'tanh(-20)');
      is(f('tanh', 0), 0, 'tanh(+0)');
      is(f('tanh', -0), -0, 'tanh(-0)');
      is(df('tanh', 0), 1, "tanh'(0)");
      is(df('tanh', I), 0, "tanh'(+Inf)");
      is(df('tanh', -I), 0, "tanh'(-Inf)");
      zero(f('gelu', -1000), 'gelu(-1000)');
      zero(f('gelu', -I), 'gelu(-Inf)');
      is(f('gelu', I), I, 'gelu(+Inf)');
      is(f('gelu', 1000), 1000, 'gelu(1000)');
      zero(f('gelu', 0), 'gelu(0)');
      is(f('gelu', -0), -0, 'gelu(-0)');
      is(df('gelu', 0), 0.5, "gelu'(0)");
      is(df('gelu', I), 1, "gelu'(+Inf)");
      zero(df('gelu', -I), "gelu'(-Inf)");
      zero(df('gelu', -1000), "gelu'(-1000)");
      zero(f('swish', -1000), 'swish(-1000)');
      zero(f('swish', -I), 'swish(-Inf)');
      is(f('swish', I), I, 'swish(+Inf)');
      is(f('swish', I, { beta: 0 }), I, 'swish(+Inf, beta 0)');
      zero(f('swish', I, { beta: -1 }), 'swish(+Inf, beta -1)');
      is(f('swish', -I, { beta: -1 }), -I, 'swish(-Inf, beta -1)');
      is(df('swish', 0), 0.5, "swish'(0)");
      is(df('swish', I), 1, "swish'(+Inf)");
      zero(df('swish', -I), "swish'(-Inf)");
      is(f('relu', -I), 0, 'relu(-Inf)');
      is(f('relu', I), I, 'relu(+Inf)');
      is(df('relu', 0), 0, "relu'(0) (the chapter's convention)");
      is(df('relu', -0), 0, "relu'(-0)");
      is(df('relu', 1e-45), 1, "relu'(smallest subnormal)");
      for (const alpha of [0.25, -0.1, 2]) {
        is(df('prelu', 0, { alpha }), Math.fround(alpha), `prelu'(0), alpha ${alpha}`);
        is(df('prelu', -0, { alpha }), Math.fround(alpha), `prelu'(-0), alpha ${alpha}`);
        is(f('prelu', -2, { alpha }), Math.fround(-2 * alpha), `prelu(-2), alpha ${alpha}`);
        is(f('prelu', -I, { alpha }), -I * Math.fround(alpha), `prelu(-Inf), alpha ${alpha}`);
      }
      zero(f('prelu', -I, { alpha: 0 }), 'prelu(-Inf), alpha 0');
      is(df('identity', I), 1, "identity'(+Inf)");
      is(f('identity', -I), -I, 'identity(-Inf)');

      // NaN in -> NaN out, for every function and derivative and options
      for (const name of NAMES) {
        for (const o of [{}, { alpha: 0 }, { beta: 0 }, { beta: -2 }]) {
          assert.ok(Number.isNaN(f(name, NaN, o)), `${name}(NaN) ${JSON.stringify(o)}`);
          assert.ok(Number.isNaN(df(name, NaN, o)), `${name}'(NaN) ${JSON.stringify(o)}`);
        }
      }
      // never NaN for a finite input: every float32 exponent, both signs
      const finite = new Float32Array(2 * 255 * 8);
      const bits = new Uint32Array(finite.buffer);
      let k = 0;
      for (let e = 0; e <= 254; e++) {
        for (let m = 0; m < 8; m++) {
          const u = (e << 23) | (m * 0x0fffff);
          bits[k++] = u;
          bits[k++] = (u | 0x80000000) >>> 0;
        }
      }
      for (const name of NAMES) {
        for (const o of [{}, { alpha: 0 }, { alpha: -0.1 }, { beta: 0 }, { beta: 2 }, { beta: -0.5 }]) {
          const y = lab.activate(name, finite, o);
          const d = lab.derivative(name, finite, o);
          for (let i = 0; i < finite.length; i++) {
            assert.ok(!Number.isNaN(y[i]), `${name}(${finite[i]}) is NaN ${JSON.stringify(o)}`);
            assert.ok(!Number.isNaN(d[i]), `${name}'(${finite[i]}) is NaN ${JSON.stringify(o)}`);
          }
        }
      }
    });

    test('lengths 1..35: every element as if computed alone', () => {
      const x = uniform(35, -9, 9, 3);
      x[5] = NaN; x[6] = -0; x[7] = Infinity; x[33] = -Infinity;
      for (const name of NAMES) {
        for (const deriv of [false, true]) {
          const run = (v) => (deriv ? lab.derivative(name, v) : lab.activate(name, v));
          const alone = x.map((v) => run([v])[0]);
          for (let n = 1; n <= 35; n++) {
            const got = run(x.subarray(0, n));
            assert.equal(got.length, n);
            for (let i = 0; i < n; i++) {
              assert.ok(Object.is(got[i], alone[i]),
                `${name}${deriv ? "'" : ''} n=${n} i=${i}: ${got[i]} vs alone ${alone[i]}`);
            }
          }
        }
      }
    });

    test('raw exports: in place, no neighbouring memory touched, backward = dy * f\'(x)', () => {
      const ex = lab.exports;
      const GUARD = 4;
      const x = uniform(40, -12, 12, 11);
      const dyv = uniform(40, -2, 2, 12);
      const p = ex.malloc((40 + 2 * GUARD) * 4 * 2);
      assert.ok(p > 0);
      const q = p + (40 + 2 * GUARD) * 4; // second buffer (dy)
      const sentinel = -12345.5;
      for (let kind = 0; kind < ACT_COUNT; kind++) {
        const name = NAMES[kind];
        for (let n = 0; n <= 35; n++) {
          for (const fn of ['act_forward', 'act_derivative', 'act_backward']) {
            let mem = new Float32Array(lab.memory.buffer);
            const a = (p >> 2) + GUARD, b = (q >> 2) + GUARD;
            mem.fill(sentinel, (p >> 2), (p >> 2) + 40 + 2 * GUARD);
            mem.fill(sentinel, (q >> 2), (q >> 2) + 40 + 2 * GUARD);
            mem.set(x.subarray(0, n), a);
            mem.set(dyv.subarray(0, n), b);
            const pa = a * 4, pb = b * 4;
            // in place: y over x; for backward dx over dy
            const rc = fn === 'act_backward'
              ? ex.act_backward(pb, pb, pa, pa, n, kind, 0.25, 1)
              : ex[fn](pa, pa, n, kind, 0.25, 1);
            assert.equal(rc, 0, `${fn} ${name} n=${n}`);
            mem = new Float32Array(lab.memory.buffer);
            for (const base of [p >> 2, q >> 2]) {
              for (let g = 0; g < GUARD; g++) {
                assert.equal(mem[base + g], sentinel, `${fn} ${name} n=${n}: wrote before the buffer`);
              }
              for (let g = GUARD + n; g < 40 + 2 * GUARD; g++) {
                assert.equal(mem[base + g], sentinel, `${fn} ${name} n=${n}: wrote past the end`);
              }
            }
            const xs = x.subarray(0, n);
            if (fn === 'act_forward') {
              assert.deepEqual(mem.slice(a, a + n), lab.activate(name, xs), `${name} in place`);
            } else if (fn === 'act_derivative') {
              assert.deepEqual(mem.slice(a, a + n), lab.derivative(name, xs), `${name}' in place`);
            } else {
              const d = lab.derivative(name, xs);
              const want = Float32Array.from(d, (v, i) => dyv[i] * v);
              assert.deepEqual(mem.slice(b, b + n), want, `${name} backward`);
              assert.deepEqual(mem.slice(a, a + n), xs, `${name} backward left x alone`);
            }
          }
        }
      }
      ex.free(p);
    });

    test('raw exports: buffers that end at the end of memory (one float past it traps)', () => {
      const ex = lab.exports;
      const x = uniform(35, -12, 12, 13);
      const dyv = uniform(35, -2, 2, 14);
      // expectations first: lab.activate may allocate, the raw calls below do not
      const want = [];
      for (let kind = 0; kind < ACT_COUNT; kind++) {
        want.push([]);
        for (let n = 1; n <= 35; n++) {
          const xs = x.subarray(0, n);
          const d = lab.derivative(NAMES[kind], xs);
          want[kind][n] = { f: lab.activate(NAMES[kind], xs), d,
            b: Float32Array.from(d, (v, i) => dyv[i] * v) };
        }
      }
      // a fresh page that malloc has not handed out
      lab.memory.grow(1);
      const end = lab.memory.buffer.byteLength;
      const start = end - 65536;
      const put = (ptr, v) => new Float32Array(lab.memory.buffer, ptr, v.length).set(v);
      const get = (ptr, n) => new Float32Array(lab.memory.buffer, ptr, n).slice();
      for (let kind = 0; kind < ACT_COUNT; kind++) {
        for (let n = 1; n <= 35; n++) {
          const p = end - 4 * n;
          const what = `${NAMES[kind]} n=${n}`;
          const xs = x.subarray(0, n), dys = dyv.subarray(0, n);
          put(p, xs);
          assert.equal(ex.act_forward(p, p, n, kind, 0.25, 1), 0);
          assert.deepEqual(get(p, n), want[kind][n].f, `forward at the end, ${what}`);
          put(p, xs);
          assert.equal(ex.act_derivative(p, p, n, kind, 0.25, 1), 0);
          assert.deepEqual(get(p, n), want[kind][n].d, `derivative at the end, ${what}`);
          put(p, dys); put(start, xs); // dy and dx at the end
          assert.equal(ex.act_backward(p, p, start, start, n, kind, 0.25, 1), 0);
          assert.deepEqual(get(p, n), want[kind][n].b, `backward, dy at the end, ${what}`);
          put(p, xs); put(start, dys); // x and y at the end
          assert.equal(ex.act_backward(start, start, p, p, n, kind, 0.25, 1), 0);
          assert.deepEqual(get(start, n), want[kind][n].b, `backward, x at the end, ${what}`);
        }
      }
    });

    test('raw exports: status codes', () => {
      const ex = lab.exports;
      const p = ex.malloc(64);
      for (const fn of ['act_forward', 'act_derivative']) {
        assert.equal(ex[fn](p, p, 4, -1, 0.25, 1), ERR_ARG, `${fn} kind -1`);
        assert.equal(ex[fn](p, p, 4, ACT_COUNT, 0.25, 1), ERR_ARG, `${fn} kind ${ACT_COUNT}`);
        assert.equal(ex[fn](p, p, -1, 0, 0.25, 1), ERR_ARG, `${fn} n -1`);
        assert.equal(ex[fn](0, p, 4, 0, 0.25, 1), ERR_ARG, `${fn} y NULL`);
        assert.equal(ex[fn](p, 0, 4, 0, 0.25, 1), ERR_ARG, `${fn} x NULL`);
        assert.equal(ex[fn](0, 0, 0, 0, 0.25, 1), 0, `${fn} NULL with n 0`);
      }
      assert.equal(ex.act_backward(p, p, p, p, 4, ACT_COUNT, 0.25, 1), ERR_ARG);
      assert.equal(ex.act_backward(p, p, p, p, -3, 0, 0.25, 1), ERR_ARG);
      assert.equal(ex.act_backward(p, 0, p, p, 4, 0, 0.25, 1), ERR_ARG);
      assert.equal(ex.act_backward(0, p, p, p, 4, 0, 0.25, 1), ERR_ARG);
      assert.equal(ex.act_backward(p, p, 0, p, 4, 0, 0.25, 1), ERR_ARG);
      assert.equal(ex.act_backward(p, p, p, 0, 4, 0, 0.25, 1), ERR_ARG, 'y NULL');
      assert.equal(ex.act_backward(0, 0, 0, 0, 0, 0, 0.25, 1), 0, 'NULLs with n 0');
      ex.free(p);
    });
  });
}
