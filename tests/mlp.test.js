// The network against the independent float64 model in tests/ref/mlp64.js,
// for both builds: gradients (per parameter and along a random direction),
// forward, hidden(), collapse(), params round-trips, toJSON/fromJSON.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, affineProduct } from '../src/mlp-lab.js';
import { MLP64, ACTIVATIONS, rng, numericGradients, erf, act, actDerivative } from './ref/mlp64.js';

// (output, loss, q) pairs the contract allows.
const PAIRS = [
  ['identity', 'mse', 2],
  ['sigmoid', 'mse', 2],
  ['softmax', 'mse', 3],
  ['sigmoid', 'bce', 2],
  ['softmax', 'cross_entropy', 3],
];
const ALPHA = 0.1;
const BETA = 1.5;

// Largest |got - want| as a fraction of scale, and where it happened.
function worst(got, want, scale) {
  assert.equal(got.length, want.length, `length: got ${got.length}, want ${want.length}`);
  let e = 0, at = -1;
  for (let k = 0; k < want.length; k++) {
    const d = Math.abs(got[k] - want[k]) / scale;
    if (!(d <= e)) { e = d; at = k; } // NaN lands here too
  }
  return { e, at };
}

function assertClose(got, want, { rel = 1e-5, floor = 1 } = {}, what = '') {
  let scale = floor;
  for (const w of want) scale = Math.max(scale, Math.abs(w));
  const { e, at } = worst(got, want, scale);
  assert.ok(e <= rel, `${what}: worst at [${at}]: got ${got[at]}, want ${want[at]} (error ${e.toExponential(2)} of scale ${scale.toPrecision(3)} > ${rel})`);
}

function randomX(r, n, d, sd = 1) {
  return Float32Array.from({ length: n * d }, () => sd * r.normal());
}

function randomY(r, n, q, output, loss) {
  if (loss === 'cross_entropy') return Float32Array.from({ length: n }, () => r.int(q));
  if (output === 'identity') return Float32Array.from({ length: n * q }, () => r.normal());
  if (output === 'softmax') { // rows of a distribution
    const Y = new Float32Array(n * q);
    for (let i = 0; i < n; i++) Y[i * q + r.int(q)] = 1;
    return Y;
  }
  return Float32Array.from({ length: n * q }, () => (r() < 0.5 ? 0 : 1));
}

// Random float32 params into the package, the same values into the reference.
function randomizeBoth(net, ref, r, sd) {
  const p = net.params();
  for (const a of [...p.W, ...p.b]) for (let k = 0; k < a.length; k++) a[k] = sd * r.normal();
  net.setParams(p);
  ref.setParams(net.params());
}

// kann's check: the package's own loss at p +- eps u against g . (2 eps u),
// u a random normal direction. The perturbation actually applied is the
// float32 difference, so the slope is measured along it. Leaves params at p +- eps u.
function directionalCheck(net, X, Y, p0, g, r) {
  const eps = 1e-3;
  const plus = { W: [], b: [] }, minus = { W: [], b: [] };
  let dot = 0;
  for (const key of ['W', 'b']) {
    for (let l = 0; l < p0[key].length; l++) {
      const a = p0[key][l], ga = g[key === 'W' ? 'dW' : 'db'][l];
      const ap = new Float32Array(a.length), am = new Float32Array(a.length);
      for (let k = 0; k < a.length; k++) {
        const u = r.normal();
        ap[k] = a[k] + eps * u;
        am[k] = a[k] - eps * u;
        dot += ga[k] * (ap[k] - am[k]);
      }
      plus[key].push(ap);
      minus[key].push(am);
    }
  }
  net.setParams(plus);
  const fp = net.gradients(X, Y).loss;
  net.setParams(minus);
  const fm = net.gradients(X, Y).loss;
  const numeric = fp - fm;
  assert.ok(Math.abs(dot) > 1e-5, `directional derivative ${dot} too small to check`);
  // float32 losses carry ~1e-7 relative rounding each; measured errors are
  // ~1e-4 of dot, so 2e-3 leaves a margin.
  assert.ok(Math.abs(numeric - dot) <= 2e-3 * Math.abs(dot) + 4e-7 * Math.max(1, Math.abs(fp)),
    `f(p+eps u) - f(p-eps u) = ${numeric}, g . (2 eps u) = ${dot}`);
}

function refOf(net, opts) {
  const ref = new MLP64({ alpha: ALPHA, beta: BETA, ...opts });
  ref.setParams(net.params());
  return ref;
}

