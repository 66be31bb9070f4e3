// API fuzzer for the JS package, on both builds, plus the divergence contract.
//
//   node --test tests/fuzz.test.js                 # a fresh seed each run
//   FUZZ_SEED=1234 node --test tests/fuzz.test.js  # replay a run
//   FUZZ_CALLS=100000 node --test tests/fuzz.test.js
//
// Each run makes FUZZ_CALLS (default 60,000) seeded random calls per build:
// names, shapes, lengths, NaN/Inf/negative/huge hyperparameters, huge widths,
// freed networks, detached buffers, wrong types, nested arrays, huge n. Every
// call must either work or throw a TypeError or RangeError with a non-empty
// message (DivergedError from step and gradients); nothing else may escape,
// above all no WebAssembly.RuntimeError. Every CHECK_EVERY calls a known-good
// workload must give the bits it gave at the start, and at the end wasm memory
// must be under MEMORY_CAP. Any failure prints the seed and the last calls.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from './ref/rng.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, DivergedError, simdSupported, ACTIVATIONS, OUTPUTS, LOSSES, OPTIMIZERS, INITS, DATASETS, FEATURES }
  from '../src/mlp-lab.js';

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) >>> 0
  : (Date.now() ^ (process.pid << 8)) >>> 0;
const CALLS = Number(process.env.FUZZ_CALLS || 60000);
const CHECK_EVERY = 500;
// Wasm memory at the end of a run. The fuzzer's largest legitimate requests
// are a data set of 10^6 points (12 MB of scratch), a 2^20-element activation
// (4 MB in place, 4 MB out), networks up to 6 x 256 wide (about 7 MB each with
// their gradient and optimizer blocks, at most 8 alive) with activation blocks
// for batches of up to 300 rows. One network in ten that the fuzzer drops is
// left to the FinalizationRegistry, which cannot run inside this synchronous
// loop, so memory also grows with the number of calls: runs of 60,000 calls
// end at 21-31 MiB, of 150,000 at 44-52 MiB. 96 MiB per 60,000 calls leaves
// room for fragmentation and still catches unbounded growth.
const MEMORY_CAP = Math.max(1, CALLS / 60000) * 96 * 2 ** 20;

// ---- a seeded PRNG (mulberry32) and value generators -----------------------------



const WILD_NUMBERS = [NaN, Infinity, -Infinity, -0, 0, -1, -1e-9, 1e-46, 1e-300, 0.5, 1.5, 2 ** 31, 2 ** 32,
  2 ** 53, 1e39, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, 3.4e38, 257, 1e7 + 1, 1e6, 4294967296, -(2 ** 31)];
const WILD_STRINGS = ['', ' ', 'RELU', 'relu ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf',
  '<script>alert(1)</script>', 'x'.repeat(10000), '\u0000', 'sigmoid\u0000', '0', 'NaN', 'names', 'info'];

function detachedFloat32(n) {
  const a = new Float32Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] }); // detaches a.buffer: a.length is now 0
  return a;
}

// Something of the wrong kind, chosen at random.
function wildValue(r, depth = 0) {
  switch (r.between(0, 21)) {
    case 0: return r.pick(WILD_NUMBERS);
    case 1: return r.pick(WILD_STRINGS);
    case 2: return null;
    case 3: return undefined;
    case 4: return r.chance(0.5);
    case 5: return {};
    case 6: return [];
    case 7: return depth < 2 ? [wildValue(r, depth + 1), wildValue(r, depth + 1)] : [1, [2, [3]]];
    case 8: return detachedFloat32(r.between(1, 8));
    case 9: return new DataView(new ArrayBuffer(8));
    case 10: return new BigInt64Array(r.between(0, 3));
    case 11: return 10n;
    case 12: return Symbol('x');
    case 13: return () => 1;
    case 14: return new Float64Array([NaN, 1, Infinity]);
    case 15: return [[1, 2], [3]]; // ragged
    case 16: return [1, 'a', 2];
    case 17: return new Array(5); // holes
    case 18: return { length: 3, 0: 1, 1: 2, 2: 3 }; // array-like, not an array
    case 19: return new Int8Array([1, -2, 3]);
    case 20: return { valueOf: () => 1, toString: () => 'relu' };
    default: return new Uint8Array(r.between(0, 4));
  }
}

function sometimes(r, p, good) { return r.chance(p) ? wildValue(r) : good(); }

// ---- random arguments that are often valid --------------------------------------

function randomFloats(r, n, wild = 0.02) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.chance(wild) ? r.pick(WILD_NUMBERS) : (r() - 0.5) * 8;
  return a;
}

// X for a network taking d inputs: usually n x d, sometimes the wrong shape or kind.
function randomX(r, d, maxRows) {
  const n = r.chance(0.9) ? r.between(1, 12) : r.between(0, maxRows);
  switch (r.between(0, 12)) {
    case 0: return Array.from({ length: n }, () => Array.from(randomFloats(r, d, 0))); // rows
    case 1: return Array.from(randomFloats(r, n * d, 0)); // number[]
    case 2: return randomFloats(r, n * d + r.between(1, d + 1), 0); // wrong length
    case 3: return randomFloats(r, n * d, 0.3); // NaN, Inf, huge
    case 4: return detachedFloat32(n * d);
    case 5: return wildValue(r);
    case 6: return new Float64Array(randomFloats(r, n * d, 0)); // another typed array
    default: return randomFloats(r, n * d, 0);
  }
}

function rowsOf(X, d) {
  if (Array.isArray(X) && X.length && Array.isArray(X[0])) return X.length;
  return X && typeof X.length === 'number' ? Math.floor(X.length / d) : 1;
}

