// net.linearRegions() (exercise 4; src/regions.c) for both builds: 1-D
// breakpoints against tests/ref/regions64.js (dense sign sampling and
// bisection, float64) on random ReLU and pReLU nets of 1-3 hidden layers and on
// hand-built nets with known kinks; the output is affine on every piece;
// identity nets are one piece; 2-D region ids against the network's own
// hidden() at the cell centres (bit for bit) and against a float64 pattern
// computation; both builds give the same ids.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { rng } from './ref/rng.js';
import { breakpoints64, patterns64 } from './ref/regions64.js';

// A network of these widths with random parameters (W ~ U(-1.7, 1.7)/sqrt(fan_in), b ~ U(-bias, bias)).
function randomNet(lab, layers, activation, r, { alpha = 0.25, bias = 1.5 } = {}) {
  const net = lab.mlp({ layers, activation, alpha, seed: 1 });
  const p = net.params();
  p.W.forEach((w, l) => w.forEach((_, i) => { w[i] = r.uniform(-1.7, 1.7) / Math.sqrt(layers[l]); }));
  p.b.forEach((v) => v.forEach((_, i) => { v[i] = r.uniform(-bias, bias); }));
  net.setParams(p);
  return net;
}

function withNet(net, fn) {
  try { return fn(net); } finally { net.free(); }
}

// A net of given parameters (arrays of numbers).
function netOf(lab, layers, activation, W, b, alpha = 0.25) {
  const net = lab.mlp({ layers, activation, alpha, seed: 1 });
  net.setParams({ W, b });
  return net;
}

// A zigzag 1-Z-Z-1 (ReLU): f(x) = relu(x) - 2 relu(x - 1) + 2 relu(x - 2) - ... over
// layer 1 (kinks at 0..Z-1) goes 0, 1, 0, 1, ... at the integers; layer 2's unit k
// is f(x) - (k + 1/2)/(Z + 1): one crossing in each (j, j + 1), j < Z - 1.
function zigzag(lab, Z) {
  const W1 = [], b2 = [];
  for (let j = 0; j < Z; j++) {
    for (let k = 0; k < Z; k++) W1.push(j === 0 ? 1 : j % 2 ? -2 : 2);
    b2.push(-(j + 0.5) / (Z + 1)); // unit j of layer 2
  }
  return netOf(lab, [1, Z, Z, 1], 'relu', [new Array(Z).fill(1), W1, new Array(Z).fill(1)],
    [Array.from({ length: Z }, (_, j) => -j), b2, [0]]);
}

function assertBreakpoints(got, want, scale, what) {
  assert.equal(got.length, want.length,
    `${what}: ${got.length} breakpoints, want ${want.length}\n got  ${Array.from(got).join(', ')}\n want ${want.join(', ')}`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= 1e-9 * scale, `${what}: breakpoint ${i} at ${got[i]}, want ${want[i]}`);
  }
}

const simdIds = new Map(); // test name -> patterns of the SIMD build, compared with the scalar build's