// The reference checks itself before it judges the package.
describe('float64 reference (tests/ref/mlp64.js)', () => {
  it('erf matches tabulated values to 1e-15', () => {
    // erf(x) as printed by Python 3 math.erf (C libm), an implementation independent of ours.
    const table = [
      [1e-3, 0.0011283787909692363], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465],
      [1, 0.8427007929497149], [1.5, 0.9661051464753108], [2, 0.9953222650189527],
      [2.5, 0.9995930479825550], [3, 0.9999779095030014], [4, 0.9999999845827421],
      [5, 0.9999999999984626], [6, 1],
    ];
    for (const [x, want] of table) {
      assert.ok(Math.abs(erf(x) - want) <= 1e-15, `erf(${x}) = ${erf(x)}, want ${want}`);
      assert.ok(Math.abs(erf(-x) + want) <= 1e-15, `erf(${-x})`);
    }
    assert.equal(erf(0), 0);
    assert.ok(Number.isNaN(erf(NaN)));
  });

  it('each activation derivative matches central differences of the activation', () => {
    for (const kind of ACTIVATIONS) {
      for (let x = -6.05; x < 6; x += 0.1) {
        const h = 1e-6;
        const num = (act(kind, x + h, ALPHA, BETA) - act(kind, x - h, ALPHA, BETA)) / (2 * h);
        const ana = actDerivative(kind, x, ALPHA, BETA);
        assert.ok(Math.abs(num - ana) <= 1e-8, `${kind}'(${x}) = ${ana}, central difference ${num}`);
      }
    }
  });
});

