// The one piece of state widgets share: the loaded lab (compiled WASM module
// and its instance). Everything else is per widget.
//
// load() fetches build/mlp-lab(-simd).wasm beside the package. A bundler that
// moves the package's JS without its files (Vite's dev server pre-bundles it
// into node_modules/.vite/deps) leaves that URL pointing at nothing: the
// request 404s or a page of HTML comes back. Then, and only then, the same
// build is imported as a module holding its bytes (build/*.wasm.js, made by
// `make`), which every bundler follows because it is an import.

import { load, simdSupported } from '../src/mlp-lab.js';

let labPromise = null;

/** Load the package once per page; later calls get the same lab. */
export function getLab() {
  if (!labPromise) remember(loadLab());
  return labPromise;
}

/** The page's lab from now on, forgotten if it fails (the next getLab() tries again). */
function remember(promise) {
  labPromise = promise.catch((e) => {
    labPromise = null;
    throw e;
  });
}

/**
 * For a page whose script carries the SIMD build's bytes (the teaching page's
 * bundle: web/page-core.js): compile them now, synchronously (78 KB, a few ms),
 * so the first widget finds the lab without a fetch, or a compile finishing
 * in a later task, to wait for. A browser without SIMD, or one that refuses
 * the bytes, loads as usual.
 */
export function useInlined(simdBase64) {
  if (labPromise || !simdSupported()) return;
  let module;
  try {
    module = new WebAssembly.Module(decode(simdBase64));
  } catch {
    return;
  }
  remember(load({ simd: true, wasm: module }));
}

async function loadLab() {
  const simd = simdSupported();
  try {
    return await load({ simd });
  } catch (fetched) {
    let bytes;
    try {
      bytes = decode(await inlined(simd));
    } catch (imported) {
      throw new Error(`could not load the WebAssembly core: ${message(fetched)}; ` +
        `and its inlined copy build/${simd ? 'mlp-lab-simd' : 'mlp-lab'}.wasm.js failed too (${message(imported)})`);
    }
    return load({ simd, wasm: bytes });
  }
}

// Two literal paths, so bundlers see both modules (and fetch one, only here).
async function inlined(simd) {
  const m = simd ? await import('../build/mlp-lab-simd.wasm.js') : await import('../build/mlp-lab.wasm.js');
  return m.default;
}

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64); // ~6 ms less than the loop
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function message(e) {
  return String((e && e.message) || e).replace(/^mlp-lab: /, '');
}
