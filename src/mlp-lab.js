// mlp-lab: activation functions and tiny multilayer perceptrons in WebAssembly.
//
// A hand-written ES module over a standalone .wasm (no generated glue): it works
// unchanged in Node >= 18 and in browsers.
//
//   import { load } from 'mlp-lab';
//   const lab = await load();                 // SIMD build where the engine has SIMD
//   lab.activate('sigmoid', [-1, 0, 1]);      // Float32Array [0.2689, 0.5, 0.7311]
//
// Every numeric routine runs in C (src/*.c); this file validates arguments,
// copies arrays in and out of wasm memory and turns C statuses into errors that
// name the parameter at fault.

export const ACTIVATIONS = Object.freeze(['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity']);
export const OUTPUTS = Object.freeze(['identity', 'sigmoid', 'softmax']);
export const LOSSES = Object.freeze(['mse', 'bce', 'cross_entropy']);
export const OPTIMIZERS = Object.freeze(['sgd', 'momentum', 'adam']);
export const INITS = Object.freeze(['xavier', 'he']);
export const DATASETS = Object.freeze(['circle', 'xor', 'gaussian', 'spiral', 'moons', 'blobs', 'sin', 'abs', 'step']);

export const MAX_HIDDEN = 6;
export const MAX_WIDTH = 256;

// C statuses (src/mlp_lab.h).
const OK = 0, ERR_ARG = -1, ERR_NOMEM = -2, ERR_LABEL = -3, ERR_NONFINITE = -4;

// Largest batch one call of forward/hidden/evaluate hands to C: bounds the
// activations block whatever the caller passes.
const CHUNK_ROWS = 4096;
// Largest array lab.activate accepts: 2^26 floats (256 MiB in, as much out).
const MAX_ELEMENTS = 1 << 26;
// Largest data set a generator makes.
const MAX_POINTS = 1000000;

/** Thrown by step() and reported by fit() when the loss or a gradient stops
 *  being finite. The network keeps the parameters it had before that step. */
export class DivergedError extends Error {
  /** lr: the learning rate of the failed update, or null outside training. */
  constructor(lr, loss) {
    const what = Number.isNaN(loss) ? 'NaN' : 'infinite';
    // A finite loss means this update was refused before it made parameters
    // non-finite: a lower learning rate helps. A non-finite loss means the
    // parameters an earlier step left already overflow: start again.
    super(lr === null
      ? `the loss is ${what} for these parameters and data: the network has diverged or its weights are too large`
      : Number.isFinite(loss)
        ? `training diverged: at learning rate ${lr} this update would make the parameters overflow, ` +
          'so it was not applied (the parameters are those of the last finite step). Lower the learning rate ' +
          `(try ${lr / 10}), add L2 weight decay, or use the adam optimizer.`
        : `training diverged: the loss is already ${what} with the current parameters (an earlier step at ` +
          `learning rate ${lr} overshot). Re-create the network (or setParams) and train with a lower ` +
          `learning rate (try ${lr / 100}) or the adam optimizer.`);
    this.name = 'DivergedError';
    this.code = 'DIVERGED';
  }
}

// ---- loading -----------------------------------------------------------------

// (module (func (result v128) v128.const 0 ...)): valid only where SIMD128 is.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, // v128.const 0
]);

let simdSupport;
/** True when this engine validates WebAssembly SIMD128. */
export function simdSupported() {
  if (simdSupport === undefined) {
    try { simdSupport = WebAssembly.validate(SIMD_PROBE); } catch { simdSupport = false; }
  }
  return simdSupport;
}

/** The default location of a build: build/ beside src/ in the package. */
export function wasmURL(simd) {
  // Two literal new URL(..., import.meta.url) forms: bundlers (Vite, webpack 5)
  // recognise only these and then ship the file as an asset.
  return simd
    ? new URL('../build/mlp-lab-simd.wasm', import.meta.url)
    : new URL('../build/mlp-lab.wasm', import.meta.url);
}

// What this file calls; a module without them is not an mlp-lab build.
const REQUIRED_EXPORTS = ['memory', 'malloc', 'free', 'mlp_lab_simd', 'act_forward', 'act_derivative',
  'mlp_create', 'mlp_free', 'mlp_num_layers', 'mlp_params', 'mlp_grads', 'mlp_w_offset', 'mlp_b_offset',
  'mlp_forward', 'mlp_output', 'mlp_hidden', 'mlp_gradients', 'mlp_step', 'mlp_train_epoch',
  'mlp_evaluate', 'mlp_reset_optimizer', 'data_dims', 'data_make', 'data_range'];

