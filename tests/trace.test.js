// net.trace(x, y): one example forward and its gradient back, number by
// number. Checked against net.gradients on the same row (the same C code,
// bit for bit), against the float64 reference (tests/ref/mlp64.js, with the
// per-layer dz carried back here), and for leaving the network as it was.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { MLP64, actDerivative, rng } from './ref/mlp64.js';

const PAIRS = [['identity', 'mse'], ['sigmoid', 'mse'], ['softmax', 'mse'], ['sigmoid', 'bce'], ['softmax', 'cross_entropy']];
const ACTS = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity'];
const ALPHA = 0.2, BETA = 1.5;

function close(got, want, what, scale = 1) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const tol = 2e-6 * scale + 2e-5 * Math.abs(want[i]);
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: ${got[i]} vs float64 ${want[i]}`);
  }
}

// The float64 trace: z, h per layer from the reference, dz carried back.
function trace64(ref, x, y) {
  const f = ref.forwardAll(Float64Array.from(x));
  const { loss, dz: dzL } = ref.lossAndDelta(f, Float64Array.from(typeof y === 'number' ? [y] : y));
  const L = ref.L;
  const dz = new Array(L);
  dz[L - 1] = dzL;
  for (let l = L - 2; l >= 0; l--) {
    const w = ref.sizes[l + 1], next = ref.sizes[l + 2], W = ref.W[l + 1];
    dz[l] = new Float64Array(w);
    for (let k = 0; k < w; k++) {
      let s = 0;
      for (let j = 0; j < next; j++) s += dz[l + 1][j] * W[k * next + j];
      dz[l][k] = s * actDerivative(ref.activation, f.Z[l][k], ref.alpha, ref.beta);
    }
  }
  const h = [...f.H.slice(1), f.O];
  const dW = dz.map((d, l) => {
    const inp = f.H[l], out = new Float64Array(inp.length * d.length);
    for (let k = 0; k < inp.length; k++) for (let j = 0; j < d.length; j++) out[k * d.length + j] = inp[k] * d[j];
    return out;
  });
  return { loss, z: f.Z, h, dz, dW };
}

for (const simd of [true, false]) {
  describe(`net.trace (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    it('equals gradients on that one row, and float64, for every activation and output/loss pair', () => {
      const r = rng(17);
      let checked = 0;
      for (const activation of ACTS) {
        for (const [output, loss] of PAIRS) {
          const q = output === 'softmax' ? 3 : output === 'sigmoid' ? 2 : 1;
          const cfg = { layers: [2, 5, 4, q], activation, output, loss, alpha: ALPHA, beta: BETA, seed: 9 };
          const net = lab.mlp(cfg);
          const x = [r.normal(), r.normal()];
          const y = loss === 'cross_entropy' ? 2 : Array.from({ length: q }, () => (loss === 'bce' ? (r() < 0.5 ? 0 : 1) : r.normal()));
          const t = net.trace(x, y);
          const g = net.gradients([x], typeof y === 'number' ? [y] : y);
          const what = `${activation} ${output}/${loss}`;
          assert.equal(t.loss, g.loss, `${what}: loss`);
          assert.deepEqual(t.dW, g.dW, `${what}: dW is not gradients' dW`);
          assert.deepEqual(t.db, g.db, `${what}: db is not gradients' db`);
          t.db.forEach((db, l) => assert.ok(db.every((v, i) => v === t.dz[l][i]), `${what}: db[${l}] = dz[${l}] (up to the sign of zero)`));
          assert.deepEqual(t.input, Float32Array.from(x));
          assert.deepEqual(t.h.at(-1), net.forward([x]), `${what}: h[L-1] is the prediction`);
          const hid = net.hidden([x]);
          t.h.slice(0, -1).forEach((h, l) => assert.deepEqual(h, hid[l], `${what}: h[${l}]`));
          const ref = new MLP64(cfg);
          ref.setParams(net.params());
          const w = trace64(ref, x, y);
          assert.ok(Math.abs(t.loss - w.loss) <= 1e-6 + 1e-5 * Math.abs(w.loss), `${what}: loss ${t.loss} vs ${w.loss}`);
          for (let l = 0; l < ref.L; l++) {
            close(t.z[l], w.z[l], `${what}: z[${l}]`);
            close(t.h[l], w.h[l], `${what}: h[${l}]`);
            close(t.dz[l], w.dz[l], `${what}: dz[${l}]`);
            close(t.dW[l], w.dW[l], `${what}: dW[${l}]`);
          }
          net.free();
          checked++;
        }
      }
      assert.equal(checked, ACTS.length * PAIRS.length);
    });

    it('leaves parameters, gradients and optimizer state as they were', () => {
      const cfg = { layers: [2, 6, 1], activation: 'tanh', output: 'sigmoid', seed: 2 };
      const a = lab.mlp(cfg), b = lab.mlp(cfg);
      const { X, y } = lab.datasets.moons({ n: 40, seed: 1 });
      for (const n of [a, b]) for (let i = 0; i < 3; i++) n.step(X, y, { lr: 0.05, optimizer: 'adam' });
      const grads = a.gradNorms();
      const p = a.params();
      a.trace([0.3, -0.2], 1);
      assert.deepEqual(a.params(), p);
      assert.deepEqual(a.gradNorms(), grads, 'trace wrote the gradients block');
      // the same Adam state: the next steps agree bit for bit
      for (let i = 0; i < 3; i++) assert.equal(a.step(X, y, { lr: 0.05, optimizer: 'adam' }), b.step(X, y, { lr: 0.05, optimizer: 'adam' }));
      assert.deepEqual(a.params(), b.params());
      a.free(); b.free();
    });

    it('a features network traces the expanded input', () => {
      const net = lab.mlp({ layers: [3, 4, 1], features: ['x1sq', 'x2sq', 'x1x2'], output: 'sigmoid', seed: 5 });
      const t = net.trace([0.5, -2], 0);
      assert.deepEqual(t.input, Float32Array.of(0.25, 4, -1));
      assert.equal(t.dW[0].length, 3 * 4);
      assert.deepEqual(t.dW, net.gradients([[0.5, -2]], [0]).dW);
      net.free();
    });

    it('an SGD step on the example alone moves W by lr dW and lowers its loss', () => {
      const net = lab.mlp({ layers: [2, 4, 1], activation: 'tanh', output: 'sigmoid', seed: 3 });
      const t = net.trace([1, -1], 1);
      const p = net.params();
      net.step([[1, -1]], [1], { lr: 0.1 });
      const q = net.params();
      q.W.forEach((w, l) => w.forEach((v, i) => assert.ok(Math.abs(v - (p.W[l][i] - 0.1 * t.dW[l][i])) <= 1e-7)));
      assert.ok(net.trace([1, -1], 1).loss < t.loss);
      net.free();
    });

    it('bad input names x or y', () => {
      const net = lab.mlp({ layers: [2, 3, 3], output: 'softmax', seed: 1 });
      const reg = lab.mlp({ layers: [2, 3, 2], seed: 1 });
      for (const [call, re] of [
        [() => net.trace([1], 0), /^x: expected one input row of 2 values, got 1/],
        [() => net.trace([1, NaN], 0), /^x: element 1 is NaN/],
        [() => net.trace('ab', 0), /^x: expected a Float32Array/],
        [() => net.trace([1, 2], 3), /^y: expected a class index, an integer from 0 to 2, got 3/],
        [() => net.trace([1, 2], 0.5), /^y: expected a class index/],
        [() => net.trace([1, 2], [0, 1]), /^y: expected a class index.*got 2 values/],
        [() => reg.trace([1, 2], [1]), /^y: expected 2 target values, got 1/],
        [() => reg.trace([1, 2], [1, Infinity]), /^y: element 1 is Infinity/],
        [() => reg.trace([1, 2], [1, 1e30]), /^y: target 1\.0000000150474662e\+30 at index 1 is too large/],
      ]) assert.throws(call, (e) => (e instanceof RangeError || e instanceof TypeError) && re.test(e.message), String(re));
      net.free();
      assert.throws(() => net.trace([1, 2], 0), /freed/);
      reg.free();
    });
  });
}
