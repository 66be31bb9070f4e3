// The teaching page loads one script, build/page.js (tools/bundle-page.mjs):
// its modules bundled, the SIMD core's bytes inside, built from the sources
// as they are now. And on an autoplay link the playground's first trained step
// comes before the other widgets render (web/base.js, hold).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale, OUT } from '../../tools/bundle-page.mjs';
import { serverAndBrowser, newPage, widgetsReady, selectLanguage } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const html = readFileSync(path.join(ROOT, 'web/index.html'), 'utf8');

test('index.html loads build/page.js and nothing else: no module graph, no separate wasm', () => {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(scripts, ['../build/page.js']);
  assert.match(html, /<script type="module" src="\.\.\/build\/page\.js"><\/script>/);
  assert.doesNotMatch(html, /rel="(module)?preload"/);
});

test('index.html loads no image: its art is inline, and the logo is web/favicon.svg\'s drawing', () => {
  // Each <img src="….svg"> cost the main thread 10-17 ms before the page script ran.
  assert.doesNotMatch(html.replace(/<!--[\s\S]*?-->/g, ''), /<img\b/);
  const inner = (svg) => svg.replace(/^[\s\S]*?<svg\b[^>]*>|<\/svg>[\s\S]*$/g, '').replace(/\s+/g, ' ').trim();
  const logo = /<svg class="logo"[\s\S]*?<\/svg>/.exec(html)?.[0];
  assert.ok(logo, 'no inline logo');
  assert.equal(inner(logo), inner(readFileSync(path.join(ROOT, 'web/favicon.svg'), 'utf8')), 'the logo and the tab icon differ');
  assert.match(html, /<svg class="hero-art"/);
});

test('build/page.js is built from the sources as they are (run make after editing web/ or src/)', () => {
  assert.equal(isStale(), false, `${OUT} is older than a module under web/ or src/`);
});

