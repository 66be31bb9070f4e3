// What a framework or a bundler does to the widgets, reproduced on a plain
// page from the repository's server (strict CSP): properties set instead of
// attributes, before and after the element is defined; the wasm URL answering
// HTML or nothing; layout at container widths from 320 to 1400 px in a wide
// window; the iframe sized by the height embed.html posts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, widgetsReady, panelsOverlap, shotPath } from './helpers.js';

const env = serverAndBrowser();

// A page of the server's with no widget on it, to build widgets in.
const BLANK = 'web/embed.html?widget=none';

test('every attribute is a property too: what Vue and React 19 assign behaves as the attribute', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1280, height: 1400 } });
  await page.goto(`${env.server.url}${BLANK}`);
  await page.waitForFunction(() => customElements.get('mlp-playground'));
  const r = await page.evaluate(async () => {
    'use strict'; // frameworks' code is strict: assigning to a getter-only property throws there
    const ready = (el) => new Promise((res) => el.addEventListener('mlp-ready', res, { once: true }));
    // as a framework creates an element: properties first, then insert
    const pg = document.createElement('mlp-playground');
    Object.assign(pg, { dataset: 'xor', hidden: '4,4', activation: 'relu', n: 200, lr: 0.01, test: false, lang: 'fr' });
    const col = document.createElement('mlp-collapse');
    Object.assign(col, { dataset: 'moons', hidden: '3,3', seed: 7 });
    const plot = document.createElement('mlp-activation-plot');
    Object.assign(plot, { functions: 'gelu,swish', derivative: true, controls: false });
    const waits = [pg, col, plot].map(ready);
    document.body.append(pg, col, plot);
    await Promise.all(waits);
    const first = {
      attrs: [pg.getAttribute('dataset'), pg.getAttribute('hidden'), pg.getAttribute('n'), pg.getAttribute('test'), pg.getAttribute('lang')],
      s: [pg.settings.dataset, pg.net.layers.join(','), pg.settings.activation, pg.settings.n, pg.settings.lr, pg.settings.test],
      props: [pg.hidden, pg.activation, pg.n, pg.syncHash, pg.autoplay],
      visible: pg.getBoundingClientRect().height > 200,
      // dataset still reads as the data-* map
      epoch: pg.dataset.epoch,
      simd: pg.dataset.simd,
      col: [col.net.layers.join(','), col.shadowRoot.querySelector('select[name=dataset]').value, col.seed],
      plot: [[...plot.shadowRoot.querySelectorAll('.readout tr[data-fn]')].map((e) => e.dataset.fn).join(','), plot.derivative,
        plot.shadowRoot.querySelector('.controls').hidden],
    };
    // and later, as a framework updates a prop
    pg.hidden = '';
    pg.dataset = 'spiral';
    plot.derivative = false;
    col.hidden = '2';
    await new Promise((res) => requestAnimationFrame(res));
    const second = {
      s: [pg.settings.dataset, pg.net.layers.join(',')],
      attrs: [pg.getAttribute('hidden'), pg.getAttribute('dataset')],
      plot: [plot.hasAttribute('derivative'), plot.shadowRoot.querySelector('input[name=derivative]').checked],
      col: col.net.layers.join(','),
    };
    pg.dataset = null; // null removes the attribute, and that keeps the current data set (as removeAttribute does)
    await new Promise((res) => requestAnimationFrame(res));
    return { first, second, third: [pg.hasAttribute('dataset'), pg.settings.dataset] };
  });
  assert.deepEqual(r.first.attrs, ['xor', '4,4', '200', 'false', 'fr']);
  assert.deepEqual(r.first.s, ['xor', '2,4,4,1', 'relu', 200, 0.01, false]);
  assert.deepEqual(r.first.props, ['4,4', 'relu', '200', false, false]);
  assert.equal(r.first.visible, true, 'hidden="4,4" does not hide the playground');
  assert.equal(r.first.epoch, '0');
  assert.equal(r.first.simd, 'simd');
  assert.deepEqual(r.first.col, ['2,3,3,1', 'moons', '7']);
  assert.deepEqual(r.first.plot, ['gelu,swish', true, true]);
  assert.deepEqual(r.second.s, ['spiral', '2,1']);
  assert.deepEqual(r.second.attrs, ['', 'spiral']);
  assert.deepEqual(r.second.plot, [false, false]);
  assert.equal(r.second.col, '2,2,1');
  assert.deepEqual(r.third, [false, 'spiral']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('properties a framework set before the widgets were defined are taken on upgrade', async () => {
  const { page, errors, context } = await newPage(env.browser);
  // The page's own script runs first; the widgets' module is imported after it.
  await page.route('**/pre-upgrade.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: '<!doctype html><meta charset="utf-8"><title>t</title><script type="module" src="pre-upgrade.js"></script>' +
      '<mlp-activation-plot></mlp-activation-plot><mlp-playground></mlp-playground>',
  }));
  await page.route('**/pre-upgrade.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `const plot = document.querySelector('mlp-activation-plot');
plot.functions = 'tanh'; plot.identity = true;
const pg = document.querySelector('mlp-playground');
pg.activation = 'gelu'; pg.optimizer = 'adam';
await import('./mlp-lab-widgets.js');`,
  }));
  await page.goto(`${env.server.url}web/pre-upgrade.html`);
  await widgetsReady(page);
  const r = await page.evaluate(() => {
    const plot = document.querySelector('mlp-activation-plot');
    const pg = document.querySelector('mlp-playground');
    return {
      own: ['functions', 'identity'].filter((k) => Object.hasOwn(plot, k)),
      plot: [plot.getAttribute('functions'), plot.hasAttribute('identity'), plot.shadowRoot.querySelector('input[name=identity]').checked],
      pg: [pg.settings.activation, pg.settings.optimizer, pg.getAttribute('optimizer')],
    };
  });
  assert.deepEqual(r.own, [], 'no own property hides the accessors');
  assert.deepEqual(r.plot, ['tanh', true, true]);
  assert.deepEqual(r.pg, ['gelu', 'adam', 'adam']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the wasm URL answering a page of HTML (Vite dev pre-bundling): the inlined build loads instead', async () => {
  const { page, errors, context } = await newPage(env.browser);
  const asked = [];
  await page.route('**/build/mlp-lab-simd.wasm', (route) => {
    asked.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>index</title>' });
  });
  await page.goto(`${env.server.url}web/embed.html?widget=playground&dataset=xor&hidden=3`);
  await widgetsReady(page);
  assert.equal(asked.length, 1, 'the .wasm file is tried first');
  assert.deepEqual(await page.evaluate(() => {
    const pg = document.querySelector('mlp-playground');
    return [pg.dataset.simd, pg.net.layers.join(',')];
  }), ['simd', '2,3,1']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when neither the wasm nor its inlined copy loads, the widget says which URLs failed', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.route('**/build/mlp-lab-simd.wasm', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'no' }));
  await page.route('**/build/mlp-lab-simd.wasm.js', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'no' }));
  await page.goto(`${env.server.url}web/embed.html?widget=activation-plot`);
  await page.waitForFunction(() => document.querySelector('mlp-activation-plot')?.hasAttribute('data-error'));
  const text = await page.locator('mlp-activation-plot .error').textContent();
  assert.match(text, /wasm: http:\/\/[^ ]+\/build\/mlp-lab-simd\.wasm answered HTTP 404/);
  assert.match(text, /inlined copy build\/mlp-lab-simd\.wasm\.js failed too \(/);
  // the 404s and the error the widget logs are all there is
  assert.ok(errors.every((e) => /404|ERR_ABORTED|could not load the WebAssembly core/.test(e)), errors.join('\n'));
  await context.close();
});

test('layout follows the widget\'s width, not the window\'s: 320 to 1400 px in a 1440 px window', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1440, height: 1000 } });
  await page.goto(`${env.server.url}web/embed.html?widget=playground&dataset=spiral&hidden=8,8,8&lang=de`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  const columns = {};
  for (const w of [320, 400, 520, 640, 760, 900, 1100, 1400]) {
    await pg.evaluate((el, px) => { el.style.width = `${px}px`; }, w);
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    const { bad, n, width } = await panelsOverlap(pg);
    assert.equal(Math.round(width), w);
    assert.ok(n >= 12, `${w} px: ${n} panels`);
    assert.deepEqual(bad, [], `${w} px`);
    columns[w] = await pg.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.pg-body')).gridTemplateColumns.split(' ').length);
    if (w === 640 || w === 320) await pg.screenshot({ path: shotPath(`container-${w}`) });
  }
  // one column up to 760 px, two up to 1100, three beyond, whatever the window
  assert.deepEqual(columns, { 320: 1, 400: 1, 520: 1, 640: 1, 760: 1, 900: 2, 1100: 2, 1400: 3 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an iframe of embed.html on a page with embed-resize.js takes its content\'s height', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.server.url}web/examples/`);
  const frameEl = page.locator('iframe.embed');
  await frameEl.scrollIntoViewIfNeeded(); // loading="lazy"
  const frame = await (await frameEl.elementHandle()).contentFrame();
  await widgetsReady(frame);
  await page.waitForFunction(() => {
    const f = document.querySelector('iframe.embed');
    const inner = Math.ceil(f.contentDocument.documentElement.getBoundingClientRect().height);
    return f.style.height === `${inner}px`;
  }, null, { timeout: 10_000 });
  const r = await page.evaluate(() => {
    const f = document.querySelector('iframe.embed');
    return { height: f.clientHeight, scroll: f.contentDocument.documentElement.scrollHeight - f.contentWindow.innerHeight };
  });
  assert.notEqual(r.height, 560, 'the stylesheet\'s height was replaced');
  assert.ok(r.scroll <= 1, `the frame still scrolls by ${r.scroll} px`);
  assert.deepEqual(errors, []);
  await context.close();
});