function randomY(r, net, n) {
  const q = net.outputs;
  const ce = net.config.loss === 'cross_entropy';
  switch (r.between(0, 10)) {
    case 0: return wildValue(r);
    case 1: return ce ? Float32Array.from({ length: n }, () => r.pick([-1, q, 0.5, NaN, 1e9])) // bad labels
      : randomFloats(r, n * q, 0.5);
    case 2: return new Float32Array(Math.max(0, n * q - 1)); // wrong length
    case 3: return ce ? Array.from({ length: n }, () => r.between(0, q - 1)) : Array.from({ length: n }, () => Array.from({ length: q }, () => r()));
    case 4: return ce ? randomFloats(r, n) : Float32Array.from({ length: n * q }, () => r() * 3 - 1); // outside [0, 1]
    default: return ce ? Float32Array.from({ length: n }, () => r.between(0, q - 1))
      : Float32Array.from({ length: n * q }, () => r());
  }
}

function randomLayers(r) {
  if (r.chance(0.08)) return wildValue(r);
  const hidden = r.chance(0.05) ? r.between(7, 9) : r.between(0, 4);
  const width = () => (r.chance(0.03) ? r.pick([0, -1, 257, 1e9, 2.5, NaN, '4', 256]) : r.chance(0.05) ? r.between(100, 256) : r.between(1, 10));
  const layers = [r.between(1, 4)];
  for (let i = 0; i < hidden; i++) layers.push(width());
  layers.push(r.between(1, 4));
  if (r.chance(0.03)) layers[0] = r.pick([0, 257, -3]);
  return layers;
}

function randomNetOptions(r) {
  const output = sometimes(r, 0.05, () => r.pick(OUTPUTS));
  const pairs = { identity: ['mse'], sigmoid: ['bce', 'mse'], softmax: ['cross_entropy', 'mse'] };
  const o = {
    layers: randomLayers(r),
    activation: sometimes(r, 0.05, () => r.pick(ACTIVATIONS)),
    output,
    loss: sometimes(r, 0.05, () => r.pick((typeof output === 'string' && Object.hasOwn(pairs, output) && pairs[output]) || LOSSES)),
    init: sometimes(r, 0.03, () => r.pick(INITS)),
    seed: sometimes(r, 0.05, () => r.between(0, 2 ** 32 - 1)),
  };
  const last = Array.isArray(o.layers) ? o.layers[o.layers.length - 1] : null;
  if (output === 'softmax' && typeof last === 'number' && last < 2) o.layers[o.layers.length - 1] = 2;
  if (r.chance(0.3)) o.alpha = sometimes(r, 0.2, () => r());
  if (r.chance(0.3)) o.beta = sometimes(r, 0.2, () => r() * 4);
  if (r.chance(0.1)) delete o.output;
  if (r.chance(0.1)) delete o.loss;
  if (r.chance(0.2)) {
    o.features = randomFeatures(r);
    if (r.chance(0.3)) o.inputs = sometimes(r, 0.2, () => r.between(1, 2));
    // usually a first layer that fits: the features' count
    if (Array.isArray(o.layers) && Array.isArray(o.features) && r.chance(0.9)) o.layers[0] = o.features.length || 1;
  } else if (r.chance(0.02)) {
    o.inputs = sometimes(r, 0.3, () => (Array.isArray(o.layers) ? o.layers[0] : 2));
  }
  return r.chance(0.03) ? wildValue(r) : o;
}

// A list of feature names: usually distinct known ones, sometimes 1-D only
// ones, sometimes duplicates, unknown or wild entries, an empty list, or no list.
function randomFeatures(r) {
  if (r.chance(0.05)) return wildValue(r);
  const pool = r.chance(0.3) ? ['x1', 'x1sq', 'sin1'] : [...FEATURES];
  const names = pool.filter(() => r.chance(0.5));
  if (r.chance(0.05)) names.push(r.pick(names.length ? names : pool)); // a duplicate
  if (r.chance(0.04)) names[r.between(0, names.length)] = sometimes(r, 0.5, () => r.pick(['x3', 'X1', 'x1^2', 'sin', '']));
  return names;
}

function randomTrainOptions(r) {
  if (r.chance(0.05)) return wildValue(r);
  const o = {};
  if (r.chance(0.9)) o.lr = sometimes(r, 0.15, () => r.pick([1e-3, 0.01, 0.1, 0.5, 1, 10]));
  if (r.chance(0.3)) o.lr = r.pick(WILD_NUMBERS);
  if (r.chance(0.7)) o.optimizer = sometimes(r, 0.05, () => r.pick(OPTIMIZERS));
  if (r.chance(0.3)) o.l2 = sometimes(r, 0.2, () => r.pick([0, 1e-4, 0.1]));
  if (r.chance(0.3)) o.epochs = sometimes(r, 0.1, () => r.between(0, 3));
  if (r.chance(0.3)) o.batchSize = sometimes(r, 0.1, () => r.between(1, 40));
  if (r.chance(0.2)) o.shuffle = sometimes(r, 0.2, () => r.chance(0.5));
  if (r.chance(0.1)) o.onEpoch = r.chance(0.5) ? () => false : wildValue(r);
  if (r.chance(0.1)) {
    o.until = {};
    if (r.chance(0.6)) o.until.loss = sometimes(r, 0.2, () => r.pick([0, 0.01, 0.5, 10]));
    if (r.chance(0.6)) o.until.accuracy = sometimes(r, 0.2, () => r.pick([0, 0.5, 0.9, 1]));
    if (r.chance(0.1)) o.until = wildValue(r);
  }
  return o;
}

// ---- the fuzz loop -----------------------------------------------------------

// A fixed workload whose bits must never change during a run.
function knownGood(lab) {
  const net = lab.mlp({ layers: [2, 5, 3], activation: 'tanh', output: 'softmax', loss: 'cross_entropy', seed: 11 });
  const X = Float32Array.of(0.5, -1, 2, 0.25, -0.75, 1.5);
  const Y = Float32Array.of(0, 2, 1);
  const loss = net.step(X, Y, { lr: 0.1, optimizer: 'adam' });
  const out = net.forward(X);
  net.free();
  const act = lab.activate('gelu', [-1, 0, 1, 3]);
  const data = lab.datasets.moons({ n: 7, noise: 0.1, seed: 2 });
  return { loss, out: Array.from(out), act: Array.from(act), data: Array.from(data.X) };
}