test('build/page.js is one file: it imports only the inlined fallbacks and the five other languages, lazily, from build/', () => {
  const js = readFileSync(OUT, 'utf8');
  assert.doesNotMatch(js, /(^|[;}\s])import\s*[\w{*][^;()]*?from\s*["']/, 'a static import');
  const dynamic = [...new Set([...js.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))].sort();
  const chunks = dynamic.filter((f) => /^\.\/page-/.test(f));
  assert.deepEqual(dynamic.filter((f) => !chunks.includes(f)), ['./mlp-lab-simd.wasm.js', './mlp-lab.wasm.js']);
  assert.deepEqual(chunks.map((f) => /^\.\/page-(\w+)-\w+\.js$/.exec(f)?.[1]).sort(), ['de', 'fr', 'ko', 'vi', 'zh']);
  for (const f of chunks) {
    const chunk = readFileSync(path.join(path.dirname(OUT), f), 'utf8');
    assert.doesNotMatch(chunk, /\bimport\b/, `${f} imports`);
  }
  // English is in the bundle; the others' sentences are not.
  assert.ok(js.includes('Play'));
  assert.ok(!js.includes('Datensatz') && !js.includes('\\u6570\\u636E\\u96C6') && !js.includes('数据集'), 'German or Chinese strings in build/page.js');
  assert.ok(js.includes('//# sourceMappingURL=page.js.map'));
});

test('build/page.js carries the SIMD build of the core, byte for byte', () => {
  const js = readFileSync(OUT, 'utf8');
  const wasm = readFileSync(path.join(ROOT, 'build/mlp-lab-simd.wasm')).toString('base64');
  assert.ok(wasm.length > 50000);
  assert.ok(js.includes(wasm), 'the base64 of build/mlp-lab-simd.wasm is not in the bundle');
  // the scalar build is not (browsers without SIMD fetch it)
  const scalar = readFileSync(path.join(ROOT, 'build/mlp-lab.wasm')).toString('base64');
  assert.ok(!js.includes(scalar.slice(0, 4000)));
});

const ctx = serverAndBrowser();

// Records, from before any page script, when each widget was ready and when the first step was.
function record() {
  globalThis.__ready = [];
  document.addEventListener('mlp-ready', (e) => globalThis.__ready.push([e.target.localName, performance.now()]), true);
}

test('autoplay link: the first trained step before any other widget is ready; all of them after it', async () => {
  const { page, errors, context } = await newPage(ctx.browser);
  await context.addInitScript(record);
  await page.goto(`${ctx.server.url}web/index.html#dataset=xor&autoplay`);
  await page.waitForFunction(() => document.querySelectorAll('[data-ready]').length >= 8 &&
    performance.getEntriesByName('mlp-first-step').length > 0, null, { timeout: 20000 });
  const { first, ready, wasm } = await page.evaluate(() => ({
    first: performance.getEntriesByName('mlp-first-step')[0].startTime,
    ready: globalThis.__ready,
    wasm: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length,
  }));
  const others = ready.filter(([name]) => name !== 'mlp-playground');
  assert.ok(others.length >= 7, JSON.stringify(ready));
  for (const [name, t] of others) assert.ok(t > first, `${name} ready at ${t} ms, the first step at ${first} ms`);
  assert.equal(wasm, 0, 'the SIMD core came in the bundle, not fetched');
  assert.deepEqual(errors, []);
  await context.close();
});

// The language chunks fetched so far (build/page-<code>-<hash>.js).
const chunksFetched = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((r) => /\/page-(\w+)-\w+\.js$/.exec(r.name)?.[1]).filter(Boolean).sort());

test('the page loads a language\'s strings only for a reader of it: none in English; German drawn in German from the first frame', async () => {
  const en = await newPage(ctx.browser, { locale: 'en-US' });
  await en.page.goto(`${ctx.server.url}web/index.html#dataset=xor&autoplay`);
  await widgetsReady(en.page);
  assert.deepEqual(await chunksFetched(en.page), []);
  assert.deepEqual(en.errors, []);
  await en.context.close();

  // A stored choice of German: each widget is ready (its first drawing done) in German.
  const { page, errors, context } = await newPage(ctx.browser, { locale: 'en-US' });
  await context.addInitScript(() => {
    localStorage.setItem('mlp-lab-lang', 'de');
    globalThis.__first = {};
    document.addEventListener('mlp-ready', (e) => {
      const root = e.target.shadowRoot.querySelector('.root');
      globalThis.__first[e.target.localName] ??= [root.lang, e.target.shadowRoot.querySelector('button[name=play] .play-text')?.textContent ?? null];
    }, true);
  });
  await page.goto(`${ctx.server.url}web/index.html#dataset=xor&autoplay`);
  await page.waitForFunction(() => document.querySelectorAll('[data-ready]').length >= 8, null, { timeout: 20000 });
  const first = await page.evaluate(() => globalThis.__first);
  assert.ok(Object.keys(first).length >= 6, JSON.stringify(first));
  for (const [name, [lang]] of Object.entries(first)) assert.equal(lang, 'de', name);
  assert.equal(first['mlp-playground'][1], 'Pause', 'the playground trains, labelled in German');
  await page.waitForFunction(() => document.querySelector('#h-pg').textContent === '3 · Spielwiese');
  assert.deepEqual(await chunksFetched(page), ['de']);
  assert.ok(await page.locator('mlp-playground').evaluate((el) => el.trainer.epoch > 0), 'the autoplay link trains');
  assert.deepEqual(errors, []);
  await context.close();
});

test('switching the page\'s language fetches each language once; the last choice wins a quick run of them', async () => {
  const { page, errors, context } = await newPage(ctx.browser, { locale: 'en-US' });
  await page.goto(`${ctx.server.url}web/index.html`);
  await widgetsReady(page);
  // four choices in one task: only the last is shown, the others load and are not applied
  await page.evaluate(() => {
    const sel = document.querySelector('#lang-select');
    for (const c of ['ko', 'fr', 'en', 'zh']) {
      sel.value = c;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
  await selectLanguage(page, 'zh');
  assert.equal(await page.locator('#h-pg').textContent(), '3 · 演练场');
  assert.equal(await page.locator('mlp-playground').locator('button[name=play] .play-text').textContent(), '开始');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh', 'a language that loaded later took over');
  for (const c of ['de', 'en', 'ko', 'zh', 'de']) await selectLanguage(page, c);
  assert.equal(await page.locator('mlp-collapse').locator('button[name=train]').textContent(), '200 Epochen trainieren');
  assert.deepEqual(await chunksFetched(page), ['de', 'fr', 'ko', 'zh']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('no autoplay: nothing is held, every widget gets ready', async () => {
  const { page, errors, context } = await newPage(ctx.browser);
  await context.addInitScript(record);
  await page.goto(`${ctx.server.url}web/index.html`);
  await page.waitForFunction(() => document.querySelectorAll('[data-ready]').length >= 8, null, { timeout: 20000 });
  const epoch = await page.locator('mlp-playground').evaluate((el) => Number(el.dataset.epoch || 0));
  assert.equal(epoch, 0, 'the playground does not train unasked');
  assert.deepEqual(errors, []);
  await context.close();
});

// The sizes and weights of text the page's first layout meets (the page's stylesheet,
// its type scale): each is a font strike that Chromium on Linux asks the
// browser process for, synchronously, before the page's script may run.
function strikes() {
  const seen = new Map();
  const note = (el, pseudo) => {
    const s = getComputedStyle(el, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal' || s.content === '""')) return;
    const k = `${s.fontSize} ${s.fontWeight} ${s.fontStyle}`;
    if (!seen.has(k)) seen.set(k, `${el.localName}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}${pseudo || ''}`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.data.trim() && n.parentElement.checkVisibility()) note(n.parentElement);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility()) continue;
    note(el, '::before');
    note(el, '::after');
  }
  return Object.fromEntries(seen);
}

for (const width of [1280, 375]) {
  test(`the static page's first layout meets at most 8 font sizes and weights (${width} px)`, async () => {
    const { page, context } = await newPage(ctx.browser, { javaScriptEnabled: false, viewport: { width, height: 800 } });
    await page.goto(`${ctx.server.url}web/index.html`);
    const found = await page.evaluate(strikes);
    assert.ok(Object.keys(found).length <= 8, `${Object.keys(found).length} strikes: ${JSON.stringify(found)}`);
    const weights = new Set(Object.keys(found).map((k) => k.split(' ')[1]));
    assert.deepEqual([...weights].sort(), ['400', '700'], JSON.stringify(found));
    await context.close();
  });
}
