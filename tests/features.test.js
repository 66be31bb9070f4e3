// Input features, both builds: lab.features(X, names) against a float64
// formula of the float32 inputs (x1, x2 exact; the products equal to the
// float64 product rounded to float32; sin within numpy's allclose
// |got - ref| <= 1e-6 + 1e-5 |ref|, tolerances as in src/features.c), on
// random, huge and edge inputs; its bad input; and networks with the
// `features` option: the same bits as a plain network on the expanded input,
// gradients against the float64 model and central differences, a JSON round
// trip, 1-D data, and TF Playground's lesson (circle, no hidden layer).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from './ref/rng.js';
import { MLP64, numericGradients } from './ref/mlp64.js';
import { load, FEATURES } from '../src/mlp-lab.js';

const NAMES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2'];
const ATOL = 1e-6, RTOL = 1e-5;
const FLT_MAX = 3.4028234663852886e38;
const f32 = Math.fround;

// The float64 formula of each feature, from float32 inputs.
const FORMULA = {
  x1: (a) => a, x2: (a, b) => b, x1sq: (a) => a * a, x2sq: (a, b) => b * b, x1x2: (a, b) => a * b,
  sin1: (a) => Math.sin(a), sin2: (a, b) => Math.sin(b),
};
const EXACT = new Set(['x1', 'x2']);
const PRODUCT = new Set(['x1sq', 'x2sq', 'x1x2']);

// Rows (x1, x2) as a flat Float32Array (n, 2).
function rows(pairs) { return Float32Array.from(pairs.flat()); }

// n rows, each coordinate from draw().
function randomRows(n, draw) {
  return Float32Array.from({ length: 2 * n }, draw);
}
function uniformRows(n, lo, hi, seed) {
  const r = rng(seed);
  return randomRows(n, () => r.uniform(lo, hi));
}
// Every magnitude: a random sign and mantissa, an exponent 2^-149 .. 2^(maxExp).
function anyMagnitude(n, maxExp, seed) {
  const r = rng(seed);
  return randomRows(n, () => (r.chance(0.5) ? -1 : 1) * f32(2 ** r.uniform(-149, maxExp)));
}

// Multiples of pi/2 and their float neighbours, the vector sine's domain edge
// (8192), the scalar reduction's switch (2^25), the squares' overflow edge
// (just below 2^64), tiny and huge values, +-0.
function edges() {
  const v = [0, -0, 1e-45, -1e-45, 1.1754943508222875e-38, 1e-30, 1e-7, 0.5, 1, 8191.999, 8192, 8192.001, 12868,
    2 ** 25, f32(2 ** 25 * (1 - 2 ** -24)), f32(2 ** 25 * (1 + 2 ** -23)), 1e10, 1e20, 1e30, FLT_MAX];
  for (let k = 1; k <= 1 << 20; k *= 3) v.push(k * Math.PI / 2);
  const all = v.flatMap((x) => [x, f32(x * (1 + 2 ** -23)), f32(x * (1 - 2 ** -24))]).filter(Number.isFinite).flatMap((x) => [x, -x]);
  return all.map((x, i) => [x, all[(i * 7 + 3) % all.length]]);
}

// The largest float below 2^64, whose square is still finite.
const SQ_EDGE = f32(2 ** 64 * (1 - 2 ** -24));