// Errors thrown by the package (as opposed to this file's own generators,
// which must never throw: a generator bug would otherwise pass as an
// "allowed" TypeError).
const fromApi = new WeakSet();
function api(fn) {
  try {
    return fn();
  } catch (e) {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) fromApi.add(e);
    throw e;
  }
}

class CallbackError extends Error {
  constructor() { super('thrown by onEpoch'); this.name = 'CallbackError'; }
}

function runFuzz(lab, seed, calls) {
  const r = rng(seed);
  const nets = [];
  const jsons = [];
  const trail = []; // the last calls, for the failure message
  const baseline = knownGood(lab);
  const stats = { calls: 0, ok: 0, type: 0, range: 0, diverged: 0, nets: 0 };
  const live = () => nets.filter((n) => !n.freed);

  const ops = [
    ['activate', 8, () => {
      const name = sometimes(r, 0.1, () => r.pick(ACTIVATIONS));
      let x;
      const k = r.between(0, 20);
      if (k === 0) x = new Float32Array(r.between(1 << 16, 1 << 20)); // large, allowed
      else if (k === 1) x = detachedFloat32(4);
      else if (k === 2) x = wildValue(r);
      else if (k === 3) x = Array.from(randomFloats(r, r.between(0, 40), 0.3));
      else x = randomFloats(r, r.between(0, 70), 0.1);
      const opts = r.chance(0.7) ? undefined : r.chance(0.2) ? wildValue(r)
        : { alpha: sometimes(r, 0.3, () => r()), beta: sometimes(r, 0.3, () => r() * 3),
          out: r.chance(0.2) ? (r.chance(0.5) ? new Float32Array(x && x.length >= 0 ? x.length : 1) : wildValue(r)) : undefined };
      const fn = r.chance(0.5) ? 'activate' : 'derivative';
      trail.push(`${fn}(${safeJSON(name).slice(0, 20)}, len ${x && x.length})`);
      const y = api(() => lab[fn](name, x, opts));
      assert.ok(y instanceof Float32Array, 'activate returns a Float32Array');
    }],
    ['huge activate', 0.02, () => {
      // more elements than accepted: must be refused before anything is allocated in wasm
      trail.push('activate(relu, 2^26 + 1)');
      const x = new Float32Array(2 ** 26 + 1);
      api(() => lab.activate('relu', x));
    }],
    ['create', 6, () => {
      const o = randomNetOptions(r);
      trail.push(`mlp(${safeJSON(o)})`);
      const net = api(() => lab.mlp(o));
      stats.nets++;
      nets.push(net);
      if (nets.length > 8) {
        const old = nets.shift();
        if (r.chance(0.9)) old.free(); // the rest is left to the FinalizationRegistry
      }
    }],
    ['forward', 10, () => withNet((net) => {
      const X = randomX(r, net.inputs, 300);
      trail.push(`forward(${net.layers}, ${describeArg(X)})`);
      const out = r.chance(0.8) ? api(() => net.forward(X)) : api(() => net.hidden(X));
      assert.ok(out instanceof Float32Array || Array.isArray(out));
    })],
    ['gradients', 8, () => withNet((net) => {
      const X = randomX(r, net.inputs, 100);
      const Y = randomY(r, net, rowsOf(X, net.inputs));
      trail.push(`gradients(${net.layers}, ${describeArg(X)}, ${describeArg(Y)})`);
      const g = api(() => net.gradients(X, Y));
      assert.ok(Number.isFinite(g.loss), 'gradients returned a non-finite loss without throwing');
      if (r.chance(0.3)) api(() => net.gradNorms());
    })],
    ['step', 14, () => withNet((net) => {
      const X = randomX(r, net.inputs, 100);
      const Y = randomY(r, net, rowsOf(X, net.inputs));
      const o = randomTrainOptions(r);
      trail.push(`step(${net.layers}, ${describeArg(X)}, ${describeArg(Y)}, ${safeJSON(o)})`);
      const before = net.freed ? null : net.params();
      let loss, err = null;
      try { loss = api(() => net.step(X, Y, o)); } catch (e) { err = e; }
      if (err) {
        if (before && !net.freed) {
          if (err instanceof DivergedError && err.reason === 'overshot') {
            // the step before this one is undone: other parameters, all finite
            assert.ok([...net.params().W, ...net.params().b].every((a) => a.every(Number.isFinite)), 'an undone step left non-finite parameters');
          } else {
            assert.deepEqual(net.params(), before, `step threw ${err.name} (${err.reason}) and changed the parameters`);
          }
        }
        throw err;
      }
      assert.ok(Number.isFinite(loss), 'step returned a non-finite loss');
      const p = net.params();
      assert.ok([...p.W, ...p.b].every((w) => w.every(Number.isFinite)), `step at lr ${safeJSON(o)} returned normally and left non-finite parameters`);
    })],
    ['fit', 4, () => withNet((net) => {
      const X = randomX(r, net.inputs, 60);
      const Y = randomY(r, net, rowsOf(X, net.inputs));
      const o = randomTrainOptions(r);
      if (o && typeof o === 'object' && typeof o.epochs === 'number' && o.epochs > 3) o.epochs = 3;
      trail.push(`fit(${net.layers}, ${describeArg(X)}, ${describeArg(Y)}, ${safeJSON(o)})`);
      const h = api(() => net.fit(X, Y, o));
      assert.ok(Array.isArray(h.loss) && typeof h.diverged === 'boolean', 'fit returns a history');
      assert.ok(['epochs', 'until', 'callback', 'diverged'].includes(h.stopped), `history.stopped is ${h.stopped}`);
      assert.equal(h.stopped === 'diverged', h.diverged, 'stopped and diverged disagree');
      assert.ok(h.loss.every(Number.isFinite), 'fit history holds a non-finite loss');
      if (h.diverged) assert.equal(net.diverged, true);
    })],
    ['fit, hostile onEpoch', 1.5, () => withNet((net) => {
      // the callback frees the network, grows wasm memory (old views go
      // stale), recurses into fit, replaces the parameters, or throws
      const X = randomFloats(r, 8 * net.inputs, 0);
      const Y = randomY(r, net, 8);
      const k = r.between(0, 5);
      trail.push(`fit with hostile onEpoch ${k} (${net.layers})`);
      const onEpoch = [
        () => net.free(),
        () => { lab.activate('relu', new Float32Array(r.between(1 << 16, 1 << 20))); },
        (e) => { if (e < 1) net.fit(X, Y, { epochs: 1 }); },
        () => net.setParams(net.params()),
        () => { throw new CallbackError(); },
        () => lab.datasets.spiral({ n: r.between(1, 50000) }),
      ][k];
      try {
        const opts = { epochs: r.between(1, 3), batchSize: r.between(1, 8), onEpoch };
        api(() => net.fit(X, Y, opts));
      } catch (e) {
        if (!(e instanceof CallbackError)) throw e; // the callback's own error comes back as it was
      }
    })],
    ['evaluate', 5, () => withNet((net) => {
      const X = randomX(r, net.inputs, 300);
      const Y = randomY(r, net, rowsOf(X, net.inputs));
      trail.push(`evaluate(${net.layers}, ${describeArg(X)}, ${describeArg(Y)})`);
      const e = api(() => net.evaluate(X, Y));
      assert.equal(typeof e.loss, 'number');
    })],
    ['params', 4, () => withNet((net) => {
      const k = r.between(0, 5);
      trail.push(`params/setParams/collapse/resetOptimizer ${k} (${net.layers})`);
      if (k === 0) api(() => net.params());
      else if (k === 1) api(() => net.collapse());
      else if (k === 2) api(() => net.resetOptimizer());
      else {
        const p = net.freed ? { W: [], b: [] } : api(() => net.params());
        const m = r.between(0, 6);
        if (m === 0 && p.W.length) p.W[0][0] = r.pick(WILD_NUMBERS);
        else if (m === 1 && p.W.length) p.W[0] = new Float32Array(p.W[0].length + 1);
        else if (m === 2) p.b = wildValue(r);
        else if (m === 3 && p.W.length) p.W[r.between(0, p.W.length - 1)] = detachedFloat32(3);
        else if (m === 4) { for (const w of p.W) w.forEach((_, i) => { w[i] = (r() - 0.5) * 2e3; }); } // large but finite
        const arg = r.chance(0.05) ? wildValue(r) : p;
        api(() => net.setParams(arg));
      }
    })],
    ['json', 3, () => {
      const k = r.between(0, 4);
      if (k === 0) {
        withNet((net) => {
          trail.push(`toJSON (${net.layers})`);
          const text = JSON.stringify(api(() => net.toJSON()));
          jsons.push(text);
          if (jsons.length > 4) jsons.shift();
          // a round trip through JSON text restores the network bit for bit
          const copy = api(() => lab.mlp.fromJSON(text));
          const X = randomFloats(r, 3 * net.inputs, 0);
          // (=== on purpose: JSON writes -0 as 0, a difference no output can show;
          // NaN outputs of an overflowing network count as equal)
          const same = (u, v) => u.length === v.length && u.every((x, i) => x === v[i] || (Number.isNaN(x) && Number.isNaN(v[i])));
          const pc = copy.params(), pn = net.params();
          assert.ok([...pc.W, ...pc.b].every((w, i) => same(w, [...pn.W, ...pn.b][i])), 'fromJSON(toJSON) changed the parameters');
          assert.ok(same(copy.forward(X), net.forward(X)), 'fromJSON(toJSON) computes something else');
          copy.free();
        });
        return;
      }
      let json = jsons.length ? JSON.parse(r.pick(jsons)) : { format: 'mlp-lab', version: 1, layers: [2, 1] };
      if (k === 1) json = r.chance(0.5) ? wildValue(r) : '{"format": "mlp-lab", "version": 1, "layers": [2, ';
      else if (k === 2) {
        const key = r.pick(['layers', 'W', 'b', 'version', 'activation', 'output', 'loss', 'format', 'alpha', 'seed', 'features', 'inputs']);
        json[key] = wildValue(r);
      } else if (k === 3 && Array.isArray(json.W) && json.W.length) json.W[0] = json.W[0].map(() => 1e300);
      trail.push(`fromJSON(${safeJSON(json).slice(0, 80)})`);
      let arg = json;
      if (r.chance(0.5) && json && typeof json === 'object') { try { arg = JSON.stringify(json); } catch { /* BigInt: pass the object */ } }
      const net = api(() => lab.mlp.fromJSON(arg));
      nets.push(net);
    }],
    ['datasets', 4, () => {
      const name = sometimes(r, 0.1, () => r.pick(DATASETS));
      const opts = r.chance(0.1) ? wildValue(r) : {
        n: sometimes(r, 0.15, () => (r.chance(0.01) ? 1e6 : r.between(1, 500))),
        noise: sometimes(r, 0.15, () => r()),
        seed: sometimes(r, 0.1, () => r.between(0, 2 ** 32 - 1)),
      };
      trail.push(`datasets.${safeJSON(name).slice(0, 20)}(${safeJSON(opts)})`);
      if (r.chance(0.1)) { api(() => lab.datasets.info(name)); return; }
      const fn = typeof name === 'string' && Object.prototype.hasOwnProperty.call(lab.datasets, name) && DATASETS.includes(name)
        ? lab.datasets[name] : null;
      if (!fn) { api(() => lab.datasets.info(name)); return; } // unknown names go through info()
      const set = api(() => fn(opts));
      assert.ok(set.X.every(Number.isFinite) && set.y.every(Number.isFinite), 'data set holds non-finite values');
    }],
    ['features', 3, () => {
      const names = randomFeatures(r);
      const d = r.chance(0.7) ? 2 : 1; // the X generated: 2 columns (the default) or 1 (asked for with inputs: 1)
      const opts = d === 2 && r.chance(0.5) ? undefined : r.chance(0.1) ? wildValue(r) : { inputs: sometimes(r, 0.1, () => d) };
      const X = randomX(r, d, 300);
      trail.push(`features(${describeArg(X)}, ${safeJSON(names)}, ${safeJSON(opts)})`);
      const F = api(() => lab.features(X, names, opts));
      const used = opts && opts.inputs === 1 ? 1 : 2; // what the call read: inputs, 2 by default
      assert.ok(F instanceof Float32Array && F.length === rowsOf(X, used) * names.length, 'features: n x names.length values');
      assert.ok(F.every(Number.isFinite), 'features of finite inputs are finite');
    }],
    ['free', 1.5, () => withNet((net) => { trail.push(`free(${net.layers})`); api(() => net.free()); })],
  ];
  const total = ops.reduce((s, o) => s + o[1], 0);

  function withNet(fn) {
    const pool = r.chance(0.85) ? live() : nets;
    if (!pool.length) { nets.push(lab.mlp({ layers: [2, 4, 1], seed: r.between(0, 99) })); return; }
    fn(r.pick(pool));
  }

  for (let i = 0; i < calls; i++) {
    let u = r() * total;
    let op = ops[0];
    for (const o of ops) { if ((u -= o[1]) < 0) { op = o; break; } }
    if (trail.length > 12) trail.splice(0, trail.length - 12);
    try {
      op[2]();
      stats.ok++;
    } catch (e) {
      const ctx = `seed ${seed} (FUZZ_SEED=${seed}), call ${i} (${op[0]}); last calls:\n  ${trail.join('\n  ')}`;
      if (e instanceof assert.AssertionError) { e.message += `\n${ctx}`; throw e; }
      if (e instanceof WebAssembly.RuntimeError) assert.fail(`WebAssembly.RuntimeError escaped: ${e.message}\n${ctx}`);
      assert.ok(fromApi.has(e), `the fuzzer's own code threw (a test bug): ${e && e.stack}\n${ctx}`);
      const allowed = e instanceof TypeError || e instanceof RangeError ||
        (e instanceof DivergedError && (op[0] === 'step' || op[0] === 'gradients'));
      assert.ok(allowed, `${e && e.constructor && e.constructor.name} escaped: ${e && e.message}\n${ctx}`);
      assert.ok(typeof e.message === 'string' && e.message.length > 0, `empty error message\n${ctx}`);
      // the package's own errors name the parameter ("lr: ...", "W[0]: ..."); an
      // engine error ("Cannot convert a Symbol value to a number") leaking out is a bug
      if (!(e instanceof DivergedError)) {
        assert.match(e.message, /^[A-Za-z_][\w.[\]]*: \S/, `${e.name} does not name a parameter: ${e.message}\n${ctx}`);
      }
      if (e instanceof TypeError) stats.type++;
      else if (e instanceof RangeError) stats.range++;
      else stats.diverged++;
    }
    stats.calls++;
    if ((i + 1) % CHECK_EVERY === 0) {
      assert.deepEqual(knownGood(lab), baseline, `the known-good workload changed after call ${i}; seed ${seed}`);
    }
  }
  for (const net of nets) net.free();
  assert.deepEqual(knownGood(lab), baseline, `the known-good workload changed at the end; seed ${seed}`);
  return stats;
}

