// Issue 11 in the playground (Chromium): the Try link (circle, no hidden
// layer, x1² and x2² on) reaches test accuracy >= 0.95; an input feature
// toggled by click and by keyboard changes the network; points drawn with the
// mouse (and the keyboard cursor) are the data it trains on, in the link, and
// Inspect hands the nearest point to host.inspectPoint; the stop condition
// stops and tells its time; hostile features / stop / points values break nothing.

import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, widgetsReady, shotPath } from './helpers.js';

const env = serverAndBrowser();

async function open(hash, opts) {
  const { page, errors, context } = await newPage(env.browser, opts);
  await page.goto(`${env.server.url}web/${hash}`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  await pg.evaluate((el) => el.scrollIntoView()); // training pauses off-screen
  return { page, errors, context, pg };
}

/** The output canvas's box, and a function from data units (range [-6, 6]^2) to page pixels. */
async function outputBox(pg) {
  const b = await pg.locator('.heat-over').boundingBox();
  return { b, at: (x, y) => [b.x + ((x + 6) / 12) * b.width, b.y + ((6 - y) / 12) * b.height] };
}

test('Try link: circle, no hidden layer, x1² + x2² reaches test accuracy >= 0.95 within 10 s', async () => {
  const { page, errors, context, pg } = await open('');
  const link = page.locator('a.try[href*="features=x1sq,x2sq"]');
  assert.equal(await link.count(), 1, 'the Try link is on the page');
  await link.click();
  await pg.evaluate((el) => el.scrollIntoView());
  const t0 = Date.now();
  await page.waitForFunction((el) => Number(el.dataset.accuracy) >= 0.95 && el.net?.layers.length === 2, await pg.elementHandle(), { timeout: 10_000 })
    .catch(async (e) => {
      const st = await pg.evaluate((el) => ({ state: el.dataset.state, epoch: el.dataset.epoch, acc: el.dataset.accuracy, hash: location.hash, layers: el.net?.layers }));
      // (the page's errors too: an exception in a frame stops training with the state still "running")
      throw new Error(`${e.message}: ${JSON.stringify({ ...st, errors })}`);
    });
  const info = await pg.evaluate((el) => ({ layers: el.net.layers, features: [...el.net.config.features], acc: Number(el.dataset.accuracy), epoch: el.trainer.epoch }));
  assert.deepEqual(info.layers, [2, 1]);
  assert.deepEqual(info.features, ['x1sq', 'x2sq']);
  console.log(`# Try card: test accuracy ${info.acc} at epoch ${info.epoch}, ${Date.now() - t0} ms after the click`);
  const pressed = await pg.locator('.col.inputs [data-feature][aria-pressed=true]').evaluateAll((els) => els.map((e) => e.dataset.feature));
  assert.deepEqual(pressed, ['x1sq', 'x2sq']);
  assert.equal(await pg.locator('.col.inputs [data-feature]').count(), 7, 'all seven features are shown');
  await page.screenshot({ path: shotPath('inputs-try'), fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an input toggled by click and by keyboard changes the network', async () => {
  const { page, errors, context, pg } = await open('#dataset=circle&hidden=4');
  const layers0 = () => pg.evaluate((el) => el.net.layers[0]);
  assert.equal(await layers0(), 2);
  await pg.locator('[data-feature=x1sq]').click();
  assert.equal(await layers0(), 3);
  assert.equal(await pg.locator('[data-feature=x1sq]').getAttribute('aria-pressed'), 'true');
  assert.match(await page.evaluate(() => location.hash), /features=x1,x2,x1sq/);
  // keyboard: focus x1 and press Enter (off), then Space on sin2 (on)
  await pg.locator('[data-feature=x1]').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await pg.evaluate((el) => [...el.net.config.features]), ['x2', 'x1sq']);
  assert.equal(await pg.evaluate((el) => el.shadowRoot.activeElement?.dataset.feature), 'x1', 'focus stays on the input');
  await pg.locator('[data-feature=sin2]').focus();
  await page.keyboard.press(' ');
  assert.deepEqual(await pg.evaluate((el) => [...el.net.config.features]), ['x2', 'x1sq', 'sin2']);
  assert.equal(await layers0(), 3);
  // the last input cannot be switched off
  for (const f of ['x2', 'x1sq']) await pg.locator(`[data-feature=${f}]`).click();
  await pg.locator('[data-feature=sin2]').click();
  assert.deepEqual(await pg.evaluate((el) => [...el.net.config.features]), ['sin2']);
  // the feature heatmaps come from lab.features: sin x2 varies along y only
  const var2 = await pg.evaluate((el) => {
    const c = el.shadowRoot.querySelector('canvas[data-feature-c=sin2]');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const row = (j) => [...px.slice(4 * j * c.width, 4 * (j + 1) * c.width)].filter((_, i) => i % 4 === 0);
    const r = row(3);
    return { rowSpread: Math.max(...r) - Math.min(...r), colSpread: Math.abs(row(3)[0] - row(Math.floor(c.height / 2))[0]) + Math.abs(row(1)[0] - row(c.height - 2)[0]) };
  });
  assert.ok(var2.rowSpread <= 2 && var2.colSpread > 20, JSON.stringify(var2));
  // 1-D data: x, x² and sin x
  await page.evaluate(() => { location.hash = '#dataset=sin&features=x1,sin1'; });
  await page.waitForFunction((el) => el.trainer?.data.d === 1, await pg.elementHandle());
  assert.deepEqual(await pg.locator('.col.inputs [data-feature]').evaluateAll((els) => els.map((e) => e.dataset.feature)), ['x1', 'x1sq', 'sin1']);
  assert.equal(await layers0(), 2);
  await pg.locator('[data-feature=x1sq]').click();
  assert.equal(await layers0(), 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test('drawing 20 points with the mouse: the network trains on them; the link keeps them; Inspect calls host.inspectPoint', async () => {
  const { page, errors, context, pg } = await open('#dataset=circle&hidden=4&optimizer=adam&lr=0.03');
  assert.equal(await pg.evaluate((el) => el.dataset.pointerMode), 'inspect', 'Inspect is the default');
  await pg.locator('[data-mode=add]').click();
  assert.equal(await pg.evaluate((el) => el.settings.dataset), 'drawn');
  assert.equal(await pg.evaluate((el) => el.dataset.drawn), '0');
  // Play with no point yet: it waits for points and says so, not "Training…"
  await pg.locator('button[name=play]').click();
  assert.equal(await pg.locator('.status').textContent(), 'Waiting for points…');
  assert.equal(await pg.evaluate((el) => el.hasAttribute('data-waiting')), true);
  await pg.locator('button[name=play]').click();
  assert.equal(await pg.locator('.status').textContent(), 'Paused');
  const { at } = await outputBox(pg);
  for (const [cls, x0] of [[0, -4], [1, 3]]) {
    await pg.locator(`[data-cls="${cls}"]`).click();
    for (let i = 0; i < 10; i++) {
      const [px, py] = at(x0 + (i % 2) * 1.2, -4.5 + i);
      await page.mouse.click(px, py);
    }
  }
  assert.equal(await pg.evaluate((el) => el.dataset.drawn), '20');
  const data = await pg.evaluate((el) => ({ n: el.trainer.data.n, train: el.trainer.train.n, test: el.trainer.test.n, y: [...el.trainer.data.y] }));
  assert.equal(data.n, 20);
  assert.equal(data.train + data.test, 20);
  assert.ok(data.train >= 5, `some points train (${data.train})`);
  assert.equal(data.y.filter((v) => v === 1).length, 10);
  await pg.locator('button[name=play]').click();
  await page.waitForFunction((el) => el.trainer.epoch >= 30, await pg.elementHandle(), { timeout: 15_000 });
  await pg.locator('button[name=play]').click();
  const m = await pg.evaluate((el) => el.trainer.metrics.train);
  assert.ok(m.accuracy >= 0.9, `trained on the drawn points: training accuracy ${m.accuracy}`);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /dataset=drawn/);
  assert.match(hash, /points=c[A-Za-z0-9_-]{100}(&|$)/, 'the 20 points are in the link (5 characters each)');
  // a drag paints several points
  const [ax, ay] = at(-2, 5);
  const [bx, by] = at(2, 5);
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.mouse.move(bx, by, { steps: 20 });
  await page.mouse.up();
  const afterDrag = Number(await pg.evaluate((el) => el.dataset.drawn));
  assert.ok(afterDrag >= 25, `a drag painted ${afterDrag - 20} points`);
  await pg.locator('button[name=draw-undo]').click();
  assert.equal(await pg.evaluate((el) => el.dataset.drawn), '20', 'undo takes the whole stroke back');
  // keyboard: cursor with the arrows, Enter adds
  await pg.locator('.heat-over').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  assert.equal(await pg.evaluate((el) => el.dataset.drawn), '21');
  assert.equal(await pg.evaluate((el) => el.dataset.cursor), '0.25,0.25');
  // Remove mode takes the nearest point
  await pg.locator('[data-mode=remove]').click();
  await page.mouse.click(...at(0.3, 0.2));
  assert.equal(await pg.evaluate((el) => el.dataset.drawn), '20');
  await page.screenshot({ path: shotPath('inputs-drawn') });
  // Export keeps them ...
  const [download] = await Promise.all([page.waitForEvent('download'), pg.locator('button[name=export]').click()]);
  const file = await readFile(await download.path(), 'utf8');
  const doc = JSON.parse(file);
  assert.equal(doc.settings.dataset, 'drawn');
  assert.equal(doc.drawn.points.length, 20);
  // ... the link restores the points in a new page ...
  const again = await open(hash);
  assert.equal(await again.pg.evaluate((el) => el.trainer.data.n), 20);
  // ... and Import brings them back after another data set
  await again.page.evaluate(() => { location.hash = '#dataset=xor'; });
  await again.page.waitForFunction((el) => el.settings.dataset === 'xor', await again.pg.elementHandle());
  await again.pg.locator('input[name=import]').setInputFiles({ name: 'drawn.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await again.page.waitForFunction((el) => el.settings.dataset === 'drawn' && el.trainer.data.n === 20, await again.pg.elementHandle(), { timeout: 5000 });
  assert.deepEqual(again.errors, []);
  await again.context.close();
  // Inspect (issue 13's contract): the nearest point, by set and row
  await pg.locator('[data-mode=inspect]').click();
  await pg.evaluate((el) => { el.inspectPoint = (p) => { window.inspected = p; }; });
  const target = await pg.evaluate((el) => {
    const tr = el.trainer;
    const i = tr.trainIdx[2];
    return { x: tr.data.X[2 * i], y: tr.data.X[2 * i + 1] };
  });
  await pg.locator('.heat-over').scrollIntoViewIfNeeded();
  const { at: at2 } = await outputBox(pg); // where the output is now
  await page.mouse.click(...at2(target.x + 0.05, target.y - 0.05));
  const got = await page.evaluate(() => window.inspected);
  assert.equal(got.set, 'train');
  assert.equal(got.index, 2);
  assert.ok(Math.abs(got.x - target.x) < 1e-6 && Math.abs(got.y - target.y) < 1e-6);
  const row = await pg.evaluate((el, p) => [el.trainer[p.set].X[2 * p.index], el.trainer[p.set].X[2 * p.index + 1]], got);
  assert.deepEqual(row, [got.x, got.y], 'index is the row of trainer.train');
  // the 2,001st point is refused with a visible message
  await pg.locator('[data-mode=add]').click();
  await pg.evaluate((el) => {
    const d = el.pointer.drawn;
    for (let i = d.n; i < 2000; i++) d.add(-5.9 + (i % 100) * 0.11, -5.9 + Math.floor(i / 100) * 0.5, i % 2);
    el.pointer.changed();
  });
  await page.mouse.click(...at2(1, 1));
  assert.equal(await pg.evaluate((el) => el.dataset.drawn), '2000');
  const note = pg.locator('.pointer-note.bad');
  assert.ok(await note.isVisible(), 'the message is visible');
  assert.match(await note.textContent(), /2,000/);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /points=/, '2,000 points do not go in the link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('1-D regression: a drag sets the target curve', async () => {
  const { page, errors, context, pg } = await open('#dataset=sin&hidden=8');
  await pg.locator('[data-mode=add]').click();
  assert.equal(await pg.evaluate((el) => el.pointer.drawn.kind), 'curve');
  const b = await pg.locator('.heat-over').boundingBox();
  await page.mouse.move(b.x + 40, b.y + b.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width - 20, b.y + b.height * 0.6, { steps: 25 });
  await page.mouse.up();
  const d = await pg.evaluate((el) => ({ n: el.trainer.data.n, d: el.trainer.data.d, y: [...el.trainer.data.y], x: [...el.trainer.data.X] }));
  assert.equal(d.d, 1);
  assert.ok(d.n >= 40, `${d.n} targets`);
  assert.ok(d.y[0] > d.y[d.n - 1], 'the curve goes down as drawn');
  for (let i = 1; i < d.n; i++) assert.ok(d.x[i] > d.x[i - 1], 'one target per x');
  // over a loaded CSV (2-D classes), Add starts a drawn set of points
  await pg.locator('[data-mode=inspect]').click();
  const csv = `x1,x2,label\n${Array.from({ length: 30 }, (_, i) => `${Math.cos(i)},${Math.sin(i)},${i % 2}`).join('\n')}`;
  await pg.locator('input[name=csv]').setInputFiles({ name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction((el) => el.custom?.n === 30, await pg.elementHandle());
  await pg.locator('[data-mode=add]').click();
  const after = await pg.evaluate((el) => ({ custom: el.custom, ds: el.settings.dataset, kind: el.pointer.drawn.kind, d: el.trainer.data.d }));
  assert.deepEqual(after, { custom: null, ds: 'drawn', kind: 'classes', d: 2 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the stop condition stops training and tells the epochs and time it took', async () => {
  const { page, errors, context, pg } = await open('#dataset=circle&hidden=4,4&optimizer=adam&lr=0.03&stop=acc:0.95&autoplay');
  await page.waitForFunction((el) => el.dataset.stopEpochs && el.dataset.state === 'paused', await pg.elementHandle(), { timeout: 20_000 });
  const r = await pg.evaluate((el) => ({ epochs: Number(el.dataset.stopEpochs), ms: Number(el.dataset.stopMs), epoch: el.trainer.epoch, acc: el.trainer.metrics.test.accuracy, note: el.shadowRoot.querySelector('.stop-note').textContent }));
  assert.equal(r.epoch, r.epochs);
  assert.ok(r.acc >= 0.95, `test accuracy ${r.acc}`);
  assert.ok(r.ms > 0);
  assert.match(r.note, new RegExp(`Reached \\d+(\\.\\d)?% test accuracy in ${r.epochs} epochs, (0\\.\\d*[1-9]\\d*|[1-9]\\d*(\\.\\d{1,2})?) s of training`));
  console.log(`# stop: ${r.note}`);
  // playing on does not stop again at once
  await pg.locator('button[name=play]').click();
  await page.waitForFunction(([el, e]) => el.trainer.epoch >= e + 5, [await pg.elementHandle(), r.epochs], { timeout: 15_000 });
  await pg.locator('button[name=play]').click();
  // epoch = 30: exactly there, set through the form
  await pg.locator('select[name=stop-kind]').selectOption('epoch');
  await pg.locator('input[name=stop-value]').fill('30');
  await pg.locator('input[name=stop-value]').dispatchEvent('change');
  assert.match(await page.evaluate(() => location.hash), /stop=epoch:30/);
  await pg.locator('button[name=reset]').click();
  await pg.locator('button[name=play]').click();
  await page.waitForFunction((el) => el.dataset.state === 'paused' && el.trainer.epoch > 0, await pg.elementHandle(), { timeout: 20_000 });
  assert.equal(await pg.evaluate((el) => el.trainer.epoch), 30);
  assert.match(await pg.locator('.stop-note').textContent(), /epoch 30/);
  // in another language
  await page.evaluate(() => document.querySelector('mlp-playground').setAttribute('lang', 'zh'));
  await page.waitForFunction((el) => /第 30 轮/.test(el.shadowRoot.querySelector('.stop-note').textContent), await pg.elementHandle(), { timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile features, stop and points values do not break the page', async () => {
  const bad = [
    'features=__proto__,constructor,toString', 'features=x1sq,x1sq,x1sq,x1sq', 'features=%00%0A', 'features=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    'features=,,,,', `features=${'x1,'.repeat(500)}`, 'dataset=sin&features=x2,x2sq,x1x2', 'features[]=x1', 'features=x1&features=x2sq',
    'stop=acc:1e999', 'stop=loss:-1', 'stop=epoch:NaN', 'stop=%3Cscript%3E', 'stop=acc:0.99:0.5', 'stop=__proto__',
    'dataset=drawn&points=c!!!!!', `dataset=drawn&points=c${'A'.repeat(3000)}`, 'dataset=drawn&points=cAAAA9', 'dataset=drawn&points=rAA',
    'dataset=drawn&points=constructor', 'dataset=drawn', 'dataset=drawn&points=c__________&features=x1sq&stop=acc:0.6&hidden=',
  ];
  const { page, errors, context, pg } = await open('');
  for (const h of bad) {
    await page.evaluate((x) => { location.hash = `#${x}`; }, h);
    await page.waitForFunction(() => true);
    const s = await pg.evaluate((el) => ({ f: el.settings.features, stop: el.settings.stop, layers: el.net.layers, n: el.trainer.data.n }));
    assert.ok(s.f.length >= 1 && s.f.every((f) => ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2'].includes(f)), `${h}: ${s.f}`);
    assert.equal(s.layers[0], s.f.length, h);
    assert.ok(s.stop === 'none' || /^(acc|loss|epoch):[\d.e-]+$/.test(s.stop), `${h}: ${s.stop}`);
  }
  await pg.locator('button[name=play]').click();
  await page.waitForTimeout(300);
  // loaded directly (the first parse, not a hash change)
  for (const h of [bad[0], bad[21]]) {
    const p2 = await open(`#${h}`);
    assert.deepEqual(p2.errors, [], h);
    await p2.context.close();
  }
  assert.equal(await page.evaluate(() => typeof window.alert === 'function' && !document.querySelector('img[src=x]')), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('aboveSin, aboveCubic, aboveAbs: the boundary f is drawn over the output; other data sets have none', async () => {
  const { page, errors, context, pg } = await open('#dataset=aboveSin&n=50&test=false');
  const F = { aboveSin: 'Math.sin(x) * 3', aboveCubic: 'x * x * x / 20', aboveAbs: 'Math.abs(x) - 3', circle: '0' };
  for (const name of Object.keys(F)) {
    await page.evaluate((n) => { location.hash = `#dataset=${n}&n=50&test=false`; }, name);
    await page.waitForFunction((n) => document.querySelector('mlp-playground').settings.dataset === n, name);
    // ink on the canvas along y = f(x) against 1.5 units above it (the points are few and small)
    const hits = await pg.evaluate((el, src) => {
      const f = new Function('x', `return ${src};`); // the test's own formula of the curve
      const c = el.shadowRoot.querySelector('.heat-over');
      const ctx = c.getContext('2d');
      const ink = (x, y) => {
        const px = Math.round(((x + 6) / 12) * c.width);
        const py = Math.round(((6 - y) / 12) * c.height);
        if (px < 1 || py < 1 || px >= c.width - 1 || py >= c.height - 1) return 0;
        const d = ctx.getImageData(px - 1, py - 1, 3, 3).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return 1;
        return 0;
      };
      let on = 0, off = 0, n = 0;
      for (let x = -5.5; x <= 5.5; x += 0.1) {
        const y = f(x);
        if (Math.abs(y) > 5) continue;
        n++;
        on += ink(x, y);
        off += ink(x, y + 1.5);
      }
      return { on, off, n };
    }, F[name]);
    if (name === 'circle') assert.ok(hits.on <= hits.n * 0.3, `circle: no curve (${JSON.stringify(hits)})`);
    else assert.ok(hits.on >= hits.n * 0.5 && hits.off <= hits.n * 0.3, `${name}: ${JSON.stringify(hits)}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('screenshots: en and zh at 1280 px, en at 375 px', async () => {
  for (const [lang, width] of [['en', 1280], ['zh', 1280], ['en', 375]]) {
    const { page, errors, context, pg } = await open(`#dataset=aboveSin&hidden=6&features=x1,x2,sin1&stop=acc:0.9&autoplay`,
      { viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) });
    await pg.evaluate((el, l) => el.setAttribute('lang', l), lang);
    await pg.locator('[data-mode=add]').click();
    await page.waitForTimeout(300);
    await pg.screenshot({ path: shotPath(`inputs-${lang}-${width}`) });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${lang} ${width}: the page scrolls sideways by ${overflow} px`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