for (const simd of [true, false]) {
  describe(`features (simd: ${simd})`, () => {
    let lab;
    before(async () => {
      lab = await load({ simd });
      assert.equal(lab.simd, simd);
    });

    it('lab.features.names and FEATURES list the seven, in the C core\'s order', () => {
      assert.deepEqual([...lab.features.names], NAMES);
      assert.deepEqual([...FEATURES], NAMES);
      assert.ok(Object.isFrozen(lab.features.names));
    });

    it('every feature against its float64 formula: random, huge and edge inputs', (t) => {
      // sets of rows, and which features they may carry (the products only where they stay finite)
      const sets = [
        ['random [-10, 10]', uniformRows(1e6, -10, 10, 11)],
        ['random [-1e4, 1e4]', uniformRows(1e5, -1e4, 1e4, 12)],
        ['every magnitude below 2^63', anyMagnitude(1e5, 63, 13)],
        ['every magnitude', anyMagnitude(1e5, 127.99, 14), ['x1', 'x2', 'sin1', 'sin2']],
        ['edges', rows(edges()), ['x1', 'x2', 'sin1', 'sin2']],
        ['edges below 2^64', rows(edges()).map((x) => (Math.abs(x) < 2 ** 63 ? x : Math.sign(x) * SQ_EDGE))],
      ];
      // max |got - ref| (for the products: in ulps of the float32 result) and relative error
      const worst = Object.fromEntries(NAMES.map((nm) => [nm, { abs: 0, rel: 0, at: null }]));
      for (const [what, X, names = NAMES] of sets) {
        const n = X.length / 2;
        const got = lab.features(X, names);
        assert.equal(got.length, n * names.length);
        names.forEach((nm, j) => {
          const w = worst[nm];
          for (let i = 0; i < n; i++) {
            const a = X[2 * i], b = X[2 * i + 1];
            if (nm === 'x1x2' && !Number.isFinite(f32(a * b))) continue;
            const g = got[i * names.length + j], ref = FORMULA[nm](a, b);
            const err = Math.abs(g - ref);
            // (messages only on failure: building 10^7 of them would take most of the time)
            if (EXACT.has(nm) ? !Object.is(g, ref) : PRODUCT.has(nm) ? g !== f32(ref) : !(err <= ATOL + RTOL * Math.abs(ref))) {
              assert.fail(`${what}: ${nm}(${a}, ${b}) = ${g}, float64 ${ref}${PRODUCT.has(nm) ? ` (rounded ${f32(ref)})` : ''}, error ${err}`);
            }
            const e = PRODUCT.has(nm) ? Math.abs(g - f32(ref)) : err; // 0 unless the product is misrounded
            if (e > w.abs) { w.abs = e; w.at = [a, b]; }
            if (Math.abs(ref) >= 1e-3 && err / Math.abs(ref) > w.rel) w.rel = err / Math.abs(ref);
          }
        });
      }
      // sin keeps the sign of zero, as the float64 sin does
      const z = lab.features([[-0, 0]], ['sin1', 'sin2', 'x1sq']);
      assert.ok(Object.is(z[0], -0) && Object.is(z[1], 0) && Object.is(z[2], 0), `sin(-0), sin(0), (-0)^2 = ${z}`);
      t.diagnostic(`max errors (${simd ? 'simd' : 'scalar'}; abs: |got - float64| for sin, |got - fround(float64)| for ` +
        `the products; rel over |ref| >= 1e-3):\n${NAMES.map((nm) =>
          `  ${nm.padEnd(5)} abs ${worst[nm].abs.toExponential(2)} rel ${worst[nm].rel.toExponential(2)}${worst[nm].at ? ` at ${worst[nm].at}` : ''}`).join('\n')}`);
      // a guard that the check saw the errors it measures: sin is not exact, the products round
      assert.ok(worst.sin1.abs > 0 && worst.x1sq.rel > 0, 'no error at all: the comparison is not looking');
    });

    it('columns follow the order of names; every row gets the same bits wherever it is (lengths 1..4k+3)', () => {
      const X = uniformRows(23, -7, 7, 21);
      const all = lab.features(X, NAMES);
      const r = rng(22);
      for (let trial = 0; trial < 20; trial++) {
        const names = [...NAMES].sort(() => r() - 0.5).slice(0, r.between(1, 7));
        const got = lab.features(X, names);
        for (let i = 0; i < 23; i++) {
          names.forEach((nm, j) => assert.ok(Object.is(got[i * names.length + j], all[i * 7 + NAMES.indexOf(nm)]), `${names} row ${i}`));
        }
      }
      for (let n = 1; n <= 23; n++) {
        for (const start of [0, 23 - n]) {
          const part = lab.features(X.subarray(2 * start, 2 * (start + n)), NAMES);
          assert.deepEqual(part, all.subarray(7 * start, 7 * (start + n)), `rows ${start}..${start + n - 1}`);
        }
      }
    });

    it('1-D data: { inputs: 1 } with x1, x1sq, sin1; rows of one value', () => {
      const x = Float32Array.from({ length: 9 }, (_, i) => (i - 4) * 0.7);
      const got = lab.features(x, ['sin1', 'x1sq', 'x1'], { inputs: 1 });
      const fromRows = lab.features(Array.from(x, (v) => [v]), ['sin1', 'x1sq', 'x1'], { inputs: 1 });
      assert.deepEqual(fromRows, got);
      for (let i = 0; i < 9; i++) {
        assert.ok(Math.abs(got[3 * i] - Math.sin(x[i])) <= ATOL + RTOL * Math.abs(Math.sin(x[i])));
        assert.equal(got[3 * i + 1], f32(x[i] * x[i]));
        assert.equal(got[3 * i + 2], x[i]);
      }
      assert.equal(lab.features(new Float32Array(0), ['x1']).length, 0, 'no rows, no values');
    });

    it('the builds agree: x and the products bit for bit, sin to the bound', async () => {
      const other = await load({ simd: !simd });
      const X = Float32Array.of(...uniformRows(2000, -20, 20, 31), ...rows(edges()).map((v) => Math.min(Math.abs(v), 1e18) * Math.sign(v)));
      const a = lab.features(X, NAMES), b = other.features(X, NAMES);
      for (let i = 0; i < a.length; i++) {
        const nm = NAMES[i % 7];
        if (nm.startsWith('sin')) assert.ok(Math.abs(a[i] - b[i]) <= 2 * (ATOL + RTOL * Math.abs(b[i])), `${nm}: ${a[i]} vs ${b[i]}`);
        else assert.ok(Object.is(a[i], b[i]), `${nm}: ${a[i]} vs ${b[i]}`);
      }
    });

    describe('bad input throws, naming the parameter; the module keeps working', () => {
      const X = Float32Array.of(0.5, -1, 2, 0.25);
      const cases = [
        ['names not an array', () => lab.features(X, 'x1'), /^names: /, TypeError],
        ['names missing', () => lab.features(X), /^names: /, TypeError],
        ['names empty', () => lab.features(X, []), /^names: /, RangeError],
        ['an unknown name', () => lab.features(X, ['x1', 'x3']), /^names\[1\]: unknown feature "x3"/, RangeError],
        ['a misspelt name gets a suggestion', () => lab.features(X, ['X1^2']), /^names\[0\]: .*did you mean x1sq\?/, RangeError],
        ['sin(x2) suggests sin2', () => lab.features(X, ['sin(x2)']), /did you mean sin2\?/, RangeError],
        ['a name that is no string', () => lab.features(X, ['x1', 2]), /^names\[1\]: /, TypeError],
        ['a hole', () => lab.features(X, [, 'x1']), /^names\[0\]: /, TypeError], // eslint-disable-line no-sparse-arrays
        ['a duplicate', () => lab.features(X, ['x1sq', 'x2', 'x1sq']), /^names\[2\]: x1sq is already names\[0\]/, RangeError],
        ['x2 on 1-D data', () => lab.features(X, ['x1', 'x1x2'], { inputs: 1 }), /^names\[1\]: x1x2 reads x2/, RangeError],
        ['inputs 3', () => lab.features(X, ['x1'], { inputs: 3 }), /^inputs: /, RangeError],
        ['inputs "2"', () => lab.features(X, ['x1'], { inputs: '2' }), /^inputs: /, TypeError],
        ['an unknown option', () => lab.features(X, ['x1'], { inptus: 1 }), /^inptus: unknown option \(did you mean inputs\?\)/, RangeError],
        ['options not an object', () => lab.features(X, ['x1'], 2), /^options: /, TypeError],
        ['X of odd length', () => lab.features(Float32Array.of(1, 2, 3), ['x1']), /^X: /, RangeError],
        ['empty rows', () => lab.features([new Uint8Array(0), new Float32Array(0)], ['x1']), /^X: row 0 is empty/, RangeError],
        ['rows of 1 for 2 inputs', () => lab.features([[1], [2]], ['x1']), /^X: rows have 1 value, expected 2 \(pass \{ inputs: 1 \}/, RangeError],
        ['rows of 3', () => lab.features([[1, 2, 3]], ['x1']), /^X: /, RangeError],
        ['X with NaN', () => lab.features(Float32Array.of(1, NaN), ['x1']), /^X: element 1 is NaN/, RangeError],
        ['X with Infinity', () => lab.features([[Infinity, 1]], ['sin1']), /^X: /, RangeError],
        ['X not numbers', () => lab.features('12', ['x1']), /^X: /, TypeError],
        ['x1sq overflows', () => lab.features([[1, 2], [2 ** 64, 0]], ['x1sq']), /^X: element 2 is 18446744073709552000: its square \(feature x1sq\)/, RangeError],
        ['x2sq overflows', () => lab.features([[0, -(2 ** 64)]], ['x1', 'x2sq']), /^X: element 1 .*x2sq/, RangeError],
        ['x1x2 overflows', () => lab.features([[1e20, 1e19]], ['x1x2']), /^X: row 0 .*x1x2/, RangeError],
      ];
      for (const [what, fn, re, type] of cases) {
        it(what, () => {
          assert.throws(fn, (e) => {
            assert.ok(e instanceof type, `${what}: threw ${e && e.constructor.name}: ${e && e.message}, expected a ${type.name}`);
            assert.match(e.message, re);
            return true;
          });
          assert.deepEqual(lab.features(X, ['x1', 'x1x2']), Float32Array.of(0.5, -0.5, 2, 0.5), `${what}: the module still works`);
        });
      }
      it('the edges that are allowed: 2^64 below for squares, a finite product', () => {
        const got = lab.features([[SQ_EDGE, 1e19], [1e-30, 1e30]], ['x1sq', 'x1x2']);
        assert.ok(got.every(Number.isFinite), `${got}`);
      });
      it('a polluted Object.prototype changes nothing', () => {
        const want = lab.features(X, ['x2', 'sin1']);
        Object.prototype.inputs = 1; // eslint-disable-line no-extend-native
        Array.prototype[0] = 'x1'; // eslint-disable-line no-extend-native
        try {
          assert.deepEqual(lab.features(X, ['x2', 'sin1'], {}), want);
          assert.throws(() => lab.features(X, [, 'x2']), (e) => /^names\[0\]: /.test(e.message)); // eslint-disable-line no-sparse-arrays
        } finally {
          delete Object.prototype.inputs;
          delete Array.prototype[0];
        }
      });
    });

    describe('networks with features', () => {
      const FEATS = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2'];
      const X = uniformRows(37, -3, 3, 41);
      const Y = Float32Array.from({ length: 37 }, (_, i) => i % 2);

      // The same network twice: with features on raw X, and plain on lab.features(X).
      function twins(feats, extra = {}) {
        const base = { activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 5, ...extra };
        const a = lab.mlp({ ...base, layers: [feats.length, 6, 1], features: feats });
        const b = lab.mlp({ ...base, layers: [feats.length, 6, 1] });
        return [a, b, lab.features(X, feats)];
      }

      it('net.inputs is the raw width, layers[0] the feature count; config keeps features and inputs', () => {
        const net = lab.mlp({ layers: [3, 4, 1], features: ['sin2', 'x1', 'x1x2'] });
        try {
          assert.equal(net.inputs, 2);
          assert.equal(net.layers[0], 3);
          assert.deepEqual(net.config.features, ['sin2', 'x1', 'x1x2']);
          assert.equal(net.config.inputs, 2);
          assert.ok(Object.isFrozen(net.config.features));
          assert.equal(net.forward([[1, 2], [3, 4]]).length, 2);
        } finally {
          net.free();
        }
        const plain = lab.mlp({ layers: [2, 1] });
        assert.ok(!('features' in plain.config) && !('inputs' in plain.config), 'a plain network\'s config is as before');
        assert.ok(!('features' in plain.toJSON()), 'and so is its JSON');
        plain.free();
      });

      it('forward, hidden, gradients, step, fit, evaluate: the bits of a plain network on the expanded input', () => {
        for (const feats of [FEATS, ['x1sq', 'x2sq'], ['sin1', 'x2']]) {
          const [a, b, F] = twins(feats);
          try {
            assert.deepEqual(a.params(), b.params(), 'same seed, same initial parameters');
            assert.deepEqual(a.forward(X), b.forward(F), `${feats}: forward`);
            assert.deepEqual(a.hidden(X), b.hidden(F), `${feats}: hidden`);
            assert.deepEqual(a.gradients(X, Y), b.gradients(F, Y), `${feats}: gradients`);
            assert.equal(a.step(X, Y, { lr: 0.1, optimizer: 'adam' }), b.step(F, Y, { lr: 0.1, optimizer: 'adam' }), `${feats}: step`);
            // shuffled mini-batches: the same permutation, each batch expanded in C
            const o = { epochs: 3, batchSize: 5, lr: 0.05, optimizer: 'momentum', shuffle: true };
            assert.deepEqual(a.fit(X, Y, o), b.fit(F, Y, o), `${feats}: fit history`);
            assert.deepEqual(a.params(), b.params(), `${feats}: parameters after fit`);
            assert.deepEqual(a.evaluate(X, Y), b.evaluate(F, Y), `${feats}: evaluate`);
            assert.deepEqual(a.gradNorms(), b.gradNorms(), `${feats}: gradNorms`);
          } finally {
            a.free();
            b.free();
          }
        }
      });

      it('forward in chunks: more rows than one call hands to C (4,096)', () => {
        const big = uniformRows(9000, -6, 6, 42);
        const [a, b] = twins(['x1sq', 'sin2', 'x1x2']);
        try {
          assert.deepEqual(a.forward(big), b.forward(lab.features(big, ['x1sq', 'sin2', 'x1x2'])));
          const Yb = Float32Array.from({ length: 9000 }, (_, i) => i % 2);
          assert.deepEqual(a.evaluate(big, Yb), b.evaluate(lab.features(big, ['x1sq', 'sin2', 'x1x2']), Yb));
        } finally {
          a.free();
          b.free();
        }
      });

      it('gradients against the float64 model on the float64-expanded input, and central differences', () => {
        for (const [feats, act] of [[FEATS, 'tanh'], [['x1sq', 'x2sq', 'x1x2'], 'gelu'], [['sin1', 'sin2', 'x1'], 'sigmoid']]) {
          const net = lab.mlp({ layers: [feats.length, 5, 2], features: feats, activation: act, output: 'softmax', loss: 'cross_entropy', seed: 9 });
          try {
            const n = 12, Xs = X.subarray(0, 2 * n), Ys = Float32Array.from({ length: n }, (_, i) => (i * 7) % 2);
            const F64 = Float64Array.from({ length: n * feats.length }, (_, e) => {
              const i = Math.floor(e / feats.length);
              return FORMULA[feats[e % feats.length]](Xs[2 * i], Xs[2 * i + 1]);
            });
            const ref = new MLP64({ layers: net.layers, activation: act, output: 'softmax', loss: 'cross_entropy' }).setParams(net.params());
            const want = ref.gradients(F64, Ys), fd = numericGradients(ref, F64, Ys);
            const got = net.gradients(Xs, Ys);
            assert.ok(Math.abs(got.loss - want.loss) <= 1e-5 * (1 + want.loss), `${feats}: loss ${got.loss} vs ${want.loss}`);
            let checked = 0;
            for (let l = 0; l < want.dW.length; l++) {
              for (const [g, w, f, what] of [[got.dW[l], want.dW[l], fd.dW[l], `dW[${l}]`], [got.db[l], want.db[l], fd.db[l], `db[${l}]`]]) {
                for (let k = 0; k < w.length; k++) {
                  assert.ok(Math.abs(g[k] - w[k]) <= 1e-5 + 1e-3 * Math.abs(w[k]), `${feats} ${what}[${k}]: ${g[k]} vs float64 ${w[k]}`);
                  assert.ok(Math.abs(w[k] - f[k]) <= 1e-7 + 1e-5 * Math.abs(w[k]), `${feats} ${what}[${k}]: float64 ${w[k]} vs differences ${f[k]}`);
                  if (Math.abs(w[k]) > 1e-3) checked++;
                }
              }
            }
            assert.ok(checked > 10, `${feats}: only ${checked} gradients above 1e-3 (all-zero guard)`);
          } finally {
            net.free();
          }
        }
      });

      it('toJSON / fromJSON keep the features and inputs; the copy computes the same bits', () => {
        const net = lab.mlp({ layers: [3, 4, 1], features: ['sin1', 'x1sq', 'x1'], inputs: 1, activation: 'relu', seed: 3 });
        const x = Float32Array.from({ length: 20 }, (_, i) => i / 3 - 3);
        try {
          net.fit(x, Float32Array.from(x, Math.sin), { epochs: 5, lr: 0.01 });
          const j = net.toJSON();
          assert.deepEqual(j.features, ['sin1', 'x1sq', 'x1']);
          assert.equal(j.inputs, 1);
          const copy = lab.mlp.fromJSON(JSON.stringify(j));
          try {
            assert.deepEqual(copy.config, net.config);
            assert.equal(copy.inputs, 1);
            assert.deepEqual(copy.forward(x), net.forward(x));
          } finally {
            copy.free();
          }
          assert.throws(() => lab.mlp.fromJSON({ ...j, features: ['sin1', 'x1sq', 'x2'] }), (e) => /^features\[2\]: x2 reads x2/.test(e.message));
          assert.throws(() => lab.mlp.fromJSON({ ...j, features: ['sin1', 'x1sq'] }), (e) => /^layers\[0\]: /.test(e.message));
        } finally {
          net.free();
        }
      });

      it('1-D regression with inputs: 1 and features x1, x1sq, sin1 learns sin x', () => {
        const train = lab.datasets.sin({ n: 200, seed: 1 });
        const net = lab.mlp({ layers: [3, 1], features: ['x1', 'x1sq', 'sin1'], inputs: 1, seed: 1 });
        try {
          assert.equal(net.inputs, 1);
          const h = net.fit(train.X, train.y, { epochs: 200, lr: 0.05, optimizer: 'adam' });
          assert.ok(h.loss.at(-1) < 1e-3, `mse ${h.loss.at(-1)}: a linear layer on sin x1 should fit sin x`);
          const W = net.params().W[0];
          assert.ok(Math.abs(W[2] - 1) < 0.05, `the weight of sin1 is ${W[2]}, not near 1`);
        } finally {
          net.free();
        }
      });

      it('TF Playground\'s lesson: circle, no hidden layer, x1sq and x2sq in: test accuracy >= 0.95', () => {
        const train = lab.datasets.circle({ n: 400, seed: 1 }), test = lab.datasets.circle({ n: 400, seed: 2 });
        const net = lab.mlp({ layers: [2, 1], features: ['x1sq', 'x2sq'], output: 'sigmoid', seed: 1 });
        const plain = lab.mlp({ layers: [2, 1], output: 'sigmoid', seed: 1 });
        try {
          const o = { epochs: 100, lr: 0.03, optimizer: 'adam', batchSize: 10 };
          net.fit(train.X, train.y, o);
          plain.fit(train.X, train.y, o);
          const acc = net.evaluate(test.X, test.y).accuracy, accPlain = plain.evaluate(test.X, test.y).accuracy;
          assert.ok(acc >= 0.95, `test accuracy ${acc} with x1sq, x2sq`);
          assert.ok(accPlain < 0.8, `test accuracy ${accPlain} on raw x1, x2: a line cannot separate a circle`);
        } finally {
          net.free();
          plain.free();
        }
      });

      it('X is checked against the raw width and the features\' range', () => {
        const net = lab.mlp({ layers: [2, 1], features: ['x1sq', 'x1x2'] });
        try {
          const named = (re) => (e) => e instanceof RangeError && re.test(e.message);
          assert.throws(() => net.forward([[1, 2, 3]]), named(/^X: rows have 3 values, the network takes 2/));
          assert.throws(() => net.forward(Float32Array.of(1, 2, 3)), named(/^X: length 3/));
          assert.throws(() => net.step([[2 ** 64, 1]], [1], { lr: 0.1 }), named(/^X: element 0 .*x1sq/));
          assert.throws(() => net.fit([[1e10, 1e30]], [1]), named(/^X: row 0 .*x1x2/));
          assert.throws(() => net.evaluate([[1, 2], [3e38, 3e38]], [1, 0]), named(/^X: /));
          assert.equal(net.forward([[1, 2]]).length, 1, 'still works');
        } finally {
          net.free();
        }
      });
    });
  });
}
