// lab.batchNorm() (exercise 6; src/batchnorm.c) and lab.pca() (src/pca.c),
// both builds, against float64 computations in this file: batch statistics
// and normalised outputs on random batches of every width 1..19 (the SIMD
// kernel's 4-column blocks and its tails) and on shifted data (|mean| >>
// std); the same point in two batches gives two outputs; a batch of one gives
// 0; the SIMD and scalar builds agree bit for bit. PCA: C v = lambda v for the
// float64 covariance, orthonormal directions, the eigenvalues' sum is the
// trace when all are asked for, known directions of built data. Bad input is
// a TypeError or RangeError naming the parameter.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { rng } from './ref/rng.js';

// float64 reference: mean, biased variance, outputs of the float32 inputs
function batchNorm64(Z, n, w, eps) {
  const mean = new Float64Array(w), variance = new Float64Array(w), out = new Float64Array(n * w);
  for (let j = 0; j < w; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Z[i * w + j];
    mean[j] = s / n;
    let q = 0;
    for (let i = 0; i < n; i++) q += (Z[i * w + j] - mean[j]) ** 2;
    variance[j] = q / n;
    for (let i = 0; i < n; i++) out[i * w + j] = (Z[i * w + j] - mean[j]) / Math.sqrt(variance[j] + eps);
  }
  return { mean, variance, out };
}

function covariance64(H, n, w) {
  const mean = new Float64Array(w);
  for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) mean[j] += H[i * w + j] / n;
  const C = new Float64Array(w * w);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < w; a++) {
      for (let b = 0; b < w; b++) C[a * w + b] += (H[i * w + a] - mean[a]) * (H[i * w + b] - mean[b]) / (n - 1);
    }
  }
  return { mean, C };
}

function randomBatch(r, n, w, shift = 0, scale = 1) {
  const Z = new Float32Array(n * w);
  for (let i = 0; i < Z.length; i++) Z[i] = shift + scale * r.normal();
  return Z;
}

const bits = new Map(); // case -> outputs of the SIMD build

