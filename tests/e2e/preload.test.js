// web/index.html preloads the whole static module graph of page.js (so the
// browser fetches it in one round instead of one import level at a time):
// the list must name every module page.js reaches, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

function graph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    graph(path.resolve(path.dirname(file), m[1] || m[2]), seen);
  }
  return seen;
}

test('index.html modulepreloads exactly the module graph of page.js', () => {
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  const entry = /<script type="module" src="([^"]+)"/.exec(html)[1];
  const want = [...graph(path.resolve(WEB, entry))].filter((f) => f !== path.resolve(WEB, entry));
  const got = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => path.resolve(WEB, m[1]));
  assert.ok(want.length > 5, `graph walk found ${want.length} modules`);
  assert.deepEqual([...got].sort(), [...want].sort());
  assert.equal(new Set(got).size, got.length, 'no module listed twice');
});

test('index.html preloads the SIMD module, at the URL the package fetches', () => {
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  const pre = [...html.matchAll(/<link rel="preload" href="([^"]+)"/g)].map((m) => path.resolve(WEB, m[1]));
  assert.deepEqual(pre, [path.resolve(WEB, '../build/mlp-lab-simd.wasm')]);
  // the same URL as src/loader.js wasmURL (relative to src/, so ../build/ from there too)
  const loader = readFileSync(path.join(WEB, '../src/loader.js'), 'utf8');
  assert.match(loader, /new URL\('\.\.\/build\/mlp-lab-simd\.wasm', import\.meta\.url\)/);
});
