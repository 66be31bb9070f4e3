// A network: lab.mlp(options) and lab.mlp.fromJSON(json). Every number is
// computed by the C core (src/mlp.c); this class checks arguments, stages
// arrays in wasm memory and turns statuses into errors.

import { ACTIVATIONS, OUTPUTS, LOSSES, OPTIMIZERS, INITS, FEATURES, MAX_HIDDEN, MAX_WIDTH } from './names.js';
import {
  describe, nameIndex, finiteNumber, integer, boolean, options, own, floatArray, allFinite,
} from './checks.js';
import { OK, ERR_LABEL, ERR_NONFINITE, ERR_OVERSHOT, DivergedError, statusError } from './errors.js';
import { featureIds, checkFeatureInputs } from './features.js';
import { linearRegions } from './regions.js';

// Largest batch one call of forward/hidden/evaluate hands to C: bounds the
// activations block whatever the caller passes.
const CHUNK_ROWS = 4096;
// |y| from which y^2 overflows float32: the squared loss of such a target is infinite.
const MSE_TARGET_MAX = 2 ** 64;
// collapse().rank counts the singular values above this fraction of the largest.
const RANK_RTOL = 1e-5;
// convert(): the pairs of hidden activations that compute the same functions.
const CONVERSIONS = Object.freeze({ sigmoid: 'tanh', tanh: 'sigmoid' });

const DEFAULT_LOSS = { identity: 'mse', sigmoid: 'bce', softmax: 'cross_entropy' };
const DEFAULT_OUTPUT = { mse: 'identity', bce: 'sigmoid', cross_entropy: 'softmax' };
const PAIRS = new Set(['identity/mse', 'sigmoid/mse', 'softmax/mse', 'sigmoid/bce', 'softmax/cross_entropy']);

export const NETWORK_KEYS = Object.freeze(['layers', 'activation', 'output', 'loss', 'init', 'seed', 'alpha', 'beta',
  'features', 'inputs']);
export const STEP_KEYS = Object.freeze(['lr', 'optimizer', 'l2']);
export const FIT_KEYS = Object.freeze([...STEP_KEYS, 'epochs', 'batchSize', 'shuffle', 'onEpoch', 'until']);
const UNTIL_KEYS = Object.freeze(['loss', 'accuracy']);
const JSON_KEYS = Object.freeze(['format', 'version', ...NETWORK_KEYS, 'W', 'b']);

/** The defaults of lab.mlp() and of step()/fit(), as README lists them. */
export const DEFAULTS = Object.freeze({
  activation: 'relu', init: 'xavier', seed: 0, alpha: 0.25, beta: 1,
  lr: 0.01, optimizer: 'sgd', l2: 0, epochs: 1, batchSize: 32, shuffle: true,
});

function networkConfig(value) {
  const o = options(value, 'options', NETWORK_KEYS);
  const { layers } = o;
  if (!Array.isArray(layers)) throw new TypeError(`layers: expected an array of widths like [2, 8, 1], got ${describe(layers)}`);
  if (layers.length < 2) throw new RangeError(`layers: needs at least an input and an output width, got ${layers.length} entr${layers.length === 1 ? 'y' : 'ies'}`);
  if (layers.length > MAX_HIDDEN + 2) throw new RangeError(`layers: at most ${MAX_HIDDEN} hidden layers, got ${layers.length - 2}`);
  const widths = Array.from(layers, (w, i) => integer(w, `layers[${i}]`, 1, MAX_WIDTH));
  const activation = o.activation ?? DEFAULTS.activation;
  nameIndex(ACTIVATIONS, activation, 'activation');
  let { output, loss } = o;
  if (output === undefined && loss === undefined) output = 'identity';
  if (output === undefined) { nameIndex(LOSSES, loss, 'loss'); output = DEFAULT_OUTPUT[loss]; }
  nameIndex(OUTPUTS, output, 'output');
  if (loss === undefined) loss = DEFAULT_LOSS[output];
  nameIndex(LOSSES, loss, 'loss');
  if (!PAIRS.has(`${output}/${loss}`)) {
    throw new RangeError(`loss: ${loss} does not go with output ${output}; use mse (any output), bce (sigmoid) or cross_entropy (softmax)`);
  }
  const q = widths[widths.length - 1];
  if (output === 'softmax' && q < 2) throw new RangeError(`layers: softmax needs at least 2 outputs, got ${q}`);
  const init = o.init ?? DEFAULTS.init;
  nameIndex(INITS, init, 'init');
  const seed = integer(o.seed ?? DEFAULTS.seed, 'seed', 0, 0xffffffff);
  const alpha = finiteNumber(o.alpha ?? DEFAULTS.alpha, 'alpha');
  const beta = finiteNumber(o.beta ?? DEFAULTS.beta, 'beta');
  const config = { layers: widths, activation, output, loss, init, seed, alpha, beta };
  // With features, X has `inputs` columns (2 unless inputs: 1) and layer 0 takes the features.
  if (o.features !== undefined) {
    const inputs = integer(o.inputs ?? 2, 'inputs', 1, 2);
    const features = featureIds(o.features, 'features', inputs).map((id) => FEATURES[id]);
    if (widths[0] !== features.length) {
      throw new RangeError(`layers[0]: the first layer takes the ${features.length} feature${features.length === 1 ? '' : 's'}, ` +
        `so layers[0] must be ${features.length}, got ${widths[0]}`);
    }
    return { ...config, features: Object.freeze(features), inputs };
  }
  if (o.inputs !== undefined && integer(o.inputs, 'inputs', 1, MAX_WIDTH) !== widths[0]) {
    throw new RangeError(`inputs: without features the network takes layers[0] = ${widths[0]} inputs, got ${o.inputs}`);
  }
  return config;
}

