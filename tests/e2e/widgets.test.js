// Widgets embedded the way a course page does it (web/examples/index.html):
// independent training, off-screen pause, per-widget language, and the
// iframe page web/embed.html.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, widgetsReady } from './helpers.js';

const env = serverAndBrowser();

const epoch = (loc) => loc.evaluate((el) => Number(el.dataset.epoch));

test('two playgrounds on one page train independently', async () => {
  // A tall viewport so both playgrounds are on screen together.
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1280, height: 2600 } });
  await page.goto(`${env.server.url}web/examples/`);
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

test('a widget fetches its language\'s strings once, draws in it from the start, and keeps speaking the old one until a new one is here', async () => {
  const { page, errors, context } = await newPage(env.browser);
  const fetched = [];
  page.on('request', (r) => { const m = /\/web\/strings\/(\w+)\.js$/.exec(r.url()); if (m) fetched.push(m[1]); });
  // Korean is slow to come: the widget must not show English (or a mix) meanwhile.
  let releaseKo;
  const koHeld = new Promise((resolve) => { releaseKo = resolve; });
  await page.route('**/web/strings/ko.js', async (route) => { await koHeld; await route.continue(); });
  await page.goto(`${env.server.url}web/embed.html?widget=collapse&lang=fr`);
  await widgetsReady(page);
  const w = page.locator('mlp-collapse');
  const train = () => w.locator('button[name=train]').textContent();
  assert.equal(await train(), 'Entraîner 200 époques');
  assert.equal(await w.evaluate((el) => el.shadowRoot.querySelector('.root').lang), 'fr');
  await w.evaluate((el) => el.setAttribute('lang', 'ko'));
  await page.waitForTimeout(300);
  assert.equal(await train(), 'Entraîner 200 époques', 'French until Korean is here');
  assert.equal(await w.evaluate((el) => el.shadowRoot.querySelector('.root').lang), 'fr');
  releaseKo();
  await page.waitForFunction(() => document.querySelector('mlp-collapse').shadowRoot.querySelector('.root').lang === 'ko');
  assert.equal(await train(), '200 에포크 학습');
  // back and forth: nothing fetched again, English needs nothing
  for (const l of ['fr', 'en', 'ko']) {
    await w.evaluate((el, x) => el.setAttribute('lang', x), l);
    await page.waitForFunction((x) => document.querySelector('mlp-collapse').shadowRoot.querySelector('.root').lang === x, l);
  }
  assert.deepEqual(fetched.sort(), ['en', 'fr', 'ko']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a language whose strings cannot be fetched is shown in English, said on the console; the widget still works', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.route('**/web/strings/vi.js', (route) => route.abort());
  await page.goto(`${env.server.url}web/embed.html?widget=playground&lang=vi&dataset=xor`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  assert.equal(await pg.locator('button[name=play] .play-text').textContent(), 'Play');
  assert.equal(await pg.evaluate((el) => el.shadowRoot.querySelector('.root').lang), 'vi');
  await pg.locator('button[name=step]').click();
  assert.equal(await pg.evaluate((el) => el.trainer.epoch), 1);
  assert.ok(errors.some((e) => /the vi strings could not be loaded; English stands in/.test(e)), errors.join('\n'));
  // (and the browser's own lines for the failed request)
  assert.ok(errors.every((e) => /strings\/vi\.js|vi strings could not be loaded|^error: Failed to load resource: net::ERR_FAILED$/.test(e)), errors.join('\n'));
  await context.close();
});

test('a widget\'s colours: theme="dark|light" wins over the system\'s scheme, which it follows live otherwise', async () => {
  const { page, errors, context } = await newPage(env.browser, { colorScheme: 'light' });
  await page.goto(`${env.server.url}web/embed.html?widget=collapse`);
  await widgetsReady(page);
  const look = () => page.evaluate(() => {
    const el = document.querySelector('mlp-collapse');
    return [el.dataset.scheme, getComputedStyle(el.shadowRoot.querySelector('.card')).backgroundColor, getComputedStyle(el).colorScheme];
  });
  const light = ['light', 'rgb(255, 255, 255)', 'light'];
  const dark = ['dark', 'rgb(23, 27, 33)', 'dark'];
  assert.deepEqual(await look(), light);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.querySelector('mlp-collapse').dataset.scheme === 'dark');
  assert.deepEqual(await look(), dark);
  const set = (v) => page.evaluate((x) => { const el = document.querySelector('mlp-collapse'); if (x == null) el.removeAttribute('theme'); else el.setAttribute('theme', x); }, v);
  await set('light');
  assert.deepEqual(await look(), light, 'theme=light wins over a dark system');
  await set('nonsense');
  assert.deepEqual(await look(), dark, 'an unknown theme follows the system');
  await page.emulateMedia({ colorScheme: 'light' });
  await set('dark');
  assert.deepEqual(await look(), dark, 'theme=dark wins over a light system');
  await set(null);
  assert.deepEqual(await look(), light);
  // a widget made in a dark page, before it is in the document, is dark from its first drawing
  await page.emulateMedia({ colorScheme: 'dark' });
  const first = await page.evaluate(() => new Promise((resolve) => {
    const el = document.createElement('mlp-activation-plot');
    el.addEventListener('mlp-ready', () => resolve(el.dataset.scheme));
    document.body.append(el);
  }));
  assert.equal(first, 'dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a playground scrolled off-screen stops training and resumes when back', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${env.server.url}web/examples/`);
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

test('a playground draws once at its first size (not again at the resize observer\'s first notice), and again when its size changes', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1000, height: 900 } });
  // Each drawing clears the decision map's overlay once (web/playground.js draw()).
  await page.addInitScript(() => {
    globalThis.__overDraws = 0;
    const clear = CanvasRenderingContext2D.prototype.clearRect;
    CanvasRenderingContext2D.prototype.clearRect = function (...a) {
      if (this.canvas.classList?.contains('heat-over')) globalThis.__overDraws++;
      return clear.apply(this, a);
    };
  });
  // autoplay: the first frame trains and draws in start(), before the observer's
  // first notice; one epoch, then it stops, so no later frame draws.
  await page.goto(`${env.server.url}web/embed.html?widget=playground&autoplay&stop=epoch:1`);
  await widgetsReady(page);
  await page.waitForFunction(() => document.querySelector('mlp-playground').dataset.state === 'paused');
  const frames = (n) => page.evaluate((k) => new Promise((res) => {
    const tick = () => (k-- > 0 ? requestAnimationFrame(tick) : setTimeout(res, 50));
    tick();
  }), n);
  await frames(5);
  assert.equal(await page.evaluate(() => globalThis.__overDraws), 1, 'one drawing when nothing changed');
  await page.setViewportSize({ width: 560, height: 900 });
  await page.waitForFunction(() => globalThis.__overDraws >= 2);
  await frames(3);
  const fit = await page.evaluate(() => {
    const c = document.querySelector('mlp-playground').shadowRoot.querySelector('.heat-over');
    return { backing: c.width, css: Math.round(c.clientWidth * Math.min(3, devicePixelRatio || 1)) };
  });
  assert.equal(fit.backing, fit.css, 'redrawn at the new size');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shuffle button draws the next seed (99999 wraps to 0) and new weights; approximation\'s restart too', async () => {
  const { page, errors, context } = await newPage(env.browser);
  const weights = (tag) => page.evaluate((t) => Array.from(document.querySelector(t).net.params().W[0]), tag);
  for (const [widget, seed, next] of [['collapse', 7, 8], ['convert', 99999, 0], ['graph', 41, 42]]) {
    const tag = `mlp-${widget}`;
    await page.goto(`${env.server.url}web/embed.html?widget=${widget}&seed=${seed}`);
    await page.waitForFunction((t) => document.querySelector(t)?.hasAttribute('data-ready'), tag);
    assert.equal(await page.evaluate((t) => document.querySelector(t).seedValue, tag), seed, widget);
    const before = await weights(tag);
    await page.locator(`${tag} button[name=shuffle]`).click();
    assert.equal(await page.evaluate((t) => document.querySelector(t).seedValue, tag), next, widget);
    assert.notDeepEqual(await weights(tag), before, `${widget}: new weights`);
  }
  await page.goto(`${env.server.url}web/embed.html?widget=approximation&seed=5`);
  await page.waitForFunction(() => document.querySelector('mlp-approximation')?.hasAttribute('data-ready'));
  await page.locator('mlp-approximation button[name=restart]').click();
  assert.equal(await page.evaluate(() => document.querySelector('mlp-approximation').seedValue), 6);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.html builds one widget from its query, ignoring unknown attributes', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/embed.html?widget=playground&dataset=moons&hidden=6&activation=gelu&lang=de&onclick=alert(1)&style=color:red`);
  await widgetsReady(page);
  const info = await page.evaluate(() => {
    const el = document.querySelector('mlp-playground');
    return { attrs: el.getAttributeNames().filter((n) => !n.startsWith('data-')).sort(), s: el.settings, play: el.shadowRoot.querySelector('.play-text').textContent };
  });
  assert.deepEqual(info.attrs, ['activation', 'dataset', 'hidden', 'lang', 'sync-hash']);
  assert.equal(info.s.dataset, 'moons');
  assert.equal(info.s.activation, 'gelu');
  assert.deepEqual(info.s.hidden, [6]);
  assert.equal(info.play, 'Start');
  await page.goto(`${env.server.url}web/embed.html#widget=activation-plot&functions=gelu,swish&derivative`);
  await widgetsReady(page);
  const fns = await page.evaluate(() => [...document.querySelector('mlp-activation-plot').shadowRoot.querySelectorAll('.readout tr[data-fn]')].map((r) => r.dataset.fn));
  assert.deepEqual(fns, ['gelu', 'swish']);
  await page.goto(`${env.server.url}web/embed.html?widget=%3Cscript%3E`);
  assert.match(await page.locator('.embed-error').textContent(), /Unknown widget/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.html builds every widget of the package, each with its own attributes', async () => {
  const { page, errors, context } = await newPage(env.browser);
  const cases = {
    'activation-plot': ['alpha', '0.2'], collapse: ['seed', '7'], playground: ['seed', '7'], convert: ['epochs', '40'],
    graph: ['l2', '0.01'], 'batch-norm': ['batch', '16'], approximation: ['target', 'sin'], warp: ['layer', '1'],
  };
  for (const [widget, [attr, value]] of Object.entries(cases)) {
    await page.goto(`${env.server.url}web/embed.html?widget=${widget}&${attr}=${value}&theme=dark&onclick=x`);
    const tag = `mlp-${widget}`;
    await page.waitForFunction((t) => document.querySelector(t)?.matches('[data-ready], [data-error]'), tag, { timeout: 15000 });
    const got = await page.evaluate(([t, a]) => {
      const el = document.querySelector(t);
      return { value: el.getAttribute(a), theme: el.getAttribute('theme'), onclick: el.hasAttribute('onclick'), error: el.hasAttribute('data-error') };
    }, [tag, attr]);
    assert.deepEqual(got, { value, theme: 'dark', onclick: false, error: false }, widget);
  }
  await page.goto(`${env.server.url}web/embed.html?widget=nope`);
  const message = await page.locator('.embed-error').textContent();
  for (const widget of Object.keys(cases)) assert.ok(message.includes(widget), message);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a CSV of your own points trains, shows a confusion matrix, and stays out of the link', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1280, height: 1300 } });
  await page.goto(`${env.server.url}web/#dataset=xor&speed=10`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  const hash = await page.evaluate(() => location.hash);
  // Three well separated clusters, labels 0..2, with a header row.
  let csv = 'x1,x2,label\n';
  for (let i = 0; i < 240; i++) {
    const c = i % 3;
    const a = (c * 2 * Math.PI) / 3;
    csv += `${(3 * Math.cos(a) + Math.sin(i * 7.3)).toFixed(3)},${(3 * Math.sin(a) + Math.cos(i * 3.1)).toFixed(3)},${c}\n`;
  }
  await pg.locator('input[name=csv]').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('mlp-playground').net.layers.at(-1) === 3);
  assert.equal(await pg.locator('select[name=dataset]').inputValue(), 'custom');
  assert.match(await pg.locator('.csv-note').textContent(), /240 points \(3 classes\)/);
  assert.equal(await page.evaluate(() => location.hash), hash, 'the data is not in the link');
  assert.equal(await pg.evaluate((el) => el.trainer.train.n + el.trainer.test.n), 240);
  await pg.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('mlp-playground').dataset.accuracy) > 0.95, null, { timeout: 10000 });
  await pg.locator('button[name=play]').click();
  const M = JSON.parse(await pg.locator('table.confusion').getAttribute('data-matrix'));
  assert.equal(M.length, 3);
  const total = M.flat().reduce((a, b) => a + b, 0);
  const diag = M[0][0] + M[1][1] + M[2][2];
  assert.equal(total, await pg.evaluate((el) => el.trainer.test.n));
  assert.ok(Math.abs(diag / total - Number(await pg.getAttribute('data-accuracy'))) < 1e-6, 'matrix agrees with the accuracy');
  // A bad file: a clear message, the loaded data stays.
  await pg.locator('input[name=csv]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2,7\n1,2,0\n3,4,1\n5,6,1\n') });
  await page.waitForFunction(() => document.querySelector('mlp-playground').shadowRoot.querySelector('.csv-note.bad'));
  assert.match(await pg.locator('.csv-note').textContent(), /Row 1: the label must be 0, 1 or 2/);
  // Picking a built-in data set again leaves the CSV behind.
  await pg.locator('select[name=dataset]').selectOption('moons');
  assert.equal(await pg.evaluate((el) => el.net.layers.join(',')), '2,4,4,1');
  assert.match(await page.evaluate(() => location.hash), /dataset=moons/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the course page has no serious or critical axe-core violations', async () => {
  const { readFileSync } = await import('node:fs');
  const { ROOT } = await import('./helpers.js');
  const { page, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/examples/`);
  await widgetsReady(page);
  await page.evaluate(readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8'));
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'], iframes: false }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), []);
  await context.close();
});

test('export a trained network as JSON and import it back', async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1280, height: 1300 }, acceptDownloads: true });
  await page.goto(`${env.server.url}web/#dataset=moons&hidden=5&activation=relu&optimizer=adam&lr=0.01&speed=10&seed=3`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  await pg.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('mlp-playground').dataset.epoch) > 100);
  await pg.locator('button[name=play]').click();
  const snap = () => pg.evaluate((el) => ({ p: el.net.params(), loss: el.dataset.testLoss, epoch: el.dataset.epoch, s: el.settings }))
    .then((r) => ({ ...r, p: JSON.stringify({ W: r.p.W.map((a) => Object.values(a)), b: r.p.b.map((a) => Object.values(a)) }) }));
  const trained = await snap();
  const [download] = await Promise.all([page.waitForEvent('download'), pg.locator('button[name=export]').click()]);
  assert.match(download.suggestedFilename(), /^mlp-lab-moons-epoch\d+\.json$/);
  const file = await download.path();
  const { readFileSync } = await import('node:fs');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.network.format, 'mlp-lab');
  assert.deepEqual(doc.settings.hidden, [5]);
  // Change everything, then import: the trained run comes back exactly.
  await page.evaluate(() => { location.hash = 'dataset=xor&hidden=3,3&activation=tanh'; });
  await page.waitForFunction(() => document.querySelector('mlp-playground').settings.dataset === 'xor');
  await pg.locator('input[name=import]').setInputFiles(file);
  await page.waitForFunction(() => document.querySelector('mlp-playground').settings.dataset === 'moons');
  const back = await snap();
  assert.equal(back.p, trained.p, 'same weights');
  assert.equal(back.loss, trained.loss, 'same test loss');
  assert.equal(back.epoch, trained.epoch);
  assert.deepEqual(back.s, trained.s);
  assert.match(await page.evaluate(() => location.hash), /dataset=moons&.*hidden=5/);
  // Not an export: a message, nothing changes.
  await pg.locator('input[name=import]').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"settings":{"dataset":"xor"},"network":{"format":"nope"}}') });
  await page.waitForFunction(() => /not a network/.test(document.querySelector('mlp-playground').shadowRoot.querySelector('.export-note').textContent));
  assert.equal((await snap()).p, trained.p);
  assert.deepEqual(errors, []);
  await context.close();
});
