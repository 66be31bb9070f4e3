// Every options object of the package refuses a key it does not know (a
// RangeError naming the key and, when one is near, the valid key meant), and
// reads its own properties only: a polluted Object.prototype changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { settingsFromObject, DEFAULTS } from '../web/state.js';

const X = Float32Array.of(0.5, -1, 2, 0.25, -0.75, 1.5, 1, 1); // (4, 2)
const Y = Float32Array.of(1, 0, 1, 0);
const NET = { layers: [2, 3, 1], activation: 'tanh', output: 'sigmoid', seed: 3 };

// [what, call with options o, a misspelt key, the key it means]
function cases(lab) {
  const net = lab.mlp(NET);
  const json = net.toJSON();
  return [
    ['lab.mlp', (o) => lab.mlp({ ...NET, ...o }), 'activaton', 'activation'],
    ['lab.mlp', (o) => lab.mlp({ ...NET, ...o }), 'Seed', 'seed'],
    ['net.step', (o) => net.step(X, Y, o), 'learningRate', 'lr'],
    ['net.step', (o) => net.step(X, Y, o), 'optimiser', 'optimizer'],
    ['net.fit', (o) => net.fit(X, Y, o), 'batch_size', 'batchSize'],
    ['net.fit', (o) => net.fit(X, Y, o), 'epoch', 'epochs'],
    ['net.fit', (o) => net.fit(X, Y, o), 'onepoch', 'onEpoch'],
    ['net.fit until', (o) => net.fit(X, Y, { until: o }), 'acc', 'accuracy', 'until.'],
    ['lab.activate', (o) => lab.activate('prelu', [-1], o), 'alfa', 'alpha'],
    ['lab.derivative', (o) => lab.derivative('swish', [-1], o), 'betta', 'beta'],
    ['lab.datasets', (o) => lab.datasets.circle(o), 'noize', 'noise'],
    ['lab.features', (o) => lab.features(X, ['x1sq'], o), 'inptus', 'inputs'],
    ['lab.mlp features', (o) => lab.mlp({ ...NET, layers: [1, 1], ...o }), 'featurs', 'features'],
    ['lab.mlp.fromJSON', (o) => lab.mlp.fromJSON({ ...json, ...o }), 'activaton', 'activation'],
    ['net.setParams', (o) => net.setParams({ ...net.params(), ...o }), 'w', 'W'],
  ];
}

for (const simd of [true, false]) {
  describe(`options (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    it('a misspelt key is a RangeError naming it and the key meant', () => {
      for (const [what, call, bad, good, prefix = ''] of cases(lab)) {
        assert.throws(() => call({ [bad]: 1 }), (e) => e instanceof RangeError &&
          e.message === `${prefix}${bad}: unknown option (did you mean ${good}?)`, `${what}: ${bad}`);
      }
    });

    it('a key like no option lists the valid ones', () => {
      assert.throws(() => lab.mlp({ ...NET, zzz: 1 }), { name: 'RangeError',
        message: 'zzz: unknown option (expected one of layers, activation, output, loss, init, seed, alpha, beta, features, inputs)' });
      assert.throws(() => lab.activate('relu', [1], { 0: 1 }), { name: 'RangeError', message: /^options: unknown option "0"/ });
      assert.throws(() => lab.activate('relu', [1], new Float32Array(1)), { name: 'TypeError', message: /^options: expected an object/ });
    });

    it('load() refuses unknown keys too', async () => {
      await assert.rejects(load({ simd, wsam: 'x' }), { name: 'RangeError', message: 'wsam: unknown option (did you mean wasm?)' });
    });

    describe('a polluted Object.prototype changes nothing', () => {
      const POLLUTION = { lr: 1e6, optimizer: 'adam', l2: 5, epochs: 50, batchSize: 1, shuffle: false, activation: 'relu',
        alpha: 0.9, beta: 9, seed: 77, noise: 1, n: 3, out: new Float32Array(1), onEpoch: () => false,
        until: { loss: 1e9 }, init: 'he', dataset: 'spiral', hidden: '1', format: 'mlp-lab', version: 1,
        features: ['x1'], inputs: 1 };
      let clean;
      before(() => {
        // every call once without pollution
        const net = lab.mlp(NET);
        const other = lab.mlp(NET);
        clean = {
          params: net.params(),
          step: net.step(X, Y, { lr: 0.1 }),
          after: net.params(),
          fit: net.fit(X, Y, { epochs: 3, lr: 0.1 }),
          json: lab.mlp.fromJSON(other.toJSON()).params(),
          act: lab.activate('prelu', [-1, 2]),
          data: lab.datasets.moons({ n: 20, seed: 1 }),
          features: lab.features(X, ['x2', 'sin1']),
          featureNet: lab.mlp({ ...NET, layers: [2, 3, 1], features: ['x2', 'x1x2'] }).forward(X),
          settings: settingsFromObject({ dataset: 'xor' }),
        };
        net.free(); other.free();
        for (const [k, v] of Object.entries(POLLUTION)) Object.defineProperty(Object.prototype, k, { value: v, configurable: true, writable: true });
      });
      after(() => { for (const k of Object.keys(POLLUTION)) delete Object.prototype[k]; });

      it('in mlp, step, fit, fromJSON, activate, datasets, features and the widgets\' settings parser', () => {
        const net = lab.mlp(NET);
        const other = lab.mlp(NET);
        assert.equal(net.config.activation, 'tanh');
        assert.equal(net.config.seed, 3);
        assert.deepEqual(net.params(), clean.params);
        assert.equal(net.step(X, Y, { lr: 0.1 }), clean.step);
        assert.deepEqual(net.params(), clean.after, 'step used an inherited option');
        const h = net.fit(X, Y, { epochs: 3, lr: 0.1 });
        assert.deepEqual(h, clean.fit, 'fit used an inherited option');
        assert.deepEqual(lab.mlp.fromJSON(other.toJSON()).params(), clean.json);
        assert.deepEqual(lab.activate('prelu', [-1, 2]), clean.act);
        assert.deepEqual(lab.datasets.moons({ n: 20, seed: 1 }), clean.data);
        assert.deepEqual(lab.features(X, ['x2', 'sin1'], {}), clean.features, 'lab.features used an inherited inputs');
        assert.deepEqual(lab.mlp({ ...NET, layers: [2, 3, 1], features: ['x2', 'x1x2'] }).forward(X), clean.featureNet);
        assert.ok(!('features' in net.toJSON()) || Object.hasOwn(net.toJSON(), 'features') === false, 'a plain network took inherited features');
        assert.equal(net.inputs, 2);
        assert.deepEqual(settingsFromObject({ dataset: 'xor' }), clean.settings);
        assert.equal(settingsFromObject({}).hidden.join(','), DEFAULTS.hidden.join(','));
        net.free(); other.free();
      });
    });
  });
}
