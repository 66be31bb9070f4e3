// Hostile input to the page: URL hashes and widget attributes that try to
// inject markup, overflow limits or freeze training. For each one the page
// must not gain a <script>, an <img>/<svg>/<iframe> that was not there, or
// any on* handler attribute (in the document or in any shadow root), must
// open no dialog, must not run the payload (window.__pwned stays unset), and
// must keep answering: page.evaluate returns within 2 s, several times over,
// while a playground trains.
//
//   node --test tests/e2e/hostile.test.js      (needs /usr/bin/chromium)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { widgetsReady } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const RESPONSIVE_MS = 2000;

const PWN = 'window.__pwned=1;alert(1)';
const HASHES = {
  'script in dataset': `#dataset=<script>${PWN}</script>`,
  'encoded script in dataset': `#dataset=${encodeURIComponent(`<script>${PWN}</script>`)}`,
  'img onerror in hidden': `#hidden=${encodeURIComponent(`<img src=x onerror="${PWN}">`)}&dataset=xor`,
  'svg onload in activation': `#activation=${encodeURIComponent(`<svg onload="${PWN}">`)}`,
  'huge hidden': '#hidden=99999999,1e308',
  'many hidden layers': `#hidden=${'64,'.repeat(40)}64`,
  'a 10^6-character hash': `#dataset=circle&hidden=${'8,'.repeat(500_000)}`,
  'lr NaN': '#lr=NaN',
  'everything out of range': '#lr=1e308&l2=-1&batch=-5&n=1e9&noise=NaN&train=1e99&seed=-1&alpha=Infinity&beta=0&test=maybe',
  'prototype keys': '#activation=__proto__&loss=constructor&optimizer=toString&dataset=hasOwnProperty&init=valueOf',
  'malformed percent-encoding': '#dataset=%E0%A4%A&hidden=%&lr=%%30',
  'duplicate keys': '#dataset=xor&dataset=spiral&hidden=4&hidden=<b>x</b>',
  'javascript: url': '#dataset=javascript:alert(1)&lang=javascript:alert(1)',
  'heaviest legal settings': '#dataset=spiral&n=2000&hidden=64,64,64,64,64,64&batch=1&lr=10&optimizer=adam&activation=gelu',
  'heaviest legal settings at top speed': '#dataset=spiral&n=2000&hidden=64,64,64,64,64,64&batch=1&optimizer=adam&activation=swish&speed=max&train=90',
};

