// The synthetic data sets: shapes, classes, balance, determinism by seed,
// points inside the drawing range, noise, and bad options.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';

const NAMES = ['circle', 'xor', 'gaussian', 'spiral', 'moons', 'blobs', 'sin', 'abs', 'step', 'aboveSin', 'aboveCubic', 'aboveAbs'];
// name -> [d, classes] (classes 0: regression)
const DIMS = {
  circle: [2, 2], xor: [2, 2], gaussian: [2, 2], spiral: [2, 2], moons: [2, 2], blobs: [2, 3],
  sin: [1, 0], abs: [1, 0], step: [1, 0], aboveSin: [2, 2], aboveCubic: [2, 2], aboveAbs: [2, 2],
};
// The curves of the above* sets, in float64: label 1 exactly where x2 > f(x1).
const CURVE = { aboveSin: (x) => 3 * Math.sin(x), aboveCubic: (x) => x ** 3 / 20, aboveAbs: (x) => Math.abs(x) - 3 };
const REGRESSION = NAMES.filter((k) => DIMS[k][1] === 0);

function counts(y, k) {
  const c = new Array(k).fill(0);
  for (const v of y) c[v] += 1;
  return c;
}

// Leave-one-out 1-nearest-neighbour accuracy: near 1 when the labels are a
// function of position with a margin, near 1/k when they are noise.
function looNearestNeighbour(X, y, d) {
  const n = y.length;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity, label = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += (X[i * d + k] - X[j * d + k]) ** 2;
      if (s < best) { best = s; label = y[j]; }
    }
    if (label === y[i]) right++;
  }
  return right / n;
}

function assertThrowsNaming(fn, re, what) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError || e instanceof RangeError, `${what}: threw ${e && e.constructor.name}: ${e && e.message}, not a TypeError or RangeError`);
    assert.match(e.message, re, `${what}: the message does not name the parameter`);
    return true;
  }, `${what}: did not throw`);
}

