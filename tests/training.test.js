// Training: the chapter's data sets are learned from fixed seeds (test sets
// drawn with other seeds), step-by-step losses follow the float64 model in
// tests/ref/mlp64.js, and training is deterministic.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, DivergedError } from '../src/mlp-lab.js';
import { MLP64, rng } from './ref/mlp64.js';

// Class indices (n) -> (n, 1) targets for a sigmoid output.
const column = (y) => Float32Array.from(y);

for (const simd of [true, false]) {
  describe(`training (simd: ${simd})`, () => {
    let lab;
    before(async () => {
      lab = await load({ simd });
      assert.equal(lab.simd, simd);
    });

    // Each problem: the data set, a network, fit options, and the bar on the test set.
    const problems = [
      {
        name: 'circle', data: { n: 400, noise: 0.1 },
        net: { layers: [2, 16, 16, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce' },
        fit: { epochs: 150, batchSize: 32, lr: 0.02, optimizer: 'adam' },
        check: (ev) => assert.ok(ev.accuracy >= 0.95, `circle test accuracy ${ev.accuracy} < 0.95`),
      },
      {
        name: 'xor', data: { n: 400, noise: 0.1 },
        net: { layers: [2, 16, 16, 1], activation: 'relu', output: 'sigmoid', loss: 'bce', init: 'he' },
        fit: { epochs: 150, batchSize: 32, lr: 0.02, optimizer: 'adam' },
        check: (ev) => assert.ok(ev.accuracy >= 0.95, `xor test accuracy ${ev.accuracy} < 0.95`),
      },
      {
        name: 'blobs', data: { n: 450, noise: 0.1 },
        net: { layers: [2, 16, 3], activation: 'relu', output: 'softmax', loss: 'cross_entropy', init: 'he' },
        fit: { epochs: 100, batchSize: 32, lr: 0.02, optimizer: 'adam' },
        check: (ev) => assert.ok(ev.accuracy >= 0.95, `blobs test accuracy ${ev.accuracy} < 0.95`),
      },
      {
        name: 'spiral', data: { n: 400, noise: 0.1 },
        net: { layers: [2, 32, 32, 1], activation: 'relu', output: 'sigmoid', loss: 'bce', init: 'he' },
        fit: { epochs: 300, batchSize: 32, lr: 0.01, optimizer: 'adam' },
        check: (ev) => assert.ok(ev.accuracy >= 0.95, `spiral test accuracy ${ev.accuracy} < 0.95`),
      },
      {
        name: 'moons', data: { n: 400, noise: 0.1 },
        net: { layers: [2, 16, 16, 1], activation: 'gelu', output: 'sigmoid', loss: 'bce' },
        fit: { epochs: 100, batchSize: 32, lr: 0.02, optimizer: 'adam' },
        check: (ev) => assert.ok(ev.accuracy >= 0.95, `moons test accuracy ${ev.accuracy} < 0.95`),
      },
      {
        name: 'sin', data: { n: 400, noise: 0 },
        // One hidden layer (the universal-approximation picture); seeds 1-3 give
        // test MSE 6e-5..4e-4 in both builds, far from the bar.
        net: { layers: [1, 32, 1], activation: 'tanh', output: 'identity', loss: 'mse' },
        fit: { epochs: 300, batchSize: 32, lr: 0.01, optimizer: 'adam' },
        check: (ev) => {
          assert.equal(ev.accuracy, null, 'regression has no accuracy');
          assert.ok(ev.loss < 0.01, `sin test MSE ${ev.loss} >= 0.01`);
        },
      },
    ];

    for (const p of problems) {
      it(`${p.name} is learned (train seed 1, test seed 2)`, (t) => {
        const train = lab.datasets[p.name]({ ...p.data, seed: 1 });
        const test = lab.datasets[p.name]({ ...p.data, seed: 2 });
        const net = lab.mlp({ ...p.net, seed: 1 });
        try {
          const Yof = (set) => (p.net.loss === 'cross_entropy' ? set.y : column(set.y));
          const before = net.evaluate(test.X, Yof(test));
          const t0 = performance.now();
          const history = net.fit(train.X, Yof(train), { ...p.fit, shuffle: true });
          const ms = performance.now() - t0;
          assert.equal(history.diverged, false, 'training diverged');
          assert.equal(history.loss.length, p.fit.epochs, 'one loss per epoch');
          assert.ok(history.loss.every(Number.isFinite), 'epoch losses are finite');
          assert.ok(history.loss.at(-1) < history.loss[0], `loss did not fall: ${history.loss[0]} -> ${history.loss.at(-1)}`);
          const ev = net.evaluate(test.X, Yof(test));
          assert.ok(ev.loss < before.loss, `test loss did not fall: ${before.loss} -> ${ev.loss}`);
          p.check(ev);
          t.diagnostic(`fit took ${ms.toFixed(0)} ms (its speed is make bench's, not a test's)`);
        } finally {
          net.free();
        }
      });
    }

    it('fit: onEpoch sees every epoch and returning false stops', () => {
      const data = lab.datasets.circle({ n: 100, seed: 3 });
      const net = lab.mlp({ layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 3 });
      try {
        const seen = [];
        const h = net.fit(data.X, column(data.y), {
          epochs: 10, batchSize: 16, lr: 0.05, optimizer: 'sgd',
          onEpoch: (e, loss) => { seen.push([e, loss]); return e < 3; },
        });
        assert.deepEqual(seen.map(([e]) => e), [0, 1, 2, 3], 'stopped after the epoch that returned false');
        assert.deepEqual(h.loss, seen.map(([, l]) => l), 'history.loss holds the same losses');
      } finally {
        net.free();
      }
    });

    it('fit: onEpoch may call evaluate/forward/gradients/datasets without disturbing training', () => {
      const data = lab.datasets.moons({ n: 120, noise: 0.2, seed: 26 });
      const test = lab.datasets.moons({ n: 5000, noise: 0.2, seed: 27 }); // larger than any scratch so far
      const opts = { layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 26 };
      const o = { epochs: 6, batchSize: 16, lr: 0.05, optimizer: 'adam', shuffle: true };
      const quiet = lab.mlp(opts), busy = lab.mlp(opts);
      try {
        const h1 = quiet.fit(data.X, data.y, o);
        const seen = [];
        const h2 = busy.fit(data.X, data.y, {
          ...o,
          onEpoch: (e, loss, net) => {
            seen.push(busy.evaluate(test.X, test.y).accuracy);
            busy.forward(test.X);
            busy.gradients(test.X.subarray(0, 200), test.y.subarray(0, 100));
            lab.datasets.spiral({ n: 3000, seed: e });
            lab.activate('tanh', test.X);
          },
        });
        assert.deepEqual(h2.loss, h1.loss, 'epoch losses changed by work done in onEpoch');
        assert.deepEqual(busy.params(), quiet.params(), 'parameters changed by work done in onEpoch');
        assert.equal(seen.length, 6);
      } finally {
        quiet.free();
        busy.free();
      }
    });

    describe('fit: until', () => {
      let data;
      before(() => { data = lab.datasets.circle({ n: 200, noise: 0.1, seed: 4 }); });
      const opts = { layers: [2, 6, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 4 };
      const o = { epochs: 300, batchSize: 10, lr: 0.03, optimizer: 'adam', shuffle: true };
      // The same network trained for `epochs` epochs without until: what fit saw after that epoch.
      function after(epochs) {
        const net = lab.mlp(opts);
        try {
          const h = net.fit(data.X, data.y, { ...o, epochs });
          return { loss: h.loss.at(-1), accuracy: net.evaluate(data.X, data.y).accuracy, params: net.params() };
        } finally {
          net.free();
        }
      }

      for (const [what, until, met] of [
        ['until.loss', { loss: 0.2 }, (s) => s.loss <= 0.2],
        ['until.accuracy', { accuracy: 0.97 }, (s) => s.accuracy >= 0.97],
        ['both: whichever comes first', { loss: 0.05, accuracy: 0.97 }, (s) => s.loss <= 0.05 || s.accuracy >= 0.97],
      ]) {
        it(`${what}: stops at the end of the first epoch that meets the bound, stopped === 'until'`, () => {
          const net = lab.mlp(opts);
          try {
            const seen = [];
            const h = net.fit(data.X, data.y, { ...o, until, onEpoch: (e) => { seen.push(e); } });
            assert.equal(h.stopped, 'until');
            assert.ok(h.epochs > 1 && h.epochs < o.epochs, `stopped after ${h.epochs} of ${o.epochs} epochs`);
            assert.equal(h.loss.length, h.epochs);
            assert.deepEqual(seen, [...Array(h.epochs).keys()], 'onEpoch saw every epoch, the last one too');
            const now = { loss: h.loss.at(-1), accuracy: net.evaluate(data.X, data.y).accuracy };
            assert.ok(met(now), `${what}: the bound is not met at the end (${JSON.stringify(now)})`);
            const before = after(h.epochs - 1);
            assert.ok(!met(before), `${what}: epoch ${h.epochs - 1} already met the bound (${JSON.stringify(before)})`);
            assert.deepEqual(after(h.epochs).params, net.params(), 'until changed the training itself');
          } finally {
            net.free();
          }
        });
      }

      it('never stops early when no epoch meets the bound: the same bits as without until', () => {
        // overlapping classes: no network gets every point right, nor the loss to 1e-9
        const mixed = lab.datasets.gaussian({ n: 200, noise: 0.5, seed: 4 });
        const a = lab.mlp(opts), b = lab.mlp(opts);
        try {
          const ha = a.fit(mixed.X, mixed.y, { ...o, epochs: 12, until: { loss: 1e-9, accuracy: 1 } });
          const hb = b.fit(mixed.X, mixed.y, { ...o, epochs: 12 });
          assert.equal(ha.stopped, 'epochs');
          assert.equal(ha.epochs, 12);
          assert.deepEqual(ha, hb);
          assert.deepEqual(a.params(), b.params());
          assert.ok(a.evaluate(mixed.X, mixed.y).accuracy < 1, 'the bound was reachable after all');
          assert.equal(a.fit(data.X, data.y, { ...o, epochs: 0, until: { loss: 10 } }).stopped, 'epochs', 'no epoch, no stop');
        } finally {
          a.free();
          b.free();
        }
      });

      it('a bound met at the first epoch stops after one; until.loss on regression; stopped names the reason', () => {
        const net = lab.mlp(opts);
        try {
          const h = net.fit(data.X, data.y, { ...o, until: { loss: 100 } });
          assert.deepEqual([h.stopped, h.epochs], ['until', 1]);
          assert.equal(net.fit(data.X, data.y, { ...o, epochs: 5, onEpoch: (e) => e < 1 }).stopped, 'callback');
          assert.equal(net.fit(data.X, data.y, { ...o, epochs: 2 }).stopped, 'epochs');
          // the bound wins over a callback that also asks to stop
          assert.equal(net.fit(data.X, data.y, { ...o, epochs: 5, until: { loss: 100 }, onEpoch: () => false }).stopped, 'until');
        } finally {
          net.free();
        }
        const reg = lab.mlp({ layers: [1, 8, 1], activation: 'tanh', seed: 2 });
        const sin = lab.datasets.sin({ n: 100, seed: 2 });
        try {
          const h = reg.fit(sin.X, sin.y, { epochs: 500, lr: 0.01, optimizer: 'adam', until: { loss: 0.01 } });
          assert.equal(h.stopped, 'until');
          assert.ok(h.loss.at(-1) <= 0.01 && h.epochs < 500 && (h.epochs === 1 || h.loss.at(-2) > 0.01), `${h.epochs} epochs, ${h.loss.slice(-2)}`);
        } finally {
          reg.free();
        }
      });
    });

    // ---- trajectories against the float64 model ----
    // Same initial params (copied out of the package), same fixed batch, one
    // step at a time; losses agree to 1e-4 relative for 20 steps.
    const trajectories = [
      { name: 'sgd, tanh, bce', optimizer: 'sgd', lr: 0.5, l2: 0,
        net: { layers: [2, 8, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce' } },
      { name: 'adam, tanh, bce', optimizer: 'adam', lr: 0.02, l2: 0,
        net: { layers: [2, 8, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce' } },
      { name: 'momentum, gelu, cross_entropy', optimizer: 'momentum', lr: 0.05, l2: 0,
        net: { layers: [2, 10, 3], activation: 'gelu', output: 'softmax', loss: 'cross_entropy' } },
      { name: 'sgd with l2, sigmoid, mse', optimizer: 'sgd', lr: 0.3, l2: 0.01,
        net: { layers: [3, 6, 2], activation: 'sigmoid', output: 'identity', loss: 'mse' } },
      { name: 'adam with l2, swish, mse on softmax', optimizer: 'adam', lr: 0.01, l2: 0.05,
        net: { layers: [2, 7, 7, 3], activation: 'swish', output: 'softmax', loss: 'mse', beta: 1.3 } },
    ];
    for (const t of trajectories) {
      it(`20 steps match float64: ${t.name}`, () => {
        const net = lab.mlp({ ...t.net, seed: 17 });
        try {
          const r = rng(18);
          if (t.l2 > 0) {
            // Non-zero biases, so that decaying them by mistake would show.
            const p = net.params();
            for (const b of p.b) for (let k = 0; k < b.length; k++) b[k] = 0.5 * r.normal();
            net.setParams(p);
          }
          const ref = new MLP64(t.net).setParams(net.params());
          const n = 24, d = t.net.layers[0], q = t.net.layers.at(-1);
          const X = Float32Array.from({ length: n * d }, () => r.normal());
          let Y;
          if (t.net.loss === 'cross_entropy') Y = Float32Array.from({ length: n }, () => r.int(q));
          else if (t.net.loss === 'bce') Y = Float32Array.from({ length: n * q }, (_, i) => (X[i * d] * X[i * d + 1] > 0 ? 1 : 0));
          else if (t.net.output === 'softmax') { Y = new Float32Array(n * q); for (let i = 0; i < n; i++) Y[i * q + r.int(q)] = 1; }
          else Y = Float32Array.from({ length: n * q }, () => r.normal());
          const got = [], want = [];
          for (let s = 0; s < 20; s++) {
            got.push(net.step(X, Y, { lr: t.lr, optimizer: t.optimizer, l2: t.l2 }));
            want.push(ref.step(X, Y, { lr: t.lr, optimizer: t.optimizer, l2: t.l2 }));
          }
          assert.ok(Math.abs(want[19] - want[0]) > 1e-3 * want[0], `the trajectory barely moves (${want[0]} -> ${want[19]}): not a test`);
          for (let s = 0; s < 20; s++) {
            const rel = Math.abs(got[s] - want[s]) / Math.abs(want[s]);
            assert.ok(rel <= 1e-4, `step ${s}: loss ${got[s]}, float64 ${want[s]} (relative ${rel.toExponential(2)})\n got  ${got.map((v) => v.toPrecision(7)).join(' ')}\n want ${want.map((v) => v.toPrecision(7)).join(' ')}`);
          }
          // And the parameters where the trajectory ends.
          const p = net.params(), p64 = ref.params();
          for (let l = 0; l < p.W.length; l++) {
            for (const [a, b, what] of [[p.W[l], p64.W[l], `W[${l}]`], [p.b[l], p64.b[l], `b[${l}]`]]) {
              for (let k = 0; k < a.length; k++) {
                assert.ok(Math.abs(a[k] - b[k]) <= 1e-4 * Math.max(1, Math.abs(b[k])), `${what}[${k}] after 20 steps: ${a[k]} vs float64 ${b[k]}`);
              }
            }
          }
        } finally {
          net.free();
        }
      });
    }

    it('optimizer state carries over between fit() calls: 2 x 1 epoch = 1 x 2 epochs', () => {
      const data = lab.datasets.moons({ n: 60, noise: 0.2, seed: 25 });
      for (const optimizer of ['momentum', 'adam']) {
        const opts = { layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 25 };
        const a = lab.mlp(opts), b = lab.mlp(opts);
        try {
          const o = { batchSize: 16, lr: 0.05, optimizer, shuffle: true };
          const ha = a.fit(data.X, data.y, { ...o, epochs: 2 });
          const hb = [...b.fit(data.X, data.y, { ...o, epochs: 1 }).loss, ...b.fit(data.X, data.y, { ...o, epochs: 1 }).loss];
          assert.deepEqual(hb, ha.loss, `${optimizer}: epoch losses`);
          assert.deepEqual(b.params(), a.params(), `${optimizer}: parameters`);
        } finally {
          a.free();
          b.free();
        }
      }
    });

    it('Adam\'s step count t counts Adam steps only (SGD steps first do not advance it)', () => {
      const opts = { layers: [2, 5, 1], activation: 'tanh', output: 'identity', loss: 'mse', seed: 8 };
      const net = lab.mlp(opts);
      try {
        const ref = new MLP64(opts).setParams(net.params());
        const r = rng(9);
        const X = Float32Array.from({ length: 20 }, () => r.normal());
        const Y = Float32Array.from({ length: 10 }, () => r.normal());
        for (let s = 0; s < 10; s++) {
          const o = { lr: s < 5 ? 0.1 : 0.01, optimizer: s < 5 ? 'sgd' : 'adam' };
          const got = net.step(X, Y, o), want = ref.step(X, Y, o);
          assert.ok(Math.abs(got - want) <= 1e-4 * want, `step ${s} (${o.optimizer}): ${got} vs float64 ${want}`);
        }
        const p = net.params(), p64 = ref.params();
        for (let k = 0; k < p.W[0].length; k++) {
          assert.ok(Math.abs(p.W[0][k] - p64.W[0][k]) <= 1e-5, `W[0][${k}]: ${p.W[0][k]} vs float64 ${p64.W[0][k]}`);
        }
      } finally {
        net.free();
      }
    });

    it('resetOptimizer() restarts Adam (the first step is lr-sized again)', () => {
      const opts = { layers: [2, 4, 1], activation: 'tanh', output: 'identity', loss: 'mse', seed: 5 };
      const a = lab.mlp(opts);
      try {
        const ref = new MLP64(opts).setParams(a.params());
        const r = rng(6);
        const X = Float32Array.from({ length: 16 }, () => r.normal());
        const Y = Float32Array.from({ length: 8 }, () => r.normal());
        for (let s = 0; s < 5; s++) { a.step(X, Y, { lr: 0.01, optimizer: 'adam' }); ref.step(X, Y, { lr: 0.01, optimizer: 'adam' }); }
        a.resetOptimizer();
        ref.resetOptimizer();
        for (let s = 0; s < 5; s++) {
          const got = a.step(X, Y, { lr: 0.01, optimizer: 'adam' });
          const want = ref.step(X, Y, { lr: 0.01, optimizer: 'adam' });
          assert.ok(Math.abs(got - want) <= 1e-4 * want, `step ${s} after reset: ${got} vs float64 ${want}`);
        }
      } finally {
        a.free();
      }
    });

    it('fit: one epoch without shuffle is the float64 model stepping batch by batch', () => {
      const opts = { layers: [2, 6, 3], activation: 'tanh', output: 'softmax', loss: 'cross_entropy' };
      for (const optimizer of ['sgd', 'momentum', 'adam']) {
        const net = lab.mlp({ ...opts, seed: 21 });
        try {
          const ref = new MLP64(opts).setParams(net.params());
          const r = rng(22);
          const n = 20, bs = 7; // batches of 7, 7 and 6
          const X = Float32Array.from({ length: n * 2 }, () => r.normal());
          const Y = Float32Array.from({ length: n }, () => r.int(3));
          const o = { lr: 0.1, optimizer, l2: 0.01 };
          const h = net.fit(X, Y, { ...o, epochs: 2, batchSize: bs, shuffle: false });
          for (let e = 0; e < 2; e++) {
            let total = 0;
            for (let s = 0; s < n; s += bs) {
              const m = Math.min(bs, n - s);
              total += m * ref.step(X.subarray(2 * s, 2 * (s + m)), Y.subarray(s, s + m), o);
            }
            const want = total / n;
            assert.ok(Math.abs(h.loss[e] - want) <= 1e-4 * want, `${optimizer} epoch ${e}: fit loss ${h.loss[e]}, float64 batch-weighted mean ${want}`);
          }
          const p = net.params(), p64 = ref.params();
          for (let l = 0; l < 2; l++) {
            for (let k = 0; k < p.W[l].length; k++) {
              assert.ok(Math.abs(p.W[l][k] - p64.W[l][k]) <= 1e-5 * Math.max(1, Math.abs(p64.W[l][k])), `${optimizer} W[${l}][${k}]: ${p.W[l][k]} vs ${p64.W[l][k]}`);
            }
          }
        } finally {
          net.free();
        }
      }
    });

    it('fit: batchSize larger than n is one full batch', () => {
      const opts = { layers: [2, 5, 1], activation: 'relu', output: 'identity', loss: 'mse' };
      const net = lab.mlp({ ...opts, seed: 23 });
      try {
        const ref = new MLP64(opts).setParams(net.params());
        const r = rng(24);
        const X = Float32Array.from({ length: 10 * 2 }, () => r.normal());
        const Y = Float32Array.from({ length: 10 }, () => r.normal());
        const h = net.fit(X, Y, { epochs: 3, batchSize: 1000, lr: 0.05, optimizer: 'sgd', shuffle: true });
        for (let e = 0; e < 3; e++) {
          const want = ref.step(X, Y, { lr: 0.05, optimizer: 'sgd' });
          assert.ok(Math.abs(h.loss[e] - want) <= 1e-4 * want, `epoch ${e}: ${h.loss[e]} vs ${want}`);
        }
      } finally {
        net.free();
      }
    });

    describe('divergence', () => {
      const opts = { layers: [2, 4, 1], activation: 'relu', output: 'identity', loss: 'mse', init: 'he', seed: 1 };
      const X = Float32Array.of(1, 2, 3, 4, -1, 2);
      const Y = Float32Array.of(10, 20, 30);
      const finite = (p) => [...p.W, ...p.b].every((a) => a.every(Number.isFinite));

      for (const lr of [1e30, 1e38]) {
        it(`step at lr ${lr}: throws once the loss is not finite, undoes only the step that overshot, never leaves non-finite params`, () => {
          const net = lab.mlp(opts);
          try {
            let threw = null;
            let beforePrev = null;
            for (let s = 0; s < 4 && !threw; s++) {
              const before = net.params();
              try {
                net.step(X, Y, { lr, optimizer: 'sgd' });
                beforePrev = before;
              } catch (e) {
                threw = e;
                assert.ok(e instanceof DivergedError, `threw ${e.name}: ${e.message}`);
                if (e.reason === 'overshot') {
                  assert.deepEqual(net.params(), beforePrev, 'an overshoot must restore the parameters before the step that overshot');
                  assert.equal(e.lr, lr, 'the message blames the rate of the step that overshot');
                } else {
                  assert.equal(e.reason, 'update');
                  assert.deepEqual(net.params(), before, 'a refused step must leave the params as they were');
                }
              }
              assert.ok(finite(net.params()), `after step ${s} at lr ${lr} the network holds non-finite parameters`);
            }
            assert.ok(threw instanceof Error, `lr ${lr}: no step reported divergence`);
            assert.ok(Number.isFinite(net.evaluate(X, Y).loss), 'the kept parameters have an infinite loss');
            net.step(X, Y, { lr: 1e-4 }); // and training goes on at a sane rate
          } finally {
            net.free();
          }
        });

        it(`fit at lr ${lr}: history.diverged, finite params with a finite loss`, () => {
          const net = lab.mlp(opts);
          try {
            const h = net.fit(X, Y, { lr, epochs: 5, batchSize: 3, optimizer: 'sgd' });
            assert.equal(h.diverged, true, 'history.diverged');
            assert.equal(h.stopped, 'diverged');
            assert.ok(h.loss.length < 5, 'stopped early');
            assert.ok(finite(net.params()), `fit at lr ${lr} left non-finite parameters`);
            assert.ok(Number.isFinite(net.evaluate(X, Y).loss), 'fit left parameters with an infinite loss');
            const h2 = net.fit(X, Y, { lr: 1e-4, epochs: 3, batchSize: 3 });
            assert.equal(h2.diverged, false, 'a lower rate does not continue');
          } finally {
            net.free();
          }
        });
      }
    });

    // ---- determinism ----
    it('same seed, same bits after training, twice', () => {
      const data = lab.datasets.spiral({ n: 200, noise: 0.1, seed: 4 });
      const run = () => {
        const net = lab.mlp({ layers: [2, 12, 12, 1], activation: 'relu', output: 'sigmoid', loss: 'bce', init: 'he', seed: 4 });
        try {
          const h = net.fit(data.X, column(data.y), { epochs: 20, batchSize: 16, lr: 0.01, optimizer: 'adam', shuffle: true });
          return { h: h.loss, p: net.params() };
        } finally {
          net.free();
        }
      };
      const a = run(), b = run();
      assert.deepEqual(b.p, a.p, 'parameters differ between two identical runs');
      assert.deepEqual(b.h, a.h, 'epoch losses differ between two identical runs');
      assert.notDeepEqual(a.h[0], a.h.at(-1), 'training did something');
    });

    it('shuffle uses the seed: another seed, another trajectory', () => {
      const data = lab.datasets.circle({ n: 100, noise: 0.1, seed: 4 });
      const opts = { layers: [2, 6, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce' };
      const first = lab.mlp({ ...opts, seed: 4 });
      const p0 = first.params();
      first.free();
      // The same initial params for every run: only the shuffle can differ.
      const run = (seed, shuffle) => {
        const net = lab.mlp({ ...opts, seed });
        try {
          net.setParams(p0);
          return net.fit(data.X, column(data.y), { epochs: 3, batchSize: 10, lr: 0.1, optimizer: 'sgd', shuffle }).loss;
        } finally {
          net.free();
        }
      };
      assert.notDeepEqual(run(5, true), run(6, true), 'two seeds shuffled the same way');
      assert.deepEqual(run(5, false), run(6, false), 'without shuffle the seed must not matter');
    });
  });
}

describe('both builds', () => {
  it('same seed gives the same initial params in the SIMD and scalar builds', async () => {
    const [a, b] = await Promise.all([load({ simd: true }), load({ simd: false })]);
    assert.equal(a.simd, true);
    assert.equal(b.simd, false);
    for (const init of ['xavier', 'he']) {
      for (const seed of [0, 1, 123456789, 0xffffffff]) {
        const opts = { layers: [3, 17, 9, 2], activation: 'relu', output: 'identity', loss: 'mse', init, seed };
        const na = a.mlp(opts), nb = b.mlp(opts);
        try {
          assert.deepEqual(nb.params(), na.params(), `${init}, seed ${seed}`);
        } finally {
          na.free();
          nb.free();
        }
      }
    }
  });

  it('the builds agree on a forward pass and a short training run to 1e-5', async () => {
    const [a, b] = await Promise.all([load({ simd: true }), load({ simd: false })]);
    const data = a.datasets.moons({ n: 100, noise: 0.1, seed: 9 });
    for (const activation of ['relu', 'tanh', 'gelu', 'swish', 'sigmoid']) {
      const opts = { layers: [2, 16, 16, 1], activation, output: 'sigmoid', loss: 'bce', seed: 9 };
      const na = a.mlp(opts), nb = b.mlp(opts);
      try {
        const fa = na.forward(data.X), fb = nb.forward(data.X);
        for (let i = 0; i < fa.length; i++) assert.ok(Math.abs(fa[i] - fb[i]) <= 1e-5, `${activation} forward[${i}]: ${fa[i]} vs ${fb[i]}`);
        const ha = na.fit(data.X, Float32Array.from(data.y), { epochs: 5, batchSize: 20, lr: 0.01, optimizer: 'adam', shuffle: false });
        const hb = nb.fit(data.X, Float32Array.from(data.y), { epochs: 5, batchSize: 20, lr: 0.01, optimizer: 'adam', shuffle: false });
        for (let e = 0; e < 5; e++) {
          assert.ok(Math.abs(ha.loss[e] - hb.loss[e]) <= 1e-5 * Math.max(1, ha.loss[e]), `${activation} epoch ${e}: ${ha.loss[e]} vs ${hb.loss[e]}`);
        }
      } finally {
        na.free();
        nb.free();
      }
    }
  });
});