// Attributes set on fresh widgets appended to the page, and on the page's own widgets.
const ATTRS = {
  'mlp-playground': {
    dataset: `<img src=x onerror="${PWN}">`, hidden: '99999999,1e308', lr: 'NaN', n: '1e308', batch: '-1',
    activation: '<script>alert(1)</script>', lang: `"><img src=x onerror="${PWN}">`, theme: 'javascript:alert(1)',
    seed: '1e400', noise: 'Infinity', train: '-0', loss: '__proto__', optimizer: 'constructor', init: '<b>', l2: '1e999',
  },
  'mlp-activation-plot': {
    functions: `relu,<img src=x onerror="${PWN}">,sigmoid,${'x,'.repeat(10_000)}`, alpha: '1e308', beta: 'NaN',
    layout: '<script>alert(1)</script>', derivative: '"><svg onload=alert(1)>', lang: '<img src=x onerror=alert(1)>',
  },
  'mlp-collapse': {
    dataset: '<script>alert(1)</script>', hidden: '1e9,1e9,1e9', activation: `<svg onload="${PWN}">`, seed: 'NaN',
    lang: 'xx-<b>', theme: '"><img src=x onerror=alert(1)>',
  },
};

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'web', 'serve.mjs'), '--port', '0', '--csp'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`serve.mjs did not start: ${out} ${err}`)); }, 10_000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/[^\s/]+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve({ base: m[1], stop: () => child.kill() }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.mjs exited ${code}: ${err}`)); });
  });
}

// Everything that could run code, in the document and every open shadow root.
function dangerousNodes() {
  const found = [];
  const walk = (root, where) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      // (widgets draw with <svg> and <canvas>: those count only with a handler attribute)
      if (['script', 'iframe', 'object', 'embed', 'img', 'frame', 'frameset', 'base', 'link', 'style', 'form', 'image', 'use', 'foreignobject'].includes(tag)) {
        found.push(`${where} <${tag}${el.getAttribute('src') ? ` src=${el.getAttribute('src')}` : ''}>`);
      }
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) found.push(`${where} <${tag} ${a.name}>`);
        if (/^\s*javascript:/i.test(a.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name)) {
          found.push(`${where} <${tag} ${a.name}=javascript:>`);
        }
      }
      if (el.shadowRoot) walk(el.shadowRoot, `${where} ${tag}>>`);
    }
  };
  walk(document, '');
  return [...new Set(found)].sort();
}

async function responsive(page, what, times = 4) {
  for (let i = 0; i < times; i++) {
    const t0 = Date.now();
    const ok = await Promise.race([
      page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(true)))),
      new Promise((r) => setTimeout(() => r(false), RESPONSIVE_MS)),
    ]);
    assert.ok(ok, `${what}: the page did not answer within ${RESPONSIVE_MS} ms (round ${i})`);
    if (i < times - 1) await new Promise((r) => setTimeout(r, Math.max(0, 300 - (Date.now() - t0))));
  }
}

describe('hostile input', { timeout: 240_000 }, () => {
  let server, browser, baseline;
  before(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // what a clean load has: the page's own scripts, images and so on
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    await widgetsReady(page, 20_000);
    baseline = await page.evaluate(dangerousNodes);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });

  async function hostilePage(url) {
    const page = await browser.newPage();
    const dialogs = [];
    const errors = [];
    page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
    await widgetsReady(page, 20_000);
    return { page, dialogs, errors };
  }

  async function playAll(page) {
    const n = await page.locator('mlp-playground').count();
    for (let i = 0; i < n; i++) {
      const pg = page.locator('mlp-playground').nth(i);
      await pg.scrollIntoViewIfNeeded({ timeout: RESPONSIVE_MS });
      const running = await pg.evaluate((el) => el.running === true);
      if (!running) await pg.locator('button[name=play]').click({ timeout: RESPONSIVE_MS });
    }
  }

  async function checkClean(page, dialogs, errors, what, before = baseline) {
    const now = await page.evaluate(dangerousNodes);
    assert.deepEqual(now.filter((x) => !before.includes(x)), [], `${what}: markup was injected`);
    assert.deepEqual(dialogs, [], `${what}: a dialog opened`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${what}: the payload ran`);
    assert.deepEqual(errors, [], `${what}: uncaught exceptions`);
  }

  it('the harness sees an injection (control)', async () => {
    const { page, dialogs } = await hostilePage(`${server.base}/`);
    await page.evaluate(() => {
      const host = document.querySelector('mlp-playground');
      host.shadowRoot.append(Object.assign(document.createElement('img'), { src: 'x' }));
      host.shadowRoot.lastChild.setAttribute('onerror', 'window.__pwned = 1');
    });
    const now = await page.evaluate(dangerousNodes);
    assert.ok(now.some((x) => !baseline.includes(x) && /onerror/.test(x)), 'an <img onerror> in a shadow root went unnoticed');
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  for (const [what, hash] of Object.entries(HASHES)) {
    it(`hash: ${what}`, async () => {
      const { page, dialogs, errors } = await hostilePage(`${server.base}/${hash}`);
      await responsive(page, what, 1);
      await playAll(page);
      await responsive(page, what);
      // the hash is also read on hashchange while the page runs
      await page.evaluate((h) => { location.hash = h; }, hash.slice(1, 5000));
      await responsive(page, `${what} (hashchange)`, 2);
      const settings = await page.evaluate(() => document.querySelector('mlp-playground').settings);
      assert.ok(Array.isArray(settings.hidden) && settings.hidden.length <= 6 && settings.hidden.every((w) => Number.isInteger(w) && w >= 1 && w <= 256),
        `${what}: hidden ${JSON.stringify(settings.hidden)}`);
      assert.ok(Number.isFinite(settings.lr) && settings.lr > 0, `${what}: lr ${settings.lr}`);
      await checkClean(page, dialogs, errors, what);
      await page.close();
    });
  }

  // "Load your own data": files a person might pick, by mistake or on purpose.
  const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
  const CSV = {
    'markup in the header and cells': `<img src=x onerror="${PWN}">,<script>${PWN}</script>,label\n${rows(30, (i) => `${i},${-i},${i % 3}`)}\n<svg onload=alert(1)>,1,0`,
    'values float32 cannot hold (1e39)': `x1,x2,label\n${rows(30, (i) => `${i % 2 ? 1e39 : 1},${i},${i % 2}`)}`,
    'huge but finite values': `x1,x2,label\n${rows(30, (i) => `${i * 1e30},${-i * 1e30},${i % 2}`)}`,
    'regression targets near float32 max': `x,y\n${rows(30, (i) => `${i},${i * 1e37}`)}`,
    'all points equal': `x,y\n${rows(30, () => '5,5')}`,
    'NaN, Infinity, hex, empty cells': `x1,x2,label\n${rows(30, (i) => ['NaN,1,0', 'Infinity,2,1', '0x10,3,1', ',,', '1,2,9'][i % 5])}`,
    'more than 2 MB': `x1,x2,label\n${rows(120_000, (i) => `${i},${i},${i % 2}`)}`,
    'more rows than allowed': `x1,x2,label\n${rows(5001, (i) => `${i},${i},${i % 2}`)}`,
    'binary garbage': String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
  };

  it('hostile CSV files: no exception, no markup, the page keeps answering and training', async () => {
      const { page, dialogs, errors } = await hostilePage(`${server.base}/`);
      const pg = page.locator('mlp-playground').first();
      await pg.scrollIntoViewIfNeeded();
      for (const [what, text] of Object.entries(CSV)) {
        await pg.locator('input[name=csv]').setInputFiles({ name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') });
        await page.waitForFunction((el) => el.shadowRoot.querySelector('.csv-note').textContent.length > 0,
          await pg.elementHandle(), { timeout: 5_000 });
        const note = await pg.locator('.csv-note').textContent();
        if (!(await pg.evaluate((el) => el.running))) await pg.locator('button[name=play]').click();
        await responsive(page, `CSV: ${what}`, 2);
        assert.ok(!/\b(X|Y|lr|layers): /.test(note), `CSV ${what}: the note shows a raw package error: ${note}`);
        await checkClean(page, dialogs, errors, `CSV: ${what}`);
      }
      // a good file afterwards still loads and trains
      await pg.locator('input[name=csv]').setInputFiles({ name: 'ok.csv', mimeType: 'text/csv',
        buffer: Buffer.from(`x1,x2,label\n${rows(40, (i) => `${Math.cos(i)},${Math.sin(i)},${i % 2}`)}`) });
      const epoch = () => pg.evaluate((el) => Number(el.shadowRoot.querySelector('.epoch').textContent.replace(/\D/g, '')));
      if (!(await pg.evaluate((el) => el.running))) await pg.locator('button[name=play]').click();
      const e0 = await epoch();
      await page.waitForTimeout(1000);
      assert.ok((await epoch()) > e0, 'a good CSV after the hostile ones does not train');
      await page.close();
    });

  it('hostile network files (Import): refused with a note or loaded; no exception, no markup; export round trip', async () => {
    const { page, dialogs, errors } = await hostilePage(`${server.base}/`);
    const pg = page.locator('mlp-playground').first();
    await pg.scrollIntoViewIfNeeded();
    await pg.locator('button[name=play]').click();
    await page.waitForTimeout(500);
    await pg.locator('button[name=play]').click(); // pause
    // a genuine export, to mutate
    const [download] = await Promise.all([page.waitForEvent('download'), pg.locator('button[name=export]').click()]);
    const good = JSON.parse(await readFile(await download.path(), 'utf8'));
    const epochBefore = good.epoch;
    const mutate = (f) => { const d = structuredClone(good); f(d); return JSON.stringify(d); };
    const FILES = {
      'not JSON': '{"settings": {',
      'markup everywhere': mutate((d) => {
        d.settings.dataset = `<img src=x onerror="${PWN}">`;
        d.settings.hidden = '<script>alert(1)</script>';
        d.network.activation = `<svg onload="${PWN}">`;
        d.generator = '<iframe src=javascript:alert(1)>';
      }),
      'weights beyond float32': mutate((d) => { d.network.W[0][0] = 1e39; }),
      'NaN weights (as null)': mutate((d) => { d.network.W[0][0] = null; }),
      'layers that do not match the settings': mutate((d) => { d.network.layers = [2, 256, 256, 256, 256, 256, 256, 1]; }),
      'a million-unit layer': mutate((d) => { d.network.layers = [2, 1e6, 1]; }),
      'deeply nested': `{"settings":${'['.repeat(5000)}${']'.repeat(5000)},"network":{}}`,
      'prototype keys': mutate((d) => { d.settings = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'); }),
      'epoch 1e308': mutate((d) => { d.epoch = 1e308; }),
    };
    for (const [what, text] of Object.entries(FILES)) {
      await pg.evaluate((el) => { el.shadowRoot.querySelector('.export-note').textContent = ''; });
      await pg.locator('input[name=import]').setInputFiles({ name: 'net.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await page.waitForFunction((el) => el.shadowRoot.querySelector('.export-note').textContent.length > 0,
        await pg.elementHandle(), { timeout: 5_000 });
      await responsive(page, `import: ${what}`, 2);
      await checkClean(page, dialogs, errors, `import: ${what}`);
      assert.equal(await page.evaluate(() => ({}).polluted), undefined, `import: ${what}: Object.prototype was polluted`);
    }
    // the untouched export loads back, with its epoch
    await pg.locator('input[name=import]').setInputFiles({ name: 'net.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await page.waitForFunction((el) => Number(el.shadowRoot.querySelector('.epoch').textContent.replace(/\D/g, '')) === el.trainer.epoch,
      await pg.elementHandle(), { timeout: 5_000 });
    const epoch = await pg.evaluate((el) => el.trainer.epoch);
    assert.equal(epoch, epochBefore, 'the exported network came back with another epoch count');
    await checkClean(page, dialogs, errors, 'import of a genuine export');
    await page.close();
  });

  for (const path of ['/', '/web/examples/']) {
  it(`hostile widget attributes on ${path}: on new widgets and on the page's own`, async () => {
    const { page, dialogs, errors } = await hostilePage(`${server.base}${path}`);
    const pageBaseline = await page.evaluate(dangerousNodes);
    await page.evaluate((attrs) => {
      for (const [tag, list] of Object.entries(attrs)) {
        const el = document.createElement(tag);
        for (const [k, v] of Object.entries(list)) el.setAttribute(k, v);
        el.setAttribute('autoplay', '');
        document.querySelector('main').append(el);
        if (tag === 'mlp-playground') { // and one with the heaviest settings the parser allows
          const heavy = document.createElement(tag);
          for (const [k, v] of Object.entries({ dataset: 'spiral', n: '2000', hidden: '64,64,64,64,64,64', batch: '1',
            speed: 'max', activation: 'gelu', optimizer: 'adam', autoplay: '' })) heavy.setAttribute(k, v);
          document.querySelector('main').append(heavy);
        }
        // and on the widgets already running (attributeChangedCallback)
        for (const live of document.querySelectorAll(tag)) {
          if (live === el) continue;
          for (const [k, v] of Object.entries(list)) live.setAttribute(k, v);
        }
      }
    }, ATTRS);
    await widgetsReady(page, 20_000);
    await playAll(page);
    await responsive(page, 'hostile attributes');
    // then every attribute of every widget on the page (all eight kinds), 10^6 characters long
    await page.evaluate(() => {
      const long = `${'9,'.repeat(250_000)}${'<b>x</b>'.repeat(62_500)}`;
      for (const el of document.querySelectorAll('*')) {
        if (!el.localName.startsWith('mlp-')) continue;
        const names = new Set([...el.constructor.observedAttributes || [], ...el.constructor.reflectedAttributes || []]);
        for (const name of names) el.setAttribute(name, long);
      }
    });
    await responsive(page, 'attributes of 10^6 characters');
    await checkClean(page, dialogs, errors, 'hostile attributes', pageBaseline);
    // the widgets still work: every playground advances
    const epochs = () => page.evaluate(() => [...document.querySelectorAll('mlp-playground')]
      .map((e) => Number(e.shadowRoot.querySelector('.epoch').textContent.replace(/\D/g, ''))));
    const e0 = await epochs();
    await page.locator('mlp-playground').last().scrollIntoViewIfNeeded();
    // (waits for progress up to 15 s: the heaviest settings at a high machine load take more than 1.5 s an epoch)
    await page.waitForFunction((before) => {
      const last = [...document.querySelectorAll('mlp-playground')].at(-1);
      return Number(last.shadowRoot.querySelector('.epoch').textContent.replace(/\D/g, '')) > before;
    }, e0.at(-1), { timeout: 15_000 }).catch(() => {});
    const e1 = await epochs();
    assert.ok(e1.at(-1) > e0.at(-1), `the hostile-attribute playground did not train: ${e0} -> ${e1}`);
    await page.close();
  });
  }
});
