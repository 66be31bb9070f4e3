// Which wasm function the training time goes to, by Linux `perf`:
//   node tests/bench/perf.mjs [workload ...]     (default: all three)
// Builds build/bench-prof-{simd,scalar}.wasm (the same sources and flags as
// the Makefile, plus --profiling-funcs so the module keeps function names),
// runs `train.mjs <build>-raw <workload>` under `perf record` with
// `node --perf-basic-prof`, and maps V8's `wasm-function[i]` back to names.
// Optional: run.mjs does not call it (it needs perf and emcc, and time).

import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { ROOT, BUILD, WORKLOADS } from './lib.mjs';

function names(file) {
  const b = readFileSync(file);
  let p = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return r; };
  const str = () => { const l = leb(); const v = b.subarray(p, p + l).toString(); p += l; return v; };
  const out = new Map();
  while (p < b.length) {
    const id = b[p++], n = leb(), st = p;
    if (id === 0 && str() === 'name')
      while (p < st + n) {
        const sid = b[p++], sl = leb(), ss = p;
        if (sid === 1) for (let i = 0, c = leb(); i < c; i++) { const idx = leb(); out.set(idx, str()); }
        p = ss + sl;
      }
    p = st + n;
  }
  return out;
}

const mk = readFileSync(path.join(ROOT, 'Makefile'), 'utf8');
const lines = mk.split('\n');
let at = lines.findIndex((l) => l.startsWith('EMFLAGS :='));
let text = '';
for (; at >= 0 && at < lines.length; at++) {
  text += ' ' + lines[at].replace(/\\$/, '');
  if (!lines[at].endsWith('\\')) break;
}
const common = (mk.match(/^CFLAGS_COMMON := (.*)$/m)?.[1] || '-std=c11 -Wall -Wextra -Werror -O3').trim();
const flags = text.replace('EMFLAGS :=', '').replace('$(CFLAGS_COMMON)', common).trim().split(/\s+/);
const srcs = readdirSync(path.join(ROOT, 'src')).filter((f) => f.endsWith('.c') && !f.startsWith('fuzz_')).map((f) => path.join('src', f));
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const workloads = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(WORKLOADS);
// node --perf-basic-prof writes /tmp/perf-<pid>.map and a V8 isolate log in
// its working directory: run it in a scratch directory and remove both after.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mlp-bench-perf-'));
const tmp = path.join(scratch, 'perf.data');
const maps = () => new Set(readdirSync(os.tmpdir()).filter((f) => /^perf-\d+\.map$/.test(f)));
const mapsBefore = maps();

for (const build of ['simd', 'scalar']) {
  const wasm = path.join(BUILD, `bench-prof-${build}.wasm`);
  const r = spawnSync('emcc', [...flags, ...(build === 'simd' ? ['-msimd128'] : []), '--profiling-funcs', '-o', wasm, ...srcs], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(wasm)) throw new Error(`emcc failed: ${r.stderr}`);
  const nm = names(wasm);
  for (const w of workloads) {
    const rec = spawnSync('perf', ['record', '-F', '4000', '-o', tmp, process.execPath, '--perf-basic-prof', '--no-liftoff',
      path.join(ROOT, 'tests/bench/train.mjs'), `${build}-raw`, w], { cwd: scratch, encoding: 'utf8', env: { ...process.env, [`MLP_BENCH_WASM_${build.toUpperCase()}`]: wasm } });
    if (rec.status !== 0) throw new Error(`perf record failed: ${rec.stderr}`);
    const rep = spawnSync('perf', ['report', '-i', tmp, '--stdio', '--sort', 'symbol'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const rows = [];
    let wasmTotal = 0;
    for (const line of rep.stdout.split('\n')) {
      const m = line.match(/^\s*([\d.]+)%\s+\[\.\]\s+JS:wasm-function\[(\d+)\]/);
      if (!m) continue;
      const pct = Number(m[1]);
      wasmTotal += pct;
      rows.push([nm.get(Number(m[2])) ?? `#${m[2]}`, pct]);
    }
    console.log(`\n${build} ${w}: ${wasmTotal.toFixed(1)}% of samples in wasm (the rest: node start-up, JS, the heatmap and profile passes)`);
    for (const [name, pct] of rows.slice(0, 8)) console.log(`  ${pct.toFixed(1).padStart(5)}%  ${name}`);
  }
}
rmSync(scratch, { recursive: true, force: true });
for (const f of maps()) if (!mapsBefore.has(f)) rmSync(path.join(os.tmpdir(), f), { force: true });
