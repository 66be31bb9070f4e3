// Interleaved A/B timing of activation kernels, for a machine that others
// share: each round times the 4-lane C loop (build/bench-native-vec4 serve,
// see native_vec.c) and then every given wasm build on the same 10^6 floats
// in [-8, 8) (native.h's input), so all of them see the same load; the
// figures are the median and the fastest over the rounds.
//   node --no-liftoff tests/bench/interleave.mjs [--rounds 80] gelu,gelu' build/a.wasm [build/b.wasm ...]
// (make bench builds build/bench-native-vec4; wasm builds load through the
// package, so they must be mlp-lab builds.) Not part of make bench.

import { readFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD, PKG, ACT_ID, median } from './lib.mjs';

const args = process.argv.slice(2);
let rounds = 80;
if (args[0] === '--rounds') { rounds = Number(args[1]); args.splice(0, 2); }
const [kindList, ...files] = args;
if (!kindList || files.length === 0 || !(rounds > 0)) {
  console.error("usage: node --no-liftoff tests/bench/interleave.mjs [--rounds 80] gelu,gelu' a.wasm [b.wasm ...]");
  process.exit(2);
}
const kinds = kindList.split(',').map((k) => ({ name: k, id: ACT_ID[k.replace("'", '')], deriv: k.endsWith("'") }));
for (const k of kinds) if (k.id == null) throw new Error(`unknown activation ${k.name}`);
const NATIVE = path.join(BUILD, 'bench-native-vec4');
if (!existsSync(NATIVE)) throw new Error(`${NATIVE} missing: run make bench once (it builds it)`);

const N = 1e6;
const x = new Float32Array(N); // native.h act_input: the same LCG, the same floats
for (let i = 0, s = 12345; i < N; i++) {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  x[i] = Math.fround(16 * Math.fround((s >>> 8) * (1 / 16777216)) - 8);
}

const { load } = await import(pathToFileURL(PKG).href);
const builds = [];
for (const f of files) {
  const lab = await load({ wasm: readFileSync(f) });
  const ex = lab.exports;
  // x and y 4 KiB-aligned and 2112 bytes apart: no 4K aliasing between the streams
  const base = ex.malloc(N * 8 + 8192);
  if (!base) throw new Error('malloc failed');
  const pin = (base + 4095) & ~4095, pout = pin + N * 4 + 2112;
  new Float32Array(lab.memory.buffer, pin, N).set(x);
  builds.push({ name: path.relative(process.cwd(), f), ex, pin, pout });
}

const child = spawn(NATIVE, ['serve', String(N)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
async function nativeMs(k) {
  child.stdin.write(`${k.id} ${k.deriv ? 1 : 0} 3\n`);
  return Number((await lines.next()).value);
}
function wasmMs(b, k) {
  const f = k.deriv ? b.ex.act_derivative : b.ex.act_forward;
  let best = Infinity;
  for (let j = 0; j < 3; j++) {
    const t0 = performance.now();
    if (f(b.pout, b.pin, N, k.id, 0.1, 1) !== 0) throw new Error(`${b.name} ${k.name}: status`);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const t = new Map();
const add = (key, v) => (t.has(key) ? t.get(key).push(v) : t.set(key, [v]));
for (const b of builds) for (const k of kinds) for (let w = 0; w < 3; w++) wasmMs(b, k); // warm-up
for (let r = 0; r < rounds; r++)
  for (const k of kinds) {
    add(`C ${k.name}`, await nativeMs(k));
    for (const b of builds) add(`${b.name} ${k.name}`, wasmMs(b, k));
  }
child.stdin.end();

const ns = (ms) => ((ms * 1e6) / N).toFixed(3);
console.log(`${rounds} rounds, ns/element: median (fastest); ratio to the 4-lane C loop (glibc libmvec) of the same round statistic`);
for (const k of kinds) {
  const c = t.get(`C ${k.name}`), cm = median(c), cb = Math.min(...c);
  console.log(`${k.name.padEnd(8)} 4-lane C ${ns(cm)} (${ns(cb)})`);
  for (const b of builds) {
    const v = t.get(`${b.name} ${k.name}`), vm = median(v), vb = Math.min(...v);
    console.log(`         ${b.name.padEnd(40)} ${ns(vm)} (${ns(vb)})  ${(vm / cm).toFixed(2)}x (${(vb / cb).toFixed(2)}x)`);
  }
}