for (const simd of [true, false]) {
  describe(`batchNorm (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    it('matches float64 on random batches of widths 1..19', () => {
      const r = rng(12);
      let worst = 0;
      for (let w = 1; w <= 19; w++) {
        for (const n of [1, 2, 3, 7, 64]) {
          const Z = randomBatch(r, n, w, r.uniform(-3, 3), r.uniform(0.1, 4));
          const got = lab.batchNorm(Z, { units: w });
          const want = batchNorm64(Z, n, w, 1e-5);
          assert.equal(got.n, n);
          assert.equal(got.units, w);
          assert.ok(got.out instanceof Float32Array && got.out.length === n * w);
          for (let j = 0; j < w; j++) {
            assert.ok(Math.abs(got.mean[j] - want.mean[j]) <= 1e-12 * (1 + Math.abs(want.mean[j])), `mean ${w} ${n} ${j}`);
            assert.ok(Math.abs(got.variance[j] - want.variance[j]) <= 1e-12 * (1 + want.variance[j]), `variance ${w} ${n} ${j}`);
          }
          for (let i = 0; i < n * w; i++) {
            const e = Math.abs(got.out[i] - want.out[i]);
            assert.ok(e <= 2 ** -24 * Math.abs(want.out[i]) + 1e-12, `out[${i}] (w ${w}, n ${n}): ${got.out[i]} vs ${want.out[i]}`);
            if (Math.abs(want.out[i]) > 1e-3) worst = Math.max(worst, e / Math.abs(want.out[i]));
          }
          const key = `${w},${n}`;
          if (simd) bits.set(key, got.out);
          else assert.deepEqual(got.out, bits.get(key), `the two builds differ at w ${w}, n ${n}`);
        }
      }
      assert.ok(worst < 6e-8, `largest relative error ${worst}`);
    });

    it('keeps its accuracy when |mean| >> std (two-pass variance)', () => {
      const r = rng(3);
      const Z = randomBatch(r, 200, 5, 1e4, 1e-1);
      const got = lab.batchNorm(Z, { units: 5, eps: 1e-9 });
      const want = batchNorm64(Z, 200, 5, 1e-9);
      for (let i = 0; i < Z.length; i++) assert.ok(Math.abs(got.out[i] - want.out[i]) <= 1e-6 * (1 + Math.abs(want.out[i])));
    });

    it('rows of arrays, and each column has mean 0 and variance var/(var + eps)', () => {
      const got = lab.batchNorm([[1, 10], [2, 20], [3, 30], [6, 60]], { eps: 1e-3 });
      assert.equal(got.units, 2);
      assert.deepEqual(Array.from(got.mean), [3, 30]);
      assert.deepEqual(Array.from(got.variance), [3.5, 350]);
      for (let j = 0; j < 2; j++) {
        let s = 0, q = 0;
        for (let i = 0; i < 4; i++) { s += got.out[i * 2 + j]; q += got.out[i * 2 + j] ** 2; }
        assert.ok(Math.abs(s) < 1e-6);
        const v = got.variance[j];
        assert.ok(Math.abs(q / 4 - v / (v + 1e-3)) < 1e-6);
      }
    });

    it('the same point gets a different output in another batch, and 0 alone', () => {
      const point = [0.5, -1];
      const a = lab.batchNorm([point, [1, 1], [-1, 0], [2, -2]]);
      const b = lab.batchNorm([point, [3, 3], [4, 0], [2, 2]]);
      assert.notEqual(a.out[0], b.out[0]);
      assert.notEqual(a.out[1], b.out[1]);
      const alone = lab.batchNorm([point]);
      assert.deepEqual(Array.from(alone.out), [0, 0]);
      assert.deepEqual(Array.from(alone.variance), [0, 0]);
      assert.deepEqual(Array.from(alone.mean), point);
    });

    it('refuses bad input, naming the parameter', () => {
      assert.throws(() => lab.batchNorm([1, 2, 3]), (e) => e instanceof TypeError && /^units:/.test(e.message));
      assert.throws(() => lab.batchNorm([1, 2, 3], { units: 2 }), (e) => e instanceof RangeError && /^Z:/.test(e.message));
      assert.throws(() => lab.batchNorm([], { units: 1 }), (e) => e instanceof RangeError && /^Z:/.test(e.message));
      assert.throws(() => lab.batchNorm([1, NaN], { units: 1 }), (e) => e instanceof RangeError && /^Z: element 1/.test(e.message));
      assert.throws(() => lab.batchNorm([1, Infinity], { units: 2 }), (e) => e instanceof RangeError && /^Z:/.test(e.message));
      assert.throws(() => lab.batchNorm('1,2', { units: 1 }), (e) => e instanceof TypeError && /^Z:/.test(e.message));
      assert.throws(() => lab.batchNorm([[1, 2]], { units: 3 }), (e) => e instanceof RangeError && /^units:/.test(e.message));
      assert.throws(() => lab.batchNorm([1], { units: 0 }), (e) => e instanceof RangeError && /^units:/.test(e.message));
      assert.throws(() => lab.batchNorm([1], { units: 1.5 }), (e) => e instanceof RangeError && /^units:/.test(e.message));
      assert.throws(() => lab.batchNorm(new Float32Array(257), { units: 257 }), (e) => e instanceof RangeError && /^units:/.test(e.message));
      assert.throws(() => lab.batchNorm([[1]], { eps: 0 }), (e) => e instanceof RangeError && /^eps:/.test(e.message));
      assert.throws(() => lab.batchNorm([[1]], { eps: -1 }), (e) => e instanceof RangeError && /^eps:/.test(e.message));
      assert.throws(() => lab.batchNorm([[1]], { eps: '1e-5' }), (e) => e instanceof TypeError && /^eps:/.test(e.message));
      assert.throws(() => lab.batchNorm([[1]], { epsilon: 1e-5 }), (e) => e instanceof RangeError && /^epsilon: unknown option/.test(e.message));
      assert.throws(() => lab.batchNorm([[1]], 5), (e) => e instanceof TypeError && /^options:/.test(e.message));
    });
  });

  describe(`pca (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    it('eigenvectors of the float64 covariance, orthonormal, decreasing', () => {
      const r = rng(7);
      let worst = 0;
      for (const w of [1, 2, 3, 5, 8, 16, 33]) {
        const n = 50 + w;
        // correlated columns: H = G A, G normal, A random
        const G = randomBatch(r, n, w), A = Array.from({ length: w * w }, () => r.uniform(-1, 1));
        const H = new Float32Array(n * w);
        for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) {
          let s = 0;
          for (let k = 0; k < w; k++) s += G[i * w + k] * A[k * w + j];
          H[i * w + j] = s + 2;
        }
        const k = w;
        const got = lab.pca(H, { units: w, components: k });
        const { mean, C } = covariance64(H, n, w);
        let trace = 0;
        for (let j = 0; j < w; j++) trace += C[j * w + j];
        const top = got.variance[0];
        for (let j = 0; j < w; j++) assert.ok(Math.abs(got.mean[j] - mean[j]) <= 1e-12 * (1 + Math.abs(mean[j])));
        let sum = 0;
        for (let c = 0; c < k; c++) {
          const v = got.components.subarray(c * w, (c + 1) * w);
          if (c > 0) assert.ok(got.variance[c] <= got.variance[c - 1], 'decreasing');
          sum += got.variance[c];
          let big = 0;
          for (let j = 0; j < w; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
          assert.ok(v[big] > 0, 'sign: the largest entry is positive');
          for (let a = 0; a < w; a++) {
            let cv = 0;
            for (let b = 0; b < w; b++) cv += C[a * w + b] * v[b];
            const e = Math.abs(cv - got.variance[c] * v[a]);
            worst = Math.max(worst, e / top);
            assert.ok(e <= 1e-10 * top, `w ${w}: (C v - lambda v)[${a}] = ${e} for component ${c}`);
          }
          for (let d = 0; d <= c; d++) {
            let dot = 0;
            for (let j = 0; j < w; j++) dot += v[j] * got.components[d * w + j];
            assert.ok(Math.abs(dot - (c === d ? 1 : 0)) < 1e-12, `w ${w}: v${c} . v${d} = ${dot}`);
          }
        }
        assert.ok(Math.abs(sum - trace) <= 1e-10 * trace, `w ${w}: sum of eigenvalues ${sum}, trace ${trace}`);
        // projected = (H - mean) V^T
        for (let i = 0; i < n; i += 7) {
          for (let c = 0; c < k; c++) {
            let s = 0;
            for (let j = 0; j < w; j++) s += (H[i * w + j] - mean[j]) * got.components[c * w + j];
            assert.ok(Math.abs(got.projected[i * k + c] - s) <= 1e-6 * (1 + Math.abs(s)));
          }
        }
      }
      assert.ok(worst < 1e-10, `largest residual ${worst}`);
    });

    it('finds the direction of built data', () => {
      // points along (3, 4)/5 with a little spread across it, in 2 and in 3 (third column constant) units
      const rows = [];
      for (let i = -10; i <= 10; i++) rows.push([3 * i / 5 - 0.04 * (i % 2), 4 * i / 5 + 0.03 * (i % 2), 7]);
      const got = lab.pca(rows, { components: 2 });
      assert.equal(got.units, 3);
      assert.ok(Math.abs(got.components[0] - 0.6) < 5e-3 && Math.abs(got.components[1] - 0.8) < 5e-3 && Math.abs(got.components[2]) < 1e-12);
      assert.ok(got.variance[0] > 1000 * got.variance[1]);
      const defaults = lab.pca(rows);
      assert.equal(defaults.variance.length, 2, 'components defaults to 2');
      assert.equal(lab.pca([[1], [2], [4]]).variance.length, 1, 'one unit: one component');
      const flat = lab.pca([[1, 1], [1, 1], [1, 1]]);
      assert.deepEqual(Array.from(flat.variance), [0, 0], 'constant rows: no variance');
    });

    it('refuses bad input, naming the parameter', () => {
      assert.throws(() => lab.pca([[1, 2]]), (e) => e instanceof RangeError && /^H: 1 row/.test(e.message));
      assert.throws(() => lab.pca([1, 2, 3, 4]), (e) => e instanceof TypeError && /^units:/.test(e.message));
      assert.throws(() => lab.pca([[1, 2], [3, 4]], { components: 3 }), (e) => e instanceof RangeError && /^components:/.test(e.message));
      assert.throws(() => lab.pca([[1, 2], [3, 4]], { components: 0 }), (e) => e instanceof RangeError && /^components:/.test(e.message));
      assert.throws(() => lab.pca([[1, 2], [3, 4]], { components: '2' }), (e) => e instanceof TypeError && /^components:/.test(e.message));
      assert.throws(() => lab.pca([[1, 2], [3, NaN]]), (e) => e instanceof RangeError && /^H:/.test(e.message));
      assert.throws(() => lab.pca([[1, 2], [3, 4]], { dims: 2 }), (e) => e instanceof RangeError && /^dims: unknown option/.test(e.message));
      assert.throws(() => lab.pca(null), (e) => e instanceof TypeError && /^H:/.test(e.message));
    });
  });
}
