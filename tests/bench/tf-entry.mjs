// What an app training with TensorFlow.js on the wasm backend imports:
// tfjs-core, every gradient function, and the wasm backend. run.mjs bundles
// this with esbuild (for Node to run, and minified for the browser to count).
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
