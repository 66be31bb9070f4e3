// Bad input: each case throws a TypeError or RangeError whose message names
// the parameter, leaves the network it was called on as it was, and the
// module keeps working (a following valid call gives the expected answer).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';

const BASE = { layers: [2, 5, 3], activation: 'tanh', output: 'softmax', loss: 'cross_entropy', seed: 8 };
const X = Float32Array.of(0.5, -1, 2, 0.25, -0.75, 1.5); // (3, 2)
const Y = Float32Array.of(0, 2, 1);

// README: a TypeError for a wrong type, a RangeError for a wrong value, and
// the message starts with the parameter's name. type: the class expected, or
// null for either; anchored: whether the name must open the message.
function expectError(fn, re, what, type = null, anchored = true) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== null, `${what}: did not throw`);
  const name = thrown && thrown.constructor && thrown.constructor.name;
  assert.ok(thrown instanceof TypeError || thrown instanceof RangeError,
    `${what}: threw ${name} (${thrown && thrown.message}), not a TypeError or RangeError`);
  if (type) assert.ok(thrown instanceof type, `${what}: threw a ${name} (${thrown.message}), expected a ${type.name}`);
  const pattern = anchored ? new RegExp(`^(?:${re.source})`) : re;
  assert.match(thrown.message, pattern, `${what}: message ${JSON.stringify(thrown.message)} does not ${anchored ? 'start with' : 'name'} the parameter`);
}

