// The second block of exercise widgets on the teaching page (issue 12):
// <mlp-batch-norm> gives the same point different outputs in different
// minibatches and 0-variance normalisation alone; <mlp-approximation>'s test
// error falls with the width while the page stays responsive and pauses
// off-screen; <mlp-warp> draws, its slider changes the picture, and its view
// follows the layer's width (direct, turnable projection, principal
// directions). Screenshots: en, zh, and a 375 px phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, shotPath, selectLanguage } from './helpers.js';

const env = serverAndBrowser();

async function openAt(selector, opts = {}) {
  const p = await newPage(env.browser, opts);
  if (opts.lang) await p.page.addInitScript((l) => localStorage.setItem('mlp-lab-lang', l), opts.lang);
  await p.page.goto(`${env.server.url}web/`);
  const el = p.page.locator(selector);
  await el.scrollIntoViewIfNeeded();
  await p.page.waitForFunction((s) => {
    const e = document.querySelector(s);
    return e && (e.hasAttribute('data-ready') || e.hasAttribute('data-error'));
  }, selector, { timeout: 20_000 });
  const failed = await el.evaluate((e) => e.shadowRoot.querySelector('.error')?.textContent ?? null);
  assert.equal(failed, null, `${selector} failed: ${failed}`);
  return { ...p, el };
}

// A canvas's pixels, as a compact fingerprint, and how many differ from its corner pixel.
function canvasInfo(el, sel) {
  return el.evaluate((host, s) => {
    const c = host.shadowRoot.querySelector(s);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0, hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 60) inked++;
      hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) | 0;
    }
    return { inked, total: d.length / 4, hash };
  }, sel);
}