function trainOptions(value, keys) {
  const o = options(value, 'options', keys);
  const lr = finiteNumber(o.lr ?? DEFAULTS.lr, 'lr', { min: 0, minExclusive: true });
  const optimizer = o.optimizer ?? DEFAULTS.optimizer;
  const l2 = finiteNumber(o.l2 ?? DEFAULTS.l2, 'l2', { min: 0 });
  return { o, lr, l2, opt: nameIndex(OPTIMIZERS, optimizer, 'optimizer') };
}

function untilOptions(value) {
  if (value === undefined) return null;
  const u = options(value, 'until', UNTIL_KEYS, 'until.');
  const loss = u.loss === undefined ? null : finiteNumber(u.loss, 'until.loss', { min: 0 });
  const accuracy = u.accuracy === undefined ? null : finiteNumber(u.accuracy, 'until.accuracy', { min: 0, max: 1 });
  if (loss === null && accuracy === null) throw new RangeError('until: give until.loss, until.accuracy or both');
  return { loss, accuracy };
}

function maxAbs(data) {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]));
  return m;
}

export class MLP {
  #core; // the lab's wasm instance (core.js)
  #x;
  #ptr;
  #offsets; // [{w, b, fanIn, fanOut}] float offsets into the params/grads blocks
  #nParams;
  #featureIds = null; // FEATURES indices, or null for raw inputs

  constructor(core, options) {
    const config = networkConfig(options);
    this.#core = core;
    this.#x = core.exports;
    const x = this.#x;
    const L = config.layers.length;
    const sizes = core.alloc(L * 4, 'layers');
    new Int32Array(x.memory.buffer, sizes, L).set(config.layers);
    const ptr = x.mlp_create(sizes, L, ACTIVATIONS.indexOf(config.activation), OUTPUTS.indexOf(config.output),
      LOSSES.indexOf(config.loss), INITS.indexOf(config.init), config.alpha, config.beta, config.seed >>> 0);
    core.free(sizes);
    if (!ptr) throw new RangeError('layers: the core could not create this network (out of memory?)');
    // (own properties: config is a plain object, and Object.prototype may be polluted)
    const withFeatures = Object.hasOwn(config, 'features');
    if (withFeatures) {
      const ids = config.features.map((name) => FEATURES.indexOf(name));
      const pids = core.alloc(ids.length * 4, 'features');
      new Int32Array(x.memory.buffer, pids, ids.length).set(ids);
      const rc = x.mlp_set_features(ptr, pids, ids.length, config.inputs);
      core.free(pids);
      if (rc !== OK) { x.mlp_free(ptr); throw statusError(rc, 'features'); }
      this.#featureIds = ids;
    }
    this.#ptr = ptr;
    core.track(this, ptr);
    /** The configuration, every default filled in (frozen). */
    this.config = Object.freeze({ ...config, layers: Object.freeze(config.layers) });
    this.layers = this.config.layers;
    /** Columns of X: layers[0], or with features the raw width (config.inputs). */
    this.inputs = withFeatures ? config.inputs : config.layers[0];
    this.outputs = config.layers[L - 1];
    this.diverged = false;
    this.#offsets = [];
    for (let l = 0; l < L - 1; l++) {
      this.#offsets.push({ w: x.mlp_w_offset(ptr, l), b: x.mlp_b_offset(ptr, l), fanIn: config.layers[l], fanOut: config.layers[l + 1] });
    }
    this.#nParams = x.mlp_num_params(ptr);
  }