for (const simd of [true, false]) {
  describe(`datasets (simd: ${simd})`, () => {
    let lab;
    before(async () => {
      lab = await load({ simd });
      assert.equal(lab.simd, simd);
    });

    it('names lists the twelve data sets', () => {
      assert.deepEqual([...lab.datasets.names], NAMES);
      for (const name of NAMES) assert.equal(typeof lab.datasets[name], 'function', name);
    });

    for (const name of NAMES) {
      const [d, k] = DIMS[name];
      describe(name, () => {
        it(`shapes: X (n, ${d}) Float32Array, y (n), d = ${d}, classes = ${k}, range lo < hi`, () => {
          for (const n of [1, 2, 7, 300]) {
            const s = lab.datasets[name]({ n, noise: 0.2, seed: 5 });
            assert.ok(s.X instanceof Float32Array, 'X is a Float32Array');
            assert.ok(s.y instanceof Float32Array, 'y is a Float32Array');
            assert.equal(s.X.length, n * d, `X length for n = ${n}`);
            assert.equal(s.y.length, n, `y length for n = ${n}`);
            assert.equal(s.d, d);
            assert.equal(s.classes, k);
            assert.equal(s.range.length, 2);
            assert.ok(Number.isFinite(s.range[0]) && Number.isFinite(s.range[1]) && s.range[0] < s.range[1], `range ${s.range}`);
            assert.ok(s.X.every(Number.isFinite), 'X finite');
            assert.ok(s.y.every(Number.isFinite), 'y finite');
          }
        });

        for (const noise of [0, 0.5, 1]) {
          it(`points inside range at noise ${noise}`, () => {
            const s = lab.datasets[name]({ n: 2000, noise, seed: 6 });
            const [lo, hi] = s.range;
            for (let i = 0; i < s.X.length; i++) {
              assert.ok(s.X[i] >= lo && s.X[i] <= hi, `X[${i}] = ${s.X[i]} outside the range [${lo}, ${hi}] at noise ${noise}`);
            }
            // And they fill it: not all crowded in a corner.
            for (let j = 0; j < d; j++) {
              let mn = Infinity, mx = -Infinity;
              for (let i = 0; i < s.n; i++) { mn = Math.min(mn, s.X[i * d + j]); mx = Math.max(mx, s.X[i * d + j]); }
              assert.ok(mx - mn > 0.3 * (hi - lo), `input ${j} spans only [${mn}, ${mx}] of [${lo}, ${hi}]`);
            }
          });
        }

        it('the same seed gives the same bits; another seed other points', () => {
          const a = lab.datasets[name]({ n: 500, noise: 0.3, seed: 11 });
          const b = lab.datasets[name]({ n: 500, noise: 0.3, seed: 11 });
          const c = lab.datasets[name]({ n: 500, noise: 0.3, seed: 12 });
          assert.deepEqual(b.X, a.X);
          assert.deepEqual(b.y, a.y);
          assert.notDeepEqual(c.X, a.X, 'seed 12 gave the points of seed 11');
        });

        it('noise changes the points', () => {
          const a = lab.datasets[name]({ n: 500, noise: 0, seed: 13 });
          const b = lab.datasets[name]({ n: 500, noise: 0.5, seed: 13 });
          const changedX = a.X.some((v, i) => v !== b.X[i]);
          const changedY = a.y.some((v, i) => v !== b.y[i]);
          assert.ok(changedX || changedY, 'noise 0.5 gave the noise-free data');
        });

        it('the default options work and are deterministic', () => {
          const a = lab.datasets[name]();
          const b = lab.datasets[name]({});
          assert.ok(a.y.length >= 1);
          assert.deepEqual(b.X, a.X);
        });

        if (k > 0) {
          it(`labels are the integers 0..${k - 1}, balanced`, () => {
            for (const noise of [0, 0.3]) {
              const n = 600;
              const s = lab.datasets[name]({ n, noise, seed: 14 });
              for (let i = 0; i < n; i++) {
                assert.ok(Number.isInteger(s.y[i]) && s.y[i] >= 0 && s.y[i] < k, `y[${i}] = ${s.y[i]}`);
              }
              const c = counts(s.y, k);
              for (let j = 0; j < k; j++) {
                assert.ok(Math.abs(c[j] - n / k) <= 0.25 * (n / k), `class ${j}: ${c[j]} of ${n} points (counts ${c}) at noise ${noise}`);
              }
            }
          });

          it('noise-free labels are a function of position (1-NN >= 0.95)', () => {
            const s = lab.datasets[name]({ n: 400, noise: 0, seed: 15 });
            const acc = looNearestNeighbour(s.X, s.y, d);
            assert.ok(acc >= 0.95, `leave-one-out 1-NN accuracy ${acc}`);
          });
        } else {
          it('regression targets vary with x and are finite', () => {
            const s = lab.datasets[name]({ n: 400, noise: 0, seed: 16 });
            let mn = Infinity, mx = -Infinity;
            for (const v of s.y) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
            assert.ok(mx - mn > 0.1, `targets span only [${mn}, ${mx}]`);
            // Noise-free targets are a function of x: equal x, equal y.
            const byX = new Map();
            for (let i = 0; i < s.n; i++) {
              if (byX.has(s.X[i])) assert.equal(s.y[i], byX.get(s.X[i]), `two targets for x = ${s.X[i]}`);
              byX.set(s.X[i], s.y[i]);
            }
          });
        }
      });
    }

    it('circle: without noise one class is inside a radius, the other outside', () => {
      const s = lab.datasets.circle({ n: 500, noise: 0, seed: 17 });
      const c = (s.range[0] + s.range[1]) / 2;
      const r = [[Infinity, -Infinity], [Infinity, -Infinity]];
      for (let i = 0; i < s.n; i++) {
        const rad = Math.hypot(s.X[2 * i] - c, s.X[2 * i + 1] - c);
        const k = s.y[i];
        r[k][0] = Math.min(r[k][0], rad);
        r[k][1] = Math.max(r[k][1], rad);
      }
      assert.ok(r[0][1] < r[1][0] || r[1][1] < r[0][0], `radii overlap: class 0 ${r[0]}, class 1 ${r[1]}`);
    });

    it('xor: without noise the label is the sign of x1 x2 (one way or the other)', () => {
      const s = lab.datasets.xor({ n: 500, noise: 0, seed: 18 });
      const c = (s.range[0] + s.range[1]) / 2;
      let agree = 0;
      for (let i = 0; i < s.n; i++) {
        const same = (s.X[2 * i] - c) * (s.X[2 * i + 1] - c) > 0;
        if ((same ? 1 : 0) === s.y[i]) agree++;
      }
      assert.ok(agree === s.n || agree === 0, `${agree} of ${s.n} points follow sign(x1 x2)`);
    });

    it('sin, abs, step: noise-free targets are sin x, |x| and [x >= 0]', () => {
      const f = { sin: Math.sin, abs: Math.abs, step: (x) => (x >= 0 ? 1 : 0) };
      for (const name of REGRESSION) {
        const s = lab.datasets[name]({ n: 500, noise: 0, seed: 20 });
        for (let i = 0; i < s.n; i++) {
          const x = s.X[i];
          if (name === 'step' && Math.abs(x) < 1e-6) continue;
          assert.ok(Math.abs(s.y[i] - f[name](x)) <= 1e-6, `${name}: y[${i}] = ${s.y[i]} at x = ${x}, want ${f[name](x)}`);
        }
        // With noise the targets scatter around the function.
        const t = lab.datasets[name]({ n: 2000, noise: 0.5, seed: 20 });
        let mean = 0, sq = 0;
        for (let i = 0; i < t.n; i++) { const e = t.y[i] - f[name](t.X[i]); mean += e; sq += e * e; }
        mean /= t.n;
        const sd = Math.sqrt(sq / t.n - mean * mean);
        assert.ok(Math.abs(mean) < 0.1 && sd > 0.05, `${name} at noise 0.5: residual mean ${mean}, sd ${sd}`);
      }
    });

    describe('aboveSin, aboveCubic, aboveAbs: points above or below a curve', () => {
      for (const name of Object.keys(CURVE)) {
        const f = CURVE[name];
        it(`${name}: at noise 0 every label is x2 > f(x1), the classes alternate, the points fill [-6, 6]^2`, () => {
          for (const seed of [0, 1, 2, 3]) {
            const s = lab.datasets[name]({ n: 5000, noise: 0, seed });
            const quarter = [0, 0, 0, 0];
            for (let i = 0; i < s.n; i++) {
              const x1 = s.X[2 * i], x2 = s.X[2 * i + 1];
              if (s.y[i] !== (x2 > f(x1) ? 1 : 0)) assert.fail(`${name} seed ${seed}: y[${i}] = ${s.y[i]} at (${x1}, ${x2}), f(x1) = ${f(x1)}`);
              if (s.y[i] !== i % 2) assert.fail(`${name} seed ${seed}: row ${i} has class ${s.y[i]}, not ${i % 2}`);
              quarter[(x1 >= 0 ? 1 : 0) + (x2 >= 0 ? 2 : 0)]++;
            }
            for (const c of quarter) assert.ok(Math.abs(c - s.n / 4) < s.n / 20, `${name} seed ${seed}: quarters hold ${quarter} of ${s.n} points`);
          }
        });
        it(`${name}: noise flips labels, only near the curve (within 5 noise), the nearer the more`, () => {
          for (const noise of [0.1, 0.5, 1]) {
            const s = lab.datasets[name]({ n: 20000, noise, seed: 9 });
            let flipped = 0, near = 0, nearFlipped = 0;
            for (let i = 0; i < s.n; i++) {
              const gap = Math.abs(s.X[2 * i + 1] - f(s.X[2 * i]));
              const flip = s.y[i] !== (s.X[2 * i + 1] > f(s.X[2 * i]) ? 1 : 0);
              if (flip) {
                flipped++;
                assert.ok(gap <= 5 * noise, `${name} noise ${noise}: a label flipped ${gap} from the curve`);
              }
              if (gap < 2.5 * noise) { near++; nearFlipped += flip; }
            }
            assert.ok(flipped > 0, `${name} noise ${noise}: no label flipped`);
            // U(-5 noise, 5 noise): a point at vertical distance g flips with probability (1 - g / (5 noise)) / 2,
            // 0.375 on average within 2.5 noise (at least 400 such points: the bounds are > 3 standard deviations)
            assert.ok(near >= 400 && nearFlipped / near > 0.3 && nearFlipped / near < 0.45, `${name} noise ${noise}: ${nearFlipped} of ${near} points within ${2.5 * noise} of the curve flipped`);
          }
        });
      }
    });

    it('the SIMD and scalar builds make the same bits', async () => {
      const other = await load({ simd: !simd });
      for (const name of NAMES) {
        const a = lab.datasets[name]({ n: 300, noise: 0.4, seed: 19 });
        const b = other.datasets[name]({ n: 300, noise: 0.4, seed: 19 });
        assert.deepEqual(b.X, a.X, name);
        assert.deepEqual(b.y, a.y, name);
      }
    });

    describe('bad options throw, naming the option', () => {
      const bad = [
        [{ n: 0 }, /\bn\b/], [{ n: -5 }, /\bn\b/], [{ n: 1.5 }, /\bn\b/], [{ n: NaN }, /\bn\b/],
        [{ n: Infinity }, /\bn\b/], [{ n: '10' }, /\bn\b/], [{ n: 2e7 }, /\bn\b/],
        [{ noise: -0.1 }, /noise/], [{ noise: 1.5 }, /noise/], [{ noise: NaN }, /noise/],
        [{ noise: Infinity }, /noise/], [{ noise: '0.1' }, /noise/],
        [{ seed: -1 }, /seed/], [{ seed: 1.5 }, /seed/], [{ seed: 2 ** 32 }, /seed/], [{ seed: NaN }, /seed/],
      ];
      for (const name of NAMES) {
        it(name, () => {
          const good = lab.datasets[name]({ n: 20, noise: 0.1, seed: 3 });
          for (const [options, re] of bad) {
            assertThrowsNaming(() => lab.datasets[name](options), re, `${name}(${JSON.stringify(options)})`);
            const again = lab.datasets[name]({ n: 20, noise: 0.1, seed: 3 });
            assert.deepEqual(again.X, good.X, `after ${JSON.stringify(options)} the module still works`);
          }
          assertThrowsNaming(() => lab.datasets[name](42), /options/, `${name}(42)`);
        });
      }
    });
  });
}