for (const simd of [true, false]) {
  describe(`linearRegions (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    describe('1 input', () => {
      it('hand-built nets with known kinks', () => {
        // z = x - 0.5, 2x + 1, -x + 0.25
        const W = [[1, 2, -1], [1, 1, 1]], b = [[-0.5, 1, 0.25], [0]];
        withNet(netOf(lab, [1, 3, 1], 'relu', W, b), (net) => {
          const r = net.linearRegions({ from: -2, to: 2 });
          assert.ok(r.breakpoints instanceof Float64Array);
          assert.deepEqual(Array.from(r.breakpoints), [-0.5, 0.25, 0.5]);
          assert.equal(r.pieces, 4);
          assert.deepEqual(Array.from(net.linearRegions({ from: 0, to: 1 }).breakpoints), [0.25, 0.5]);
          assert.deepEqual(Array.from(net.linearRegions({ from: 0.5, to: 1 }).breakpoints), [], 'open interval: the kink at from is not inside');
        });
        // pReLU kinks where ReLU does; alpha = 1 is the identity: one piece
        withNet(netOf(lab, [1, 3, 1], 'prelu', W, b, -0.5), (net) => {
          assert.deepEqual(Array.from(net.linearRegions({ from: -2, to: 2 }).breakpoints), [-0.5, 0.25, 0.5]);
        });
        withNet(netOf(lab, [1, 3, 1], 'prelu', W, b, 1), (net) => {
          assert.deepEqual(net.linearRegions({ from: -2, to: 2 }), { breakpoints: new Float64Array(0), pieces: 1 });
        });
        // a kink of layer 2 alone: relu(x + 10) - 10.5 changes sign at x = 0.5
        withNet(netOf(lab, [1, 1, 1, 1], 'relu', [[1], [1], [1]], [[10], [-10.5], [0]]), (net) => {
          assert.deepEqual(Array.from(net.linearRegions({ from: -1, to: 1 }).breakpoints), [0.5]);
          assert.deepEqual(Array.from(net.linearRegions({ from: -20, to: 1 }).breakpoints), [-10, 0.5]);
        });
        // two units with one kink, and a unit that only touches 0 (|x - 1| into layer 2): one breakpoint each
        withNet(netOf(lab, [1, 2, 1], 'relu', [[1, 2], [1, 1]], [[-0.5, -1], [0]]), (net) => {
          assert.deepEqual(Array.from(net.linearRegions({ from: -2, to: 2 }).breakpoints), [0.5]);
        });
        withNet(netOf(lab, [1, 2, 1, 1], 'relu', [[1, -1], [1, 1], [1]], [[-1, 1], [0], [0]]), (net) => {
          assert.deepEqual(Array.from(net.linearRegions({ from: -3, to: 3 }).breakpoints), [1]);
        });
      });

      it('a zigzag: 16 kinks in layer 1, 16 x 15 crossings in layer 2', () => {
        const Z = 16;
        withNet(zigzag(lab, Z), (net) => {
          const got = net.linearRegions({ from: 0, to: 15 });
          const want = [];
          for (let j = 0; j < 15; j++) {
            if (j > 0) want.push(j);
            const v = Array.from(net.params().b[1], (c) => -c); // the float32 levels, as doubles
            want.push(...v.map((l) => (j % 2 ? j + 1 - l : j + l)).sort((a, c) => a - c));
          }
          assert.equal(got.pieces, 14 + Z * 15 + 1);
          assertBreakpoints(got.breakpoints, want, 15, 'zigzag');
          assertBreakpoints(got.breakpoints, breakpoints64(net.params(), net.layers, 'relu', 0, 0, 15), 15, 'zigzag vs regions64');
        });
      });

      it('random ReLU and pReLU nets of 1-3 hidden layers against regions64', () => {
        const r = rng(404);
        let total = 0;
        for (let t = 0; t < 24; t++) {
          const hidden = 1 + (t % 3);
          const layers = [1, ...Array.from({ length: hidden }, () => r.between(1, 8)), r.between(1, 2)];
          const activation = t % 2 ? 'prelu' : 'relu';
          const alpha = r.uniform(-0.5, 0.9);
          withNet(randomNet(lab, layers, activation, r, { alpha }), (net) => {
            for (const [from, to] of [[-3, 3], [-0.3, 0.7]]) {
              const got = net.linearRegions({ from, to });
              const want = breakpoints64(net.params(), layers, activation, Math.fround(alpha), from, to);
              assertBreakpoints(got.breakpoints, want, Math.max(1, Math.abs(from), Math.abs(to)),
                `${activation} [${layers}] on (${from}, ${to})`);
              assert.equal(got.pieces, want.length + 1);
              total += want.length;
            }
          });
        }
        assert.ok(total > 100, `only ${total} breakpoints in all: the nets are too tame to test anything`);
      });

      it('the output is affine on every piece (continuous piecewise linear, exercise 4)', () => {
        const r = rng(405);
        withNet(randomNet(lab, [1, 8, 8, 8, 1], 'relu', r), (net) => {
          const { breakpoints } = net.linearRegions({ from: -3, to: 3 });
          assert.ok(breakpoints.length >= 5, `${breakpoints.length} breakpoints`);
          const ends = [-3, ...breakpoints, 3];
          for (let i = 0; i + 1 < ends.length; i++) {
            const [a, c] = [ends[i], ends[i + 1]];
            const xs = [0.1, 0.5, 0.9].map((f) => a + f * (c - a));
            const [y0, y1, y2] = net.forward(xs);
            const line = y0 + ((y2 - y0) * (xs[1] - xs[0])) / (xs[2] - xs[0]);
            assert.ok(Math.abs(y1 - line) <= 1e-5 * (1 + Math.abs(y1)), `piece (${a}, ${c}): ${y1} is off the line through its ends (${line})`);
          }
        });
      });

      it('identity nets, and nets without a hidden layer, are one piece', () => {
        const r = rng(406);
        for (const [layers, activation] of [[[1, 5, 5, 1], 'identity'], [[1, 2], 'sigmoid'], [[1, 3], 'relu']]) {
          withNet(randomNet(lab, layers, activation, r), (net) => {
            assert.deepEqual(net.linearRegions({ from: -5, to: 5 }), { breakpoints: new Float64Array(0), pieces: 1 }, `${activation} [${layers}]`);
          });
        }
      });
    });

    describe('2 inputs', () => {
      // Region ids by first appearance from patterns (one string per cell).
      const firstAppearance = (keys) => {
        const seen = new Map();
        return Uint32Array.from(keys, (key) => { if (!seen.has(key)) seen.set(key, seen.size); return seen.get(key); });
      };
      const grid = (lo, hi, k) => {
        const X = new Float32Array(k * k * 2);
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
          X[2 * (i * k + j)] = lo + ((j + 0.5) / k) * (hi - lo);
          X[2 * (i * k + j) + 1] = hi - ((i + 0.5) / k) * (hi - lo);
        }
        return X;
      };

      it('a hand-built net: row 0 is the top (x2 = hi), x1 grows across', () => {
        // z1 = x1 - 0.5, z2 = x2 - 0.5 over [-1, 1]^2, k = 4: only the top row and the right column are on
        withNet(netOf(lab, [2, 2, 1], 'relu', [[1, 0, 0, 1], [1, 1]], [[-0.5, -0.5], [0]]), (net) => {
          const { regions, patterns } = net.linearRegions({ range: [-1, 1], resolution: 4 });
          assert.equal(regions, 4);
          assert.ok(patterns instanceof Uint32Array && patterns.length === 16);
          assert.deepEqual(Array.from(patterns), [0, 0, 0, 1, 2, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3]);
        });
      });

      it('random nets: ids equal those of hidden() at the cell centres, and of a float64 computation', () => {
        const r = rng(407);
        let ambiguous = 0, cells = 0;
        for (const [layers, activation, k, range] of [
          [[2, 8, 8, 1], 'relu', 96, [-6, 6]], [[2, 8, 8, 1], 'prelu', 96, [-6, 6]], [[2, 5, 1], 'relu', 7, [-1, 1]],
          [[2, 3, 7, 2], 'prelu', 33, [-2, 3]], [[2, 13, 6, 9, 1], 'relu', 64, [-4, 4]], [[2, 32, 1], 'relu', 128, [-6, 6]],
          [[2, 6, 6, 6, 6, 6, 6, 1], 'relu', 50, [-3, 3]], [[2, 1, 1], 'relu', 2, [-1, 1]],
        ]) {
          withNet(randomNet(lab, layers, activation, r, { bias: 1 }), (net) => {
            const what = `${activation} [${layers}] k = ${k}`;
            const got = net.linearRegions({ range, resolution: k });
            // the network's own float32 forward: relu(z) > 0 and prelu(z) > 0 (alpha > 0) exactly where z > 0
            const H = net.hidden(grid(range[0], range[1], k));
            const keys = Array.from({ length: k * k }, (_, c) =>
              H.map((h, l) => Array.from(h.subarray(c * layers[l + 1], (c + 1) * layers[l + 1]), (v) => (v > 0 ? 1 : 0)).join('')).join('|'));
            const own = firstAppearance(keys);
            assert.deepEqual(got.patterns, own, `${what}: ids differ from hidden()'s signs`);
            assert.equal(got.regions, new Set(keys).size, `${what}: region count`);
            // float64: the same partition wherever the float64 margin leaves no doubt
            const ref = patterns64(net.params(), layers, activation, 0.25, range[0], range[1], k);
            const map = new Map(), back = new Map();
            for (let c = 0; c < k * k; c++) {
              cells++;
              if (ref.margin[c] < 1e-5) { ambiguous++; continue; }
              const a = got.patterns[c], b = ref.ids[c];
              if (!map.has(a)) map.set(a, b);
              if (!back.has(b)) back.set(b, a);
              assert.ok(map.get(a) === b && back.get(b) === a, `${what}: cell ${c} is in region ${a} (float64: ${b}), which elsewhere is ${map.get(a)} (${back.get(b)})`);
            }
            if (ref.margin.every((m) => m >= 1e-5)) assert.equal(got.regions, ref.regions, `${what}: float64 region count`);
            simdIds.set(what, got.patterns);
            if (!simd) {
              const other = simdIds.get(what);
              if (other) assert.deepEqual(got.patterns, other, `${what}: the SIMD and scalar builds differ`);
            }
          });
        }
        assert.ok(ambiguous <= cells * 1e-3, `${ambiguous} of ${cells} cells within 1e-5 of a boundary`);
      });

      it('identity nets are one region; k from 2 to 512', () => {
        const r = rng(408);
        withNet(randomNet(lab, [2, 4, 4, 3], 'identity', r), (net) => {
          const { regions, patterns } = net.linearRegions({ range: [-2, 2], resolution: 512 });
          assert.equal(regions, 1);
          assert.equal(patterns.length, 512 * 512);
          assert.ok(patterns.every((v) => v === 0));
        });
        withNet(randomNet(lab, [2, 4, 1], 'relu', r), (net) => {
          const { regions, patterns } = net.linearRegions({ range: [-2, 2], resolution: 2 });
          assert.equal(patterns.length, 4);
          assert.ok(regions >= 1 && regions <= 4);
        });
      });
    });

    describe('bad input', () => {
      const re = (name) => new RegExp(`^${name.replace(/[[\]]/g, '\\$&')}(?![\\w[])`);
      function throws(fn, type, name, what) {
        assert.throws(fn, (e) => e instanceof type && re(name).test(e.message), `${what}: expected a ${type.name} naming ${name}`);
      }
      it('every parameter is named; unknown keys refused with a suggestion; k > 512 refused', () => {
        const one = lab.mlp({ layers: [1, 4, 1], seed: 1 });
        const two = lab.mlp({ layers: [2, 4, 1], activation: 'prelu', seed: 1 });
        try {
          throws(() => one.linearRegions(), TypeError, 'from', 'no options');
          throws(() => one.linearRegions({ from: 0 }), TypeError, 'to', 'no to');
          throws(() => one.linearRegions({ from: '0', to: 1 }), TypeError, 'from', 'from a string');
          throws(() => one.linearRegions({ from: NaN, to: 1 }), RangeError, 'from', 'from NaN');
          throws(() => one.linearRegions({ from: 0, to: Infinity }), RangeError, 'to', 'to Inf');
          throws(() => one.linearRegions({ from: 0, to: 1e39 }), RangeError, 'to', 'to beyond float32');
          throws(() => one.linearRegions({ from: 1, to: 1 }), RangeError, 'to', 'from == to');
          throws(() => one.linearRegions({ from: 2, to: 1 }), RangeError, 'to', 'from > to');
          throws(() => one.linearRegions({ from: 0, ot: 1 }), RangeError, 'ot', 'a misspelt key');
          assert.throws(() => one.linearRegions({ from: 0, ot: 1 }), /did you mean to\?/);
          throws(() => one.linearRegions({ range: [0, 1], resolution: 8 }), RangeError, 'range', '2-D options on a 1-input net');
          throws(() => one.linearRegions(null), TypeError, 'options', 'null');
          throws(() => one.linearRegions([0, 1]), TypeError, 'options', 'an array');
          throws(() => two.linearRegions({ range: [0, 1] }), TypeError, 'resolution', 'no resolution');
          throws(() => two.linearRegions({ range: [0, 1], resolution: 513 }), RangeError, 'resolution', 'k 513');
          throws(() => two.linearRegions({ range: [0, 1], resolution: 1 }), RangeError, 'resolution', 'k 1');
          throws(() => two.linearRegions({ range: [0, 1], resolution: 8.5 }), RangeError, 'resolution', 'k 8.5');
          throws(() => two.linearRegions({ range: [0, 1], resolution: '8' }), TypeError, 'resolution', 'k a string');
          throws(() => two.linearRegions({ resolution: 8 }), TypeError, 'range', 'no range');
          throws(() => two.linearRegions({ range: [0, 1, 2], resolution: 8 }), TypeError, 'range', 'range of 3');
          throws(() => two.linearRegions({ range: 1, resolution: 8 }), TypeError, 'range', 'range a number');
          throws(() => two.linearRegions({ range: [1, 0], resolution: 8 }), RangeError, 'range', 'lo > hi');
          throws(() => two.linearRegions({ range: [0, NaN], resolution: 8 }), RangeError, 'range[1]', 'hi NaN');
          throws(() => two.linearRegions({ range: ['0', 1], resolution: 8 }), TypeError, 'range[0]', 'lo a string');
          throws(() => two.linearRegions({ range: [0, 1], resolutoin: 8 }), RangeError, 'resolutoin', 'misspelt');
          assert.throws(() => two.linearRegions({ range: [0, 1], resolutoin: 8 }), /did you mean resolution\?/);
          throws(() => two.linearRegions({ from: 0, to: 1 }), RangeError, 'from', '1-D options on a 2-input net');
          // options are own properties only
          const proto = Object.create({ resolution: 8 });
          proto.range = [0, 1];
          throws(() => two.linearRegions(proto), TypeError, 'resolution', 'an inherited resolution');
        } finally {
          one.free();
          two.free();
        }
      });

      it('activations without linear regions and other input counts name activation and layers[0]', () => {
        for (const activation of ['sigmoid', 'tanh', 'gelu', 'swish']) {
          withNet(lab.mlp({ layers: [1, 3, 1], activation }), (net) => {
            throws(() => net.linearRegions({ from: 0, to: 1 }), RangeError, 'activation', activation);
          });
        }
        withNet(lab.mlp({ layers: [3, 4, 1] }), (net) => {
          throws(() => net.linearRegions({ from: 0, to: 1 }), RangeError, 'layers[0]', '3 inputs');
          assert.throws(() => net.linearRegions({}), /this one has 3 inputs/);
        });
        const net = lab.mlp({ layers: [1, 3, 1] });
        net.free();
        assert.throws(() => net.linearRegions({ from: 0, to: 1 }), /freed/);
      });

      it('input features that are not x1, x2 as they are are refused naming features; x1, x2 are the plain regions', () => {
        withNet(lab.mlp({ layers: [2, 4, 1], features: ['x1sq', 'x2sq'] }), (net) => {
          throws(() => net.linearRegions({ range: [-1, 1], resolution: 8 }), RangeError, 'features', 'not linear');
        });
        withNet(lab.mlp({ layers: [1, 4, 1], inputs: 1, features: ['sin1'] }), (net) => {
          throws(() => net.linearRegions({ from: -1, to: 1 }), RangeError, 'features', 'not linear');
        });
        const plain = lab.mlp({ layers: [2, 5, 1], seed: 4 });
        withNet(lab.mlp({ layers: [2, 5, 1], seed: 4, features: ['x1', 'x2'] }), (net) => {
          const o = { range: [-2, 2], resolution: 16 };
          assert.deepEqual(net.linearRegions(o), plain.linearRegions(o));
        });
        plain.free();
      });

      it('a network with more pieces than the core searches is refused naming from', () => {
        // a 256-wide zigzag through a 256-wide layer: 256 x 256 crossings
        withNet(zigzag(lab, 256), (net) => {
          throws(() => net.linearRegions({ from: -1, to: 257 }), RangeError, 'from', 'too many pieces');
          assert.equal(net.linearRegions({ from: 10.25, to: 20.25 }).pieces, 10 + 2560 + 1, 'a narrower interval');
        });
      });
    });
  });
}
