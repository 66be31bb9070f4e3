// The playground's network view on a phone (web/playground-network.js): at
// 320, 375 and 414 px, with 3 and 6 hidden layers, every unit and every +/−
// button is inside the panel or reached by scrolling the panel, the cue shows
// on each side that has more and only then, the page itself never scrolls
// sideways; a swipe scrolls the panel, and a tap on a unit tells its numbers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, widgetsReady, shotPath, selectLanguage } from './helpers.js';

const env = serverAndBrowser();
const HASH = '#dataset=spiral&activation=relu&optimizer=adam&lr=0.01&noise=0.05&n=800&init=he';

/** In the page: the panel, which units and buttons lie fully inside it now, and the cues. */
function viewState(pg) {
  const root = pg.shadowRoot;
  const cols = root.querySelector('.columns');
  const view = root.querySelector('.net-view');
  const p = cols.getBoundingClientRect();
  const items = [...cols.querySelectorAll('canvas.unit-c, .col-head button')].map((el) => {
    const r = el.getBoundingClientRect();
    const id = el.dataset.unit !== undefined ? `unit ${el.dataset.layer}.${el.dataset.unit}`
      : el.dataset.input !== undefined ? `input ${el.dataset.input}`
        : el.classList.contains('out-mini') ? 'output' : `${el.dataset.act} ${el.closest('.col').dataset.layer}`;
    return { id, inside: r.left >= p.left - 0.5 && r.right <= p.right + 0.5, inContent: r.left - p.left + cols.scrollLeft >= -0.5 && r.right - p.left + cols.scrollLeft <= cols.scrollWidth + 0.5 };
  });
  const shown = (side) => {
    const b = root.querySelector(`.scroll-cue.${side}`);
    const r = b.getBoundingClientRect();
    return !b.hidden && r.width > 0 && view.hasAttribute(`data-more-${side}`) && getComputedStyle(view, `::${side === 'left' ? 'before' : 'after'}`).opacity === '1';
  };
  return {
    client: cols.clientWidth, scrollWidth: cols.scrollWidth, scrollLeft: cols.scrollLeft, items,
    content: Math.round(Math.max(...[...cols.querySelectorAll('.col')].map((c) => c.getBoundingClientRect().right)) - p.left + cols.scrollLeft + 2),
    cue: { left: shown('left'), right: shown('right') },
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}

const settle = (loc) => loc.evaluate((pg) => new Promise((res) => {
  const cols = pg.shadowRoot.querySelector('.columns');
  let last = -1;
  const tick = () => {
    if (cols.scrollLeft === last) res();
    else {
      last = cols.scrollLeft;
      setTimeout(tick, 120);
    }
  };
  tick();
}));

test('phone widths: every unit is in the panel or reached by scrolling it, with a cue; the page never scrolls sideways', async (t) => {
  for (const width of [320, 375, 414]) {
    for (const hidden of ['16,16,16', '8,8,8,8,8,8']) {
      const depth = hidden.split(',').length;
      const { page, errors, context } = await newPage(env.browser, { viewport: { width, height: 800 }, isMobile: true, hasTouch: true });
      await page.goto(`${env.server.url}web/${HASH}&hidden=${hidden}`);
      await widgetsReady(page);
      const pg = page.locator('mlp-playground');
      await pg.locator('.net-view').scrollIntoViewIfNeeded();
      await settle(pg);
      const at = `${width} px, ${depth} hidden layers`;
      let s = await pg.evaluate(viewState);
      const total = s.items.length; // 7 inputs: the input column shows every input feature (issue 11)
      assert.equal(total, 7 + Number(hidden.split(',').reduce((a, n) => a + Math.min(16, Number(n)), 0)) + 1 + 2 * depth, `${at}: items`);
      assert.ok(s.page <= 0, `${at}: the page is ${s.page} px wider than the window`);
      assert.deepEqual(s.items.filter((i) => !i.inContent).map((i) => i.id), [], `${at}: outside the panel's scroll range`);
      const fits = s.scrollWidth <= s.client;
      t.diagnostic(`${at}: columns ${s.content} px in a ${s.client} px panel (${fits ? 'fits' : 'scrolls'})`);
      if (depth === 3 && width >= 375) assert.ok(fits, `${at}: three hidden layers should fit (${s.scrollWidth} > ${s.client})`);
      const seen = new Set();
      for (let taps = 0; ; taps++) {
        for (const i of s.items) if (i.inside) seen.add(i.id);
        const hiddenNow = s.items.filter((i) => !i.inside).length;
        assert.equal(s.cue.right, s.scrollLeft + s.client < s.scrollWidth - 1, `${at}: right cue at scrollLeft ${s.scrollLeft}`);
        assert.equal(s.cue.left, s.scrollLeft > 1, `${at}: left cue at scrollLeft ${s.scrollLeft}`);
        if (hiddenNow) assert.ok(s.cue.left || s.cue.right, `${at}: ${hiddenNow} items out of view and no cue`);
        if (!s.cue.right) break;
        assert.ok(taps < 12, `${at}: the right cue never reaches the end`);
        await pg.locator('.scroll-cue.right').tap();
        await settle(pg);
        s = await pg.evaluate(viewState);
        assert.ok(s.page <= 0, `${at}: the page scrolls sideways after a tap on the cue`);
      }
      assert.deepEqual(s.items.filter((i) => !seen.has(i.id)).map((i) => i.id), [], `${at}: never inside the panel`);
      if (!fits) {
        assert.ok(s.cue.left && !s.cue.right, `${at}: at the end only the left cue`);
        await pg.locator('.scroll-cue.left').tap();
        await settle(pg);
        assert.ok((await pg.evaluate(viewState)).scrollLeft < s.scrollLeft, `${at}: the left cue scrolls back`);
      }
      if (width === 375 && depth === 6) await pg.locator('section.network').screenshot({ path: shotPath('network-375-6-layers') });
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test('a phone: a swipe scrolls the network panel, not the page; a tap on a unit tells its bias and weights', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true });
  await page.goto(`${env.server.url}web/${HASH}&hidden=8,8,8,8,8,8`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  const view = pg.locator('.net-view');
  await view.scrollIntoViewIfNeeded();
  // A finger drawn 200 px leftwards over the units (raw touch events; headless Chromium
  // ignores Input.synthesizeScrollGesture's touch source).
  const box = await view.boundingBox();
  const cdp = await context.newCDPSession(page);
  const x0 = box.x + box.width * 0.8;
  const y0 = box.y + 200;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: x0, y: y0 }] });
  for (let i = 1; i <= 10; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x0 - 20 * i, y: y0 }] });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(pg);
  const after = await pg.evaluate((el) => el.shadowRoot.querySelector('.columns').scrollLeft);
  assert.ok(after > 50, `the swipe moved the panel by ${after} px`);
  assert.equal(await page.evaluate(() => window.scrollX), 0, 'the page moved sideways');
  assert.ok(await pg.locator('.scroll-cue.left').isVisible(), 'the left cue after a swipe');

  // A unit of the last hidden layer: in view after scrolling, then tapped.
  assert.match(await pg.locator('.unit-info').textContent(), /Tap or click a unit/);
  const unit = pg.locator('canvas[data-layer="5"][data-unit="2"]');
  await unit.scrollIntoViewIfNeeded();
  await unit.tap();
  const w = await pg.evaluate((el) => {
    const { W, b } = el.net.params();
    const fanOut = el.net.layers[6];
    return [...Array(8).keys()].map((i) => W[5][i * fanOut + 2]).concat(b[5][2]);
  });
  const f = (v) => v.toFixed(3).replace(/\.?0+$/, '');
  const expected = `Hidden layer 6, unit 3: bias ${f(w[8])}; incoming weights ${w.slice(0, 8).map(f).join(' · ')}`;
  assert.equal(await pg.locator('.unit-info').textContent(), expected);
  assert.ok(await unit.evaluate((c) => c.classList.contains('selected')));
  // In another language the tapped unit keeps telling its numbers, translated.
  await selectLanguage(page, 'de');
  assert.match(await pg.locator('.unit-info').textContent(), /^Verdeckte Schicht 6, Einheit 3: Bias /);
  // A network without that layer shows the hint again.
  await selectLanguage(page, 'en');
  await pg.locator('button[name=remove-layer]').tap();
  assert.match(await pg.locator('.unit-info').textContent(), /Tap or click a unit/);
  assert.deepEqual(errors, []);
  await context.close();
});
