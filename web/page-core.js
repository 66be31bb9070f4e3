// The teaching page's core, carried in its script: the SIMD build's bytes
// (build/mlp-lab-simd.wasm.js, made by `make`) compiled before any widget
// asks for them. page.js imports this first. An autoplay link's first trained
// step then waits for no fetch and no asynchronous compile (~100 ms of it
// did: tests/bench/firststep.mjs). Widgets on other pages fetch the .wasm
// (web/lab.js); this is only for the page that bundles its modules.
import simd from '../build/mlp-lab-simd.wasm.js';
import { useInlined } from './lab.js';

if (typeof WebAssembly === 'object') useInlined(simd);
