// What a careful user of PyTorch or TensorFlow.js expects when training goes
// wrong or changes course: each optimizer keeps its own state (a switch starts
// the new one fresh), a diverged fit leaves a network with a finite loss that
// a lower rate trains on, and every message blames the actual cause.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, DivergedError, OPTIMIZERS } from '../src/mlp-lab.js';

const finite = (p) => [...p.W, ...p.b].every((a) => a.every(Number.isFinite));
const maxMove = (a, b) => Math.max(...a.W.flatMap((w, l) => Array.from(w, (v, i) => Math.abs(v - b.W[l][i]))),
  ...a.b.flatMap((w, l) => Array.from(w, (v, i) => Math.abs(v - b.b[l][i]))));

// The three output/loss pairs of the package and data for each.
function tasks(lab) {
  const circle = lab.datasets.circle({ n: 120, noise: 0.1, seed: 1 });
  const blobs = lab.datasets.blobs({ n: 120, noise: 0.1, seed: 1 });
  const sin = lab.datasets.sin({ n: 120, noise: 0.1, seed: 1 });
  return [
    { name: 'sigmoid/bce', net: { layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce' }, X: circle.X, Y: circle.y },
    { name: 'sigmoid/mse', net: { layers: [2, 8, 1], activation: 'relu', output: 'sigmoid', loss: 'mse' }, X: circle.X, Y: circle.y },
    { name: 'softmax/cross_entropy', net: { layers: [2, 8, 3], activation: 'relu', output: 'softmax', loss: 'cross_entropy' }, X: blobs.X, Y: blobs.y },
    { name: 'softmax/mse', net: { layers: [2, 8, 3], activation: 'tanh', output: 'softmax', loss: 'mse' },
      X: blobs.X, Y: Float32Array.from({ length: 360 }, (_, i) => (blobs.y[Math.floor(i / 3)] === i % 3 ? 1 : 0)) },
    { name: 'identity/mse', net: { layers: [1, 16, 16, 1], activation: 'relu', output: 'identity', loss: 'mse', init: 'he' }, X: sin.X, Y: sin.y },
  ];
}

for (const simd of [true, false]) {
  describe(`optimizer switches and divergence (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    it('switching optimizer starts the new one fresh, in every order, and switching back is the same', () => {
      const cfg = { layers: [2, 6, 1], activation: 'tanh', output: 'sigmoid', seed: 4 };
      const { X, y } = lab.datasets.xor({ n: 64, seed: 2 });
      for (const a of OPTIMIZERS) {
        for (const b of OPTIMIZERS) {
          if (a === b) continue;
          const net = lab.mlp(cfg);
          for (let i = 0; i < 10; i++) net.step(X, y, { lr: 0.2, optimizer: a });
          const fresh = lab.mlp(cfg);
          fresh.setParams(net.params());
          for (let i = 0; i < 3; i++) {
            assert.equal(net.step(X, y, { lr: 0.05, optimizer: b }), fresh.step(X, y, { lr: 0.05, optimizer: b }));
          }
          assert.deepEqual(net.params(), fresh.params(), `${a} then ${b}: ${b} did not start fresh`);
          // back to a: a fresh a again, not the a of before
          fresh.setParams(net.params());
          fresh.resetOptimizer();
          net.step(X, y, { lr: 0.05, optimizer: a });
          fresh.step(X, y, { lr: 0.05, optimizer: a });
          assert.deepEqual(net.params(), fresh.params(), `${a}, ${b}, then ${a}: ${a} did not start fresh`);
          net.free(); fresh.free();
        }
      }
    });

    it('a first adam step after momentum moves each parameter by at most lr (the reported bug: ~77)', () => {
      const net = lab.mlp({ layers: [2, 8, 1], activation: 'relu', output: 'identity', seed: 2 });
      const { X, y } = lab.datasets.circle({ n: 50, seed: 3 });
      for (let i = 0; i < 50; i++) net.step(X, y, { lr: 0.05, optimizer: 'momentum' });
      const before = net.params();
      net.step(X, y, { lr: 0.01, optimizer: 'adam' });
      const moved = maxMove(net.params(), before);
      assert.ok(moved <= 0.01 * (1 + 1e-5), `the first adam step moved a parameter by ${moved}`);
      net.free();
    });

    describe('a diverged fit leaves a network with a finite loss that a lower rate trains on', () => {
      for (const lr of [1e3, 1e6, 1e12, 1e30]) {
        it(`lr ${lr}, every output/loss pair and optimizer`, () => {
          let diverged = 0;
          for (const t of tasks(lab)) {
            for (const optimizer of OPTIMIZERS) {
              const net = lab.mlp({ ...t.net, seed: 5 });
              const h = net.fit(t.X, t.Y, { epochs: 30, batchSize: 10, lr, optimizer });
              const what = `${t.name}, ${optimizer}, lr ${lr}`;
              assert.ok(finite(net.params()), `${what}: non-finite parameters`);
              const loss = net.evaluate(t.X, t.Y).loss;
              assert.ok(Number.isFinite(loss), `${what}: the kept parameters give loss ${loss}`);
              if (h.diverged) {
                diverged++;
                assert.equal(h.stopped, 'diverged');
                assert.equal(net.diverged, true);
                assert.ok(h.error.includes(`learning rate ${lr} `), `${what}: ${h.error}`);
                // a smaller rate continues without an error
                const h2 = net.fit(t.X, t.Y, { epochs: 3, batchSize: 10, lr: 1e-4, optimizer });
                assert.equal(h2.diverged, false, `${what}: lr 1e-4 after divergence: ${h2.error}`);
                assert.equal(net.diverged, false);
                net.step(t.X, t.Y, { lr: 1e-4, optimizer: 'sgd' });
              } else {
                assert.equal(h.stopped, 'epochs');
              }
              net.free();
            }
          }
          if (lr >= 1e6) assert.ok(diverged > 0, `nothing diverged at lr ${lr}: the test proves nothing`);
        });
      }
    });

    it('a step at a sane rate after a blow-up blames the rate that blew up, and then trains', () => {
      const net = lab.mlp({ layers: [1, 16, 1], activation: 'relu', output: 'identity', init: 'he', seed: 1 });
      const { X, y } = lab.datasets.sin({ n: 40, seed: 1 });
      let err = null;
      for (let i = 0; i < 30 && !err; i++) {
        try { net.step(X, y, { lr: 1e12 }); } catch (e) { err = e; }
      }
      assert.ok(err instanceof DivergedError, 'lr 1e12 never diverged');
      if (err.reason === 'update') {
        // refused outright: the next step at a sane rate is fine
        assert.match(err.message, /at learning rate 1000000000000 this update would make the parameters overflow/);
      } else {
        assert.equal(err.reason, 'overshot');
        assert.equal(err.lr, 1e12);
        assert.match(err.message, /the step at learning rate 1000000000000 overshot/);
      }
      assert.ok(Number.isFinite(net.evaluate(X, y).loss));
      const loss = net.step(X, y, { lr: 0.001 });
      assert.ok(Number.isFinite(loss), 'a step at lr 0.001 after the blow-up');
      net.free();
    });

    it('an overshoot is blamed on the rate of the step that made it, not the one that found it', () => {
      // identity layers: a huge step leaves finite parameters whose outputs overflow
      const net = lab.mlp({ layers: [1, 3, 1], activation: 'identity', seed: 3 });
      const X = [1, -1], Y = [1, -1];
      net.step(X, Y, { lr: 1e24 });
      assert.throws(() => net.step(X, Y, { lr: 0.001 }), (e) => e instanceof DivergedError && e.reason === 'overshot' &&
        e.lr === 1e24 && /learning rate 1e\+24 overshot/.test(e.message) && !/0\.001/.test(e.message), 'message');
      assert.equal(net.diverged, true);
      assert.ok(Number.isFinite(net.step(X, Y, { lr: 0.001 })), 'lr 0.001 continues from the restored parameters');
      assert.equal(net.diverged, false);
      net.free();
    });

    it('targets whose square overflows are named as Y, not blamed on a step', () => {
      for (const output of ['identity', 'sigmoid', 'softmax']) {
        const q = output === 'softmax' ? 2 : 1;
        const net = lab.mlp({ layers: [2, 4, q], output, loss: 'mse', seed: 1 });
        const Yhuge = new Float32Array(3 * q).fill(1e30);
        for (const call of [() => net.step(X3, Yhuge), () => net.fit(X3, Yhuge), () => net.gradients(X3, Yhuge), () => net.evaluate(X3, Yhuge)]) {
          assert.throws(call, { name: 'RangeError', message: /^Y: target 1\.0000000150474662e\+30 at index 0 is too large for the squared loss/ });
        }
        net.free();
      }
    });

    it('inputs that overflow a new network blame the inputs, not an earlier step', () => {
      const net = lab.mlp({ layers: [2, 4, 1], activation: 'identity', seed: 1 });
      const X = Float32Array.of(1e30, 1e30, -1e30, 1e30);
      assert.throws(() => net.step(X, [0, 1]), (e) => e instanceof DivergedError && e.reason === 'parameters' && e.lr === null &&
        /before any update \(the largest \|x\| in X is 1\.0000000150474662e\+30\)/.test(e.message) && !/earlier step|overshot/.test(e.message));
      const h = net.fit(X, [0, 1], { epochs: 2 });
      assert.equal(h.diverged, true);
      assert.match(h.error, /before any update/);
      net.free();
    });

    it('accuracy is the exact fraction right, as a double', () => {
      const net = lab.mlp({ layers: [2, 3, 1], activation: 'tanh', output: 'sigmoid', seed: 2 });
      const data = lab.datasets.circle({ n: 20, seed: 4 });
      const { accuracy } = net.evaluate(data.X, data.y);
      const out = net.forward(data.X);
      let right = 0;
      for (let i = 0; i < 20; i++) right += (out[i] >= 0.5) === (data.y[i] >= 0.5);
      assert.equal(accuracy, right / 20, `accuracy ${accuracy} is not ${right}/20`);
      const soft = lab.mlp({ layers: [2, 3, 3], output: 'softmax', seed: 2 });
      const b = lab.datasets.blobs({ n: 30, seed: 4 });
      const a = soft.evaluate(b.X, b.y).accuracy;
      assert.equal(a * 30, Math.round(a * 30));
      assert.equal(a, Math.round(a * 30) / 30, 'softmax accuracy is not k/30 exactly');
      net.free(); soft.free();
    });
  });
}

const X3 = Float32Array.of(0, 1, 1, 0, 0.5, 0.5);
