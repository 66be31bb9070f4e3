// Shared pieces of the benchmark: timing, seeded data, the workloads, and
// loading our wasm either through the package or, while the package is not
// there yet, by instantiating build/*.wasm directly.

import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD = path.join(ROOT, 'build');

// ---- timing ------------------------------------------------------------------

export const now = () => performance.now();

// CPU time of the whole machine from /proc/stat: [busy, total] in ticks
// (null where there is no /proc/stat).
export function cpuTicks() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0);
    const total = f.reduce((a, b) => a + b, 0);
    return [total - idle, total];
  } catch {
    return null;
  }
}

/** Cores busy on average between two cpuTicks() readings: 0 when no tick
 *  passed, null when either reading is missing. */
export function busyCores(a, b) {
  if (!a || !b) return null;
  return b[1] > a[1] ? ((b[0] - a[0]) / (b[1] - a[1])) * os.cpus().length : 0;
}

export function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

// Time fn() (one "unit" of work per call). Calls it `warm` times first (after
// --no-liftoff there is no Liftoff tier; warm-up covers the JS JIT and caches),
// then picks an inner repeat count so that one sample lasts >= minMs, and
// takes `samples` samples. Returns ms per call: median, min, max.
export function timeIt(fn, { warm = 3, minMs = 25, samples = 9, maxInner = 1 << 20 } = {}) {
  for (let i = 0; i < warm; i++) fn();
  let inner = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < inner; i++) fn();
    const dt = now() - t0;
    if (dt >= minMs || inner >= maxInner) break;
    inner = Math.min(maxInner, Math.max(inner * 2, Math.ceil((inner * minMs * 1.2) / Math.max(dt, 1e-3))));
  }
  const per = [];
  for (let s = 0; s < samples; s++) {
    const t0 = now();
    for (let i = 0; i < inner; i++) fn();
    per.push((now() - t0) / inner);
  }
  return { ms: median(per), min: Math.min(...per), max: Math.max(...per), inner, samples };
}

// ---- seeded numbers (mulberry32, tests/ref/rng.js) -------------------------------
export { rng } from '../ref/rng.js';
import { rng } from '../ref/rng.js';


// ---- the workloads ----------------------------------------------------------------

// TensorFlow Playground's "circle": half the points inside radius 2.5 (label
// 1), half in the ring 3.5..5 (label 0), coordinates in [-5, 5], plus noise.
export function circle(n, seed = 7) {
  const r = rng(seed);
  const X = new Float32Array(n * 2), Y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i % 2 === 0;
    const rad = inner ? r() * 2.5 : 3.5 + r() * 1.5;
    const ang = r() * 2 * Math.PI;
    X[2 * i] = rad * Math.sin(ang) + (r() - 0.5) * 0.5;
    X[2 * i + 1] = rad * Math.cos(ang) + (r() - 0.5) * 0.5;
    Y[i] = inner ? 1 : 0;
  }
  return { X, Y };
}

// Ten Gaussian blobs in 64 dimensions; Y holds class indices as floats.
export function blobs64(n, seed = 11) {
  const r = rng(seed), d = 64, k = 10;
  const C = new Float32Array(k * d);
  for (let i = 0; i < C.length; i++) C[i] = r.normal();
  const X = new Float32Array(n * d), Y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    Y[i] = c;
    for (let j = 0; j < d; j++) X[i * d + j] = C[c * d + j] + 1.5 * r.normal();
  }
  return { X, Y };
}

// name -> configuration. lr is plain SGD's; no shuffling anywhere (so every
// implementation sees the same batches and, from the same initial weights,
// should reach the same loss after one epoch).
export const WORKLOADS = {
  '2-8-8-1': { sizes: [2, 8, 8, 1], act: 'tanh', output: 'sigmoid', loss: 'bce', n: 500, batch: 10, lr: 0.1, data: 'circle' },
  '2-64-64-1': { sizes: [2, 64, 64, 1], act: 'tanh', output: 'sigmoid', loss: 'bce', n: 500, batch: 10, lr: 0.05, data: 'circle' },
  '64-128-10': { sizes: [64, 128, 10], act: 'relu', output: 'softmax', loss: 'cross_entropy', n: 1000, batch: 32, lr: 0.05, data: 'blobs64' },
};

