// Issues 11 and 13 together: in the output heatmap's Inspect mode (the
// default), a click on a data point opens "Inspect one example" on that very
// point: the trace shown is net.trace of the row clicked, from the element's
// net, with and without input features.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, widgetsReady, shotPath } from './helpers.js';

const env = serverAndBrowser();

/** A train or test row far from every other point (so a click on it means it), and its page pixel. */
async function loneRow(pg) {
  const box = await pg.locator('.heat-over').boundingBox();
  const row = await pg.evaluate((el) => {
    const tr = el.trainer;
    const pts = [];
    for (const set of ['train', 'test']) {
      const part = tr[set];
      for (let i = 0; i < part.n; i++) pts.push({ set, index: i, x: part.X[2 * i], y: part.X[2 * i + 1] });
    }
    let best = null;
    for (const p of pts) {
      let near = Infinity;
      for (const o of pts) if (o !== p) near = Math.min(near, Math.hypot(o.x - p.x, o.y - p.y));
      if (Math.abs(p.x) < 5 && Math.abs(p.y) < 5 && (!best || near > best.near)) best = { ...p, near };
    }
    return { ...best, range: tr.data.range };
  });
  const [lo, hi] = row.range;
  return { ...row, px: box.x + ((row.x - lo) / (hi - lo)) * box.width, py: box.y + ((hi - row.y) / (hi - lo)) * box.height };
}

for (const [name, hash] of [['raw inputs', '#dataset=circle&n=100&hidden=3&seed=3'],
  ['features x1sq, x2sq, x1x2', '#dataset=xor&n=100&hidden=3&seed=4&features=x1sq,x2sq,x1x2']]) {
  test(`a click on a point in Inspect mode inspects that point (${name})`, async () => {
    const { page, errors, context } = await newPage(env.browser);
    try {
      await page.goto(`${env.server.url}web/index.html${hash}`);
      await widgetsReady(page, 30_000);
      const pg = page.locator('mlp-playground');
      await pg.evaluate((el) => el.scrollIntoView());
      assert.equal(await pg.evaluate((el) => el.dataset.pointerMode), 'inspect');
      assert.equal(await pg.evaluate((el) => el.inspected), null, 'nothing inspected before the click');
      const row = await loneRow(pg);
      assert.ok(row.near > 0.2, `a point stands alone (${row.near})`);
      await page.mouse.click(row.px, row.py);
      await page.waitForFunction((el) => el.inspected !== null, await pg.elementHandle(), { timeout: 10_000 });
      const got = await pg.evaluate((el, { set, index }) => {
        const part = el.trainer[set];
        const t = el.net.trace(part.X.slice(2 * index, 2 * index + 2), part.Y.slice(index, index + 1));
        const shown = el.inspected;
        const want = el.net.config.features
          ? Array.from(el.lab.features(part.X.slice(2 * index, 2 * index + 2), el.net.config.features)) : Array.from(part.X.slice(2 * index, 2 * index + 2));
        return { input: Array.from(shown.input), want, loss: shown.loss, traced: t.loss, dz: shown.dz.map((a) => Array.from(a)), tdz: t.dz.map((a) => Array.from(a)), state: el.dataset.state };
      }, { set: row.set, index: row.index });
      assert.deepEqual(got.input, got.want, `the inspected input is row ${row.index} of ${row.set}`);
      assert.equal(got.loss, got.traced, 'its loss is net.trace of that row');
      assert.deepEqual(got.dz, got.tdz, 'its gradients are net.trace of that row');
      assert.equal(got.state, 'paused');
      // the example is ringed on the output: the ring's pixels differ from before the click
      const ringed = await pg.evaluate((el, { x, y, range }) => {
        const c = el.shadowRoot.querySelector('.heat-over');
        const k = c.width / c.clientWidth;
        const [lo, hi] = range;
        const cx = ((x - lo) / (hi - lo)) * c.clientWidth * k, cy = ((hi - y) / (hi - lo)) * c.clientHeight * k;
        const r = 7.5 * k;
        const p = c.getContext('2d').getImageData(Math.round(cx + r), Math.round(cy), 1, 1).data;
        return p[3];
      }, { x: row.x, y: row.y, range: row.range });
      assert.ok(ringed > 128, `a ring is drawn around the inspected example (alpha ${ringed})`);
      assert.ok(await pg.evaluate((el) => {
        const r = el.shadowRoot.querySelector('.inspect').getBoundingClientRect();
        return r.top < innerHeight && r.bottom > 0;
      }), 'the panel is brought into view');
      await page.screenshot({ path: shotPath(`inspect-click-${name.split(' ')[0]}`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
