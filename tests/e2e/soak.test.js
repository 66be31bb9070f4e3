// A soak of the teaching page in Chromium: thousands of random setting
// changes (data sets, widths, depths, activations, input features, optimizer,
// speed, stop condition, language, export and import, drawn points, the
// linear regions overlay, inspecting one example, hostile hashes) while the playground trains
// at top speed. It checks that nothing breaks and nothing grows:
// - no console error, no uncaught exception;
// - WebAssembly memory stays within what the largest network the settings
//   allow needs (printed);
// - the JS heap's objects after a forced GC stay within +20 % of their size
//   after the first 100 changes (printed with V8's compiled code, apart),
//   both taken in the same state (settle());
// - at the end a frame still comes within 100 ms (requestAnimationFrame
//   timestamps while training at top speed).
// Bounded for `make test` (SOAK_SECONDS, default 20 s, and at least
// SOAK_CHANGES, default 2000, changes); `make soak` runs it for 10 minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, widgetsReady } from './helpers.js';

const SECONDS = Number(process.env.SOAK_SECONDS || 20);
const CHANGES = Number(process.env.SOAK_CHANGES || 2000);
// The largest network the playground's settings allow (6 x 64 hidden, 7
// input features, 3 outputs) at the core's chunk of 4,096 rows needs about
// 4 * 4096 * (2 * 387 + 2 * 64 + 1 + 7) bytes = 15 MiB of activations, plus
// its data, parameters, optimizer state and the heatmap grids: 48 MiB bounds it.
const WASM_MEMORY_MAX = 48 << 20;

