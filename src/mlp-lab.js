// mlp-lab: activation functions and tiny multilayer perceptrons in WebAssembly.
//
// A hand-written ES module over a standalone .wasm (no generated glue): it works
// unchanged in Node >= 18 and in browsers.
//
//   import { load } from 'mlp-lab';
//   const lab = await load();                 // SIMD build where the engine has SIMD
//   lab.activate('sigmoid', [-1, 0, 1]);      // Float32Array [0.2689, 0.5, 0.7311]
//
// Every numeric routine runs in C (src/*.c); the package's modules validate
// arguments, copy arrays in and out of wasm memory and turn C statuses into
// errors that name the parameter at fault:
//   loader.js   finds, fetches and compiles the .wasm
//   network.js  lab.mlp(): a network       datasets.js  lab.datasets
//   checks.js   argument checks            errors.js    statuses, DivergedError
//   names.js    names and limits           affine.js    affineProduct
//   core.js     the wasm instance: memory views, scratch, allocations
//   features.js lab.features, and the checks of a network's features option
//   regions.js  net.linearRegions()
//   stats.js    lab.batchNorm(), lab.pca()

import { ACTIVATIONS, OUTPUTS, LOSSES, OPTIMIZERS, INITS, MAX_ELEMENTS } from './names.js';
import { describe, nameIndex, finiteNumber, options, floatArray } from './checks.js';
import { OK, statusError } from './errors.js';
import { simdSupported, moduleFor } from './loader.js';
import { MLP } from './network.js';
import { makeDatasets } from './datasets.js';
import { makeFeatures } from './features.js';
import { Core } from './core.js';
import { makeStats } from './stats.js';

export { ACTIVATIONS, OUTPUTS, LOSSES, OPTIMIZERS, INITS, DATASETS, FEATURES, MAX_HIDDEN, MAX_WIDTH } from './names.js';
export { DivergedError } from './errors.js';
export { simdSupported, wasmURL } from './loader.js';
export { affineProduct } from './affine.js';

const LOAD_KEYS = Object.freeze(['simd', 'wasm']);
const ACTIVATION_KEYS = Object.freeze(['alpha', 'beta', 'out']);
/** lab.activate / lab.derivative defaults (the playground's pReLU starts at 0.1). */
const ACTIVATION_DEFAULTS = Object.freeze({ alpha: 0.25, beta: 1 });

/**
 * Loads the WebAssembly core and returns a Lab.
 * @param {{simd?: 'auto'|boolean, wasm?: string|URL|ArrayBuffer|ArrayBufferView|WebAssembly.Module}} [value]
 */
export async function load(value) {
  const o = options(value, 'options', LOAD_KEYS);
  const { simd = 'auto', wasm } = o;
  if (simd !== 'auto' && simd !== true && simd !== false) {
    throw new TypeError(`simd: expected 'auto', true or false, got ${describe(simd)}`);
  }
  if (simd === true && !simdSupported()) {
    throw new RangeError('simd: this engine does not support WebAssembly SIMD128; use simd: false or \'auto\'');
  }
  const useSimd = simd === 'auto' ? simdSupported() : simd;
  const module = await moduleFor(wasm, useSimd);
  const instance = await WebAssembly.instantiate(module, {
    env: { emscripten_notify_memory_growth() {} }, // views are rebuilt on demand
  });
  if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
  const isSimd = instance.exports.mlp_lab_simd() === 1;
  if (simd !== 'auto' && isSimd !== simd) {
    const [asked, got] = simd ? ['the SIMD build', 'the scalar build (mlp-lab.wasm)'] : ['the scalar build', 'the SIMD build (mlp-lab-simd.wasm)'];
    throw new RangeError(`simd: ${simd} asks for ${asked}, but the wasm given is ${got}; pass the other file, or simd: 'auto'`);
  }
  return new Lab(instance.exports);
}

// ---- the lab -----------------------------------------------------------------

class Lab {
  #core;

  constructor(exports) {
    const core = new Core(exports);
    this.#core = core;
    this.simd = exports.mlp_lab_simd() === 1;
    this.activations = ACTIVATIONS;
    this.outputs = OUTPUTS;
    this.losses = LOSSES;
    this.optimizers = OPTIMIZERS;
    this.inits = INITS;
    const mlp = (options) => new MLP(core, options);
    mlp.fromJSON = (json) => MLP.fromJSON(core, json);
    this.mlp = mlp;
    this.datasets = makeDatasets(core);
    this.features = makeFeatures(core);
    const { batchNorm, pca } = makeStats(core);
    this.batchNorm = batchNorm;
    this.pca = pca;
    Object.freeze(this);
  }

  /** The raw wasm exports and memory, for benchmarks and tests. */
  get exports() { return this.#core.exports; }
  get memory() { return this.#core.exports.memory; }

  /**
   * f(x) elementwise. x: Float32Array or array of numbers (NaN gives NaN).
   * options: { alpha = 0.25 (prelu), beta = 1 (swish), out: Float32Array to write into }
   */
  activate(name, x, options) { return this.#elementwise('act_forward', name, x, options); }

  /** f'(x) elementwise; relu'(0) = 0, prelu'(0) = alpha. Same options as activate. */
  derivative(name, x, options) { return this.#elementwise('act_derivative', name, x, options); }

  #elementwise(fn, name, x, value) {
    const kind = nameIndex(ACTIVATIONS, name, 'name');
    const o = options(value, 'options', ACTIVATION_KEYS);
    const alpha = finiteNumber(o.alpha ?? ACTIVATION_DEFAULTS.alpha, 'alpha');
    const beta = finiteNumber(o.beta ?? ACTIVATION_DEFAULTS.beta, 'beta');
    const { out } = o;
    const { data } = floatArray(x, 'x');
    const n = data.length;
    if (n > MAX_ELEMENTS) throw new RangeError(`x: ${n} elements is more than the ${MAX_ELEMENTS} accepted`);
    if (out !== undefined && (!(out instanceof Float32Array) || out.length !== n)) {
      throw new TypeError(`out: expected a Float32Array of length ${n}, got ${describe(out)}`);
    }
    const result = out || new Float32Array(n);
    if (n === 0) return result;
    const core = this.#core;
    const ptr = core.scratch(0, n * 4, 'x');
    core.f32().set(data, ptr >> 2);
    const rc = core.exports[fn](ptr, ptr, n, kind, alpha, beta);
    if (rc !== OK) throw statusError(rc, 'x');
    result.set(core.f32().subarray(ptr >> 2, (ptr >> 2) + n));
    return result;
  }
}
