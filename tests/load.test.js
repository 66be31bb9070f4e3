// The loader: build choice, the ways of passing the module, and its errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { load, simdSupported, wasmURL, ACTIVATIONS } from '../src/mlp-lab.js';

test('auto picks the SIMD build on an engine with SIMD128', async () => {
  assert.equal(simdSupported(), true); // Node 20 has it; the probe must say so
  const lab = await load();
  assert.equal(lab.simd, true);
  assert.deepEqual([...lab.activations], ACTIVATIONS);
});

test('simd: false and true choose the build, and the module confirms it', async () => {
  assert.equal((await load({ simd: false })).simd, false);
  assert.equal((await load({ simd: true })).simd, true);
});

test('wasm may be bytes, a compiled Module, or a URL', async () => {
  const bytes = await readFile(wasmURL(false));
  const fromBytes = await load({ wasm: bytes });
  assert.equal(fromBytes.simd, false);
  const module = await WebAssembly.compile(await readFile(wasmURL(true)));
  const fromModule = await load({ wasm: module });
  assert.equal(fromModule.simd, true);
  const fromURL = await load({ wasm: wasmURL(false) });
  assert.equal(fromURL.simd, false);
  for (const lab of [fromBytes, fromModule, fromURL]) {
    assert.deepEqual([...lab.activate('relu', [-1, 2])], [0, 2]);
  }
});

test('two labs share no state', async () => {
  const a = await load();
  const b = await load();
  assert.notEqual(a.memory, b.memory);
  const na = a.mlp({ layers: [2, 3, 1], seed: 5 });
  const nb = b.mlp({ layers: [2, 3, 1], seed: 5 });
  assert.deepEqual(na.params(), nb.params());
  na.step([0, 1], [1], { lr: 0.1 });
  assert.notDeepEqual(na.params(), nb.params());
});

test('bad load options are named', async () => {
  await assert.rejects(load({ simd: 'yes' }), { name: 'TypeError', message: /^simd:/ });
  await assert.rejects(load({ wasm: 42 }), { name: 'TypeError', message: /^wasm:/ });
  await assert.rejects(load(null), { name: 'TypeError', message: /^options:/ });
  await assert.rejects(load({ wasm: new Uint8Array([0, 97, 115, 109]) }), WebAssembly.CompileError);
  await assert.rejects(load({ wasm: new URL('./no-such.wasm', import.meta.url) }), /ENOENT/);
});
