// Widgets embedded the way a course page does it (web/examples/index.html):
// independent training, off-screen pause, per-widget language, and the
// iframe page web/embed.html.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, widgetsReady } from './helpers.js';

let server;
let browser;

before(async () => {
  server = await startServer({ csp: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const epoch = (loc) => loc.evaluate((el) => Number(el.dataset.epoch));

test('two playgrounds on one page train independently', async () => {
  // A tall viewport so both playgrounds are on screen together.
  const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 2600 } });
  await page.goto(`${server.url}web/examples/`);
  await widgetsReady(page);
  const a = page.locator('#pg-xor');
  const b = page.locator('#pg-spiral');
  await b.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -700));
  // Each has its own settings and network, and its own language.
  assert.deepEqual(await a.evaluate((el) => [el.settings.dataset, el.net.layers.join(',')]), ['xor', '2,4,4,1']);
  assert.deepEqual(await b.evaluate((el) => [el.settings.dataset, el.net.layers.join(',')]), ['spiral', '2,16,16,1']);
  assert.equal(await a.locator('button[name=play] .play-text').textContent(), 'Lancer');
  assert.equal(await b.locator('button[name=play] .play-text').textContent(), 'Play');

  await a.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('#pg-xor').dataset.epoch) > 20);
  assert.equal(await epoch(b), 0, 'playing one widget does not train the other');
  assert.equal(await b.getAttribute('data-state'), 'paused');

  await b.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('#pg-spiral').dataset.epoch) > 50);
  const a1 = await epoch(a);
  const b1 = await epoch(b);
  await page.waitForTimeout(400);
  assert.ok((await epoch(a)) > a1 && (await epoch(b)) > b1, 'both advance together');

  // Pausing one leaves the other running.
  await a.locator('button[name=play]').click();
  const a2 = await epoch(a);
  const b2 = await epoch(b);
  await page.waitForTimeout(400);
  assert.equal(await epoch(a), a2);
  assert.ok((await epoch(b)) > b2);
  // Changing one widget's settings does not touch the other.
  await a.locator('select[name=activation]').selectOption('sigmoid');
  assert.equal(await a.evaluate((el) => el.settings.activation), 'sigmoid');
  assert.equal(await b.evaluate((el) => el.settings.activation), 'relu');
  await b.locator('select[name=activation]').selectOption('tanh');
  assert.equal(await a.evaluate((el) => el.settings.activation), 'sigmoid');
  assert.equal(await b.evaluate((el) => el.net.config.activation), 'tanh');
  // Their losses are their own.
  const [la, lb] = [Number(await a.getAttribute('data-test-loss')), Number(await b.getAttribute('data-test-loss'))];
  assert.notEqual(la, lb);
  // No widget wrote to the page's hash (only sync-hash widgets do).
  assert.equal(await page.evaluate(() => location.hash), '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a playground scrolled off-screen stops training and resumes when back', async () => {
  const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}web/examples/`);
  await widgetsReady(page);
  const a = page.locator('#pg-xor');
  await a.scrollIntoViewIfNeeded();
  await a.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('#pg-xor').dataset.epoch) > 10);
  await page.evaluate(() => window.scrollTo(0, 0)); // far above the playground
  await page.waitForTimeout(300);
  const e1 = await epoch(a);
  await page.waitForTimeout(500);
  assert.equal(await epoch(a), e1, 'no training while off-screen');
  assert.equal(await a.getAttribute('data-state'), 'running', 'still "running": it resumes on return');
  await a.scrollIntoViewIfNeeded();
  await page.waitForFunction((e) => Number(document.querySelector('#pg-xor').dataset.epoch) > e, e1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.html builds one widget from its query, ignoring unknown attributes', async () => {
  const { page, errors, context } = await newPage(browser);
  await page.goto(`${server.url}web/embed.html?widget=playground&dataset=moons&hidden=6&activation=gelu&lang=de&onclick=alert(1)&style=color:red`);
  await widgetsReady(page);
  const info = await page.evaluate(() => {
    const el = document.querySelector('mlp-playground');
    return { attrs: el.getAttributeNames().filter((n) => !n.startsWith('data-')).sort(), s: el.settings, play: el.shadowRoot.querySelector('.play-text').textContent };
  });
  assert.deepEqual(info.attrs, ['activation', 'dataset', 'hidden', 'lang']);
  assert.equal(info.s.dataset, 'moons');
  assert.equal(info.s.activation, 'gelu');
  assert.deepEqual(info.s.hidden, [6]);
  assert.equal(info.play, 'Start');
  await page.goto(`${server.url}web/embed.html#widget=activation-plot&functions=gelu,swish&derivative`);
  await widgetsReady(page);
  const fns = await page.evaluate(() => [...document.querySelector('mlp-activation-plot').shadowRoot.querySelectorAll('.readout tr[data-fn]')].map((r) => r.dataset.fn));
  assert.deepEqual(fns, ['gelu', 'swish']);
  await page.goto(`${server.url}web/embed.html?widget=%3Cscript%3E`);
  assert.match(await page.locator('.embed-error').textContent(), /Unknown widget/);
  assert.deepEqual(errors, []);
  await context.close();
});