test('batch norm: the same point gets different outputs in different minibatches, and 0 alone', async () => {
  const { page, el, errors, context } = await openAt('mlp-batch-norm');
  const outputs = async () => JSON.parse(await el.evaluate((e) => e.dataset.outputs));
  const o = await outputs();
  assert.equal(o.length, 5, 'batches A, B, C, alone, all');
  assert.ok(o.every(Number.isFinite));
  const batches = o.slice(0, 3);
  assert.ok(Math.max(...batches) - Math.min(...batches) > 1e-3, `the three batches give ${batches.join(', ')}`);
  // the batch of one: variance 0, normalised value 0 in the table
  const alone = await el.evaluate((e) => [...e.shadowRoot.querySelectorAll('tr[data-row=alone] td')].map((td) => td.textContent));
  assert.equal(alone[1], '0', 'variance of a batch of one');
  assert.equal(alone[2], '0', 'normalised value alone');
  // new batches: new outputs for the same x
  await el.locator('button[name=redraw]').click();
  const o2 = await outputs();
  assert.notDeepEqual(o2.slice(0, 3), batches);
  assert.equal(o2[3], o[3], 'alone, x gets the same output whatever the other batches are');
  // the batch size changes the batches (and their outputs)
  await el.locator('input[name=batch]').fill('20');
  await page.waitForFunction((e) => e.dataset.batch === '20', await el.elementHandle());
  assert.match(await el.locator('tr[data-row=batch-0] th').textContent(), /20/);
  // every number shown is a formatted number
  const cells = await el.evaluate((e) => [...e.shadowRoot.querySelectorAll('tbody td')].map((td) => td.textContent));
  assert.ok(cells.every((c) => /\d/.test(c)), cells.join(' | '));
  assert.ok((await canvasInfo(el, '.bn-plot')).inked > 500, 'the plot is drawn');
  assert.match(await el.locator('.bn-verdict').textContent(), /0\.\d/);
  // the arrow keys move x: a new point, new outputs
  const before = await outputs();
  await el.locator('.bn-plot').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  assert.notDeepEqual(await outputs(), before);
  assert.match(await el.locator('.bn-verdict').textContent(), /\(0\.\d+, 0\.\d+\)/);
  await el.screenshot({ path: shotPath('exercises2-batch-norm-en') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('approximation: the test error falls with the width; the page stays responsive; off-screen it pauses', async () => {
  const { page, el, errors, context } = await openAt('mlp-approximation');
  // while training: the page answers, and the pause button works between frames
  await page.waitForFunction((e) => Number(e.dataset.epoch) > 5, await el.elementHandle(), { timeout: 20_000 });
  await el.locator('button[name=play]').click();
  await page.waitForFunction((e) => e.dataset.state === 'paused', await el.elementHandle(), { timeout: 5000 });
  const paused = Number(await el.evaluate((e) => e.dataset.epoch));
  await page.waitForTimeout(300);
  assert.equal(Number(await el.evaluate((e) => e.dataset.epoch)), paused, 'paused: no more epochs');
  await el.locator('button[name=play]').click();
  // off-screen: training stops
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction((e) => e.dataset.state === 'paused', await el.elementHandle(), { timeout: 5000 });
  const off = Number(await el.evaluate((e) => e.dataset.epoch));
  await page.waitForTimeout(300);
  assert.equal(Number(await el.evaluate((e) => e.dataset.epoch)), off, 'off-screen: no more epochs');
  await el.scrollIntoViewIfNeeded();
  await page.waitForFunction((e) => e.dataset.state === 'done', await el.elementHandle(), { timeout: 45_000 });
  const errs = JSON.parse(await el.evaluate((e) => e.dataset.errors));
  assert.equal(errs.length, 7, 'widths 1, 2, 4, ..., 64');
  assert.ok(errs.every((e) => Number.isFinite(e) && e >= 0), errs.join(', '));
  assert.ok(errs[6] < 0.5 * errs[0], `width 64 RMSE ${errs[6]} vs width 1 ${errs[0]}`);
  assert.ok(Math.min(...errs.slice(3)) < Math.min(...errs.slice(0, 3)), `wide beats narrow: ${errs.join(', ')}`);
  assert.ok((await canvasInfo(el, '.ua-fits')).inked > 1000, 'fits drawn');
  assert.ok((await canvasInfo(el, '.ua-errors')).inked > 300, 'errors drawn');
  // |x|: a new target retrains
  await el.locator('select[name=target]').selectOption('abs');
  await page.waitForFunction((e) => e.dataset.state === 'running' || Number(e.dataset.epoch) < 50, await el.elementHandle(), { timeout: 5000 });
  await el.screenshot({ path: shotPath('exercises2-approximation-en') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('warp: draws, the slider changes the picture, the view follows the layer width', async () => {
  const { page, el, errors, context } = await openAt('mlp-warp');
  await page.waitForFunction((e) => Number(e.dataset.epoch) >= 300, await el.elementHandle(), { timeout: 30_000 });
  assert.equal(await el.evaluate((e) => e.dataset.view), 'direct');
  const atLayer = await canvasInfo(el, '.wp-plot');
  assert.ok(atLayer.inked > 0.01 * atLayer.total, `drawn: ${atLayer.inked} of ${atLayer.total} pixels`);
  await el.locator('input[name=t]').fill('0');
  await page.waitForFunction((e) => e.dataset.t === '0', await el.elementHandle());
  const atInput = await canvasInfo(el, '.wp-plot');
  assert.notEqual(atInput.hash, atLayer.hash, 'the slider changes the picture');
  assert.ok(atInput.inked > 0.01 * atInput.total);
  await el.locator('input[name=t]').fill('0.5');
  assert.notEqual((await canvasInfo(el, '.wp-plot')).hash, atInput.hash);
  await el.locator('input[name=t]').fill('1');
  // play: t runs to 1
  await el.locator('button[name=play]').click();
  await page.waitForFunction((e) => e.dataset.t === '1', await el.elementHandle(), { timeout: 10_000 });
  await el.screenshot({ path: shotPath('exercises2-warp-en') });
  // 3 units: a projection that turns with the arrow keys
  await el.locator('select[name=hidden]').selectOption('8,3');
  await page.waitForFunction((e) => e.dataset.view === 'projection', await el.elementHandle());
  const before3 = (await canvasInfo(el, '.wp-plot')).hash;
  await el.locator('.wp-plot').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.notEqual((await canvasInfo(el, '.wp-plot')).hash, before3, 'the arrow keys turn the 3-D view');
  // 8 units: principal directions from the core
  await el.locator('select[name=hidden]').selectOption('8,8');
  await page.waitForFunction((e) => e.dataset.view === 'pca', await el.elementHandle());
  assert.match(await el.locator('.wp-view').textContent(), /8 units/);
  await el.locator('select[name=layer]').selectOption('1');
  await page.waitForFunction((e) => e.dataset.view === 'pca' && e.shadowRoot.querySelector('.wp-view').textContent.startsWith('Layer 1'), await el.elementHandle());
  assert.ok((await canvasInfo(el, '.wp-plot')).inked > 0.01 * atLayer.total);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bad attributes fall back to defaults', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/examples/`);
  await page.evaluate(() => {
    for (const [tag, attrs] of [['mlp-batch-norm', { dataset: 'nope', batch: '1e9', seed: '-3' }],
      ['mlp-approximation', { target: '<b>', activation: 'softplus', epochs: 'many' }],
      ['mlp-warp', { hidden: '9999,x', layer: '7', dataset: 'spiral' }]]) {
      const e = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      document.body.prepend(e);
    }
  });
  for (const tag of ['mlp-batch-norm', 'mlp-approximation', 'mlp-warp']) {
    await page.waitForFunction((t) => document.querySelector(t).hasAttribute('data-ready') || document.querySelector(t).hasAttribute('data-error'), tag, { timeout: 20_000 });
    assert.equal(await page.evaluate((t) => document.querySelector(t).hasAttribute('data-error'), tag), false, tag);
  }
  assert.equal(await page.evaluate(() => document.querySelector('mlp-batch-norm').dataset.batch), '8');
  assert.equal(await page.evaluate(() => document.querySelector('mlp-approximation').shadowRoot.querySelector('select[name=target]').value), 'sin');
  assert.equal(await page.evaluate(() => document.querySelector('mlp-warp').shadowRoot.querySelector('select[name=hidden]').value), '8,2');
  // every observed attribute 10^6 characters long, on the running widgets: defaults, no markup
  await page.evaluate(() => {
    const long = `${'9,'.repeat(250_000)}${'<b>x</b>'.repeat(62_500)}`;
    for (const el of document.querySelectorAll('mlp-batch-norm, mlp-approximation, mlp-warp')) {
      for (const name of el.constructor.observedAttributes) if (name !== 'lang') el.setAttribute(name, long);
    }
  });
  assert.equal(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(true)))), true);
  const state = await page.evaluate(() => ['mlp-batch-norm', 'mlp-approximation', 'mlp-warp'].map((t) => {
    const e = document.querySelector(t);
    return [e.hasAttribute('data-error'), e.shadowRoot.querySelectorAll('b').length, getComputedStyle(e).display];
  }));
  assert.deepEqual(state, [[false, 0, 'block'], [false, 0, 'block'], [false, 0, 'block']]);
  assert.equal(await page.evaluate(() => document.querySelector('mlp-batch-norm').dataset.batch), '8');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the widgets follow the page language switch', async () => {
  const { page, el, errors, context } = await openAt('mlp-warp', { lang: 'zh' });
  const titles = () => page.evaluate(() => ['mlp-batch-norm', 'mlp-approximation', 'mlp-warp']
    .map((t) => document.querySelector(t).shadowRoot.querySelector('h3').textContent));
  await page.waitForFunction(() => ['mlp-batch-norm', 'mlp-approximation'].every((t) => document.querySelector(t).hasAttribute('data-ready')), null, { timeout: 20_000 });
  assert.deepEqual(await titles(), ['批量规范化：同一个点，多个输出', '隐藏层越宽，近似越好', '被弯折的平面']);
  await selectLanguage(page, 'de');
  await page.waitForFunction(() => document.querySelector('mlp-warp').shadowRoot.querySelector('h3').textContent === 'Die verbogene Ebene');
  assert.deepEqual(await titles(), ['Batch-Normalisierung: ein Punkt, viele Ausgaben', 'Breitere verdeckte Schichten nähern besser an', 'Die verbogene Ebene']);
  assert.match(await el.locator('.wp-view').textContent(), /Schicht 2 hat 2 Einheiten/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('moved in its page (disconnected, connected again), a widget keeps its state and goes on following the page', async () => {
  const { page, errors, context } = await openAt('mlp-warp', { lang: 'en' });
  const tags = ['mlp-batch-norm', 'mlp-approximation', 'mlp-warp'];
  await page.waitForFunction((t) => t.every((x) => document.querySelector(x).hasAttribute('data-ready')), tags, { timeout: 20_000 });
  // Each moved to the end of its section, twice: its networks stay the same objects
  // (batch-norm's were made anew at each reconnection before, its observers doubled).
  const model = { 'mlp-batch-norm': 'first', 'mlp-approximation': 'nets', 'mlp-warp': 'net' };
  const same = await page.evaluate((m) => Object.entries(m).map(([x, k]) => {
    const el = document.querySelector(x);
    const before = el[k];
    for (let i = 0; i < 2; i++) el.parentElement.append(el);
    return before != null && el[k] === before;
  }), model);
  assert.deepEqual(same, [true, true, true]);
  await selectLanguage(page, 'fr');
  await page.waitForFunction(() => document.querySelector('mlp-warp').shadowRoot.querySelector('.root').lang === 'fr');
  const langs = await page.evaluate((t) => t.map((x) => document.querySelector(x).shadowRoot.querySelector('.root').lang), tags);
  assert.deepEqual(langs, ['fr', 'fr', 'fr']);
  // one observer each, not one more per reconnection: a language switch localizes each once
  const counts = await page.evaluate(async (t) => {
    const n = t.map(() => 0);
    t.forEach((x, i) => {
      const el = document.querySelector(x);
      const orig = el.localize.bind(el);
      el.localize = () => { n[i]++; orig(); };
    });
    document.documentElement.lang = 'en';
    await new Promise((r) => setTimeout(r, 100));
    return n;
  }, tags);
  assert.deepEqual(counts, [1, 1, 1]);
  // it still trains while on screen, and only then
  const el = page.locator('mlp-approximation');
  await el.scrollIntoViewIfNeeded();
  const epoch = () => el.evaluate((e) => e.epoch);
  const a = await epoch();
  assert.ok(a < await el.evaluate((e) => e.totalEpochs), `its fits were done off screen (epoch ${a})`);
  await page.waitForFunction((x) => document.querySelector('mlp-approximation').epoch > x, a, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('screenshots: zh and a 375 px phone', async () => {
  for (const [name, opts] of [['zh', { lang: 'zh' }], ['phone', { viewport: { width: 375, height: 800 }, lang: 'en' }]]) {
    for (const sel of ['mlp-batch-norm', 'mlp-approximation', 'mlp-warp']) {
      const { page, el, errors, context } = await openAt(sel, opts);
      await page.waitForTimeout(600);
      const overflow = await el.evaluate((e) => e.scrollWidth - e.clientWidth);
      assert.ok(overflow <= 1, `${sel} (${name}) overflows by ${overflow} px`);
      await page.locator(`section:has(${sel})`).screenshot({ path: shotPath(`exercises2-${sel.slice(4)}-${name}`) });
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});
