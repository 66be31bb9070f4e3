// WebAssembly memory: create/free cycles do not leak (memory.buffer stops
// growing), failed calls do not leak, and after memory grows for a large
// batch, small calls still give the right answers (views are rebuilt).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { MLP64, rng } from './ref/mlp64.js';

function bytes(lab) {
  assert.ok(lab.memory instanceof WebAssembly.Memory, 'lab.memory is the module\'s WebAssembly.Memory');
  return lab.memory.buffer.byteLength;
}

// Runs `cycles` iterations of body; returns byteLength after `warm` of them
// and at the end. A leak of even 1 KiB per cycle shows over 10,000 cycles
// (10 MiB, 160 pages).
function measure(lab, cycles, warm, body) {
  let atWarm = 0;
  for (let i = 0; i < cycles; i++) {
    body(i);
    if (i === warm - 1) atWarm = bytes(lab);
  }
  return { atWarm, atEnd: bytes(lab) };
}

function assertClose(got, want, rel, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= rel * Math.max(1, Math.abs(want[i])), `${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

for (const simd of [true, false]) {
  describe(`memory (simd: ${simd})`, () => {
    let lab;
    before(async () => {
      lab = await load({ simd });
    });

    it('10,000 create / forward / step / free cycles: memory stops growing', () => {
      const r = rng(1);
      const X = Float32Array.from({ length: 16 * 2 }, () => r.normal());
      const Y = Float32Array.from({ length: 16 }, () => (r() < 0.5 ? 0 : 1));
      const start = bytes(lab);
      let losses = 0;
      const { atWarm, atEnd } = measure(lab, 10000, 300, (i) => {
        const net = lab.mlp({ layers: [2, 32, 32, 1], activation: 'relu', output: 'sigmoid', loss: 'bce', seed: i });
        net.forward(X);
        losses += net.step(X, Y, { lr: 0.1, optimizer: 'adam' });
        net.free();
      });
      assert.ok(Number.isFinite(losses));
      assert.equal(atEnd, atWarm, `memory grew from ${atWarm} to ${atEnd} bytes between cycle 300 and 10,000 (started at ${start})`);
    });

    it('fit, evaluate, hidden, toJSON/fromJSON and datasets cycles: memory stops growing', () => {
      const data = lab.datasets.circle({ n: 64, noise: 0.1, seed: 2 });
      const y = Float32Array.from(data.y);
      const { atWarm, atEnd } = measure(lab, 2000, 200, (i) => {
        const net = lab.mlp({ layers: [2, 16, 16, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: i });
        net.fit(data.X, y, { epochs: 1, batchSize: 16, lr: 0.05, optimizer: 'momentum' });
        net.evaluate(data.X, y);
        net.hidden(data.X);
        net.gradients(data.X, y);
        const copy = lab.mlp.fromJSON(JSON.parse(JSON.stringify(net)));
        copy.forward(data.X);
        copy.free();
        net.free();
        lab.datasets[lab.datasets.names[i % lab.datasets.names.length]]({ n: 100, seed: i });
        lab.activate('gelu', data.X);
      });
      assert.equal(atEnd, atWarm, `memory grew from ${atWarm} to ${atEnd} bytes between cycle 200 and 2,000`);
    });

    it('failed calls do not leak', () => {
      const X = Float32Array.of(1, 2, 3, 4);
      const { atWarm, atEnd } = measure(lab, 5000, 200, (i) => {
        assert.throws(() => lab.mlp({ layers: [2, 8, 3], output: 'softmax', loss: 'bce' }));
        assert.throws(() => lab.mlp({ layers: [2, 300, 3] }));
        const net = lab.mlp({ layers: [2, 8, 3], activation: 'relu', output: 'softmax', loss: 'cross_entropy', seed: i });
        assert.throws(() => net.step(X, Float32Array.of(0, 7), { lr: 0.1 }));
        assert.throws(() => net.fit(X, Float32Array.of(0.5, 1), { lr: 0.1 }));
        assert.throws(() => net.gradients(X.subarray(1), Float32Array.of(0, 1)));
        assert.throws(() => lab.mlp.fromJSON({ ...net.toJSON(), W: [[1], [2]] }));
        net.free();
      });
      assert.equal(atEnd, atWarm, `memory grew from ${atWarm} to ${atEnd} bytes between cycle 200 and 5,000`);
    });

    it('a large forward, then small calls keep working', async () => {
      // A fresh instance, so that the large batch must grow its memory.
      const lab = await load({ simd });
      const opts = { layers: [2, 32, 32, 3], activation: 'gelu', output: 'softmax', loss: 'cross_entropy' };
      const net = lab.mlp({ ...opts, seed: 3 });
      try {
        const ref = new MLP64(opts).setParams(net.params());
        const p0 = net.params();
        const r = rng(4);
        const small = Float32Array.from({ length: 5 * 2 }, () => r.normal());
        const want = ref.forward(small);
        assertClose(net.forward(small), want, 1e-5, 'small forward before');

        const before = bytes(lab);
        const n = 100000; // 800 KB in, 1.2 MB out: more than the initial memory
        const big = new Float32Array(n * 2);
        for (let i = 0; i < big.length; i++) big[i] = r.normal();
        big.set(small, (n - 5) * 2); // the last rows are the small batch
        const out = net.forward(big);
        assert.equal(out.length, n * 3);
        assertClose(out.subarray((n - 5) * 3), want, 1e-5, 'last rows of the large forward');
        assertClose(out.subarray(0, 30), ref.forward(big.subarray(0, 20)), 1e-5, 'first rows of the large forward');

        // Large gradients (the whole batch at once), then small again.
        const Ybig = Float32Array.from({ length: 20000 }, () => r.int(3));
        const g = net.gradients(big.subarray(0, 40000), Ybig);
        assert.ok(Number.isFinite(g.loss), 'large-batch loss finite');
        const grown = bytes(lab);
        assert.ok(grown > before, `memory did not grow (${before} bytes): the test did not exercise growth`);

        assert.deepEqual(net.params(), p0, 'params survive memory growth');
        assertClose(net.forward(small), want, 1e-5, 'small forward after growth');
        const Ys = Float32Array.of(0, 1, 2, 1, 0);
        const gs = net.gradients(small, Ys);
        const g64 = ref.gradients(small, Ys);
        assert.ok(Math.abs(gs.loss - g64.loss) <= 1e-5 * g64.loss, `small loss after growth: ${gs.loss} vs ${g64.loss}`);
        for (let l = 0; l < 3; l++) assertClose(gs.dW[l], g64.dW[l], 1e-4, `small dW[${l}] after growth`);

        // A second network made after the growth works too.
        const other = lab.mlp({ ...opts, seed: 5 });
        try {
          const ref2 = new MLP64(opts).setParams(other.params());
          assertClose(other.forward(small), ref2.forward(small), 1e-5, 'a new network after growth');
        } finally {
          other.free();
        }

        // Repeating large-then-small does not keep growing memory.
        const { atWarm, atEnd } = measure(lab, 5, 2, () => {
          net.gradients(big.subarray(0, 40000), Ybig);
          net.forward(big.subarray(0, 40000));
          net.forward(small);
        });
        assert.equal(atEnd, atWarm, `repeated large batches grew memory from ${atWarm} to ${atEnd}`);
      } finally {
        net.free();
      }
    });

    it('the largest network (6 hidden layers of 256): create, step, free, memory stops growing', () => {
      const layers = [256, 256, 256, 256, 256, 256, 256, 256];
      const r = rng(8);
      const X = Float32Array.from({ length: 64 * 256 }, () => r.normal());
      const Y = Float32Array.from({ length: 64 * 256 }, () => r.normal());
      const { atWarm, atEnd } = measure(lab, 12, 3, (i) => {
        const net = lab.mlp({ layers, activation: 'relu', output: 'identity', loss: 'mse', init: 'he', seed: i });
        try {
          assert.ok(Number.isFinite(net.step(X, Y, { lr: 1e-4, optimizer: 'adam' })));
          assert.equal(net.forward(X).length, 64 * 256);
        } finally {
          net.free();
        }
      });
      assert.equal(atEnd, atWarm, `memory grew from ${atWarm} to ${atEnd} bytes`);
    });

    it('two networks on one module do not share state', () => {
      const opts = { layers: [2, 8, 2], activation: 'tanh', output: 'identity', loss: 'mse' };
      const a = lab.mlp({ ...opts, seed: 6 });
      const b = lab.mlp({ ...opts, seed: 6 });
      try {
        const r = rng(7);
        const X = Float32Array.from({ length: 20 }, () => r.normal());
        const Y = Float32Array.from({ length: 20 }, () => r.normal());
        const ref = new MLP64(opts).setParams(a.params());
        for (let s = 0; s < 10; s++) {
          const la = a.step(X, Y, { lr: 0.01, optimizer: 'adam' });
          b.forward(Float32Array.from({ length: 200 }, () => r.normal())); // interleaved work on b
          b.step(X, Y, { lr: 0.5, optimizer: 'momentum' });
          const want = ref.step(X, Y, { lr: 0.01, optimizer: 'adam' });
          assert.ok(Math.abs(la - want) <= 1e-4 * want, `step ${s}: a's loss ${la} vs float64 ${want}`);
        }
      } finally {
        a.free();
        b.free();
      }
    });
  });
}