const compiled = new Map(); // url string -> Promise<WebAssembly.Module>

async function fetchModule(url) {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises'; // a variable, so bundlers leave it alone
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName);
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`mlp-lab: could not fetch ${url} (HTTP ${response.status})`);
  const type = response.headers.get('content-type') || '';
  if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function compileCached(url) {
  const key = url.href;
  let promise = compiled.get(key);
  if (!promise) {
    promise = fetchModule(url);
    compiled.set(key, promise);
    promise.catch(() => compiled.delete(key)); // a failed fetch may be retried
  }
  return promise;
}

/**
 * Loads the WebAssembly core and returns a Lab.
 * @param {{simd?: 'auto'|boolean, wasm?: string|URL|ArrayBuffer|ArrayBufferView|WebAssembly.Module}} [options]
 */
export async function load(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object');
  const { simd = 'auto', wasm } = options;
  if (simd !== 'auto' && simd !== true && simd !== false) {
    throw new TypeError(`simd: expected 'auto', true or false, got ${describe(simd)}`);
  }
  if (simd === true && !simdSupported()) {
    throw new RangeError('simd: this engine does not support WebAssembly SIMD128; use simd: false or \'auto\'');
  }
  const useSimd = simd === 'auto' ? simdSupported() : simd;
  let module;
  if (wasm === undefined) {
    module = await compileCached(wasmURL(useSimd));
  } else if (wasm instanceof WebAssembly.Module) {
    module = wasm;
  } else if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) {
    module = await WebAssembly.compile(wasm);
  } else if (typeof wasm === 'string' || wasm instanceof URL) {
    const base = typeof location !== 'undefined' && location.href ? location.href : import.meta.url;
    module = await compileCached(new URL(wasm, base));
  } else {
    throw new TypeError(`wasm: expected a URL, bytes or a WebAssembly.Module, got ${describe(wasm)}`);
  }
  const missing = REQUIRED_EXPORTS.filter((name) => !WebAssembly.Module.exports(module).some((e) => e.name === name));
  if (missing.length) throw new TypeError(`wasm: not an mlp-lab build (it lacks ${missing.join(', ')})`);
  const instance = await WebAssembly.instantiate(module, {
    env: { emscripten_notify_memory_growth() {} }, // views are rebuilt on demand
  });
  if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
  return new Lab(instance.exports);
}

// ---- argument checks -----------------------------------------------------------

function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  return `a ${typeof v === 'object' ? (v.constructor && v.constructor.name) || 'object' : typeof v}`;
}

function nameIndex(list, value, param) {
  if (typeof value !== 'string') throw new TypeError(`${param}: expected one of ${list.join(', ')}, got ${describe(value)}`);
  const i = list.indexOf(value);
  if (i < 0) throw new RangeError(`${param}: unknown value ${describe(value)}; expected one of ${list.join(', ')}`);
  return i;
}

// Every such number reaches C as a float32: it must stay finite there (1e39
// would be Infinity), and a positive one must stay positive (1e-50 would be 0).
function finiteNumber(value, param, { min = -Infinity, max = Infinity, minExclusive = false } = {}) {
  if (typeof value !== 'number') throw new TypeError(`${param}: expected a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${param}: expected a finite number, got ${value}`);
  const f = Math.fround(value);
  if (!Number.isFinite(f)) throw new RangeError(`${param}: ${value} is beyond float32's range (about ±3.4e38)`);
  if (f < min || (minExclusive && f <= min) || value > max) {
    const lo = minExclusive ? `> ${min}` : `>= ${min}`;
    throw new RangeError(`${param}: ${value} is out of range (expected ${lo}${max < Infinity ? ` and <= ${max}` : ''})`);
  }
  return value;
}

