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
  await assert.rejects(load({ simd: false, wasm: wasmURL(false), extra: 1 }), { name: 'RangeError', message: /^extra: unknown option/ });
  await assert.rejects(load({ smid: true }), { name: 'RangeError', message: /^smid: unknown option \(did you mean simd\?\)/ });
});

// Each load() failure names wasm (or simd) and says what was found and what was expected.
test('a missing file names wasm, the path and what was expected', async () => {
  const url = new URL('./no-such.wasm', import.meta.url);
  await assert.rejects(load({ wasm: url }), (e) => e instanceof RangeError &&
    /^wasm: could not read file:.*no-such\.wasm \(no such file\); expected the path of mlp-lab\.wasm/.test(e.message));
  await assert.rejects(load({ wasm: 'nope.wasm' }), { name: 'RangeError', message: /^wasm: could not read .*nope\.wasm \(no such file\)/ });
});

test('bytes that are not WebAssembly name wasm, what they start with and the magic expected', async () => {
  await assert.rejects(load({ wasm: new Uint8Array(8) }), (e) => e instanceof RangeError &&
    /^wasm: the bytes given \(8 bytes\) is not a WebAssembly module: it starts with 00 00 00 00 .*expected the magic 00 61 73 6d/.test(e.message));
  const html = new TextEncoder().encode('<!doctype html><html></html>');
  await assert.rejects(load({ wasm: html }), { name: 'RangeError', message: /^wasm: .*starts with 3c 21 64 6f "<!do" \(text: an HTML page\?\)/ });
  await assert.rejects(load({ wasm: new Uint8Array(0) }), { name: 'RangeError', message: /^wasm: .*\(0 bytes\).*starts with nothing/ });
  // the magic, then garbage: a compile error, still named
  const bad = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 99, 99);
  await assert.rejects(load({ wasm: bad }), { name: 'RangeError', message: /^wasm: the bytes given is not a valid WebAssembly module for this engine \(/ });
});

test('simd: true with the scalar bytes (and false with the SIMD ones) is refused, naming simd', async () => {
  const scalar = await readFile(wasmURL(false));
  const simd = await readFile(wasmURL(true));
  await assert.rejects(load({ simd: true, wasm: scalar }), { name: 'RangeError', message: /^simd: true asks for the SIMD build, but the wasm given is the scalar build/ });
  await assert.rejects(load({ simd: false, wasm: simd }), { name: 'RangeError', message: /^simd: false asks for the scalar build, but the wasm given is the SIMD build/ });
  assert.equal((await load({ simd: true, wasm: simd })).simd, true);
  assert.equal((await load({ wasm: scalar })).simd, false); // 'auto' takes what it is given
});

test('an HTTP answer that is not the module names the URL and what came back', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url === '/html.wasm') { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><p>not here</p>'); }
    else { res.writeHead(404); res.end(); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await assert.rejects(load({ wasm: `${base}/missing.wasm` }), { name: 'RangeError', message: /^wasm: http:\/\/127\.0\.0\.1:\d+\/missing\.wasm answered HTTP 404; expected mlp-lab's \.wasm file there/ });
    await assert.rejects(load({ wasm: `${base}/html.wasm` }), { name: 'RangeError', message: /^wasm: http:.*html\.wasm \(served as text\/html\) \(\d+ bytes\) is not a WebAssembly module: it starts with 3c 21 64 6f/ });
  } finally {
    server.close();
  }
});
