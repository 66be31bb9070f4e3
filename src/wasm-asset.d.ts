// Types for the package's .wasm subpaths (mlp-lab/mlp-lab.wasm and
// mlp-lab/mlp-lab-simd.wasm): a bundler that imports them as files (esbuild
// --loader:.wasm=file, Vite's ?url) gives their URL, which load({ wasm }) takes.
declare const url: string;
export default url;