function integer(value, param, min, max) {
  if (typeof value !== 'number') throw new TypeError(`${param}: expected an integer, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${param}: expected an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function optionsObject(value, param) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new TypeError(`${param}: expected an object, got ${describe(value)}`);
  return value;
}

// Accepts a typed array, an array of numbers, or an array of rows (each an
// array or typed array). Returns a Float32Array (the input itself when it is
// one) and the row width when rows were given.
function floatArray(value, param) {
  if (value instanceof Float32Array) return { data: value, width: 0 };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (typeof value[0] === 'bigint') throw new TypeError(`${param}: BigInt arrays are not accepted`);
    return { data: Float32Array.from(value), width: 0 };
  }
  if (!Array.isArray(value)) throw new TypeError(`${param}: expected a Float32Array or an array of numbers, got ${describe(value)}`);
  if (value.length > 0 && (Array.isArray(value[0]) || ArrayBuffer.isView(value[0]))) {
    const width = value[0].length;
    const data = new Float32Array(value.length * width);
    for (let i = 0; i < value.length; i++) {
      const row = value[i];
      if (!(Array.isArray(row) || ArrayBuffer.isView(row)) || row.length !== width) {
        throw new RangeError(`${param}: row ${i} is not an array of length ${width}`);
      }
      for (let j = 0; j < width; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new TypeError(`${param}: element [${i}][${j}] is ${describe(v)}, not a number`);
        data[i * width + j] = v;
      }
    }
    return { data, width };
  }
  const data = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number') throw new TypeError(`${param}: element ${i} is ${describe(v)}, not a number`);
    data[i] = v;
  }
  return { data, width: 0 };
}

function allFinite(data, param) {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new RangeError(`${param}: element ${i} is ${data[i]}; every value must be finite`);
  }
}

// ---- the lab -----------------------------------------------------------------

class Lab {
  #x; // the wasm exports
  #view = null; // Float32Array over memory.buffer, rebuilt when memory grows
  #scratch = [0, 0, 0]; // reusable allocations: [ptr, bytes] pairs by slot
  #scratchBytes = [0, 0, 0];
  #registry;

  constructor(exports) {
    this.#x = exports;
    this.simd = exports.mlp_lab_simd() === 1;
    this.activations = ACTIVATIONS;
    this.outputs = OUTPUTS;
    this.losses = LOSSES;
    this.optimizers = OPTIMIZERS;
    this.inits = INITS;
    this.#registry = typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((ptr) => exports.mlp_free(ptr)) : null;
    const lab = this;
    const mlp = (options) => new MLP(lab, options);
    mlp.fromJSON = (json) => MLP.fromJSON(lab, json);
    this.mlp = mlp;
    this.datasets = makeDatasets(lab);
    Object.freeze(this);
  }

  /** The raw wasm exports and memory, for benchmarks and tests. */
  get exports() { return this.#x; }
  get memory() { return this.#x.memory; }

  /** A Float32Array over all of wasm memory (valid until memory next grows). */
  f32() {
    const buffer = this.#x.memory.buffer;
    if (this.#view === null || this.#view.buffer !== buffer) this.#view = new Float32Array(buffer);
    return this.#view;
  }

  /** A reusable allocation of at least `bytes` in `slot`; valid until the
   *  next scratch() call on the same slot. */
  scratch(slot, bytes, param) {
    if (this.#scratchBytes[slot] < bytes) {
      if (this.#scratch[slot]) this.#x.free(this.#scratch[slot]);
      this.#scratch[slot] = 0;
      this.#scratchBytes[slot] = 0;
      const size = Math.max(bytes, 1024);
      const ptr = this.#x.malloc(size);
      if (!ptr) throw new RangeError(`${param}: too large for WebAssembly memory (${bytes} bytes)`);
      this.#scratch[slot] = ptr;
      this.#scratchBytes[slot] = size;
    }
    return this.#scratch[slot];
  }

  /** malloc that throws a RangeError naming `param` instead of returning 0. */
  alloc(bytes, param) {
    const ptr = this.#x.malloc(Math.max(bytes, 4));
    if (!ptr) throw new RangeError(`${param}: too large for WebAssembly memory (${bytes} bytes)`);
    return ptr;
  }

  free(ptr) { if (ptr) this.#x.free(ptr); }

  track(owner, ptr) { if (this.#registry) this.#registry.register(owner, ptr, owner); }
  untrack(owner) { if (this.#registry) this.#registry.unregister(owner); }

  /**
   * f(x) elementwise. x: Float32Array or array of numbers (NaN gives NaN).
   * options: { alpha = 0.25 (prelu), beta = 1 (swish), out: Float32Array }
   */
  activate(name, x, options) { return this.#elementwise('act_forward', name, x, options); }

  /** f'(x) elementwise; relu'(0) = 0, prelu'(0) = alpha. Same options as activate. */
  derivative(name, x, options) { return this.#elementwise('act_derivative', name, x, options); }

  #elementwise(fn, name, x, options) {
    const kind = nameIndex(ACTIVATIONS, name, 'name');
    const { alpha = 0.25, beta = 1, out } = optionsObject(options, 'options');
    finiteNumber(alpha, 'alpha');
    finiteNumber(beta, 'beta');
    const { data } = floatArray(x, 'x');
    const n = data.length;
    if (n > MAX_ELEMENTS) throw new RangeError(`x: ${n} elements is more than the ${MAX_ELEMENTS} accepted`);
    if (out !== undefined && (!(out instanceof Float32Array) || out.length !== n)) {
      throw new TypeError(`out: expected a Float32Array of length ${n}, got ${describe(out)}`);
    }
    const result = out || new Float32Array(n);
    if (n === 0) return result;
    const ptr = this.scratch(0, n * 4, 'x');
    const f32 = this.f32();
    f32.set(data, ptr >> 2);
    const rc = this.#x[fn](ptr, ptr, n, kind, alpha, beta);
    if (rc !== OK) throw statusError(rc, 'x');
    result.set(this.f32().subarray(ptr >> 2, (ptr >> 2) + n));
    return result;
  }
}

function statusError(rc, param) {
  switch (rc) {
    case ERR_NOMEM: return new RangeError(`${param}: out of WebAssembly memory`);
    case ERR_LABEL: return new RangeError(`${param}: a label is not an integer class index`);
    case ERR_ARG: return new RangeError(`${param}: rejected by the core as out of range`);
    default: return new Error(`mlp-lab: unexpected status ${rc}`);
  }
}

// ---- networks ----------------------------------------------------------------

const DEFAULT_LOSS = { identity: 'mse', sigmoid: 'bce', softmax: 'cross_entropy' };
const DEFAULT_OUTPUT = { mse: 'identity', bce: 'sigmoid', cross_entropy: 'softmax' };
const PAIRS = new Set(['identity/mse', 'sigmoid/mse', 'softmax/mse', 'sigmoid/bce', 'softmax/cross_entropy']);

function networkConfig(options) {
  if (options === null || typeof options !== 'object') throw new TypeError(`options: expected an object, got ${describe(options)}`);
  const { layers } = options;
  if (!Array.isArray(layers)) throw new TypeError(`layers: expected an array of widths like [2, 8, 1], got ${describe(layers)}`);
  if (layers.length < 2) throw new RangeError(`layers: needs at least an input and an output width, got ${layers.length} entr${layers.length === 1 ? 'y' : 'ies'}`);
  if (layers.length > MAX_HIDDEN + 2) throw new RangeError(`layers: at most ${MAX_HIDDEN} hidden layers, got ${layers.length - 2}`);
  layers.forEach((w, i) => integer(w, `layers[${i}]`, 1, MAX_WIDTH));
  const activation = options.activation ?? 'relu';
  nameIndex(ACTIVATIONS, activation, 'activation');
  let { output, loss } = options;
  if (output === undefined && loss === undefined) output = 'identity';
  if (output === undefined) { nameIndex(LOSSES, loss, 'loss'); output = DEFAULT_OUTPUT[loss]; }
  nameIndex(OUTPUTS, output, 'output');
  if (loss === undefined) loss = DEFAULT_LOSS[output];
  nameIndex(LOSSES, loss, 'loss');
  if (!PAIRS.has(`${output}/${loss}`)) {
    throw new RangeError(`loss: ${loss} does not go with output ${output}; use mse (any output), bce (sigmoid) or cross_entropy (softmax)`);
  }
  const q = layers[layers.length - 1];
  if (output === 'softmax' && q < 2) throw new RangeError(`layers: softmax needs at least 2 outputs, got ${q}`);
  const init = options.init ?? 'xavier';
  nameIndex(INITS, init, 'init');
  const seed = options.seed ?? 0;
  integer(seed, 'seed', 0, 0xffffffff);
  const alpha = finiteNumber(options.alpha ?? 0.25, 'alpha');
  const beta = finiteNumber(options.beta ?? 1, 'beta');
  return { layers: layers.slice(), activation, output, loss, init, seed, alpha, beta };
}

function trainOptions(options) {
  const o = optionsObject(options, 'options');
  const lr = finiteNumber(o.lr ?? 0.01, 'lr', { min: 0, minExclusive: true });
  const optimizer = o.optimizer ?? 'sgd';
  const l2 = finiteNumber(o.l2 ?? 0, 'l2', { min: 0 });
  return { o, lr, l2, optimizer, opt: nameIndex(OPTIMIZERS, optimizer, 'optimizer') };
}

class MLP {
  #lab;
  #x;
  #ptr;
  #offsets; // [{w, b, fanIn, fanOut}] float offsets into the params/grads blocks

  constructor(lab, options) {
    const config = networkConfig(options);
    this.#lab = lab;
    this.#x = lab.exports;
    const x = this.#x;
    const L = config.layers.length;
    const sizes = lab.alloc(L * 4, 'layers');
    new Int32Array(x.memory.buffer, sizes, L).set(config.layers);
    const ptr = x.mlp_create(sizes, L, ACTIVATIONS.indexOf(config.activation), OUTPUTS.indexOf(config.output),
      LOSSES.indexOf(config.loss), INITS.indexOf(config.init), config.alpha, config.beta, config.seed >>> 0);
    lab.free(sizes);
    if (!ptr) throw new RangeError('layers: the core could not create this network (out of memory?)');
    this.#ptr = ptr;
    lab.track(this, ptr);
    this.config = Object.freeze(config);
    this.layers = config.layers;
    this.inputs = config.layers[0];
    this.outputs = config.layers[L - 1];
    this.diverged = false;
    this.#offsets = [];
    for (let l = 0; l < L - 1; l++) {
      this.#offsets.push({ w: x.mlp_w_offset(ptr, l), b: x.mlp_b_offset(ptr, l), fanIn: config.layers[l], fanOut: config.layers[l + 1] });
    }
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
    return { X: data, n: data.length / d };
  }

  // Y checked against n rows: class indices for cross_entropy, else n x q targets.
  #targets(Y, n) {
    const { data } = floatArray(Y, 'Y');
    const q = this.outputs;
    if (this.config.loss === 'cross_entropy') {
      if (data.length !== n) throw new RangeError(`Y: expected ${n} class indices (one per row of X), got ${data.length}`);
      for (let i = 0; i < n; i++) {
        const c = data[i];
        if (!Number.isInteger(c) || c < 0 || c >= q) {
          throw new RangeError(`Y: label ${c} at index ${i} is not an integer class index in [0, ${q})`);
        }
      }
    } else {
      if (data.length !== n * q) throw new RangeError(`Y: expected ${n * q} targets (${n} rows x ${q} outputs), got ${data.length}`);
      allFinite(data, 'Y');
      if (this.config.loss === 'bce') {
        for (let i = 0; i < data.length; i++) {
          if (data[i] < 0 || data[i] > 1) throw new RangeError(`Y: target ${data[i]} at index ${i} is outside [0, 1], which bce needs`);
        }
      }
    }
    return data;
  }

  // Copies X (and Y) into the lab's scratch slots; returns their pointers.
  #stage(X, Y) {
    const lab = this.#lab;
    const px = lab.scratch(0, X.length * 4, 'X');
    const py = Y ? lab.scratch(1, Y.length * 4, 'Y') : 0;
    const f32 = lab.f32();
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
      out.set(this.#lab.f32().subarray(p, p + rows * q), r * q);
    });
    return out;
  }

  /** Each hidden layer's activations for X: Float32Array (n x width) per layer. */
  hidden(X) {
    const { X: data, n } = this.#inputs(X);
    const widths = this.layers.slice(1, -1);
    const outs = widths.map((w) => new Float32Array(n * w));
    this.#chunks(data, n, (r, rows) => {
      const f32 = this.#lab.f32();
      widths.forEach((w, h) => {
        const p = this.#x.mlp_hidden(this.#ptr, h + 1) >> 2;
        outs[h].set(f32.subarray(p, p + rows * w), r * w);
      });
    });
    return outs;
  }

  #copyBlock(blockPtr) {
    const f32 = this.#lab.f32();
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
    if (params === null || typeof params !== 'object') throw new TypeError(`params: expected { W, b }, got ${describe(params)}`);
    const { W, b } = params;
    const L = this.#offsets.length;
    if (!Array.isArray(W) || W.length !== L) throw new RangeError(`W: expected an array of ${L} weight matrices`);
    if (!Array.isArray(b) || b.length !== L) throw new RangeError(`b: expected an array of ${L} bias vectors`);
    const checked = this.#offsets.map(({ fanIn, fanOut }, l) => {
      const w = floatArray(W[l], `W[${l}]`).data;
      const v = floatArray(b[l], `b[${l}]`).data;
      if (w.length !== fanIn * fanOut) throw new RangeError(`W[${l}]: expected ${fanIn * fanOut} values (${fanIn} x ${fanOut}), got ${w.length}`);
      if (v.length !== fanOut) throw new RangeError(`b[${l}]: expected ${fanOut} values, got ${v.length}`);
      allFinite(w, `W[${l}]`);
      allFinite(v, `b[${l}]`);
      return [w, v];
    });
    const f32 = this.#lab.f32();
    const base = this.#x.mlp_params(ptr) >> 2;
    this.#offsets.forEach(({ w, b: bo }, l) => {
      f32.set(checked[l][0], base + w);
      f32.set(checked[l][1], base + bo);
    });
    this.diverged = false;
  }

  /** Loss on (X, Y) and its gradients (without weight decay). */
  gradients(X, Y) {
    const ptr = this.#live();
    const { X: data, n } = this.#inputs(X);
    const targets = this.#targets(Y, n);
    const { px, py } = this.#stage(data, targets);
    const lossPtr = this.#lab.scratch(2, 8, 'loss');
    const rc = this.#x.mlp_gradients(ptr, lossPtr, px, py, n);
    const loss = this.#lab.f32()[lossPtr >> 2];
    if (rc === ERR_NONFINITE || !Number.isFinite(loss)) throw new DivergedError(null, loss);
    if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
    const { W, b } = this.#copyBlock(this.#x.mlp_grads(ptr));
    return { loss, dW: W, db: b };
  }

  /** L2 norm of each layer's weight gradient from the last gradients/step/fit. */
  gradNorms() {
    const ptr = this.#live();
    const f32 = this.#lab.f32();
    const base = this.#x.mlp_grads(ptr) >> 2;
    return this.#offsets.map(({ w, fanIn, fanOut }) => {
      let s = 0;
      for (let i = base + w, end = i + fanIn * fanOut; i < end; i++) s += f32[i] * f32[i];
      return Math.sqrt(s);
    });
  }

  /** One optimizer update on this batch; returns the batch loss before it.
   *  options: { lr = 0.01, optimizer = 'sgd', l2 = 0 }. Throws DivergedError. */
  step(X, Y, options) {
    const ptr = this.#live();
    const { lr, l2, opt } = trainOptions(options);
    const { X: data, n } = this.#inputs(X);
    const targets = this.#targets(Y, n);
    const { px, py } = this.#stage(data, targets);
    const lossPtr = this.#lab.scratch(2, 8, 'loss');
    const rc = this.#x.mlp_step(ptr, lossPtr, px, py, n, opt, lr, l2);
    const loss = this.#lab.f32()[lossPtr >> 2];
    if (rc === ERR_NONFINITE) {
      this.diverged = true;
      throw new DivergedError(lr, loss);
    }
    if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
    this.diverged = false;
    return loss;
  }

  /**
   * Mini-batch training. options: { epochs = 1, batchSize = 32, lr = 0.01,
   * optimizer = 'sgd', l2 = 0, shuffle = true, onEpoch(epoch, loss, net) }.
   * onEpoch may return false to stop. Returns { loss: number[], epochs, diverged }.
   */
  fit(X, Y, options) {
    this.#live();
    const { o, lr, l2, opt } = trainOptions(options);
    const epochs = integer(o.epochs ?? 1, 'epochs', 0, 1e7);
    const { X: data, n } = this.#inputs(X);
    const batchSize = integer(o.batchSize ?? Math.min(32, n), 'batchSize', 1, 1 << 20);
    const shuffle = o.shuffle ?? true;
    if (typeof shuffle !== 'boolean') throw new TypeError(`shuffle: expected a boolean, got ${describe(shuffle)}`);
    const onEpoch = o.onEpoch;
    if (onEpoch !== undefined && typeof onEpoch !== 'function') throw new TypeError(`onEpoch: expected a function, got ${describe(onEpoch)}`);
    const targets = this.#targets(Y, n);
    const lab = this.#lab;
    // Own allocations: onEpoch may call evaluate(), which uses the scratch slots.
    const px = lab.alloc(data.length * 4, 'X');
    let py = 0, lossPtr = 0;
    const history = { loss: [], epochs: 0, diverged: false };
    try {
      py = lab.alloc(targets.length * 4, 'Y');
      lossPtr = lab.alloc(8, 'loss');
      const f32 = lab.f32();
      f32.set(data, px >> 2);
      f32.set(targets, py >> 2);
      for (let e = 0; e < epochs; e++) {
        const rc = this.#x.mlp_train_epoch(this.#live(), lossPtr, px, py, n, Math.min(batchSize, n), shuffle ? 1 : 0, opt, lr, l2);
        if (rc === ERR_NONFINITE) {
          history.diverged = true;
          this.diverged = true;
          history.error = new DivergedError(lr, lab.f32()[lossPtr >> 2]).message;
          break;
        }
        if (rc !== OK) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
        this.diverged = false;
        const loss = lab.f32()[lossPtr >> 2];
        history.loss.push(loss);
        history.epochs = e + 1;
        if (onEpoch && onEpoch(e, loss, this) === false) break;
      }
    } finally {
      lab.free(px); lab.free(py); lab.free(lossPtr);
    }
    return history;
  }

  /** { loss, accuracy } over (X, Y); accuracy is null for an identity output,
   *  which reports { rmse, r2 } instead. */
  evaluate(X, Y) {
    this.#live();
    const { X: data, n } = this.#inputs(X);
    const targets = this.#targets(Y, n);
    const q = this.outputs;
    const ce = this.config.loss === 'cross_entropy';
    const out = new Float32Array(n * q);
    let lossSum = 0, correct = 0;
    const lab = this.#lab;
    const d = this.inputs;
    for (let r = 0; r < n; r += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - r);
      const ty = ce ? targets.subarray(r, r + rows) : targets.subarray(r * q, (r + rows) * q);
      const { px, py } = this.#stage(data.subarray(r * d, (r + rows) * d), ty);
      const res = lab.scratch(2, 8, 'loss');
      const rc = this.#x.mlp_evaluate(this.#ptr, res, res + 4, px, py, rows);
      if (rc !== OK && rc !== ERR_NONFINITE) throw statusError(rc, rc === ERR_LABEL ? 'Y' : 'X');
      const f32 = lab.f32();
      lossSum += f32[res >> 2] * rows;
      correct += f32[(res >> 2) + 1] * rows;
      const p = this.#x.mlp_output(this.#ptr) >> 2;
      out.set(f32.subarray(p, p + rows * q), r * q);
    }
    const loss = lossSum / n;
    if (this.config.output !== 'identity') return { loss, accuracy: correct / n };
    let sse = 0, mean = 0, sst = 0;
    for (let i = 0; i < targets.length; i++) mean += targets[i];
    mean /= targets.length;
    for (let i = 0; i < targets.length; i++) {
      sse += (out[i] - targets[i]) ** 2;
      sst += (targets[i] - mean) ** 2;
    }
    return { loss, accuracy: null, rmse: Math.sqrt(sse / targets.length), r2: sst > 0 ? 1 - sse / sst : null };
  }

  /**
   * The chapter's proof that stacked affine layers are one affine map: with
   * every hidden activation identity, returns W = W1 W2 ... WL (d x q) and
   * b = (...(b1 W2 + b2) W3 ...) + bL, computed in float64. forward(X) equals
   * X W + b when the output is identity (else it is the output's input).
   */
  collapse() {
    this.#live();
    if (this.layers.length > 2 && this.config.activation !== 'identity') {
      throw new RangeError(`activation: collapse() needs the identity activation, this network uses ${this.config.activation}`);
    }
    const { W, b } = affineProduct(this.params(), this.layers);
    return { W: Float32Array.from(W), b: Float32Array.from(b) };
  }

  /** Forgets optimizer state (momentum, Adam moments and step count). */
  resetOptimizer() { this.#x.mlp_reset_optimizer(this.#live()); }

  /** A plain object (numbers only) that fromJSON restores exactly. */
  toJSON() {
    this.#live();
    const { W, b } = this.params();
    return { format: 'mlp-lab', version: 1, ...this.config, W: W.map((a) => Array.from(a)), b: b.map((a) => Array.from(a)) };
  }

  static fromJSON(lab, json) {
    let obj = json;
    if (typeof json === 'string') {
      try { obj = JSON.parse(json); } catch (e) { throw new TypeError(`json: not valid JSON (${e.message})`); }
    }
    if (obj === null || typeof obj !== 'object' || obj.format !== 'mlp-lab') {
      throw new TypeError('json: expected an object made by net.toJSON() (format "mlp-lab")');
    }
    if (obj.version !== 1) throw new RangeError(`version: unsupported format version ${describe(obj.version)}`);
    const net = new MLP(lab, obj);
    try { net.setParams({ W: obj.W, b: obj.b }); } catch (e) { net.free(); throw e; }
    return net;
  }

  /** Releases the network's memory; later calls throw. Safe to call twice. */
  free() {
    if (!this.#ptr) return;
    this.#lab.untrack(this);
    this.#x.mlp_free(this.#ptr);
    this.#ptr = 0;
  }

  get freed() { return this.#ptr === 0; }
}

/**
 * W = W1 W2 ... WL and b = (...(b1 W2 + b2) W3 ...) + bL of any layer stack,
 * in float64: the one affine map the layers are when every activation is the
 * identity (net.collapse()), and, for any other activation, the map they would
 * be without it. params: { W, b } as net.params() gives; layers: the widths.
 */
export function affineProduct({ W, b }, layers) {
  const rows = layers[0];
  let Wc = Float64Array.from(W[0]);
  let bc = Float64Array.from(b[0]);
  for (let l = 1; l < W.length; l++) {
    const fanIn = layers[l], fanOut = layers[l + 1];
    const Wn = new Float64Array(rows * fanOut);
    const bn = Float64Array.from(b[l]);
    for (let k = 0; k < fanIn; k++) {
      for (let j = 0; j < fanOut; j++) {
        const w = W[l][k * fanOut + j];
        bn[j] += bc[k] * w;
        for (let i = 0; i < rows; i++) Wn[i * fanOut + j] += Wc[i * fanIn + k] * w;
      }
    }
    Wc = Wn;
    bc = bn;
  }
  return { W: Wc, b: bc };
}

// ---- data sets -----------------------------------------------------------------

function makeDatasets(lab) {
  const x = lab.exports;
  const info = (name) => {
    const kind = nameIndex(DATASETS, name, 'name');
    const p = lab.scratch(2, 16, 'name');
    if (x.data_dims(kind, p, p + 4) !== OK || x.data_range(p + 8, p + 12, kind) !== OK) {
      throw new RangeError(`name: the core does not know data set ${name}`);
    }
    const i32 = new Int32Array(x.memory.buffer, p, 2);
    const f32 = lab.f32();
    return { name, d: i32[0], classes: i32[1], range: [f32[(p >> 2) + 2], f32[(p >> 2) + 3]] };
  };
  const make = (name, options) => {
    const o = optionsObject(options, 'options');
    const { d, classes, range } = info(name);
    const n = integer(o.n ?? 200, 'n', 1, MAX_POINTS);
    const noise = finiteNumber(o.noise ?? 0, 'noise', { min: 0, max: 1 });
    const seed = integer(o.seed ?? 0, 'seed', 0, 0xffffffff);
    const px = lab.scratch(0, n * d * 4, 'n');
    const py = lab.scratch(1, n * 4, 'n');
    const rc = x.data_make(px, py, DATASETS.indexOf(name), n, noise, seed >>> 0);
    if (rc !== OK) throw statusError(rc, 'n');
    const f32 = lab.f32();
    return {
      X: f32.slice(px >> 2, (px >> 2) + n * d),
      y: f32.slice(py >> 2, (py >> 2) + n),
      n, d, classes, range,
    };
  };
  const sets = { names: DATASETS, info };
  for (const name of DATASETS) sets[name] = (options) => make(name, options);
  return Object.freeze(sets);
}