export function workloadData(name) {
  const w = WORKLOADS[name];
  return w.data === 'circle' ? circle(w.n) : blobs64(w.n);
}

// Xavier-uniform weights, zero biases, from our own seeded generator, so that
// every implementation starts from the same bits. W[l] is (fan_in, fan_out).
export function initParams(sizes, seed = 1) {
  const r = rng(seed), W = [], b = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fi = sizes[l], fo = sizes[l + 1], a = Math.sqrt(6 / (fi + fo));
    const w = new Float32Array(fi * fo);
    for (let i = 0; i < w.length; i++) w[i] = (2 * r() - 1) * a;
    W.push(w);
    b.push(new Float32Array(fo));
  }
  return { W, b };
}

// The 100 x 100 heatmap grid over [-6, 6]^2, as TF Playground draws it.
export function grid(k = 100, lo = -6, hi = 6) {
  const X = new Float32Array(k * k * 2);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      X[2 * (i * k + j)] = lo + ((hi - lo) * j) / (k - 1);
      X[2 * (i * k + j) + 1] = hi - ((hi - lo) * i) / (k - 1);
    }
  return X;
}

// ---- our wasm -----------------------------------------------------------------------

// MLP_BENCH_WASM_SIMD / _SCALAR point the raw rows at another build (e.g.
// one with --profiling-funcs, so that `perf` can name the wasm functions).
export const WASM_FILES = {
  simd: process.env.MLP_BENCH_WASM_SIMD || path.join(BUILD, 'mlp-lab-simd.wasm'),
  scalar: process.env.MLP_BENCH_WASM_SCALAR || path.join(BUILD, 'mlp-lab.wasm'),
};
export const PKG = path.join(ROOT, 'src', 'mlp-lab.js');

// Instantiate build/*.wasm without the package: every import is a no-op
// (the modules are built -sSTANDALONE_WASM; the only one expected is
// env.emscripten_notify_memory_growth).
export async function rawWasm(which) {
  const bytes = readFileSync(WASM_FILES[which]);
  const mod = await WebAssembly.compile(bytes);
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind !== 'function') throw new Error(`unexpected import ${imp.module}.${imp.name} (${imp.kind})`);
    (imports[imp.module] ??= {})[imp.name] = () => 0;
  }
  const inst = await WebAssembly.instantiate(mod, imports);
  const ex = inst.exports;
  if (ex._initialize) ex._initialize();
  return { exports: ex, memory: ex.memory };
}

// { lab | null, exports, memory, via } for which = 'simd' | 'scalar'.
// MLP_BENCH_RAW=1 skips the package (to time another build of the .wasm).
export async function ours(which) {
  if (existsSync(PKG) && !process.env.MLP_BENCH_RAW) {
    const { load } = await import(pathToFileURL(PKG).href);
    const lab = await load({ simd: which === 'simd' });
    if (lab.simd !== (which === 'simd')) throw new Error(`asked for the ${which} build, got simd=${lab.simd}`);
    if (lab.exports && lab.memory) return { lab, exports: lab.exports, memory: lab.memory, via: 'package' };
    const raw = await rawWasm(which);
    return { lab, ...raw, via: 'package+raw' };
  }
  return { lab: null, ...(await rawWasm(which)), via: 'raw' };
}

export const ACTS = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish'];
export const ACT_ID = { relu: 0, prelu: 1, sigmoid: 2, tanh: 3, gelu: 4, swish: 5, identity: 6 };
export const OUT_ID = { identity: 0, sigmoid: 1, softmax: 2 };
export const LOSS_ID = { mse: 0, bce: 1, cross_entropy: 2 };
export const ALPHA = 0.1, BETA = 1.0;

// Print one JSON result line for the parent (run.mjs) to collect.
export function emit(obj) {
  process.stdout.write('@@' + JSON.stringify(obj) + '\n');
}