function safeJSON(v) {
  try {
    return JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'symbol' ? 'Symbol'
      : typeof x === 'function' ? 'fn' : ArrayBuffer.isView(x) ? `${x.constructor.name}(${x.length})`
        : typeof x === 'string' && x.length > 30 ? `${x.slice(0, 30)}...(${x.length})` : x)) ?? String(v);
  } catch { return '?'; }
}

function describeArg(v) {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length})`;
  if (Array.isArray(v)) return `Array(${v.length}${v.length && Array.isArray(v[0]) ? ` x ${v[0].length}` : ''})`;
  return safeJSON(v);
}

// ---- tests -----------------------------------------------------------------------

const builds = simdSupported() ? [true, false] : [false];

for (const simd of builds) {
  describe(`API fuzzer (simd: ${simd})`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });

    it(`${CALLS} random calls only work or throw TypeError/RangeError/DivergedError; memory stays bounded`, (t) => {
      const seed = (SEED + (simd ? 0 : 1)) >>> 0;
      const t0 = performance.now();
      const stats = runFuzz(lab, seed, CALLS);
      const ms = performance.now() - t0;
      const bytes = lab.memory.buffer.byteLength;
      t.diagnostic(`seed ${seed}: ${stats.calls} calls in ${(ms / 1000).toFixed(1)} s (${stats.ok} ok, ` +
        `${stats.type} TypeError, ${stats.range} RangeError, ${stats.diverged} DivergedError; ${stats.nets} networks` +
        '); ' +
        `wasm memory ${(bytes / 2 ** 20).toFixed(1)} MiB (cap ${(MEMORY_CAP / 2 ** 20).toFixed(0)} MiB)`);
      assert.equal(stats.calls, CALLS);
      assert.ok(stats.ok > CALLS / 10, `only ${stats.ok} calls succeeded: the generator hardly reaches the core (seed ${seed})`);
      assert.ok(stats.range > 0 && stats.type > 0, `no errors at all: the generator is too tame (seed ${seed})`);
      assert.ok(bytes <= MEMORY_CAP, `wasm memory grew to ${bytes} bytes, over the ${MEMORY_CAP} cap (seed ${seed})`);
    });

    it('huge n on the widest network: RangeError fast, no trap, the module keeps working', async () => {
      // 130,000 rows need a 2.1 GB activation block: more than wasm32 memory
      // can hold, so the core must answer MLP_ERR_NOMEM, not trap or hang.
      const big = await load({ simd }); // its own instance: this grows memory
      const net = big.mlp({ layers: [1, 256, 256, 256, 256, 256, 256, 256], seed: 1 });
      const n = 130_000;
      const X = new Float32Array(n);
      const Y = new Float32Array(n * 256);
      for (const [name, fn] of [['gradients', () => net.gradients(X, Y)], ['step', () => net.step(X, Y)],
        ['fit', () => net.fit(X, Y, { batchSize: n })]]) {
        const t0 = performance.now();
        assert.throws(fn, (e) => e instanceof RangeError && /memory/.test(e.message), name);
        // A guard against a hang, not a speed goal (5 s was once missed at load average 14).
        assert.ok(performance.now() - t0 < 30000, `${name} took ${performance.now() - t0} ms to refuse`);
      }
      assert.throws(() => big.activate('relu', new Float32Array(2 ** 26 + 1)), RangeError);
      assert.deepEqual(knownGood(big), knownGood(lab), 'the module no longer gives the known results');
      assert.ok(big.memory.buffer.byteLength < 2 ** 30, `memory grew to ${big.memory.buffer.byteLength}`);
      net.free();
    });

    it('no leak: a mixed workload with error paths reaches a steady memory size', () => {
      const X = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
      const workload = () => {
        for (let i = 0; i < 200; i++) {
          const net = lab.mlp({ layers: [2, 16, 16, 3], activation: 'relu', output: 'softmax', seed: i });
          const Y = Float32Array.from({ length: 32 }, (_, k) => (k + i) % 3);
          net.fit(X, Y, { epochs: 2, batchSize: 8, lr: 0.05, optimizer: 'adam' });
          net.evaluate(X, Y);
          for (const bad of [() => net.step(X, Float32Array.of(9), {}), () => net.fit(X, Y, { lr: -1 }),
            () => net.forward(X.subarray(1)), () => net.setParams({ W: [], b: [] }), () => lab.mlp({ layers: [2, 0] }),
            () => lab.mlp.fromJSON({ ...net.toJSON(), W: [[1]] })]) {
            assert.throws(bad, (e) => e instanceof TypeError || e instanceof RangeError);
          }
          lab.activate('tanh', X);
          lab.datasets.spiral({ n: 50 + i, seed: i });
          net.free();
        }
      };
      workload();
      workload(); // warm: every scratch slot at its high-water mark
      const warm = lab.memory.buffer.byteLength;
      for (let k = 0; k < 4; k++) workload();
      assert.equal(lab.memory.buffer.byteLength, warm, 'wasm memory kept growing over identical workloads: a leak');
    });
  });
}

// ---- the two builds against each other ----------------------------------------------

describe('SIMD build against the scalar build on random input', { skip: !simdSupported() && 'no SIMD128 here' }, () => {
  const close = (p, q, rel) => (Number.isNaN(p) && Number.isNaN(q)) || p === q ||
    (Number.isFinite(p) && Number.isFinite(q) && Math.abs(p - q) <= rel * Math.max(1, Math.abs(q)));
  const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, 88.7, -88.7, 89, -89, 9, -9,
    13.75, -13.75, 20, -20, 1e10, -1e10];
  let a, b;
  before(async () => { a = await load({ simd: true }); b = await load({ simd: false }); });

  it('activations and derivatives agree to 1e-5 (NaN where NaN, Inf where Inf), lengths 1..40', (t) => {
    const seed = (SEED + 7) >>> 0;
    const r = rng(seed);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    let calls = 0;
    for (let it = 0; it < 2000; it++) {
      const n = r.between(1, 40);
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = r();
        if (u < 0.2) x[i] = r.pick(SPECIAL);
        else if (u < 0.6) x[i] = (r() - 0.5) * 40;
        else if (u < 0.8) x[i] = (r() - 0.5) * 1e6;
        else { bits[0] = Math.floor(r() * 2 ** 32); x[i] = asFloat[0]; } // any bits
      }
      const opts = { alpha: r.chance(0.5) ? 0.25 : (r() - 0.5) * 4, beta: r.chance(0.5) ? 1 : r() * 10 };
      for (const name of ACTIVATIONS) {
        for (const fn of ['activate', 'derivative']) {
          const ya = a[fn](name, x, opts), yb = b[fn](name, x, opts);
          calls++;
          for (let i = 0; i < n; i++) {
            assert.ok(close(ya[i], yb[i], 1e-5), `${fn}('${name}', ${x[i]}, ${JSON.stringify(opts)}): SIMD ${ya[i]}, scalar ${yb[i]} (seed ${seed})`);
          }
        }
      }
    }
    t.diagnostic(`${calls} calls per build`);
  });

  it('random networks: forward and a training step agree between builds', () => {
    const seed = (SEED + 8) >>> 0;
    const r = rng(seed);
    for (let it = 0; it < 200; it++) {
      const o = randomNetOptions(r);
      let na, nb;
      try { na = a.mlp(o); } catch (e) {
        assert.ok(e instanceof TypeError || e instanceof RangeError, `mlp(): ${e.name}: ${e.message} (seed ${seed})`);
        continue;
      }
      nb = b.mlp(o);
      const n = r.between(1, 9);
      const X = randomFloats(r, n * na.inputs, 0);
      const oa = na.forward(X), ob = nb.forward(X);
      for (let i = 0; i < oa.length; i++) {
        assert.ok(close(oa[i], ob[i], 1e-4), `forward ${JSON.stringify(o)}: ${oa[i]} vs ${ob[i]} (seed ${seed})`);
      }
      const Y = na.config.loss === 'cross_entropy' ? Float32Array.from({ length: n }, () => r.between(0, na.outputs - 1))
        : Float32Array.from({ length: n * na.outputs }, () => r());
      const opt = { lr: 0.01, optimizer: r.pick(OPTIMIZERS) };
      const la = na.step(X, Y, opt), lb = nb.step(X, Y, opt);
      assert.ok(close(la, lb, 1e-4), `step loss ${la} vs ${lb}`);
      // sgd and momentum move by lr g: rounding differences in g stay tiny.
      // Adam's first step moves each weight by about lr sign(g), so a gradient
      // that is ~0 in both builds may move by +lr in one and -lr in the other.
      const slack = opt.optimizer === 'adam' ? 2.02 * opt.lr : 1e-5;
      const pa = na.params(), pb = nb.params();
      pa.W.forEach((w, l) => w.forEach((v, i) => assert.ok(Math.abs(v - pb.W[l][i]) <= slack + 1e-5 * Math.abs(v),
        `${opt.optimizer}: W[${l}][${i}] ${v} vs ${pb.W[l][i]} after a step (seed ${seed})`)));
      na.free();
      nb.free();
    }
  });
});

// ---- the native fuzzer's inputs, replayed in the WebAssembly builds ----------------

// tests/fuzz/fuzz_mlp.c checks its invariants natively under ASan, where the
// SIMD kernels are never compiled. Built with emcc (tests/fuzz/replay.c as
// main), the same harness runs every committed seed, every regression, the
// corpus `make test-fuzz` grew in build/fuzz-corpus, and random inputs through
// both wasm builds; a broken invariant traps and the process exits non-zero.
describe('fuzz inputs replayed in the wasm builds (tests/fuzz/replay.c)', { timeout: 180_000 }, () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const emcc = spawnSync('emcc', ['--version'], { encoding: 'utf8' });
  const skip = emcc.status === 0 ? false : 'emcc is not installed (make deps-emcc)';
  let dir;
  before(async () => { if (!skip) dir = await mkdtemp(join(tmpdir(), 'mlp-lab-replay-')); });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  const inputs = () => {
    const list = [];
    for (const sub of ['tests/fuzz/corpus', 'tests/fuzz/regressions', 'build/fuzz-corpus']) {
      const d = join(root, sub);
      if (existsSync(d)) list.push(...readdirSync(d).map((f) => join(d, f)).slice(0, 20_000));
    }
    return list;
  };

  for (const simd of [false, true]) {
    it(`${simd ? 'SIMD' : 'scalar'} build: every input keeps every invariant`, { skip }, (t) => {
      const out = join(dir, simd ? 'replay-simd.cjs' : 'replay.cjs');
      const build = spawnSync('emcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-O2', ...(simd ? ['-msimd128'] : []),
        '-Isrc', '-sNODERAWFS=1', '-sSINGLE_FILE=1', '-sALLOW_MEMORY_GROWTH=1', '-sEXIT_RUNTIME=1', '-o', out,
        'tests/fuzz/fuzz_mlp.c', 'tests/fuzz/replay.c', ...readdirSync(join(root, 'src')).filter((f) => f.endsWith('.c')).map((f) => `src/${f}`)],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
      assert.equal(build.status, 0, `emcc failed:\n${build.stderr}`);
      const files = inputs();
      const seed = (SEED + (simd ? 9 : 10)) >>> 0;
      const run = spawnSync(process.execPath, [out, ...files, '-r', '30000', String(seed)],
        { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
      const lines = run.stdout.trim().split('\n');
      assert.equal(run.status, 0, `an invariant broke on ${lines.at(-1)} (random inputs from seed ${seed}):\n${run.stderr.slice(0, 2000)}`);
      assert.match(lines.at(-1), new RegExp(`^replayed ${files.length} files and 30000 random inputs$`));
      t.diagnostic(`${files.length} files and 30000 random inputs (seed ${seed})`);
    });
  }
});

// ---- load() -----------------------------------------------------------------------

describe('load() with bad options', () => {
  it('wrong types are a TypeError naming the option; bad bytes reject with a message', async () => {
    for (const [what, options, re] of [['null', null, /options/], ['a string', 'x', /options/],
      ['simd: "yes"', { simd: 'yes' }, /simd/], ['wasm: 123', { wasm: 123 }, /wasm/], ['wasm: {}', { wasm: {} }, /wasm/]]) {
      await assert.rejects(load(options), (e) => e instanceof TypeError && re.test(e.message), what);
    }
    const detached = new Uint8Array(8);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    for (const bytes of [new Uint8Array([1, 2, 3]), detached, new Uint8Array(0)]) {
      await assert.rejects(load({ wasm: bytes }), (e) => e instanceof RangeError && /^wasm: /.test(e.message));
    }
    // and the good path still works afterwards
    const lab = await load({ simd: false });
    assert.equal(lab.activate('relu', [-1, 2])[1], 2);
  });

  // (it used to fail with "exports.mlp_lab_simd is not a function"; fixed in 754aba3)
  it('a valid wasm module that is not mlp-lab is refused naming wasm', async () => {
      const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // (module)
      await assert.rejects(load({ wasm: empty }), (e) => (e instanceof TypeError || e instanceof RangeError) && /\bwasm\b/.test(e.message),
        'load() of an empty module should say that wasm is not an mlp-lab build');
    });
});

// ---- divergence ------------------------------------------------------------------

for (const simd of builds) {
  describe(`divergence (simd: ${simd})`, () => {
    let lab, set;
    before(async () => {
      lab = await load({ simd });
      set = lab.datasets.sin({ n: 64, noise: 0.1, seed: 3 });
    });
    const regression = () => lab.mlp({ layers: [1, 16, 16, 1], activation: 'tanh', output: 'identity', loss: 'mse', seed: 5 });

    it('step: lr 1e6 with sgd on mse throws DivergedError with advice; params finite, with a finite loss; training resumes', () => {
      const net = regression();
      net.step(set.X, set.y, { lr: 0.01 }); // a sane step first
      let threw = null;
      let kept = null, beforePrev = null;
      for (let i = 0; i < 20 && !threw; i++) {
        kept = net.params();
        try { net.step(set.X, set.y, { lr: 1e6, optimizer: 'sgd' }); beforePrev = kept; } catch (e) { threw = e; }
      }
      assert.ok(threw, 'twenty steps at lr 1e6 never diverged');
      assert.ok(threw instanceof DivergedError, `threw ${threw.name}: ${threw.message}`);
      assert.equal(threw.name, 'DivergedError');
      assert.equal(threw.code, 'DIVERGED');
      assert.match(threw.message, /1000000/, 'the message names the learning rate');
      assert.match(threw.message, /lower (the )?learning rate|try 100000\b/i, 'the message gives advice');
      assert.equal(net.diverged, true);
      const after = net.params();
      // refused: unchanged; overshot: back to before the step that overshot
      assert.deepEqual(after, threw.reason === 'overshot' ? beforePrev : kept, `the failing step (${threw.reason}) left the wrong parameters`);
      for (const a of [...after.W, ...after.b]) assert.ok(a.every(Number.isFinite), 'parameters are not all finite');
      const first = net.evaluate(set.X, set.y).loss;
      assert.ok(Number.isFinite(first), 'the kept parameters give an infinite loss');
      // a smaller rate continues from them
      const h = net.fit(set.X, set.y, { epochs: 40, batchSize: 16, lr: 1e-4, optimizer: 'sgd' });
      assert.equal(h.diverged, false);
      assert.equal(net.diverged, false);
      assert.ok(h.loss.every(Number.isFinite));
      assert.ok(net.evaluate(set.X, set.y).loss < first, `training did not resume: ${first} -> ${net.evaluate(set.X, set.y).loss}`);
      net.free();
    });

    it('fit: lr 1e6 returns history.diverged true with a message; params finite; net.diverged; resumes', () => {
      const net = regression();
      const h = net.fit(set.X, set.y, { epochs: 50, batchSize: 16, lr: 1e6, optimizer: 'sgd' });
      assert.equal(h.diverged, true, 'fit at lr 1e6 did not report divergence');
      assert.equal(net.diverged, true);
      assert.ok(h.loss.length < 50, 'fit kept going after diverging');
      assert.ok(h.loss.every(Number.isFinite), 'the history holds a non-finite loss');
      assert.equal(typeof h.error, 'string');
      assert.match(h.error, /diverged/);
      const p = net.params();
      for (const a of [...p.W, ...p.b]) assert.ok(a.every(Number.isFinite), 'parameters are not all finite after a diverged fit');
      assert.ok(Number.isFinite(net.evaluate(set.X, set.y).loss), 'a diverged fit left an infinite training loss');
      const h2 = net.fit(set.X, set.y, { epochs: 30, batchSize: 16, lr: 1e-3 });
      assert.equal(h2.diverged, false);
      assert.equal(net.diverged, false);
      assert.ok(h2.loss.at(-1) < h2.loss[0]);
      net.free();
    });

    it('momentum and adam at lr 1e6 diverge or stay finite, never corrupt the parameters', () => {
      for (const optimizer of ['momentum', 'adam']) {
        const net = regression();
        const h = net.fit(set.X, set.y, { epochs: 20, batchSize: 8, lr: 1e6, optimizer });
        const p = net.params();
        for (const a of [...p.W, ...p.b]) assert.ok(a.every(Number.isFinite), `${optimizer}: non-finite parameters (diverged ${h.diverged})`);
        assert.ok(h.loss.every(Number.isFinite));
        net.free();
      }
    });

    it('the largest float32 learning rate never leaves non-finite parameters', () => {
      // lr = 3e38 is finite in float32; an update of lr * g overflows to
      // -Inf. The step must then fail as diverged (parameters kept), not
      // report success with infinite weights.
      // targets of +-50 give the output bias a gradient of about 20: 3e38 * 20 overflows
      const net = regression();
      const X = Float32Array.of(-2, -1, 0, 1, 2);
      const Y = Float32Array.of(50, -50, 50, -50, 50);
      const before = net.params();
      let err = null;
      try { net.step(X, Y, { lr: 3e38, optimizer: 'sgd' }); } catch (e) { err = e; }
      const p = net.params();
      const finite = [...p.W, ...p.b].every((a) => a.every(Number.isFinite));
      assert.ok(finite, `step at lr 3e38 ${err ? `threw ${err.name}` : 'returned normally'} and left infinite parameters`);
      if (err) assert.deepEqual(p, before);
      net.free();
    });

    // (lr 1e39 used to come back as "X: rejected by the core", alpha 1e39 as
    // "layers: ... out of memory?"; fixed in 754aba3)
    it('hyperparameters that float32 cannot hold are refused naming the parameter', () => {
      const net = regression();
      for (const lr of [1e39, 1e-50]) {
        assert.throws(() => net.step(set.X, set.y, { lr }), (e) => (e instanceof RangeError || e instanceof TypeError) && /\blr\b/.test(e.message),
          `lr ${lr}`);
      }
      assert.throws(() => net.step(set.X, set.y, { lr: 0.1, l2: 1e39 }), (e) => e instanceof RangeError && /\bl2\b/.test(e.message), 'l2 1e39');
      assert.throws(() => lab.mlp({ layers: [2, 1], activation: 'prelu', alpha: 1e39 }), (e) => e instanceof RangeError && /\balpha\b/.test(e.message), 'alpha 1e39');
      net.free();
    });
  });
}