// Runs in the page: one random change. r() is a seeded PRNG.
function changeOnce(step) {
  const pg = document.querySelector('mlp-playground');
  const root = pg.shadowRoot;
  const r = window.__soakRandom;
  const pick = (list) => list[Math.floor(r() * list.length)];
  const fire = (el, type) => el.dispatchEvent(new Event(type, { bubbles: true }));
  const HOSTILE = ['#hidden=999,999,999&lr=NaN', '#dataset=<img src=x onerror=alert(1)>', '#n=1e308&noise=-5',
    '#hidden=64,64,64,64,64,64&batch=1&speed=max', '#activation=__proto__&optimizer=constructor', `#${'x'.repeat(5000)}`,
    '#dataset=spiral&hidden=&activation=gelu&speed=max', '#lr=1e400&l2=Infinity&seed=-1', '#dataset=sin&hidden=16,16&speed=max',
    '#features=x9,__proto__,x1sq&stop=acc:NaN&regions=maybe', '#dataset=drawn&points=c%00%%zz&stop=epoch:-1',
    '#dataset=circle&hidden=&features=x1sq,x2sq&stop=acc:0.99&regions=true', '#dataset=aboveSin&features=x1,x2,x1x2,sin1,sin2'];
  const kind = pick(window.__soakKinds || ['select', 'select', 'select', 'select', 'range', 'range', 'range', 'layer', 'layer', 'unit', 'unit',
    'lang', 'hash', 'hash', 'json', 'play', 'reseed', 'feature', 'feature', 'regions', 'draw', 'draw', 'inspect']);
  if (kind === 'select') {
    const selects = [...root.querySelectorAll('.settings select')].filter((s) => !s.disabled);
    const s = pick(selects);
    const options = [...s.options].filter((o) => !o.hidden && o.value !== 'custom');
    if (!options.length) return kind;
    s.value = pick(options).value;
    fire(s, 'change');
  } else if (kind === 'range') {
    const inputs = [...root.querySelectorAll('.settings input[type=range]')].filter((i) => !i.disabled);
    const i = pick(inputs);
    const min = Number(i.min), max = Number(i.max);
    i.value = String(min + r() * (max - min));
    fire(i, 'input');
    fire(i, 'change');
  } else if (kind === 'layer') {
    const b = root.querySelector(r() < 0.5 ? 'button[name=add-layer]' : 'button[name=remove-layer]');
    if (!b.disabled) b.click();
  } else if (kind === 'unit') {
    const buttons = [...root.querySelectorAll('.columns button[data-act]')].filter((b) => !b.disabled);
    if (buttons.length) pick(buttons).click();
  } else if (kind === 'lang') {
    const sel = document.querySelector('#lang-select');
    sel.value = pick([...sel.options]).value;
    fire(sel, 'change');
  } else if (kind === 'hash') {
    location.hash = pick(HOSTILE);
  } else if (kind === 'json') {
    // export the network and import it back, as the buttons do
    const net = pg.net;
    if (net) {
      const doc = { generator: 'soak', settings: pg.settings, epoch: 3, network: net.toJSON() };
      const file = new File([JSON.stringify(doc)], 'net.json', { type: 'application/json' });
      pg.importJSON({ files: [file], value: '' });
    }
  } else if (kind === 'feature') { // an input feature on or off (issue 11)
    const units = [...root.querySelectorAll('.col.inputs [data-feature]')];
    if (units.length) pick(units).click();
  } else if (kind === 'regions') { // the linear regions overlay (issue 12)
    const box = root.querySelector('input[name=regions]');
    if (box && !box.disabled) box.click();
  } else if (kind === 'draw') { // a pointer mode, a class, then the keyboard cursor adds, removes or inspects there
    pick([...root.querySelectorAll('[data-mode], [data-cls]')]).click();
    const over = root.querySelector('.heat-over');
    for (let k = 0; k < 4; k++) {
      over.dispatchEvent(new KeyboardEvent('keydown', { key: pick(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', ' ']), bubbles: true }));
    }
  } else if (kind === 'inspect') { // one training step, number by number (issue 13)
    const buttons = ['inspect', 'insp-step', 'insp-apply', 'insp-play', 'insp-next-ex', 'insp-close']
      .map((n) => root.querySelector(`button[name=${n}]`)).filter((b) => b && !b.disabled && b.offsetParent !== null);
    if (buttons.length) pick(buttons).click();
  } else if (kind === 'play') {
    if (!pg.running) pg.play();
  } else {
    root.querySelector('button[name=reseed]').click();
  }
  // keep it training at top speed most of the time
  if (step % 7 === 0) {
    const speed = root.querySelector('select[name=speed]');
    if (speed.value !== 'max') { speed.value = 'max'; fire(speed, 'change'); }
    if (!pg.running) pg.play();
  }
  return kind;
}

// The same state for both heap measurements (settings, language, training
// at top speed for a second), so that what they compare is what was kept.
// Points drawn so far are the person's data, kept on purpose with 64 steps of
// undo (bounded by 2,000 points): both measurements start without them.
async function settle(page, heap) {
  await page.evaluate(() => {
    const pointer = document.querySelector('mlp-playground').pointer;
    if (pointer) pointer.drawn = new pointer.drawn.constructor(pointer.drawn.kind);
    const sel = document.querySelector('#lang-select');
    sel.value = 'en';
    sel.dispatchEvent(new Event('change', { bubbles: true }));
    location.hash = '#dataset=spiral&hidden=16,16,16&speed=max';
  });
  await page.waitForTimeout(300);
  await page.evaluate(() => { const pg = document.querySelector('mlp-playground'); if (!pg.running) pg.play(); });
  await page.waitForTimeout(1000);
  return heap();
}

test(`soak: >= ${CHANGES} random changes over >= ${SECONDS} s while training at top speed`, { timeout: (SECONDS + 240) * 1000 }, async () => {
  const server = await startServer();
  const browser = await launch();
  const { page, errors, context } = await newPage(browser);
  try {
    await page.goto(`${server.url}web/index.html#dataset=circle&hidden=8,8&speed=max&autoplay`);
    await widgetsReady(page, 30_000);
    await page.locator('mlp-playground').scrollIntoViewIfNeeded();
    const cdp = await context.newCDPSession(page);
    // The JS heap after a forced GC, split by a heap snapshot into the objects the page
    // keeps and V8's compiled code (machine code and its metadata, which grows for minutes
    // as the optimizer compiles more of the page: a snapshot diff over 4,000 changes showed
    // 0.9 MiB of code and no growth of the page's own objects). The bound is on the objects.
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const used = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      const chunks = [];
      const on = (e) => chunks.push(e.chunk);
      cdp.on('HeapProfiler.addHeapSnapshotChunk', on);
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      cdp.off('HeapProfiler.addHeapSnapshotChunk', on);
      const snap = JSON.parse(chunks.join(''));
      const f = snap.snapshot.meta.node_fields, types = snap.snapshot.meta.node_types[f.indexOf('type')];
      const it = f.indexOf('type'), isz = f.indexOf('self_size');
      let code = 0, objects = 0;
      for (let i = 0; i < snap.nodes.length; i += f.length) {
        const type = types[snap.nodes[i + it]];
        if (type === 'native' || type === 'synthetic') continue; // Blink's and the engine's own, outside the JS heap
        if (type === 'code') code += snap.nodes[i + isz];
        else objects += snap.nodes[i + isz];
      }
      return { used, code, objects };
    };
    // SOAK_KINDS=select,hash,...: only those kinds of change (to find which one a failure needs)
    if (process.env.SOAK_KINDS) await page.evaluate((k) => { window.__soakKinds = k.split(','); }, process.env.SOAK_KINDS);
    await page.evaluate(() => {
      let a = 0x5eed1234;
      window.__soakRandom = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    });
    const t0 = Date.now();
    let changes = 0, heap100 = null, maxMemory = 0;
    const kinds = {};
    // Batches of changes in the page, with frames (and training) in between.
    while (changes < CHANGES || Date.now() - t0 < SECONDS * 1000) {
      // twenty changes, then a frame of training and drawing (and the async work of hash changes and imports)
      const batch = await page.evaluate(([fn, start]) => new Promise((resolve) => {
        const change = new Function(`return (${fn})`)();
        const done = [];
        for (let i = 0; i < 20; i++) done.push(change(start + i));
        requestAnimationFrame(() => resolve(done));
      }), [changeOnce.toString(), changes]);
      for (const k of batch) kinds[k] = (kinds[k] || 0) + 1;
      changes += batch.length;
      maxMemory = Math.max(maxMemory, await page.evaluate(() => document.querySelector('mlp-playground').lab.memory.buffer.byteLength));
      if (heap100 === null && changes >= 100) heap100 = await settle(page, heap);
      assert.deepEqual(errors, [], `after ${changes} changes`);
    }
    const seconds = (Date.now() - t0) / 1000;
    const heapEnd = await settle(page, heap);
    const gaps = await page.evaluate(() => new Promise((resolve) => {
      const ts = [];
      const tick = (t) => { ts.push(t); if (ts.length < 31) requestAnimationFrame(tick); else resolve(ts.slice(1).map((v, i) => v - ts[i])); };
      requestAnimationFrame(tick);
    }));
    const running = await page.evaluate(() => document.querySelector('mlp-playground').running);
    gaps.sort((a, b) => a - b);
    const median = gaps[15], worst = gaps.at(-1);
    const mib = (b) => (b / 2 ** 20).toFixed(2);
    console.log(`soak: ${changes} changes in ${seconds.toFixed(1)} s (${JSON.stringify(kinds)}); ` +
      `wasm memory max ${mib(maxMemory)} MiB (bound ${mib(WASM_MEMORY_MAX)}); JS heap after GC after 100 changes / at the end: ` +
      `objects ${mib(heap100.objects)} / ${mib(heapEnd.objects)} MiB (${((heapEnd.objects / heap100.objects - 1) * 100).toFixed(1)} %), ` +
      `compiled code ${mib(heap100.code)} / ${mib(heapEnd.code)} MiB, all used ${mib(heap100.used)} / ${mib(heapEnd.used)} MiB ` +
      `(${((heapEnd.used / heap100.used - 1) * 100).toFixed(1)} %); ` +
      `frame gaps at the end: median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (training: ${running})`);
    assert.ok(changes >= CHANGES, `only ${changes} changes`);
    assert.deepEqual(errors, []);
    assert.ok(maxMemory <= WASM_MEMORY_MAX, `wasm memory grew to ${mib(maxMemory)} MiB`);
    assert.ok(heapEnd.objects <= heap100.objects * 1.2, `the JS heap's objects grew from ${mib(heap100.objects)} to ${mib(heapEnd.objects)} MiB`);
    assert.ok(running, 'the playground stopped training');
    assert.ok(median <= 100, `frames come every ${median} ms (median) while training`);
  } finally {
    await browser.close();
    server.stop();
  }
});
