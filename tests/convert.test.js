// net.convert() (exercise 5.2; src/convert.c) for both builds: a sigmoid
// network converted to tanh, and a tanh network to sigmoid, computes the same
// function for every output/loss pair, on random and trained networks of 0 to
// 6 hidden layers; the parameters follow sigmoid(z) = (1 + tanh(z/2)) / 2
// exactly as worked out in float64 here.
//
// The bound |difference| <= 1e-5 + 1e-4 |output| (README) is checked on the
// float32 outputs of nets with moderate weights (default init, N(0, 1)
// weights, trained), and on the float64 evaluation (tests/ref/mlp64.js) of
// every net's two parameter sets, which isolates the conversion (its one
// rounding: the new biases to float32). Deep nets with N(0, 2.5^2) weights
// amplify float32 rounding in both networks past the bound (measured up to
// 4e-4 from float64 for either alone); there the two float32 outputs must
// differ by no more than the bound plus twice their own float32 errors.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { rng } from './ref/rng.js';
import { MLP64 } from './ref/mlp64.js';

const PAIRS = [['identity', 'mse', 2], ['sigmoid', 'mse', 2], ['softmax', 'mse', 3], ['sigmoid', 'bce', 2], ['softmax', 'cross_entropy', 3]];
const OTHER = { sigmoid: 'tanh', tanh: 'sigmoid' };

function maxExcess(a, b) { // the largest |a - b| / (1e-5 + 1e-4 |a|), and the largest |a - b|
  let worst = 0, diff = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    diff = Math.max(diff, d);
    worst = Math.max(worst, d / (1e-5 + 1e-4 * Math.abs(a[i])));
  }
  return { worst, diff };
}

// The converted parameters, from the identity h_old = p h_new + r, z_new = s z_old, in float64.
function expected(params, from) {
  const [p, r, s] = from === 'sigmoid' ? [0.5, 0.5, 0.5] : [2, -1, 2];
  const L = params.W.length;
  return {
    W: params.W.map((W, l) => W.map((w) => (l < L - 1 ? s : 1) * (l > 0 ? p : 1) * w)),
    b: params.b.map((b, l) => b.map((v, j) => {
      const fanOut = b.length, fanIn = params.W[l].length / fanOut;
      let col = 0;
      for (let k = 0; k < fanIn; k++) col += params.W[l][k * fanOut + j];
      return (l < L - 1 ? s : 1) * (v + (l > 0 ? r : 0) * col);
    })),
  };
}

let worstSeen = 0, diffSeen = 0;

