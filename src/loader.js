// Finding, fetching and compiling the WebAssembly core, with errors that say
// what was found where and what was expected.

import { describe } from './checks.js';

// (module (func (result v128) v128.const 0 ...)): valid only where SIMD128 is.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, // v128.const 0
]);
const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"

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

// What the package calls; a module without them is not an mlp-lab build.
export const REQUIRED_EXPORTS = ['memory', 'malloc', 'free', 'mlp_lab_simd', 'act_forward', 'act_derivative',
  'mlp_create', 'mlp_free', 'mlp_num_layers', 'mlp_params', 'mlp_grads', 'mlp_w_offset', 'mlp_b_offset',
  'mlp_set_params', 'mlp_trace', 'mlp_trace_size', 'mlp_last_lr', 'mlp_updates', 'mlp_num_params', 'mlp_forward', 'mlp_output', 'mlp_hidden', 'mlp_gradients', 'mlp_step', 'mlp_train_epoch',
  'mlp_evaluate', 'mlp_reset_optimizer', 'mlp_set_features', 'features_make', 'data_dims', 'data_make', 'data_range',
  'affine_product', 'linalg_rank', 'convert_params', 'regions_1d', 'regions_2d'];

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Compiles bytes, or explains why they are not a WebAssembly module. where: "the bytes given", a URL. */
async function compileBytes(bytes, where) {
  let u8, start;
  try {
    u8 = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes)
      ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
    start = Array.from(u8.subarray(0, 16)); // (a detached buffer throws here)
  } catch (e) {
    throw new RangeError(`wasm: ${where} cannot be read (${e.message}); expected the bytes of mlp-lab.wasm or mlp-lab-simd.wasm`, { cause: e });
  }
  if (u8.length < 8 || MAGIC.some((b, i) => start[i] !== b)) {
    const head = start.slice(0, 4);
    const text = String.fromCharCode(...head).replace(/[^\x20-\x7e]/g, '.');
    const html = /^\s*</.test(String.fromCharCode(...start)) ? ' (text: an HTML page?)' : '';
    throw new RangeError(`wasm: ${where} (${u8.length} bytes) is not a WebAssembly module: it starts with ` +
      `${head.length ? `${hex(head)} "${text}"` : 'nothing'}${html}, expected the magic 00 61 73 6d ("\\0asm") ` +
      'of mlp-lab.wasm or mlp-lab-simd.wasm');
  }
  try {
    return await WebAssembly.compile(u8);
  } catch (e) {
    throw new RangeError(`wasm: ${where} is not a valid WebAssembly module for this engine (${e.message})`, { cause: e });
  }
}

async function fetchModule(url) {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises'; // a variable, so bundlers leave it alone
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName);
    let bytes;
    try {
      bytes = await readFile(url);
    } catch (e) {
      const why = e && e.code === 'ENOENT' ? 'no such file' : e && e.code === 'EISDIR' ? 'a directory' : (e && e.message);
      throw new RangeError(`wasm: could not read ${url.href} (${why}); expected the path of mlp-lab.wasm or mlp-lab-simd.wasm`, { cause: e });
    }
    return compileBytes(bytes, url.href);
  }
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new RangeError(`wasm: could not fetch ${url.href} (${e && e.message})`, { cause: e });
  }
  if (!response.ok) {
    throw new RangeError(`wasm: ${url.href} answered HTTP ${response.status}; expected mlp-lab's .wasm file there`);
  }
  const type = response.headers.get('content-type') || '';
  if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (e) {
      throw new RangeError(`wasm: ${url.href} is not a valid WebAssembly module (${e.message})`, { cause: e });
    }
  }
  const where = `${url.href}${type ? ` (served as ${type.split(';')[0]})` : ''}`;
  return compileBytes(await response.arrayBuffer(), where);
}

const compiled = new Map(); // url string -> Promise<WebAssembly.Module>

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

/** The compiled module for load()'s wasm option (undefined: the build for useSimd). */
export async function moduleFor(wasm, useSimd) {
  let module;
  if (wasm === undefined) {
    module = await compileCached(wasmURL(useSimd));
  } else if (wasm instanceof WebAssembly.Module) {
    module = wasm;
  } else if (wasm instanceof ArrayBuffer || (ArrayBuffer.isView(wasm) && !(wasm instanceof DataView))) {
    module = await compileBytes(wasm, 'the bytes given');
  } else if (typeof wasm === 'string' || wasm instanceof URL) {
    const base = typeof location !== 'undefined' && location.href ? location.href : import.meta.url;
    let url;
    try { url = new URL(wasm, base); } catch { throw new RangeError(`wasm: ${describe(wasm)} is not a URL`); }
    module = await compileCached(url);
  } else {
    throw new TypeError(`wasm: expected a URL, bytes or a WebAssembly.Module, got ${describe(wasm)}`);
  }
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED_EXPORTS.filter((name) => !names.has(name));
  if (missing.length) {
    throw new TypeError(`wasm: not an mlp-lab build of this version (it lacks ${missing.join(', ')}); ` +
      'expected mlp-lab.wasm or mlp-lab-simd.wasm from the same package as this script');
  }
  return module;
}