for (const simd of [true, false]) {
  describe(`network (simd: ${simd})`, () => {
    let lab;
    before(async () => {
      lab = await load({ simd });
      assert.equal(lab.simd, simd, `load({ simd: ${simd} }).simd`);
    });

    describe('gradients on a tiny net, per parameter', () => {
      for (const activation of ACTIVATIONS) {
        for (const [output, loss, q] of PAIRS) {
          it(`${activation} hidden, ${output} output, ${loss}`, () => {
            const opts = { layers: [3, 4, 3, q], activation, output, loss, init: 'xavier', seed: 7 };
            const net = lab.mlp({ ...opts, alpha: ALPHA, beta: BETA });
            try {
              const ref = new MLP64({ ...opts, alpha: ALPHA, beta: BETA });
              const r = rng(1000 + ACTIVATIONS.indexOf(activation) * 10 + PAIRS.findIndex((p) => p[1] === loss && p[0] === output));
              randomizeBoth(net, ref, r, 0.8);
              const n = 5;
              const X = randomX(r, n, 3);
              const Y = randomY(r, n, q, output, loss);

              // 1. The reference's analytic gradients against its own central differences.
              const g64 = ref.gradients(X, Y);
              const num = numericGradients(ref, X, Y, 1e-6);
              let checked = 0;
              for (let l = 0; l < ref.L; l++) {
                assertClose(num.dW[l], g64.dW[l], { rel: 1e-6, floor: 1e-3 }, `reference dW[${l}] vs central differences`);
                assertClose(num.db[l], g64.db[l], { rel: 1e-6, floor: 1e-3 }, `reference db[${l}] vs central differences`);
                for (const v of g64.dW[l]) checked += Math.abs(v);
                assert.ok(g64.dW[l].some((v) => v !== 0), `reference dW[${l}] is all zero: the check would be vacuous`);
              }
              assert.ok(checked > 0.001, `sum |dW| = ${checked}: too small for a meaningful check`);

              // 2. The package's gradients at the same params against the reference.
              const g = net.gradients(X, Y);
              assert.equal(g.dW.length, ref.L, 'dW has one array per layer');
              assert.equal(g.db.length, ref.L, 'db has one array per layer');
              assert.ok(Math.abs(g.loss - g64.loss) <= 1e-5 * Math.max(1, Math.abs(g64.loss)),
                `loss: got ${g.loss}, want ${g64.loss}`);
              let scale = 1e-3;
              for (let l = 0; l < ref.L; l++) for (const a of [g64.dW[l], g64.db[l]]) for (const v of a) scale = Math.max(scale, Math.abs(v));
              // Measured worst: 7e-7 of the largest gradient (both builds).
              for (let l = 0; l < ref.L; l++) {
                assertClose(g.dW[l], g64.dW[l], { rel: 2e-5, floor: scale }, `package dW[${l}]`);
                assertClose(g.db[l], g64.db[l], { rel: 2e-5, floor: scale }, `package db[${l}]`);
              }

              // 3. gradNorms() are the L2 norms of those dW.
              const norms = net.gradNorms();
              assert.equal(norms.length, ref.L, 'gradNorms() length');
              for (let l = 0; l < ref.L; l++) {
                const want = Math.hypot(...g.dW[l]);
                assert.ok(Math.abs(norms[l] - want) <= 1e-5 * Math.max(want, 1e-6), `gradNorms()[${l}]: got ${norms[l]}, want ${want}`);
              }
            } finally {
              net.free();
            }
          });
        }
      }
    });

    describe('gradients without a hidden layer', () => {
      for (const [output, loss, q] of PAIRS) {
        it(`[3, ${q}] ${output} / ${loss}`, () => {
          const opts = { layers: [3, q], activation: 'tanh', output, loss };
          const net = lab.mlp({ ...opts, seed: 12 });
          try {
            const ref = new MLP64(opts);
            const r = rng(13);
            randomizeBoth(net, ref, r, 1);
            const X = randomX(r, 6, 3);
            const Y = randomY(r, 6, q, output, loss);
            const g = net.gradients(X, Y), g64 = ref.gradients(X, Y);
            const num = numericGradients(ref, X, Y, 1e-6);
            assertClose(num.dW[0], g64.dW[0], { rel: 1e-6, floor: 1e-3 }, 'reference dW vs central differences');
            assert.ok(g64.dW[0].some((v) => v !== 0), 'vacuous: zero gradient');
            assert.ok(Math.abs(g.loss - g64.loss) <= 1e-5 * Math.max(1, g64.loss), `loss ${g.loss} vs ${g64.loss}`);
            let scale = 1e-3;
            for (const v of [...g64.dW[0], ...g64.db[0]]) scale = Math.max(scale, Math.abs(v));
            assertClose(g.dW[0], g64.dW[0], { rel: 2e-5, floor: scale }, 'dW[0]');
            assertClose(g.db[0], g64.db[0], { rel: 2e-5, floor: scale }, 'db[0]');
          } finally {
            net.free();
          }
        });
      }
    });

    describe('odd shapes (SIMD tails): widths 1..9 and 17, batches 1..7 and around 32-row blocks', () => {
      const r0 = rng(77);
      const widths = [1, 2, 3, 4, 5, 7, 8, 9, 17];
      const batches = [31, 32, 33, 63, 64, 65, 97];
      const shapes = [];
      for (let i = 0; i < 38; i++) {
        const hidden = Array.from({ length: 1 + r0.int(2) }, () => widths[r0.int(widths.length)]);
        const d = widths[r0.int(widths.length)];
        const n = i < 24 ? 1 + r0.int(7) : batches[i % batches.length];
        shapes.push({ layers: [d, ...hidden, (i % 2 ? 2 : 1) + r0.int(4)], n, activation: ACTIVATIONS[i % ACTIVATIONS.length] }); // q = 1 only for mse
      }
      for (const [i, sh] of shapes.entries()) {
        const [output, loss] = i % 2 ? ['softmax', 'cross_entropy'] : ['identity', 'mse'];
        it(`${sh.layers.join('-')} n=${sh.n} ${sh.activation} ${loss}`, () => {
          const opts = { layers: sh.layers, activation: sh.activation, output, loss };
          const net = lab.mlp({ ...opts, seed: 100 + i, alpha: ALPHA, beta: BETA });
          try {
            const ref = new MLP64({ ...opts, alpha: ALPHA, beta: BETA });
            const r = rng(200 + i);
            randomizeBoth(net, ref, r, 0.7);
            const q = sh.layers.at(-1);
            const X = randomX(r, sh.n, sh.layers[0]);
            const Y = randomY(r, sh.n, q, output, loss);
            assertClose(net.forward(X), ref.forward(X), { rel: 1e-5 }, 'forward');
            const g = net.gradients(X, Y), g64 = ref.gradients(X, Y);
            let scale = 1e-3;
            for (const a of [...g64.dW, ...g64.db]) for (const v of a) scale = Math.max(scale, Math.abs(v));
            for (let l = 0; l < ref.L; l++) {
              assertClose(g.dW[l], g64.dW[l], { rel: 2e-5, floor: scale }, `dW[${l}]`);
              assertClose(g.db[l], g64.db[l], { rel: 2e-5, floor: scale }, `db[${l}]`);
            }
            // Rows are independent: each row alone gives its row of the batch.
            const O = net.forward(X), d = sh.layers[0];
            for (let row = 0; row < sh.n; row++) {
              const one = net.forward(X.subarray(row * d, (row + 1) * d));
              assertClose(one, O.subarray(row * q, (row + 1) * q), { rel: 1e-6 }, `row ${row} alone vs in the batch`);
            }
          } finally {
            net.free();
          }
        });
      }
    });

    describe('gradients on a larger net, along a random direction (kann)', () => {
      const cases = [
        { layers: [4, 32, 32, 16, 3], activation: 'tanh', output: 'softmax', loss: 'cross_entropy' },
        { layers: [5, 24, 24, 2], activation: 'gelu', output: 'identity', loss: 'mse' },
        { layers: [3, 20, 20, 20, 4], activation: 'swish', output: 'sigmoid', loss: 'bce' },
        { layers: [6, 40, 40, 3], activation: 'sigmoid', output: 'softmax', loss: 'mse' },
        { layers: [64, 256, 256, 10], activation: 'relu', output: 'softmax', loss: 'cross_entropy' },
        { layers: [64, 256, 256, 10], activation: 'tanh', output: 'softmax', loss: 'cross_entropy' },
        { layers: [3, 9, 9, 9, 9, 9, 9, 2], activation: 'prelu', output: 'identity', loss: 'mse' },
        { layers: [3, 9, 9, 9, 9, 9, 9, 2], activation: 'gelu', output: 'identity', loss: 'mse' },
      ];
      // relu and prelu have kinks: a perturbation of every parameter by ~1e-3
      // moves many of the n x width pre-activations across 0, and central
      // differences are then off by up to 20% even in float64 (measured with
      // the reference). For them only the comparison with the reference runs.
      const smooth = (c) => c.activation !== 'relu' && c.activation !== 'prelu';
      for (const c of cases) {
        it(`${c.layers.join('-')} ${c.activation} ${c.output} ${c.loss}`, () => {
          const net = lab.mlp({ ...c, init: 'xavier', seed: 3, alpha: ALPHA, beta: BETA });
          try {
            const r = rng(42);
            const n = 32, d = c.layers[0], q = c.layers.at(-1);
            const X = randomX(r, n, d);
            const Y = randomY(r, n, q, c.output, c.loss);
            const p0 = net.params();
            const g = net.gradients(X, Y);
            const flatG = [...g.dW, ...g.db].flatMap((a) => Array.from(a));
            assert.ok(flatG.some((v) => v !== 0), 'gradient is all zero');

            if (smooth(c)) directionalCheck(net, X, Y, p0, g, r);

            // And the whole gradient against the reference at p0.
            net.setParams(p0);
            const ref = refOf(net, c);
            const g64 = ref.gradients(X, Y);
            let scale = 1e-3;
            for (const a of [...g64.dW, ...g64.db]) for (const v of a) scale = Math.max(scale, Math.abs(v));
            for (let l = 0; l < ref.L; l++) {
              assertClose(g.dW[l], g64.dW[l], { rel: 2e-5, floor: scale }, `dW[${l}]`);
              assertClose(g.db[l], g64.db[l], { rel: 2e-5, floor: scale }, `db[${l}]`);
            }
          } finally {
            net.free();
          }
        });
      }
    });

    describe('forward', () => {
      for (const activation of ACTIVATIONS) {
        for (const [output, loss, q] of PAIRS) {
          it(`${activation} hidden, ${output} output matches float64 to 1e-5`, () => {
            const opts = { layers: [2, 16, 16, q], activation, output, loss };
            const net = lab.mlp({ ...opts, init: activation === 'relu' || activation === 'prelu' ? 'he' : 'xavier', seed: 11, alpha: ALPHA, beta: BETA });
            try {
              const ref = refOf(net, opts);
              const X = randomX(rng(5), 64, 2, 2);
              const o = net.forward(X);
              assert.ok(o instanceof Float32Array, 'forward returns a Float32Array');
              assertClose(o, ref.forward(X), { rel: 1e-5, floor: 1 }, 'forward');
            } finally {
              net.free();
            }
          });
        }
      }

      for (const activation of ACTIVATIONS) {
        it(`${activation}: large pre-activations (inputs of sd 20) match float64`, () => {
          const opts = { layers: [2, 12, 12, 2], activation, output: 'identity', loss: 'mse' };
          const net = lab.mlp({ ...opts, seed: 15, alpha: ALPHA, beta: BETA });
          try {
            const ref = refOf(net, opts);
            const X = randomX(rng(16), 200, 2, 20);
            assertClose(net.forward(X), ref.forward(X), { rel: 1e-5 }, 'forward');
          } finally {
            net.free();
          }
        });
      }

      it('X as number[] or as rows (src/mlp-lab.d.ts Matrix) gives the same outputs', () => {
        const net = lab.mlp({ layers: [2, 4, 3], activation: 'relu', output: 'softmax', loss: 'cross_entropy', seed: 4 });
        try {
          const flat = Float32Array.of(0.25, -0.5, 1, 2, -3, 0.125);
          const want = net.forward(flat);
          assert.deepEqual(net.forward(Array.from(flat)), want, 'number[]');
          assert.deepEqual(net.forward([[0.25, -0.5], [1, 2], [-3, 0.125]]), want, 'rows');
          assert.deepEqual(net.forward([Float32Array.of(0.25, -0.5), [1, 2], [-3, 0.125]]), want, 'typed rows');
          const Y = [2, 0, 1];
          assert.deepEqual(net.gradients([[0.25, -0.5], [1, 2], [-3, 0.125]], Y), net.gradients(flat, Float32Array.from(Y)), 'gradients');
        } finally {
          net.free();
        }
      });

      it('n = 1 and no hidden layer', () => {
        const net = lab.mlp({ layers: [3, 2], activation: 'tanh', output: 'identity', loss: 'mse', seed: 2 });
        try {
          const ref = refOf(net, { layers: [3, 2], activation: 'tanh', output: 'identity', loss: 'mse' });
          const X = Float32Array.of(0.5, -1, 2);
          assertClose(net.forward(X), ref.forward(X), { rel: 1e-6 }, 'forward');
          assert.deepEqual(net.hidden(X), [], 'hidden() of a net without hidden layers');
        } finally {
          net.free();
        }
      });
    });

    describe('evaluate()', () => {
      // n = 10,000 rows: more than one batch for any chunking in the package.
      const cases = [
        { layers: [2, 8, 3], activation: 'relu', output: 'softmax', loss: 'cross_entropy' },
        { layers: [2, 8, 3], activation: 'tanh', output: 'softmax', loss: 'mse' },
        { layers: [2, 8, 2], activation: 'gelu', output: 'sigmoid', loss: 'bce' },
        { layers: [2, 8, 2], activation: 'swish', output: 'identity', loss: 'mse' },
      ];
      for (const c of cases) {
        it(`${c.output} / ${c.loss}: loss and accuracy over 10,000 rows`, () => {
          const net = lab.mlp({ ...c, seed: 41, alpha: ALPHA, beta: BETA });
          try {
            const ref = refOf(net, c);
            const r = rng(42);
            const n = 10000, q = c.layers.at(-1);
            const X = randomX(r, n, 2, 2);
            const Y = randomY(r, n, q, c.output, c.loss);
            const ev = net.evaluate(X, Y);
            const want = ref.loss(X, Y);
            assert.ok(Math.abs(ev.loss - want) <= 1e-5 * Math.max(1, want), `loss ${ev.loss}, float64 ${want}`);
            // Accuracy by the contract's rule, from the package's own outputs.
            const O = net.forward(X);
            let acc = null;
            if (c.output === 'softmax') {
              let right = 0;
              for (let i = 0; i < n; i++) {
                let best = 0, label = 0;
                for (let j = 1; j < q; j++) {
                  if (O[i * q + j] > O[i * q + best]) best = j;
                  if (c.loss === 'mse' && Y[i * q + j] > Y[i * q + label]) label = j;
                }
                if (c.loss === 'cross_entropy') label = Y[i];
                right += best === label ? 1 : 0;
              }
              acc = right / n;
            } else if (c.output === 'sigmoid') {
              let right = 0;
              for (let k = 0; k < n * q; k++) right += (O[k] >= 0.5) === (Y[k] >= 0.5) ? 1 : 0;
              acc = right / (n * q);
            }
            if (acc === null) assert.equal(ev.accuracy, null, 'no accuracy for an identity output');
            else assert.ok(Math.abs(ev.accuracy - acc) <= 1e-6, `accuracy ${ev.accuracy}, by the rule ${acc}`);
          } finally {
            net.free();
          }
        });
      }
    });

    describe('extreme logits', () => {
      // Logits near +-150: exp overflows float32 unless computed stably.
      const cases = [
        { layers: [2, 3, 3], activation: 'identity', output: 'softmax', loss: 'cross_entropy', Y: [2, 0, 1, 1] },
        { layers: [2, 3, 3], activation: 'identity', output: 'softmax', loss: 'mse', Y: [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1] },
        { layers: [2, 3, 2], activation: 'identity', output: 'sigmoid', loss: 'bce', Y: [0, 1, 1, 0, 0, 0, 1, 1] },
        { layers: [2, 3, 2], activation: 'identity', output: 'sigmoid', loss: 'mse', Y: [0, 1, 1, 0, 0, 0, 1, 1] },
      ];
      for (const c of cases) {
        it(`${c.output} / ${c.loss}: finite, stable, equal to float64`, () => {
          const { Y: _targets, ...config } = c;
          const net = lab.mlp({ ...config, seed: 43 });
          try {
            const p = net.params();
            p.W = p.W.map((w, l) => w.map((v, k) => (l === 0 ? 10 : 5) * (k % 2 ? 1 : -1) * (1 + 0.1 * k)));
            net.setParams(p);
            const ref = refOf(net, c);
            const X = Float32Array.of(1, 0.5, -1, -0.5, 0.8, -0.9, -0.7, 0.6);
            const Y = Float32Array.from(c.Y);
            const o = net.forward(X), o64 = ref.forward(X);
            assert.ok(o.every(Number.isFinite), `forward not finite: ${o}`);
            let big = 0;
            for (const z of ref.forwardAll(X).Z.at(-1)) big = Math.max(big, Math.abs(z));
            assert.ok(big > 80, `logits reach only ${big}: not extreme`);
            assertClose(o, o64, { rel: 1e-5 }, 'forward');
            const g = net.gradients(X, Y), g64 = ref.gradients(X, Y);
            assert.ok(Number.isFinite(g.loss), `loss ${g.loss}`);
            assert.ok(Math.abs(g.loss - g64.loss) <= 1e-5 * Math.max(1, g64.loss), `loss ${g.loss}, float64 ${g64.loss}`);
            let scale = 1e-3;
            for (const a of [...g64.dW, ...g64.db]) for (const v of a) scale = Math.max(scale, Math.abs(v));
            for (let l = 0; l < 2; l++) {
              assertClose(g.dW[l], g64.dW[l], { rel: 1e-4, floor: scale }, `dW[${l}]`);
              assertClose(g.db[l], g64.db[l], { rel: 1e-4, floor: scale }, `db[${l}]`);
            }
          } finally {
            net.free();
          }
        });
      }
    });

    describe('hidden()', () => {
      it('one (n, width) array per hidden layer, equal to the reference', () => {
        const opts = { layers: [2, 5, 3, 6, 1], activation: 'swish', output: 'sigmoid', loss: 'bce' };
        const net = lab.mlp({ ...opts, seed: 9, alpha: ALPHA, beta: BETA });
        try {
          const ref = refOf(net, opts);
          const n = 7;
          const X = randomX(rng(8), n, 2);
          const h = net.hidden(X);
          const h64 = ref.hidden(X);
          assert.equal(h.length, 3, 'three hidden layers');
          [5, 3, 6].forEach((w, l) => {
            assert.ok(h[l] instanceof Float32Array, `hidden()[${l}] is a Float32Array`);
            assert.equal(h[l].length, n * w, `hidden()[${l}] is (n, ${w})`);
            assertClose(h[l], h64[l], { rel: 1e-5 }, `hidden()[${l}]`);
          });
          // Many rows: the last rows still match.
          const big = randomX(rng(9), 9000, 2);
          const hb = net.hidden(big);
          const tail = big.subarray(2 * 8990);
          const h64t = ref.hidden(tail);
          [5, 3, 6].forEach((w, l) => {
            assert.equal(hb[l].length, 9000 * w);
            assertClose(hb[l].subarray(8990 * w), h64t[l], { rel: 1e-5 }, `hidden()[${l}] rows 8990..8999 of 9000`);
          });
        } finally {
          net.free();
        }
      });
    });

    describe('collapse()', () => {
      it('an identity MLP is the single affine map X W + b', () => {
        const opts = { layers: [3, 5, 4, 2], activation: 'identity', output: 'identity', loss: 'mse' };
        const net = lab.mlp({ ...opts, seed: 21 });
        try {
          const { W, b } = net.collapse();
          assert.equal(W.length, 3 * 2, 'W is (d, q)');
          assert.equal(b.length, 2, 'b is (q)');
          const ref = refOf(net, opts);
          const c64 = ref.collapse();
          assertClose(W, c64.W, { rel: 1e-6 }, 'collapse().W vs W1 W2 W3');
          assertClose(b, c64.b, { rel: 1e-6 }, 'collapse().b vs (b1 W2 + b2) W3 + b3');
          const n = 20;
          const X = randomX(rng(3), n, 3, 3);
          const affine = new Float64Array(n * 2);
          for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) {
            let s = b[j];
            for (let k = 0; k < 3; k++) s += X[i * 3 + k] * W[k * 2 + j];
            affine[i * 2 + j] = s;
          }
          assertClose(net.forward(X), affine, { rel: 1e-5 }, 'forward(X) vs X collapse().W + collapse().b');
        } finally {
          net.free();
        }
      });

      it('also after training steps', () => {
        const net = lab.mlp({ layers: [2, 3, 1], activation: 'identity', output: 'identity', loss: 'mse', seed: 5 });
        try {
          const r = rng(6);
          const X = randomX(r, 10, 2), Y = randomX(r, 10, 1);
          for (let s = 0; s < 5; s++) net.step(X, Y, { lr: 0.05, optimizer: 'sgd' });
          const { W, b } = net.collapse();
          const o = net.forward(X);
          const want = Array.from({ length: 10 }, (_, i) => b[0] + X[2 * i] * W[0] + X[2 * i + 1] * W[1]);
          assertClose(o, want, { rel: 1e-5 }, 'forward vs collapse after training');
        } finally {
          net.free();
        }
      });

      it('W and b are the float64 product of affineProduct, rounded to float32 (the core computes it)', () => {
        const r = rng(31);
        for (const layers of [[3, 5, 4, 2], [2, 1, 3], [4, 7, 7, 7, 7, 7, 7, 3], [1, 1]]) {
          const net = lab.mlp({ layers, activation: 'identity', seed: 2 });
          try {
            randomizeBoth(net, new MLP64({ layers, activation: 'identity' }), r, 1);
            const c = net.collapse(), want = affineProduct(net.params(), layers);
            assert.deepEqual(c.W, Float32Array.from(want.W), `[${layers}] W`);
            assert.deepEqual(c.b, Float32Array.from(want.b), `[${layers}] b`);
          } finally {
            net.free();
          }
        }
      });

      it('rank: bottlenecks lose directions, full-rank nets keep min(d, q)', () => {
        const r = rng(32);
        for (const [layers, rank] of [
          [[2, 1, 3], 1], [[3, 1, 1, 3], 1], [[4, 2, 4], 2], [[5, 8, 2, 8, 5], 2], [[6, 3, 6, 6], 3],
          [[2, 5, 3], 2], [[3, 5, 4, 2], 2], [[4, 8, 4], 4], [[2, 3], 2], [[8, 16, 16, 8], 8], [[1, 4, 4], 1],
        ]) {
          const net = lab.mlp({ layers, activation: 'identity', seed: 3 });
          try {
            randomizeBoth(net, new MLP64({ layers, activation: 'identity' }), r, 1);
            const c = net.collapse();
            assert.equal(c.rank, rank, `[${layers}]: rank ${c.rank}, singular values ${Array.from(c.singularValues)}`);
            const d = layers[0], q = layers.at(-1);
            assert.ok(c.singularValues instanceof Float64Array && c.singularValues.length === Math.min(d, q));
            // sum of s^2 = ||W||_F^2 (of the float64 product), decreasing, the lost ones ~ 0
            const W = affineProduct(net.params(), layers).W;
            const fro = W.reduce((s, w) => s + w * w, 0), ss = c.singularValues.reduce((s, v) => s + v * v, 0);
            assert.ok(Math.abs(ss - fro) <= 1e-12 * fro, `[${layers}]: sum s^2 ${ss}, ||W||^2 ${fro}`);
            c.singularValues.forEach((v, i) => assert.ok(i === 0 || v <= c.singularValues[i - 1]));
            for (let i = rank; i < c.singularValues.length; i++) {
              assert.ok(c.singularValues[i] <= 1e-12 * c.singularValues[0], `[${layers}]: s[${i}] = ${c.singularValues[i]}`);
            }
          } finally {
            net.free();
          }
        }
        // all-zero weights: rank 0; training a bottleneck keeps its rank
        const zero = lab.mlp({ layers: [3, 4, 2], activation: 'identity' });
        zero.setParams({ W: [new Float32Array(12), new Float32Array(8)], b: [new Float32Array(4), new Float32Array(2)] });
        assert.equal(zero.collapse().rank, 0);
        zero.free();
        const net = lab.mlp({ layers: [2, 1, 3], activation: 'identity', output: 'softmax', loss: 'cross_entropy', seed: 5 });
        const data = lab.datasets.blobs({ n: 150, seed: 1 });
        net.fit(data.X, data.y, { epochs: 20, lr: 0.05, optimizer: 'adam' });
        assert.equal(net.collapse().rank, 1, 'a trained 2-1-3 network: three parallel class boundaries');
        net.free();
      });

      for (const activation of ACTIVATIONS.filter((a) => a !== 'identity')) {
        it(`throws for a ${activation} hidden layer`, () => {
          const net = lab.mlp({ layers: [2, 3, 1], activation, output: 'identity', loss: 'mse', seed: 1 });
          try {
            assert.throws(() => net.collapse(), Error);
          } finally {
            net.free();
          }
        });
      }
    });

    describe('params() / setParams()', () => {
      it('round-trip exactly, shapes (fan_in, fan_out), copies not views', () => {
        const net = lab.mlp({ layers: [3, 4, 2], activation: 'relu', output: 'identity', loss: 'mse', seed: 13 });
        try {
          const p = net.params();
          assert.deepEqual(p.W.map((w) => w.length), [12, 8]);
          assert.deepEqual(p.b.map((b) => b.length), [4, 2]);
          assert.ok(p.W.every((w) => w instanceof Float32Array) && p.b.every((b) => b instanceof Float32Array));
          const r = rng(14);
          const q = { W: p.W.map((w) => w.map(() => r.normal())), b: p.b.map((b) => b.map(() => r.normal())) };
          net.setParams(q);
          const back = net.params();
          assert.deepEqual(back, q, 'params() after setParams()');
          back.W[0][0] = 1234;
          assert.notEqual(net.params().W[0][0], 1234, 'params() must return copies');
          q.W[1][1] = 4321;
          assert.notEqual(net.params().W[1][1], 4321, 'setParams() must copy its input');
          // setParams changes the function: forward follows the reference at q.
          const ref = refOf(net, { layers: [3, 4, 2], activation: 'relu', output: 'identity', loss: 'mse' });
          const X = randomX(r, 4, 3);
          assertClose(net.forward(X), ref.forward(X), { rel: 1e-6 }, 'forward after setParams');
        } finally {
          net.free();
        }
      });

      it('init: biases 0, weights within the Xavier / He bounds, seeded', () => {
        for (const init of ['xavier', 'he']) {
          const a = lab.mlp({ layers: [10, 30, 5], activation: 'relu', output: 'identity', loss: 'mse', init, seed: 99 });
          const b = lab.mlp({ layers: [10, 30, 5], activation: 'relu', output: 'identity', loss: 'mse', init, seed: 99 });
          const c = lab.mlp({ layers: [10, 30, 5], activation: 'relu', output: 'identity', loss: 'mse', init, seed: 100 });
          try {
            const p = a.params();
            assert.deepEqual(b.params(), p, `${init}: same seed, same params`);
            assert.notDeepEqual(c.params(), p, `${init}: another seed, other params`);
            assert.ok(p.b.every((x) => x.every((v) => v === 0)), `${init}: biases start at 0`);
            [[10, 30], [30, 5]].forEach(([fi, fo], l) => {
              const bound = init === 'xavier' ? Math.sqrt(6 / (fi + fo)) : Math.sqrt(6 / fi);
              let mx = 0;
              for (const v of p.W[l]) mx = Math.max(mx, Math.abs(v));
              assert.ok(mx <= bound * (1 + 1e-6), `${init} W[${l}]: max |w| ${mx} > ${bound}`);
              assert.ok(mx > 0.8 * bound, `${init} W[${l}]: max |w| ${mx} far below the bound ${bound}: not U(-a, a)?`);
              const mean = p.W[l].reduce((s, v) => s + v, 0) / p.W[l].length;
              assert.ok(Math.abs(mean) < 0.2 * bound, `${init} W[${l}]: mean ${mean} not centred`);
            });
          } finally {
            a.free(); b.free(); c.free();
          }
        }
      });
    });

    describe('toJSON() / mlp.fromJSON()', () => {
      it('gives the same outputs, bit for bit, through JSON.stringify', () => {
        const opts = { layers: [2, 6, 5, 3], activation: 'prelu', output: 'softmax', loss: 'cross_entropy', alpha: 0.05 };
        const net = lab.mlp({ ...opts, seed: 31 });
        let net2, net3;
        try {
          const r = rng(32);
          const X = randomX(r, 30, 2), Y = Float32Array.from({ length: 30 }, () => r.int(3));
          for (let s = 0; s < 10; s++) net.step(X, Y, { lr: 0.1, optimizer: 'adam' });
          const text = JSON.stringify(net);
          net2 = lab.mlp.fromJSON(JSON.parse(text));
          net3 = lab.mlp.fromJSON(net.toJSON());
          const net4 = lab.mlp.fromJSON(text); // a JSON string is accepted too
          try {
            assert.deepEqual(net4.forward(X), net.forward(X), 'outputs survive fromJSON(string)');
          } finally {
            net4.free();
          }
          assert.deepEqual(net2.params(), net.params(), 'params survive JSON');
          assert.deepEqual(net2.forward(X), net.forward(X), 'outputs survive JSON');
          assert.deepEqual(net3.forward(X), net.forward(X), 'outputs survive toJSON()');
          // The restored net is the same kind of net: loss and alpha came along.
          assert.equal(net2.evaluate(X, Y).loss, net.evaluate(X, Y).loss, 'same loss after fromJSON');
          const neg = Float32Array.of(-3, -2);
          const ref = refOf(net2, opts);
          assertClose(net2.forward(neg), ref.forward(neg), { rel: 1e-6 }, 'prelu alpha after fromJSON');
        } finally {
          net.free();
          net2?.free();
          net3?.free();
        }
      });

      it('swish beta survives', () => {
        const net = lab.mlp({ layers: [1, 4, 1], activation: 'swish', beta: 2.5, output: 'identity', loss: 'mse', seed: 1 });
        let net2;
        try {
          net2 = lab.mlp.fromJSON(JSON.parse(JSON.stringify(net)));
          const X = Float32Array.of(-2, -0.5, 0.3, 1.7);
          assert.deepEqual(net2.forward(X), net.forward(X));
        } finally {
          net.free();
          net2?.free();
        }
      });
    });
  });
}