for (const simd of [true, false]) {
  describe(`bad input (simd: ${simd})`, () => {
    let lab, victim, p0, out0, fresh0;
    before(async () => {
      lab = await load({ simd });
      victim = lab.mlp(BASE);
      p0 = victim.params();
      out0 = victim.forward(X);
      const f = lab.mlp(BASE);
      fresh0 = f.gradients(X, Y);
      f.free();
    });

    // After every bad call: the network it hit is unchanged and the module works.
    function stillWorks(what) {
      assert.deepEqual(victim.params(), p0, `${what}: changed the network's parameters`);
      assert.deepEqual(victim.forward(X), out0, `${what}: the network's forward changed`);
      const f = lab.mlp(BASE);
      try {
        const g = f.gradients(X, Y);
        assert.equal(g.loss, fresh0.loss, `${what}: a new network's loss changed`);
        assert.deepEqual(g.dW, fresh0.dW, `${what}: a new network's gradients changed`);
      } finally {
        f.free();
      }
    }

    function check(what, fn, re, type = RangeError, anchored = true) {
      expectError(fn, re, what, type, anchored);
      stillWorks(what);
    }

    describe('names', () => {
      const cases = [
        ['activation', { activation: 'softplus' }, /activation/, RangeError],
        ['activation', { activation: 'RELU' }, /activation/, RangeError],
        ['activation', { activation: 3 }, /activation/, TypeError],
        ['output', { output: 'linear', loss: 'mse' }, /output/, RangeError],
        ['output', { output: null, loss: 'mse' }, /output/, TypeError],
        ['loss', { output: 'softmax', loss: 'hinge' }, /loss/, RangeError],
        ['loss', { output: 'softmax', loss: 2 }, /loss/, TypeError],
        ['init', { init: 'glorot' }, /init/, RangeError],
        ['init', { init: 0 }, /init/, TypeError],
        ['alpha', { activation: 'prelu', alpha: NaN }, /alpha/, RangeError],
        ['alpha', { activation: 'prelu', alpha: '0.1' }, /alpha/, TypeError],
        ['beta', { activation: 'swish', beta: Infinity }, /beta/, RangeError],
        ['seed', { seed: -1 }, /seed/, RangeError],
        ['seed', { seed: 1.5 }, /seed/, RangeError],
        ['seed', { seed: 2 ** 32 }, /seed/, RangeError],
        ['seed', { seed: '1' }, /seed/, TypeError],
      ];
      for (const [param, opts, re, type] of cases) {
        it(`${param}: ${JSON.stringify(opts)}`, () => check(`lab.mlp(${JSON.stringify(opts)})`, () => lab.mlp({ ...BASE, ...opts }), re, type));
      }
      for (const optimizer of ['rmsprop', 'SGD', 1]) {
        it(`optimizer: ${JSON.stringify(optimizer)}`, () => {
          const type = typeof optimizer === 'string' ? RangeError : TypeError;
          check(`step optimizer ${optimizer}`, () => victim.step(X, Y, { lr: 0.1, optimizer }), /optimizer/, type);
          check(`fit optimizer ${optimizer}`, () => victim.fit(X, Y, { lr: 0.1, optimizer }), /optimizer/, type);
        });
      }
    });

    describe('layers', () => {
      const cases = [
        ['zero layers (empty array)', [], /layers/],
        ['one entry', [2], /layers/],
        ['not an array', 3, /layers/, TypeError],
        ['missing', undefined, /layers/, TypeError],
        ['width 0', [2, 0, 3], /layers/],
        ['input width 0', [0, 4, 3], /layers/],
        ['width 257', [2, 257, 3], /layers/],
        ['output width 257', [2, 4, 257], /layers/],
        ['width 1.5', [2, 1.5, 3], /layers/],
        ['width NaN', [2, NaN, 3], /layers/],
        ['width -1', [2, -1, 3], /layers/],
        ['width "4"', [2, '4', 3], /layers/, TypeError],
        ['7 hidden layers', [2, 4, 4, 4, 4, 4, 4, 4, 3], /layers|hidden/],
      ];
      for (const [what, layers, re, type = RangeError] of cases) {
        it(what, () => check(`layers ${what}`, () => lab.mlp({ ...BASE, layers }), re, type));
      }
      it('6 hidden layers and width 256 are allowed', () => {
        const a = lab.mlp({ ...BASE, layers: [2, 4, 4, 4, 4, 4, 4, 3] });
        const b = lab.mlp({ ...BASE, layers: [256, 256, 256] });
        try {
          assert.equal(a.forward(X).length, 9);
          assert.equal(b.forward(new Float32Array(256)).length, 256);
        } finally {
          a.free();
          b.free();
        }
      });
      it('options not an object', () => check('lab.mlp(42)', () => lab.mlp(42), /options/, TypeError));
    });

    describe('features', () => {
      const F = { ...BASE, layers: [3, 5, 3] };
      const cases = [
        ['not an array', { features: 'x1,x2' }, /features: /, TypeError],
        ['empty', { features: [] }, /features: /, RangeError],
        ['null', { features: null }, /features: /, TypeError],
        ['an unknown name', { features: ['x1', 'x2', 'x3'] }, /features\[2\]: /, RangeError],
        ['a misspelt name', { features: ['x1', 'x2', 'x1²'] }, /features\[2\]: .*did you mean x1sq/, RangeError],
        ['not a string', { features: ['x1', 2, 'x2'] }, /features\[1\]: /, TypeError],
        ['a duplicate', { features: ['x1', 'sin1', 'x1'] }, /features\[2\]: /, RangeError],
        ['x2 on 1-D data', { features: ['x1', 'sin1', 'sin2'], inputs: 1 }, /features\[2\]: /, RangeError],
        ['inputs 3', { features: ['x1', 'x2', 'sin1'], inputs: 3 }, /inputs: /, RangeError],
        ['inputs 0', { features: ['x1', 'x2', 'sin1'], inputs: 0 }, /inputs: /, RangeError],
        ['inputs "1"', { features: ['x1', 'x2', 'sin1'], inputs: '1' }, /inputs: /, TypeError],
        ['layers[0] != features.length', { features: ['x1', 'x2'] }, /layers\[0\]: /, RangeError],
        ['eight names', { layers: [8, 3], features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2', 'x1'] }, /features\[7\]: /, RangeError],
        ['inputs without features, not layers[0]', { inputs: 2 }, /inputs: /, RangeError],
        ['a misspelt key', { featurs: ['x1', 'x2', 'sin1'] }, /featurs: unknown option \(did you mean features\?\)/, RangeError],
      ];
      for (const [what, opts, re, type] of cases) {
        it(what, () => check(`lab.mlp(${JSON.stringify(opts)})`, () => lab.mlp({ ...F, ...opts }), re, type));
      }
      it('inputs equal to layers[0] without features is allowed and changes nothing', () => {
        const a = lab.mlp({ ...F, inputs: 3 }), b = lab.mlp(F);
        try {
          assert.deepEqual(a.config, b.config);
          assert.deepEqual(a.forward([[1, 2, 3]]), b.forward([[1, 2, 3]]));
        } finally {
          a.free();
          b.free();
        }
      });
    });

    describe('loss / output pairs', () => {
      const cases = [
        ['bce', 'softmax'], ['bce', 'identity'], ['cross_entropy', 'sigmoid'], ['cross_entropy', 'identity'],
      ];
      for (const [loss, output] of cases) {
        it(`${loss} with ${output}`, () => check(`${loss}/${output}`, () => lab.mlp({ ...BASE, loss, output }), /loss|output/));
      }
      it('softmax with 1 output', () => {
        check('softmax/cross_entropy q=1', () => lab.mlp({ ...BASE, layers: [2, 4, 1], output: 'softmax', loss: 'cross_entropy' }), /softmax|output|layers/);
        check('softmax/mse q=1', () => lab.mlp({ ...BASE, layers: [2, 4, 1], output: 'softmax', loss: 'mse' }), /softmax|output|layers/);
      });
    });

    describe('X and Y', () => {
      const badX = Float32Array.of(1, 2, 3); // not a multiple of d = 2
      it('X of the wrong length, in every call that takes X', () => {
        check('forward', () => victim.forward(badX), /\bX\b/);
        check('forward empty', () => victim.forward(new Float32Array(0)), /\bX\b/);
        check('hidden', () => victim.hidden(badX), /\bX\b/);
        check('gradients', () => victim.gradients(badX, Y), /\bX\b/);
        check('step', () => victim.step(badX, Y, { lr: 0.1 }), /\bX\b/);
        check('fit', () => victim.fit(badX, Y, { lr: 0.1 }), /\bX\b/);
        check('evaluate', () => victim.evaluate(badX, Y), /\bX\b/);
      });
      it('X with NaN or Infinity, or not numbers', () => {
        check('forward NaN', () => victim.forward(Float32Array.of(1, NaN)), /\bX\b/);
        check('forward Infinity', () => victim.forward(Float32Array.of(1, Infinity)), /\bX\b/);
        check('forward string', () => victim.forward('12'), /\bX\b/, TypeError);
        check('rows of 3 for 2 inputs', () => victim.forward([[1, 2, 3], [4, 5, 6]]), /\bX\b/);
        check('ragged rows', () => victim.forward([[1, 2], [3]]), /\bX\b/);
        check('empty rows', () => victim.forward([new Float32Array(0), []]), /^X: row 0 is empty/);
        check('a string in a row', () => victim.forward([[1, '2']]), /\bX\b/, TypeError);
        check('step NaN', () => victim.step(Float32Array.of(NaN, 0, 0, 0, 0, 0), Y, { lr: 0.1 }), /\bX\b/);
      });
      it('Y of the wrong length', () => {
        check('gradients short', () => victim.gradients(X, Float32Array.of(0, 1)), /\bY\b/);
        check('gradients long', () => victim.gradients(X, Float32Array.of(0, 1, 2, 0)), /\bY\b/);
        check('step (n, q) one-hot for cross_entropy', () => victim.step(X, new Float32Array(9), { lr: 0.1 }), /\bY\b/);
        check('fit', () => victim.fit(X, Float32Array.of(0), { lr: 0.1 }), /\bY\b/);
        check('evaluate', () => victim.evaluate(X, Float32Array.of(0, 1)), /\bY\b/);
      });
      for (const [what, labels] of [['1.5', [0, 1.5, 2]], ['-1', [0, -1, 2]], ['3 (= q)', [0, 3, 2]], ['NaN', [0, NaN, 2]], ['1e9', [0, 1e9, 1]]]) {
        it(`label ${what}`, () => {
          const Yb = Float32Array.from(labels);
          check(`gradients label ${what}`, () => victim.gradients(X, Yb), /\bY\b|label/);
          check(`step label ${what}`, () => victim.step(X, Yb, { lr: 0.1 }), /\bY\b|label/);
          check(`fit label ${what}`, () => victim.fit(X, Yb, { lr: 0.1 }), /\bY\b|label/);
          check(`evaluate label ${what}`, () => victim.evaluate(X, Yb), /\bY\b|label/);
        });
      }
      it('mse and bce targets: NaN, wrong length', () => {
        const net = lab.mlp({ layers: [2, 3, 2], activation: 'relu', output: 'sigmoid', loss: 'bce', seed: 1 });
        try {
          const T = Float32Array.of(0, 1, 1, 0, 0, 1);
          const before = net.params();
          expectError(() => net.gradients(X, Float32Array.of(0, 1, NaN, 0, 0, 1)), /\bY\b/, 'bce NaN target');
          expectError(() => net.step(X, T.subarray(0, 5), { lr: 0.1 }), /\bY\b/, 'bce 5 targets for (3, 2)');
          expectError(() => net.step(X, Y, { lr: 0.1 }), /\bY\b/, 'bce with 3 class indices for (3, 2)');
          assert.deepEqual(net.params(), before);
          assert.ok(Number.isFinite(net.step(X, T, { lr: 0.1 })), 'a valid step afterwards');
        } finally {
          net.free();
        }
      });
    });

    describe('learning rate and l2', () => {
      for (const lr of [NaN, -0.1, 0, Infinity, -Infinity, '0.1']) {
        it(`lr ${String(lr)}`, () => {
          const type = typeof lr === 'number' ? RangeError : TypeError;
          check(`step lr ${lr}`, () => victim.step(X, Y, { lr, optimizer: 'sgd' }), /\blr\b/, type);
          check(`fit lr ${lr}`, () => victim.fit(X, Y, { lr, optimizer: 'adam', epochs: 1 }), /\blr\b/, type);
        });
      }
      for (const l2 of [NaN, -1e-3, Infinity]) {
        it(`l2 ${l2}`, () => {
          check(`step l2 ${l2}`, () => victim.step(X, Y, { lr: 0.1, l2 }), /\bl2\b/);
          check(`fit l2 ${l2}`, () => victim.fit(X, Y, { lr: 0.1, l2 }), /\bl2\b/);
        });
      }
      it('fit: until', () => {
        check('until not an object', () => victim.fit(X, Y, { lr: 0.1, until: 0.5 }), /until: /, TypeError);
        check('until empty', () => victim.fit(X, Y, { lr: 0.1, until: {} }), /until: /);
        check('until.loss NaN', () => victim.fit(X, Y, { lr: 0.1, until: { loss: NaN } }), /until\.loss: /);
        check('until.loss -1', () => victim.fit(X, Y, { lr: 0.1, until: { loss: -1 } }), /until\.loss: /);
        check('until.loss Infinity', () => victim.fit(X, Y, { lr: 0.1, until: { loss: Infinity } }), /until\.loss: /);
        check('until.loss "0.1"', () => victim.fit(X, Y, { lr: 0.1, until: { loss: '0.1' } }), /until\.loss: /, TypeError);
        check('until.accuracy 1.5', () => victim.fit(X, Y, { lr: 0.1, until: { accuracy: 1.5 } }), /until\.accuracy: /);
        check('until.accuracy -0.1', () => victim.fit(X, Y, { lr: 0.1, until: { accuracy: -0.1 } }), /until\.accuracy: /);
        check('until.accuracy NaN', () => victim.fit(X, Y, { lr: 0.1, until: { accuracy: NaN } }), /until\.accuracy: /);
        check('until.accuracy null', () => victim.fit(X, Y, { lr: 0.1, until: { accuracy: null } }), /until\.accuracy: /, TypeError);
        check('until.accuracy misspelt', () => victim.fit(X, Y, { lr: 0.1, until: { acuracy: 0.9 } }), /until\.acuracy: unknown option \(did you mean accuracy\?\)/);
        check('until.accuracy bad, loss good', () => victim.fit(X, Y, { lr: 0.1, until: { loss: 0.1, accuracy: 2 } }), /until\.accuracy: /);
        const reg = lab.mlp({ layers: [2, 3, 1], seed: 1 });
        try {
          expectError(() => reg.fit(X, [1, 2, 3], { until: { accuracy: 0.9 } }), /until\.accuracy: /, 'until.accuracy on regression');
        } finally {
          reg.free();
        }
      });
      it('fit: epochs and batchSize', () => {
        check('epochs -1', () => victim.fit(X, Y, { lr: 0.1, epochs: -1 }), /epochs/);
        check('epochs 1.5', () => victim.fit(X, Y, { lr: 0.1, epochs: 1.5 }), /epochs/);
        check('batchSize 0', () => victim.fit(X, Y, { lr: 0.1, batchSize: 0 }), /batchSize/);
        check('batchSize 2.5', () => victim.fit(X, Y, { lr: 0.1, batchSize: 2.5 }), /batchSize/);
      });
    });

    describe('params', () => {
      it('setParams with wrong shapes or values', () => {
        const p = victim.params();
        check('W missing a layer', () => victim.setParams({ W: p.W.slice(0, 1), b: p.b }), /\bW\b/);
        check('b missing a layer', () => victim.setParams({ W: p.W, b: p.b.slice(0, 1) }), /\bb\b/);
        check('W[0] short', () => victim.setParams({ W: [p.W[0].subarray(1), p.W[1]], b: p.b }), /W\[0\]/);
        check('b[1] long', () => victim.setParams({ W: p.W, b: [p.b[0], new Float32Array(4)] }), /b\[1\]/);
        const nanW = p.W[1].slice();
        nanW[3] = NaN;
        check('W[1] NaN', () => victim.setParams({ W: [p.W[0], nanW], b: p.b }), /W\[1\]/);
        check('not an object', () => victim.setParams(7), /params/, TypeError);
      });
      it('fromJSON with garbage', () => {
        check('fromJSON({})', () => lab.mlp.fromJSON({}), /json/, null);
        check('fromJSON("{")', () => lab.mlp.fromJSON('{'), /json/, null);
        const j = victim.toJSON();
        check('fromJSON with a short W', () => lab.mlp.fromJSON({ ...j, W: [j.W[0].slice(1), j.W[1]] }), /W\[0\]/);
        check('fromJSON with a bad activation', () => lab.mlp.fromJSON({ ...j, activation: 'nope' }), /activation/);
      });
    });

    describe('a freed network', () => {
      it('every method throws naming the freed network; free() twice is safe', () => {
        const net = lab.mlp(BASE);
        net.free();
        net.free();
        const calls = {
          forward: () => net.forward(X),
          hidden: () => net.hidden(X),
          gradients: () => net.gradients(X, Y),
          step: () => net.step(X, Y, { lr: 0.1 }),
          fit: () => net.fit(X, Y, { lr: 0.1 }),
          evaluate: () => net.evaluate(X, Y),
          params: () => net.params(),
          setParams: () => net.setParams(p0),
          gradNorms: () => net.gradNorms(),
          collapse: () => net.collapse(),
          linearRegions: () => net.linearRegions({ range: [0, 1], resolution: 8 }),
          convert: () => net.convert('sigmoid'),
          toJSON: () => net.toJSON(),
          resetOptimizer: () => net.resetOptimizer(),
        };
        for (const [name, fn] of Object.entries(calls)) check(`${name} after free()`, fn, /freed/, null, false);
      });
    });

    describe('collapse', () => {
      it('a network with a non-identity activation', () => {
        check('collapse tanh', () => victim.collapse(), /activation|identity/);
      });
    });

    // tests/regions.test.js and tests/convert.test.js name every parameter;
    // here: a refused call leaves the network it was called on as it was.
    describe('linearRegions and convert', () => {
      it('refused calls change nothing', () => {
        check('linearRegions on tanh', () => victim.linearRegions({ range: [0, 1], resolution: 8 }), /activation/);
        check('linearRegions, unknown key', () => victim.linearRegions({ range: [0, 1], resolutoin: 8 }), /activation/);
        check('convert to relu', () => victim.convert('relu'), /activation/);
        check('convert to tanh', () => victim.convert('tanh'), /activation/);
        check('convert to 7', () => victim.convert(7), /activation/, TypeError);
        const relu = lab.mlp({ ...BASE, activation: 'relu' });
        try {
          const rp = relu.params();
          for (const [what, fn, re, type] of [
            ['resolution 513', () => relu.linearRegions({ range: [0, 1], resolution: 513 }), /resolution/, RangeError],
            ['range [1, 0]', () => relu.linearRegions({ range: [1, 0], resolution: 8 }), /range/, RangeError],
            ['resolutoin', () => relu.linearRegions({ range: [0, 1], resolutoin: 8 }), /resolutoin/, RangeError],
          ]) {
            check(what, fn, re, type);
            assert.deepEqual(relu.params(), rp, `${what}: changed the relu network`);
          }
          assert.equal(relu.linearRegions({ range: [0, 1], resolution: 8 }).patterns.length, 64, 'works after refusals');
        } finally {
          relu.free();
        }
      });
    });
  });
}