for (const simd of [true, false]) {
  describe(`convert (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    for (const from of ['sigmoid', 'tanh']) {
      for (const [output, loss, q] of PAIRS) {
        it(`${from} -> ${OTHER[from]}, ${output}/${loss}: random nets of 0-6 hidden layers and trained ones`, () => {
          const r = rng(from.length * 31 + output.length * 7 + loss.length);
          const nets = []; // [net, moderate weights]
          try {
            for (let hidden = 0; hidden <= 6; hidden++) {
              for (const sd of [0, 1, 2.5]) { // 0: as initialised (xavier)
                const layers = [2, ...Array.from({ length: hidden }, () => r.between(1, 12)), q];
                const net = lab.mlp({ layers, activation: from, output, loss, seed: r.int(1000) });
                nets.push([net, sd < 2]);
                if (sd === 0) continue;
                const p = net.params();
                for (const a of [...p.W, ...p.b]) for (let k = 0; k < a.length; k++) a[k] = sd * r.normal();
                net.setParams(p);
              }
            }
            // trained on xor, one and three hidden layers: the weights a student would convert
            const data = lab.datasets.xor({ n: 200, noise: 0.1, seed: 3 });
            const Y = loss === 'cross_entropy' ? data.y
              : Float32Array.from({ length: 200 * q }, (_, i) => (i % q === data.y[Math.floor(i / q)] ? 1 : 0));
            for (const layers of [[2, 8, q], [2, 8, 8, 8, q]]) {
              const trained = lab.mlp({ layers, activation: from, output, loss, seed: 4 });
              nets.push([trained, true]);
              const h = trained.fit(data.X, Y, { epochs: 60, lr: 0.05, optimizer: 'adam' });
              assert.ok(h.loss.at(-1) < h.loss[0], 'training did something');
            }
            const X = Float32Array.from({ length: 2 * 200 }, () => r.uniform(-8, 8));
            for (const [net, moderate] of nets) {
              const conv = net.convert(OTHER[from]);
              const what = `[${net.layers}]${moderate ? '' : ' N(0, 2.5^2)'}`;
              try {
                assert.equal(conv.config.activation, OTHER[from]);
                for (const key of ['layers', 'output', 'loss', 'init', 'seed', 'alpha', 'beta']) {
                  assert.deepEqual(conv.config[key], net.config[key], `config.${key}`);
                }
                const want = expected(net.params(), from), got = conv.params();
                got.W.forEach((w, l) => w.forEach((v, i) => assert.equal(v, Math.fround(want.W[l][i]), `${what} W[${l}][${i}]`)));
                got.b.forEach((b, l) => b.forEach((v, j) => assert.equal(v, Math.fround(want.b[l][j]), `${what} b[${l}][${j}]`)));
                const a = net.forward(X), b = conv.forward(X);
                const ref = (m) => { const f = new MLP64({ ...m.config }); f.setParams(m.params()); return f.forward(X); };
                const a64 = ref(net), b64 = ref(conv);
                const e64 = maxExcess(a64, b64);
                assert.ok(e64.worst <= 1, `${what}: float64 outputs differ by ${e64.diff} (${e64.worst.toFixed(2)} x the bound)`);
                const e32 = maxExcess(a, b);
                if (moderate) {
                  worstSeen = Math.max(worstSeen, e32.worst);
                  diffSeen = Math.max(diffSeen, e32.diff);
                  assert.ok(e32.worst <= 1, `${what}: |difference| ${e32.diff} passes 1e-5 + 1e-4 |output| (${e32.worst.toFixed(2)} x the bound)`);
                } else {
                  for (let i = 0; i < a.length; i++) {
                    const own = Math.abs(a[i] - a64[i]) + Math.abs(b[i] - b64[i]);
                    assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 + 1e-4 * Math.abs(a[i]) + 2 * own,
                      `${what}: output ${i}: ${a[i]} vs ${b[i]}, float32 errors ${own}`);
                  }
                }
                // and back again: the original weights exactly, biases to float32 rounding
                const back = conv.convert(from);
                try {
                  assert.deepEqual(back.params().W, net.params().W, 'W after converting there and back');
                  assert.ok(maxExcess(ref(net), ref(back)).worst <= 1, 'outputs after converting there and back');
                } finally { back.free(); }
              } finally { conv.free(); }
            }
          } finally { for (const [n] of nets) n.free(); }
        });
      }
    }

    it('the new network is independent: it trains, and outlives the original', () => {
      const net = lab.mlp({ layers: [2, 4, 1], activation: 'sigmoid', output: 'sigmoid', loss: 'bce', seed: 2 });
      const conv = net.convert('tanh');
      const X = Float32Array.of(0.5, -1, 2, 0.25), Y = Float32Array.of(1, 0);
      const before = net.params();
      conv.step(X, Y, { lr: 0.5 });
      assert.deepEqual(net.params(), before, 'training the converted network changed the original');
      net.free();
      assert.equal(conv.forward(X).length, 2);
      assert.equal(conv.diverged, false);
      conv.free();
    });

    it('any other pair of activations is refused naming activation', () => {
      const nets = Object.fromEntries(lab.activations.map((a) => [a, lab.mlp({ layers: [2, 3, 1], activation: a })]));
      try {
        for (const [a, net] of Object.entries(nets)) {
          for (const to of lab.activations) {
            if (OTHER[a] === to) continue;
            assert.throws(() => net.convert(to), (e) => e instanceof RangeError && /^activation: convert\(\)/.test(e.message), `${a} -> ${to}`);
          }
        }
        assert.throws(() => nets.sigmoid.convert('tahn'), (e) => e instanceof RangeError && /^activation: unknown value "tahn"/.test(e.message));
        assert.throws(() => nets.sigmoid.convert(), (e) => e instanceof TypeError && /^activation:/.test(e.message));
        assert.throws(() => nets.sigmoid.convert(1), (e) => e instanceof TypeError && /^activation:/.test(e.message));
        assert.throws(() => nets.sigmoid.convert('sigmoid'), /ask for 'tanh'/);
      } finally {
        for (const net of Object.values(nets)) net.free();
      }
      // tanh -> sigmoid doubles the output layer's weights: 2e38 does not fit float32
      const big = lab.mlp({ layers: [2, 3, 1], activation: 'tanh' });
      const p = big.params();
      p.W[1][0] = 2e38;
      big.setParams(p);
      assert.throws(() => big.convert('sigmoid'), (e) => e instanceof RangeError && /^activation: .*overflow float32/.test(e.message));
      big.free();
      const freed = lab.mlp({ layers: [2, 3, 1], activation: 'sigmoid' });
      freed.free();
      assert.throws(() => freed.convert('tanh'), /freed/);
    });
  });
}

describe('convert: the largest difference seen', () => {
  it('is reported', () => {
    assert.ok(worstSeen > 0, 'no difference measured');
    console.log(`# convert: max |output difference| ${diffSeen.toExponential(2)}, ${worstSeen.toFixed(3)} of the bound 1e-5 + 1e-4 |output| (moderate weights)`);
  });
});