  #live() {
    if (!this.#ptr) throw new TypeError('net: this network was freed; create a new one with lab.mlp()');
    return this.#ptr;
  }

  // X as a Float32Array of n x d, with n.
  #inputs(X) {
    const { data, width } = floatArray(X, 'X');
    const d = this.inputs;
    if (width && width !== d) throw new RangeError(`X: rows have ${width} values, the network takes ${d}`);
    if (data.length === 0 || data.length % d !== 0) {
      throw new RangeError(`X: length ${data.length} is not a positive multiple of the ${d} inputs`);
    }
    allFinite(data, 'X');
    if (this.#featureIds) checkFeatureInputs(data, d, this.#featureIds, 'X');
    return { X: data, n: data.length / d };
  }

  // Y checked against n rows: class indices for cross_entropy, else n x q targets.
  #targets(Y, n) {
    const { data } = floatArray(Y, 'Y');
    const q = this.outputs;
    const { loss } = this.config;
    if (loss === 'cross_entropy') {
      if (data.length !== n) throw new RangeError(`Y: expected ${n} class indices (one per row of X), got ${data.length}`);
      for (let i = 0; i < n; i++) {
        const c = data[i];
        if (!Number.isInteger(c) || c < 0 || c >= q) {
          throw new RangeError(`Y: label ${c} at index ${i} is not an integer class index in [0, ${q})`);
        }
      }
    } else {
      if (data.length !== n * q) throw new RangeError(`Y: expected ${n * q} targets (${n} rows x ${q} outputs), got ${data.length}`);
      // One pass (batches can be large): bce needs [0, 1]; the squared loss
      // of a target past 2^64 is infinite. NaN fails either test.
      const bce = loss === 'bce';
      const ok = bce ? (v) => v >= 0 && v <= 1 : (v) => v > -MSE_TARGET_MAX && v < MSE_TARGET_MAX;
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (ok(v)) continue;
        if (!Number.isFinite(v)) throw new RangeError(`Y: element ${i} is ${v}; every value must be finite`);
        if (bce) throw new RangeError(`Y: target ${v} at index ${i} is outside [0, 1], which bce needs`);
        throw new RangeError(`Y: target ${v} at index ${i} is too large for the squared loss: its square ` +
          `overflows float32, so the loss would be infinite; scale the targets below ${MSE_TARGET_MAX.toExponential(2)}`);
      }
    }
    return data;
  }

  // Copies X (and Y) into the lab's scratch slots; returns their pointers.
  #stage(X, Y) {
    const core = this.#core;
    const px = core.scratch(0, X.length * 4, 'X');
    const py = Y ? core.scratch(1, Y.length * 4, 'Y') : 0;
    const f32 = core.f32();
    f32.set(X, px >> 2);
    if (Y) f32.set(Y, py >> 2);
    return { px, py };
  }

  // Runs the network over X in chunks of rows; visit(row0, rows) reads results.
  #chunks(X, n, visit) {
    const ptr = this.#live();
    const d = this.inputs;
    for (let r = 0; r < n; r += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - r);
      const { px } = this.#stage(X.subarray(r * d, (r + rows) * d));
      const rc = this.#x.mlp_forward(ptr, px, rows);
      if (rc !== OK) throw statusError(rc, 'X');
      visit(r, rows);
    }
  }

  /** Outputs (n x q) for X (n x d). */
  forward(X) {
    const { X: data, n } = this.#inputs(X);
    const q = this.outputs;
    const out = new Float32Array(n * q);
    this.#chunks(data, n, (r, rows) => {
      const p = this.#x.mlp_output(this.#ptr) >> 2;
      out.set(this.#core.f32().subarray(p, p + rows * q), r * q);
    });
    return out;
  }

  /** Each hidden layer's activations for X: Float32Array (n x width) per layer. */
  hidden(X) {
    const { X: data, n } = this.#inputs(X);
    const widths = this.layers.slice(1, -1);
    const outs = widths.map((w) => new Float32Array(n * w));
    this.#chunks(data, n, (r, rows) => {
      const f32 = this.#core.f32();
      widths.forEach((w, h) => {
        const p = this.#x.mlp_hidden(this.#ptr, h + 1) >> 2;
        outs[h].set(f32.subarray(p, p + rows * w), r * w);
      });
    });
    return outs;
  }

  #copyBlock(blockPtr) {
    const f32 = this.#core.f32();
    const base = blockPtr >> 2;
    return {
      W: this.#offsets.map(({ w, fanIn, fanOut }) => f32.slice(base + w, base + w + fanIn * fanOut)),
      b: this.#offsets.map(({ b, fanOut }) => f32.slice(base + b, base + b + fanOut)),
    };
  }

  /** Copies of the parameters: W[l] (fan_in x fan_out, row-major) and b[l]. */
  params() {
    return this.#copyBlock(this.#x.mlp_params(this.#live()));
  }

  /** Replaces the parameters (same shapes as params()). Clears `diverged`. */
  setParams(params) {
    const ptr = this.#live();
    const { W, b } = options(params, 'params', ['W', 'b']);
    const L = this.#offsets.length;
    if (!Array.isArray(W) || W.length !== L) throw new RangeError(`W: expected an array of ${L} weight matrices`);
    if (!Array.isArray(b) || b.length !== L) throw new RangeError(`b: expected an array of ${L} bias vectors`);
    const block = new Float32Array(this.#nParams);
    this.#offsets.forEach(({ w: wo, b: bo, fanIn, fanOut }, l) => {
      const w = floatArray(W[l], `W[${l}]`).data;
      const v = floatArray(b[l], `b[${l}]`).data;
      if (w.length !== fanIn * fanOut) throw new RangeError(`W[${l}]: expected ${fanIn * fanOut} values (${fanIn} x ${fanOut}), got ${w.length}`);
      if (v.length !== fanOut) throw new RangeError(`b[${l}]: expected ${fanOut} values, got ${v.length}`);
      allFinite(w, `W[${l}]`);
      allFinite(v, `b[${l}]`);
      block.set(w, wo);
      block.set(v, bo);
    });
    const { px } = this.#stage(block);
    const rc = this.#x.mlp_set_params(ptr, px);
    if (rc !== OK) throw statusError(rc, 'params');
    this.diverged = false;
  }

  /** Loss on (X, Y) and its gradients (without weight decay). */
  gradients(X, Y) {
    const ptr = this.#live();
    const { X: data, n } = this.#inputs(X);
    const targets = this.#targets(Y, n);
    const { px, py } = this.#stage(data, targets);
    const lossPtr = this.#core.scratch(2, 8, 'loss');
    const rc = this.#x.mlp_gradients(ptr, lossPtr, px, py, n);
    const loss = this.#core.f32()[lossPtr >> 2];
    if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
    if (!Number.isFinite(loss)) throw new DivergedError({ reason: 'loss', loss });
    const { W, b } = this.#copyBlock(this.#x.mlp_grads(ptr));
    return { loss, dW: W, db: b };
  }

  /**
   * One example forward and its gradient back, number by number (the book's
   * forward and backward propagation), computed by the core's training code:
   * x one raw input row, y its target (a class index for cross_entropy, else
   * the q target values). Returns { loss, input, z, h, dz, dW, db }: input the
   * network's input row (after features), and per weight layer l: z[l] =
   * h[l-1] W[l] + b[l], h[l] its activation (the output function for the
   * last), dz[l] = dloss/dz[l], dW[l] = outer(h[l-1], dz[l]) (fan_in x fan_out,
   * row-major), db[l] = dz[l]. Parameters, gradients and optimizer state are
   * left as they were.
   */
  trace(x, y) {
    const ptr = this.#live();
    const { data } = floatArray(x, 'x');
    const d = this.inputs, q = this.outputs;
    if (data.length !== d) throw new RangeError(`x: expected one input row of ${d} values, got ${data.length}`);
    allFinite(data, 'x');
    const ce = this.config.loss === 'cross_entropy';
    const target = typeof y === 'number' ? Float32Array.of(y) : floatArray(y, 'y').data;
    if (ce) {
      const c = target[0];
      if (target.length !== 1 || !Number.isInteger(c) || c < 0 || c >= q) {
        throw new RangeError(`y: expected a class index, an integer from 0 to ${q - 1}, got ${target.length === 1 ? c : `${target.length} values`}`);
      }
    } else {
      if (target.length !== q) throw new RangeError(`y: expected ${q} target value${q === 1 ? '' : 's'}, got ${target.length}`);
      try { this.#targets(target, 1); } catch (e) { throw new RangeError(e.message.replace(/^Y: /, 'y: ')); }
    }
    const size = this.#x.mlp_trace_size(ptr);
    const { px, py } = this.#stage(data, target);
    const out = this.#core.scratch(2, size * 4, 'x');
    const rc = this.#x.mlp_trace(ptr, out, px, py);
    if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'y' : 'x');
    const f32 = this.#core.f32();
    let at = out >> 2;
    const take = (k) => f32.slice(at, (at += k));
    const loss = f32[at];
    at += 2;
    const input = take(this.layers[0]);
    const widths = this.layers.slice(1);
    const z = widths.map(take), h = widths.map(take), dz = widths.map(take);
    const base = at;
    return {
      loss, input, z, h, dz,
      dW: this.#offsets.map(({ w, fanIn, fanOut }) => f32.slice(base + w, base + w + fanIn * fanOut)),
      db: this.#offsets.map(({ b, fanOut }) => f32.slice(base + b, base + b + fanOut)),
    };
  }

  /** L2 norm of each layer's weight gradient from the last gradients/step/fit. */
  gradNorms() {
    const ptr = this.#live();
    const f32 = this.#core.f32();
    const base = this.#x.mlp_grads(ptr) >> 2;
    return this.#offsets.map(({ w, fanIn, fanOut }) => {
      let s = 0;
      for (let i = base + w, end = i + fanIn * fanOut; i < end; i++) s += f32[i] * f32[i];
      return Math.sqrt(s);
    });
  }

  // The DivergedError for a refused (ERR_NONFINITE) or undone (ERR_OVERSHOT)
  // update; restored: what fit() put back instead (DivergedError).
  #diverged(rc, lr, loss, X, restored = null) {
    this.diverged = true;
    if (rc === ERR_OVERSHOT) return new DivergedError({ reason: 'overshot', lr: this.#x.mlp_last_lr(this.#ptr), loss, restored });
    if (Number.isFinite(loss)) return new DivergedError({ reason: 'update', lr, loss, restored });
    return new DivergedError({ reason: 'parameters', loss, inputMax: maxAbs(X) });
  }

  /** One optimizer update on this batch; returns the batch loss before it.
   *  options: { lr = 0.01, optimizer = 'sgd', l2 = 0 }. Throws DivergedError. */
  step(X, Y, options) {
    const ptr = this.#live();
    const { lr, l2, opt } = trainOptions(options, STEP_KEYS);
    const { X: data, n } = this.#inputs(X);
    const targets = this.#targets(Y, n);
    const { px, py } = this.#stage(data, targets);
    const lossPtr = this.#core.scratch(2, 8, 'loss');
    const rc = this.#x.mlp_step(ptr, lossPtr, px, py, n, opt, lr, l2);
    const loss = this.#core.f32()[lossPtr >> 2];
    if (rc === ERR_NONFINITE || rc === ERR_OVERSHOT) throw this.#diverged(rc, lr, loss, data);
    if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
    this.diverged = false;
    return loss;
  }

  // Loss and right answers over n staged rows at px / py, in chunks; total: what
  // the count is out of (0 for an identity output, which has no accuracy).
  #score(px, py, n) {
    const d = this.inputs, q = this.outputs;
    const ycols = this.config.loss === 'cross_entropy' ? 1 : q;
    const res = this.#core.scratch(2, 8, 'loss');
    let lossSum = 0, correct = 0;
    for (let r = 0; r < n; r += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - r);
      const rc = this.#x.mlp_evaluate(this.#ptr, res, res + 4, px + r * d * 4, py + r * ycols * 4, rows);
      if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
      lossSum += this.#core.f32()[res >> 2] * rows;
      correct += new Int32Array(this.#x.memory.buffer, res + 4, 1)[0];
    }
    const out = this.config.output;
    const total = out === 'softmax' ? n : out === 'sigmoid' ? n * q : 0;
    return { loss: lossSum / n, correct, total, accuracy: total ? correct / total : null };
  }

  /**
   * Mini-batch training. options: { epochs = 1, batchSize = min(32, n),
   * lr = 0.01, optimizer = 'sgd', l2 = 0, shuffle = true,
   * onEpoch(epoch, loss, net), until: { loss, accuracy } }.
   * onEpoch may return false to stop; until stops at the end of the first
   * epoch whose training loss (as history.loss has it: the mean over the
   * epoch's mini-batches) <= until.loss or whose training accuracy (over all
   * of X, after the epoch) >= until.accuracy; onEpoch sees that epoch too.
   * Returns { loss: number[], epochs, diverged, stopped, error? }; on divergence
   * the network keeps parameters with a finite loss on (X, Y) (see README).
   */
  fit(X, Y, options) {
    this.#live();
    const { o, lr, l2, opt } = trainOptions(options, FIT_KEYS);
    const epochs = integer(o.epochs ?? DEFAULTS.epochs, 'epochs', 0, 1e7);
    const { X: data, n } = this.#inputs(X);
    const batchSize = integer(o.batchSize ?? Math.min(DEFAULTS.batchSize, n), 'batchSize', 1, 1 << 20);
    const shuffle = boolean(o.shuffle ?? DEFAULTS.shuffle, 'shuffle');
    const onEpoch = o.onEpoch;
    if (onEpoch !== undefined && typeof onEpoch !== 'function') throw new TypeError(`onEpoch: expected a function, got ${describe(onEpoch)}`);
    const until = untilOptions(o.until);
    if (until && until.accuracy !== null && this.config.output === 'identity') {
      throw new RangeError('until.accuracy: a network with an identity output (regression) has no accuracy; use until.loss');
    }
    const targets = this.#targets(Y, n);
    const core = this.#core;
    const P = this.#nParams;
    // Own allocations: onEpoch may call evaluate(), which uses the scratch slots.
    // saved: three parameter blocks: at the start of the fit, of the epoch
    // with the lowest loss so far, and of the current epoch.
    const px = core.alloc(data.length * 4, 'X');
    let py = 0, lossPtr = 0, saved = 0;
    const history = { loss: [], epochs: 0, diverged: false, stopped: 'epochs' };
    try {
      py = core.alloc(targets.length * 4, 'Y');
      lossPtr = core.alloc(8, 'loss');
      saved = core.alloc(3 * P * 4, 'layers');
      const f32 = core.f32();
      f32.set(data, px >> 2);
      f32.set(targets, py >> 2);
      const FIT_START = 0, BEST = 1, EPOCH_START = 2;
      const block = (k) => (saved >> 2) + k * P;
      const params = () => this.#x.mlp_params(this.#ptr) >> 2;
      const keep = (k) => core.f32().copyWithin(block(k), params(), params() + P);
      keep(FIT_START);
      keep(BEST);
      const updates0 = this.#x.mlp_updates(this.#ptr);
      let best = { epoch: 0, loss: Infinity };
      for (let e = 0; e < epochs; e++) {
        keep(EPOCH_START);
        const rc = this.#x.mlp_train_epoch(this.#live(), lossPtr, px, py, n, Math.min(batchSize, n), shuffle ? 1 : 0, opt, lr, l2);
        if (rc === ERR_NONFINITE || rc === ERR_OVERSHOT) {
          // A diverging run grows for a while before it overflows: go back to
          // where its loss was lowest (else to the fit's start), with the
          // optimizer state reset, so that a lower rate trains on from there.
          const loss = core.f32()[lossPtr >> 2];
          // Updates of this fit still applied: none means the parameters are
          // the fit's start (or, below zero, the core undid an earlier call's
          // update): what the core left stands.
          const own = (this.#x.mlp_updates(this.#ptr) - updates0) | 0;
          let restored = null;
          if (own > 0) {
            this.#x.mlp_set_params(this.#ptr, block(BEST) * 4);
            this.#x.mlp_reset_optimizer(this.#ptr);
            restored = best.loss < Infinity
              ? `the parameters it had at the start of epoch ${best.epoch} (loss ${best.loss.toPrecision(4)}), the lowest-loss epoch of this fit,`
              : 'the parameters it had when this fit began';
          }
          if (!Number.isFinite(this.#score(px, py, n).loss)) {
            this.#x.mlp_set_params(this.#ptr, block(FIT_START) * 4);
            this.#x.mlp_reset_optimizer(this.#ptr);
            restored = 'the parameters it had when this fit began';
          }
          const err = this.#diverged(rc, lr, loss, data, restored);
          history.diverged = true;
          history.stopped = 'diverged';
          history.error = err.message;
          break;
        }
        if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
        this.diverged = false;
        const loss = core.f32()[lossPtr >> 2];
        if (loss < best.loss) {
          best = { epoch: e, loss };
          core.f32().copyWithin(block(BEST), block(EPOCH_START), block(EPOCH_START) + P);
        }
        history.loss.push(loss);
        history.epochs = e + 1;
        // The bound is checked before onEpoch, which may change the network;
        // onEpoch still sees the epoch that met it.
        const met = until !== null && ((until.loss !== null && loss <= until.loss) ||
          (until.accuracy !== null && this.#score(px, py, n).accuracy >= until.accuracy));
        const more = onEpoch ? onEpoch(e, loss, this) !== false : true;
        if (met || !more) {
          history.stopped = met ? 'until' : 'callback';
          break;
        }
      }
    } finally {
      core.free(px); core.free(py); core.free(lossPtr); core.free(saved);
    }
    return history;
  }

  /** { loss, accuracy } over (X, Y); accuracy is the exact fraction right
   *  (correct / n, or / n q for sigmoid outputs), null for an identity
   *  output, which reports { rmse, r2 } instead. */
  evaluate(X, Y) {
    this.#live();
    const { X: data, n } = this.#inputs(X);
    const targets = this.#targets(Y, n);
    const q = this.outputs;
    const ce = this.config.loss === 'cross_entropy';
    const d = this.inputs;
    const out = new Float32Array(n * q);
    let lossSum = 0, correct = 0;
    for (let r = 0; r < n; r += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - r);
      const ty = ce ? targets.subarray(r, r + rows) : targets.subarray(r * q, (r + rows) * q);
      const { px, py } = this.#stage(data.subarray(r * d, (r + rows) * d), ty);
      const s = this.#score(px, py, rows);
      lossSum += s.loss * rows;
      correct += s.correct;
      const p = this.#x.mlp_output(this.#ptr) >> 2;
      out.set(this.#core.f32().subarray(p, p + rows * q), r * q);
    }
    const loss = lossSum / n;
    const output = this.config.output;
    if (output !== 'identity') return { loss, accuracy: correct / (output === 'sigmoid' ? n * q : n) };
    let sse = 0, mean = 0, sst = 0;
    for (let i = 0; i < targets.length; i++) mean += targets[i];
    mean /= targets.length;
    for (let i = 0; i < targets.length; i++) {
      sse += (out[i] - targets[i]) ** 2;
      sst += (targets[i] - mean) ** 2;
    }
    return { loss, accuracy: null, rmse: Math.sqrt(sse / targets.length), r2: sst > 0 ? 1 - sse / sst : null };
  }

  // The parameters and the layer sizes in wasm memory, for the core's
  // functions over a parameter block (src/mlp_lab.h, "the chapter's
  // exercises"): sizes and an int32 out slot live in scratch slot 2.
  #block() {
    const ptr = this.#live();
    const n = this.layers.length;
    const sizes = this.#core.scratch(2, n * 4 + 8, 'layers');
    new Int32Array(this.#x.memory.buffer, sizes, n).set(this.layers);
    return { x: this.#x, core: this.#core, params: this.#x.mlp_params(ptr), sizes, n, out32: sizes + n * 4 };
  }

  /**
   * The chapter's proof that stacked affine layers are one affine map: with
   * every hidden activation identity, W = W1 W2 ... WL (d x q) and
   * b = (...(b1 W2 + b2) W3 ...) + bL, computed by the core in float64 and
   * returned as float32; rank: the numerical rank of W (singular values above
   * 1e-5 of the largest), singularValues: W's, decreasing (float64).
   * forward(X) equals X W + b when the output is identity.
   * With features, W maps the features (layers[0] rows), not X.
   */
  collapse() {
    this.#live();
    if (this.layers.length > 2 && this.config.activation !== 'identity') {
      throw new RangeError(`activation: collapse() needs the identity activation, this network uses ${this.config.activation}`);
    }
    const { x, params, sizes, n } = this.#block();
    const d = this.inputs, q = this.outputs, k = Math.min(d, q);
    const W = this.#core.scratch(0, (d * q + q) * 8, 'params'), b = W + d * q * 8;
    const sv = this.#core.scratch(1, k * 8, 'params');
    const rc = x.affine_product(W, b, params, sizes, n);
    const rank = rc === OK ? x.linalg_rank(sv, W, d, q, RANK_RTOL) : rc;
    if (rank < 0) throw statusError(rank, 'params'); // finite float32 parameters cannot overflow it
    const f64 = new Float64Array(x.memory.buffer);
    return {
      W: Float32Array.from(f64.subarray(W / 8, W / 8 + d * q)), b: Float32Array.from(f64.subarray(b / 8, b / 8 + q)),
      rank, singularValues: f64.slice(sv / 8, sv / 8 + k),
    };
  }

  /** Exercise 4: the linear regions of a relu/prelu/identity network (README). 1 input:
   *  ({ from, to }) -> { breakpoints, pieces }; 2 inputs: ({ range, resolution }) -> { regions, patterns }. */
  linearRegions(options) {
    return linearRegions(this.#block(), this.config, options);
  }

  /** Exercise 5.2: the tanh network computing the same function as this sigmoid one,
   *  or the sigmoid network for this tanh one: a new network, the same layers, output and loss. */
  convert(activation) {
    this.#live();
    const to = nameIndex(ACTIVATIONS, activation, 'activation');
    const from = this.config.activation;
    if (CONVERSIONS[from] !== activation) {
      throw new RangeError(`activation: convert() turns a sigmoid network into 'tanh' or a tanh network into 'sigmoid'; ` +
        `this network uses ${from}${CONVERSIONS[from] ? `, so ask for '${CONVERSIONS[from]}'` : ''}`);
    }
    const { x, params, sizes, n } = this.#block();
    const out = this.#core.scratch(0, this.#nParams * 4, 'activation');
    const rc = x.convert_params(out, params, sizes, n, ACTIVATIONS.indexOf(from), to);
    if (rc === ERR_NONFINITE) throw new RangeError(`activation: a parameter of the ${activation} network would overflow float32`);
    if (rc !== OK) throw statusError(rc, 'activation');
    const net = new MLP(this.#core, { ...this.config, activation });
    x.mlp_set_params(net.#ptr, out);
    return net;
  }

  /** Forgets optimizer state (momentum, Adam moments and step count). */
  resetOptimizer() { this.#x.mlp_reset_optimizer(this.#live()); }

  /** A plain object (numbers only) that fromJSON restores exactly. */
  toJSON() {
    this.#live();
    const { W, b } = this.params();
    return {
      format: 'mlp-lab', version: 1, ...this.config, layers: [...this.layers],
      W: W.map((a) => Array.from(a)), b: b.map((a) => Array.from(a)),
    };
  }

  static fromJSON(core, json) {
    let obj = json;
    if (typeof json === 'string') {
      try { obj = JSON.parse(json); } catch (e) { throw new TypeError(`json: not valid JSON (${e.message})`); }
    }
    if (obj === null || typeof obj !== 'object' || own(obj, 'format') !== 'mlp-lab') {
      throw new TypeError('json: expected an object made by net.toJSON() (format "mlp-lab")');
    }
    const o = options(obj, 'json', JSON_KEYS);
    if (o.version !== 1) throw new RangeError(`version: unsupported format version ${describe(o.version)}`);
    const config = Object.create(null);
    for (const k of NETWORK_KEYS) if (k in o) config[k] = o[k];
    const net = new MLP(core, config);
    try { net.setParams({ W: o.W, b: o.b }); } catch (e) { net.free(); throw e; }
    return net;
  }

  /** Releases the network's memory; later calls throw. Safe to call twice. */
  free() {
    if (!this.#ptr) return;
    this.#core.untrack(this);
    this.#x.mlp_free(this.#ptr);
    this.#ptr = 0;
  }

  /** True once free() has run. */
  get freed() { return this.#ptr === 0; }
}
