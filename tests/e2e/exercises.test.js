// Issue 12, part 1, in the browser: the linear regions overlay on the
// playground (exercise 4), <mlp-convert> (5.2), the collapse widget's rank
// and bottleneck preset (1b), the activation plot's finite differences (2, 3)
// and the page's Exercises section whose links load their experiments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, widgetsReady, shotPath } from './helpers.js';

const env = serverAndBrowser();
const WAIT = { timeout: 20_000 };

/** Dark pixels (the region edges' colour, --fg) on the playground's overlay canvas. */
function edgePixels(pg) {
  return pg.evaluate((el) => {
    const c = el.shadowRoot.querySelector('.heat-over');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 100 && d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) n++;
    return n;
  });
}

async function playground(hash, opts = {}) {
  const { page, errors, context } = await newPage(env.browser, opts);
  await page.goto(`${env.server.url}web/index.html#${hash}`);
  await widgetsReady(page);
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  return { page, errors, context, pg };
}

test('exercise 4: the regions overlay draws edges and counts the regions; off draws none', async () => {
  const { page, errors, context, pg } = await playground('dataset=xor&hidden=4,4&activation=relu&seed=3&regions=true');
  await page.waitForFunction((el) => el.dataset.regions !== undefined, await pg.elementHandle(), WAIT);
  const count = Number(await pg.getAttribute('data-regions'));
  // The count is the core's, for the heatmap's grid.
  const direct = await pg.evaluate((el) => el.net.linearRegions({ range: [...el.trainer.data.range], resolution: el.gOut }).regions);
  assert.equal(count, direct);
  assert.ok(count > 1, `a random 2-4-4-1 ReLU net has several regions (${count})`);
  assert.match(await pg.locator('.regions-note').textContent(), new RegExp(`^${count} linear regions? on the ${await pg.evaluate((el) => el.gOut)} × `));
  const on = await edgePixels(pg);
  assert.ok(on > 200, `edge pixels with regions on: ${on}`);
  await pg.locator('.heat.big').screenshot({ path: shotPath('exercises-regions-on') });
  await pg.locator('input[name=regions]').uncheck();
  assert.equal(await pg.evaluate((el) => el.settings.regions), false);
  assert.ok(page.url().includes('regions=false'));
  const off = await edgePixels(pg);
  assert.ok(off < 20, `edge pixels with regions off: ${off}`);
  assert.equal(await pg.getAttribute('data-regions'), null);
  // Training changes the regions; the count follows (recomputed every few frames).
  await pg.locator('input[name=regions]').check();
  await pg.locator('button[name=play]').click();
  await page.waitForFunction((el) => Number(el.dataset.epoch) > 30, await pg.elementHandle(), WAIT);
  // While training: a grid no finer than the heatmap's, the count on it shown.
  const live = await pg.evaluate((el) => ({ k: el._regions?.k, g: el.gOut, shown: el.dataset.regions, note: el.shadowRoot.querySelector('.regions-note').textContent }));
  assert.ok(live.k >= 16 && live.k <= live.g, `training grid ${live.k} (heatmap ${live.g})`);
  assert.ok(live.note.includes(`${live.k} × ${live.k}`), live.note);
  await pg.locator('button[name=play]').click();
  await page.waitForFunction((el) => el.dataset.state === 'paused', await pg.elementHandle(), WAIT);
  await pg.locator('button[name=step]').click();
  const after = await pg.evaluate((el) => [Number(el.dataset.regions),
    el.net.linearRegions({ range: [...el.trainer.data.range], resolution: el.gOut }).regions]);
  assert.equal(after[0], after[1], 'the count after a step is the current network\'s');
  // A tanh network has no linear regions: the switch is disabled with the reason.
  await pg.locator('select[name=activation]').selectOption('tanh');
  assert.equal(await pg.locator('input[name=regions]').isDisabled(), true);
  assert.match(await pg.locator('.regions-note').textContent(), /only for ReLU, pReLU and identity/);
  assert.ok((await edgePixels(pg)) < 20, 'no edges for tanh');
  assert.equal(await pg.getAttribute('data-regions'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('exercise 4 in 1-D: the kinks marked on the fitted curve are the core\'s breakpoints', async () => {
  const { page, errors, context, pg } = await playground('dataset=sin&hidden=8,8&activation=relu&seed=2&regions=on');
  await page.waitForFunction((el) => el.dataset.kinks !== undefined, await pg.elementHandle(), WAIT);
  const [shown, core] = await pg.evaluate((el) => [Number(el.dataset.kinks),
    el.net.linearRegions({ from: el.trainer.data.range[0], to: el.trainer.data.range[1] })]);
  assert.equal(shown, core.breakpoints.length);
  assert.ok(shown > 0);
  assert.match(await pg.locator('.regions-note').textContent(), new RegExp(`^${shown} kinks?: the fitted curve is ${core.pieces} straight pieces`));
  await pg.locator('.heat.big').screenshot({ path: shotPath('exercises-kinks') });
  // pReLU too; identity: one piece, no kinks.
  await pg.locator('select[name=activation]').selectOption('identity');
  await page.waitForFunction((el) => el.dataset.kinks === '0', await pg.elementHandle(), WAIT);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile regions values fall back to off and never break the page', async () => {
  const { page, errors, context, pg } = await playground('dataset=xor&activation=relu&regions=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
  assert.equal(await pg.evaluate((el) => el.settings.regions), false);
  for (const [v, want] of [['1', true], ['yes', false], ['TRUE', false], ['x'.repeat(5000), false], ['true&regions=false', true], ['', true], ['off', false], ['2', false], ['__proto__', false]]) {
    await page.evaluate((h) => { location.hash = h; }, `dataset=xor&activation=relu&regions=${encodeURIComponent(v).replace('%26', '&').replace('%3D', '=')}`);
    await page.waitForFunction(([el, w]) => el.settings.regions === w, [await pg.elementHandle(), want], WAIT);
    assert.equal(await pg.locator('input[name=regions]').isChecked(), want, `regions=${v.slice(0, 20)}`);
  }
  // As an attribute on an embedded playground.
  await page.evaluate(() => {
    const el = document.createElement('mlp-playground');
    el.id = 'pg-attr';
    el.setAttribute('activation', 'relu');
    el.setAttribute('regions', '"><script>');
    document.body.append(el);
  });
  await page.waitForFunction(() => document.querySelector('#pg-attr')?.hasAttribute('data-ready'), null, WAIT);
  assert.equal(await page.evaluate(() => document.querySelector('#pg-attr').settings.regions), false);
  await page.evaluate(() => document.querySelector('#pg-attr').setAttribute('regions', ''));
  assert.equal(await page.evaluate(() => document.querySelector('#pg-attr').settings.regions), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('exercise 5.2: <mlp-convert> trains a sigmoid net, converts it, and the two outputs agree', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/index.html`);
  await widgetsReady(page);
  await page.evaluate(() => {
    const el = document.createElement('mlp-convert');
    el.id = 'conv-test';
    el.setAttribute('epochs', '200');
    document.querySelector('main').prepend(el);
    el.scrollIntoView();
  });
  const el = page.locator('#conv-test');
  await page.waitForFunction(() => document.querySelector('#conv-test')?.hasAttribute('data-trained'), null, { timeout: 40_000 });
  const r = await el.evaluate((w) => {
    const a = w.net.forward(new Float32Array([0.5, -1, 2, 3]));
    const b = w.converted.forward(new Float32Array([0.5, -1, 2, 3]));
    return {
      maxDiff: Number(w.dataset.maxDiff), epochs: Number(w.dataset.epochs),
      acts: [w.net.config.activation, w.converted.config.activation], a: [...a], b: [...b],
      w1: [w.net.params().W[0][0], w.converted.params().W[0][0]],
      tables: w.shadowRoot.querySelectorAll('.conv-sig table.mat').length + w.shadowRoot.querySelectorAll('.conv-tanh table.mat').length,
      check: w.shadowRoot.querySelector('.conv-check').textContent,
      ok: w.shadowRoot.querySelector('.conv-check').classList.contains('ok'),
    };
  });
  assert.equal(r.epochs, 200);
  assert.deepEqual(r.acts, ['sigmoid', 'tanh']);
  assert.ok(r.maxDiff <= 1e-4, `max |difference| ${r.maxDiff}`);
  assert.ok(r.maxDiff > 0 || r.maxDiff === 0);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(r.a[i] - r.b[i]) <= 1e-4);
  assert.ok(Math.abs(r.w1[1] - r.w1[0] / 2) < 1e-6, 'first-layer weights halved');
  assert.equal(r.tables, 8, 'W1, b1, W2, b2 on each side');
  assert.match(r.check, /Largest \|sigmoid output − tanh output\| over the 4,096 grid points: \d\.\de-\d+/);
  assert.ok(r.ok);
  // Two decision boundaries are painted, and they look the same (both from the core).
  const px = await el.evaluate((w) => [...w.shadowRoot.querySelectorAll('.heat-img')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let orange = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) { if (d[i] > d[i + 2] + 40) orange++; else if (d[i + 2] > d[i] + 40) blue++; }
    return { orange, blue, data: Array.from(d.subarray(0, 4096)) };
  }));
  assert.equal(px.length, 2);
  for (const p of px) assert.ok(p.orange > 200 && p.blue > 200, `both classes painted: ${p.orange}, ${p.blue}`);
  let worst = 0;
  for (let i = 0; i < px[0].data.length; i++) worst = Math.max(worst, Math.abs(px[0].data[i] - px[1].data[i]));
  assert.ok(worst <= 1, `the two heatmaps match pixel for pixel (worst ${worst})`);
  await el.screenshot({ path: shotPath('exercises-convert') });
  // Hostile attributes fall back.
  await el.evaluate((w) => { w.setAttribute('dataset', '<b>'); w.setAttribute('hidden', '99,99,99'); w.setAttribute('epochs', '1e9'); });
  assert.deepEqual(await el.evaluate((w) => [w.net.layers.join(','), w.target]), ['2,6,6,1', 3000]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.html shows <mlp-convert> and passes on the new attributes', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/embed.html?widget=convert&dataset=circle&epochs=30&hidden=3`);
  await page.waitForFunction(() => document.querySelector('mlp-convert')?.hasAttribute('data-trained'), null, WAIT);
  assert.deepEqual(await page.locator('mlp-convert').evaluate((w) => [w.net.layers.join(','), w.getAttribute('dataset')]), ['2,3,1', 'circle']);
  assert.ok(Number(await page.locator('mlp-convert').getAttribute('data-max-diff')) <= 1e-4);
  await page.goto(`${env.server.url}web/embed.html?widget=collapse&preset=bottleneck`);
  await page.waitForFunction(() => document.querySelector('mlp-collapse')?.dataset.rank === '1', null, WAIT);
  await page.goto(`${env.server.url}web/embed.html?widget=activation-plot&functions=swish&finite-difference&fd-step=0.05`);
  await page.waitForFunction(() => document.querySelector('mlp-activation-plot')?.shadowRoot.querySelector('.fd-line')?.textContent.includes('h = 0.05'), null, WAIT);
  assert.deepEqual(errors, []);
  await context.close();
});

test('exercise 1b: the collapse widget shows W\'s rank; the width-1 bottleneck on 3 classes has rank 1', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/index.html`);
  await widgetsReady(page);
  const el = page.locator('mlp-collapse').first();
  await el.scrollIntoViewIfNeeded();
  assert.equal(await el.getAttribute('data-rank'), '1', 'one output: rank 1 = min(d, q)');
  assert.match(await el.locator('.rank-note').textContent(), /^rank W = 1 \(net\.collapse\(\)\.rank\) = min\(d, q\) = 1/);
  await el.locator('button[name=bottleneck]').click();
  const got = await el.evaluate((w) => {
    const c = w.net.collapse();
    return { layers: w.net.layers.join(','), rank: c.rank, sv: [...c.singularValues], shown: w.dataset.rank,
      maxDiff: Number(w.dataset.maxDiff), W: w.shadowRoot.querySelectorAll('table[data-matrix="W"] td').length };
  });
  assert.equal(got.layers, '2,1,3');
  assert.equal(got.rank, 1);
  assert.equal(got.shown, '1');
  assert.ok(got.sv[1] <= 1e-5 * got.sv[0], `second singular value ${got.sv[1]} vs ${got.sv[0]}`);
  assert.ok(got.maxDiff < 1e-4, `X W + b is the network (${got.maxDiff})`);
  assert.equal(got.W, 6, 'W is 2 x 3');
  const note = el.locator('.rank-note');
  assert.match(await note.textContent(), /rank W = 1 .* < min\(d, q\) = 2: .*parallel/);
  assert.ok(await note.evaluate((n) => n.classList.contains('low')));
  await el.screenshot({ path: shotPath('exercises-collapse-bottleneck') });
  // Two hidden units in the same place: rank 2, boundaries no longer forced parallel.
  await el.locator('select[name=hidden]').selectOption('2');
  await page.waitForFunction(() => document.querySelector('mlp-collapse').dataset.rank === '2');
  // The preset attribute does the same as the button.
  await page.evaluate(() => {
    const w = document.createElement('mlp-collapse');
    w.id = 'col-preset';
    w.setAttribute('preset', 'bottleneck');
    document.querySelector('main').prepend(w);
  });
  await page.waitForFunction(() => document.querySelector('#col-preset')?.dataset.rank === '1', null, WAIT);
  assert.equal(await page.evaluate(() => document.querySelector('#col-preset').net.layers.join(',')), '2,1,3');
  assert.deepEqual(errors, []);
  await context.close();
});

test('exercises 2 and 3: the activation plot overlays central differences of the core\'s f on f′ and prints the largest difference', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/index.html`);
  await widgetsReady(page);
  await page.evaluate(() => {
    const el = document.createElement('mlp-activation-plot');
    el.id = 'fd-plot';
    el.setAttribute('functions', 'prelu,swish');
    el.setAttribute('finite-difference', '');
    el.setAttribute('alpha', '0.25');
    el.setAttribute('beta', '2');
    document.querySelector('main').prepend(el);
  });
  await page.waitForFunction(() => document.querySelector('#fd-plot')?.hasAttribute('data-ready'), null, WAIT);
  const el = page.locator('#fd-plot');
  const read = () => el.evaluate((w) => Object.fromEntries([...w.shadowRoot.querySelectorAll('.fd-list li')].map((li) => [li.dataset.fn, { v: Number(li.dataset.value), text: li.textContent }])));
  let got = await read();
  assert.deepEqual(Object.keys(got), ['prelu', 'swish']);
  for (const [fn, { v }] of Object.entries(got)) assert.ok(v >= 0 && v < 1e-3, `${fn}: max |FD − f′| = ${v}`);
  assert.ok(got.swish.v > 0, 'float32 rounding leaves Swish a nonzero difference');
  assert.match(got.prelu.text, /^pReLU: \d\.\de[-+]\d+ \(at x = .*\), away from the kink at 0/);
  assert.match(got.swish.text, /^Swish: \d\.\de-\d+ \(at x = /);
  assert.match(await el.locator('.fd-line').textContent(), /h = 0\.01/);
  assert.equal(await el.locator('.fd-formulas').textContent(),
    'pReLU′(x) = 1 for x > 0, α = 0.25 for x < 0 (undefined at 0).   Swish′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx)), with β = 2.');
  // Independently: the printed difference is the one of the core's f and f′ at the grid points.
  const indep = await el.evaluate((w) => {
    const lab = w.lab, h = 0.01, opts = { alpha: 0.25, beta: 2 };
    const xs = new Float32Array(800).map((_, i) => -8 + i * 0.02);
    const xp = xs.map((x) => x + h), xm = xs.map((x) => x - h);
    const d = lab.derivative('swish', xs, opts), fp = lab.activate('swish', xp, opts), fm = lab.activate('swish', xm, opts);
    let m = 0;
    for (let i = 0; i < 800; i++) m = Math.max(m, Math.abs((fp[i] - fm[i]) / (xp[i] - xm[i]) - d[i]));
    return m;
  });
  assert.ok(Math.abs(indep - got.swish.v) <= 1e-12, `${indep} vs ${got.swish.v}`);
  // The rings are drawn: pixels of the pReLU colour along y = α left of 0.
  await el.screenshot({ path: shotPath('exercises-fd') });
  // A larger step: a larger (truncation) difference for Swish, still printed.
  await el.evaluate((w) => w.setAttribute('fd-step', '0.3'));
  got = await read();
  assert.ok(got.swish.v > 1e-3, `h = 0.3 truncates: ${got.swish.v}`);
  // The α slider moves the check along.
  await el.evaluate((w) => { const s = w.shadowRoot.querySelector('input[name=alpha]'); s.value = '0.6'; s.dispatchEvent(new Event('input')); });
  assert.match(await el.locator('.fd-formulas').textContent(), /α = 0\.6 for x < 0/);
  // Hostile fd-step falls back; the switch turns it off.
  await el.evaluate((w) => w.setAttribute('fd-step', '<svg onload=alert(1)>'));
  assert.match(await el.locator('.fd-line').textContent(), /h = 0\.01/);
  await el.locator('input[name=finite-difference]').uncheck();
  assert.equal(await el.locator('.fd-box').isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Exercises section: seven exercises in the book\'s order, and each link loads its experiment', async () => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/index.html`);
  await widgetsReady(page);
  const items = page.locator('#chapter-exercises ol > li');
  assert.deepEqual(await items.evaluateAll((lis) => lis.map((li) => li.id)), [1, 2, 3, 4, 5, 6, 7].map((n) => `exercise-${n}`));
  const texts = await items.evaluateAll((lis) => lis.map((li) => li.querySelector('p').textContent));
  assert.match(texts[0], /linear deep network/);
  assert.match(texts[1], /pReLU/);
  assert.match(texts[2], /Swish/);
  assert.match(texts[3], /piecewise linear/);
  assert.match(texts[4], /tanh\(x\) \+ 1 = 2 sigmoid\(2x\)/);
  assert.match(texts[5], /minibatch/);
  assert.match(texts[6], /gradients vanish/);
  for (const li of await items.all()) assert.ok((await li.locator('.ex-hint').textContent()).startsWith('Hint:'));
  const pg = page.locator('mlp-playground');
  const link = (n, i = 0) => page.locator(`#exercise-${n} a`).nth(i);
  // 1: the collapse widget gets its bottleneck preset, the hash stays the playground's.
  const hash0 = await page.evaluate(() => location.hash);
  await link(1).click();
  await page.waitForFunction(() => document.querySelector('#collapse mlp-collapse').dataset.rank === '1');
  assert.equal(await page.locator('#collapse mlp-collapse').evaluate((w) => w.net.layers.join(',')), '2,1,3');
  assert.equal(await page.evaluate(() => location.hash), hash0);
  // 2 and 3: the activation plot shows pReLU and Swish with the finite-difference check.
  await link(2).click();
  const plot = page.locator('#activations mlp-activation-plot');
  await page.waitForFunction(() => !document.querySelector('#activations mlp-activation-plot').shadowRoot.querySelector('.fd-box').hidden);
  assert.deepEqual(await plot.evaluate((w) => [...w.shadowRoot.querySelectorAll('.fd-list li')].map((li) => li.dataset.fn)), ['prelu', 'swish']);
  await link(3).click();
  assert.equal(await plot.evaluate((w) => w.betaValue), 1.5);
  // 4: the playground with regions on, 2-D then 1-D.
  await link(4).click();
  await page.waitForFunction((el) => el.settings.regions && el.settings.activation === 'relu' && el.dataset.regions !== undefined, await pg.elementHandle(), WAIT);
  assert.equal(await pg.evaluate((el) => el.settings.dataset), 'xor');
  await link(4, 1).click();
  await page.waitForFunction((el) => el.settings.dataset === 'abs' && el.dataset.kinks !== undefined, await pg.elementHandle(), WAIT);
  // 5: (1) the identity on the activation plot, (2) the convert widget.
  await link(5).click();
  await page.waitForFunction(() => document.querySelector('#activations mlp-activation-plot').shadowRoot.querySelector('input[name=identity]').checked);
  assert.equal(await page.locator('#exercise-5 a').nth(1).getAttribute('href'), '#exercise-5-demo');
  await page.locator('#exercise-5-demo').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#exercise-5-demo').hasAttribute('data-trained'), null, { timeout: 40_000 });
  assert.ok(Number(await page.locator('#exercise-5-demo').getAttribute('data-max-diff')) <= 1e-4);
  // 6: the batch-norm section; 7: the deep sigmoid network.
  assert.equal(await link(6).getAttribute('href'), '#batch-norm');
  await link(7).click();
  await page.waitForFunction((el) => el.settings.activation === 'sigmoid' && el.settings.hidden.join(',') === '8,8,8,8,8,8', await pg.elementHandle(), WAIT);
  assert.deepEqual(errors, []);
  await context.close();
});

test('screenshots of the Exercises section: en and zh at 1280 px, en and zh at 375 px', async () => {
  for (const [lang, width] of [['en', 1280], ['zh', 1280], ['en', 375], ['zh', 375]]) {
    const opts = width < 500 ? { viewport: { width, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width, height: 900 } };
    const { page, errors, context } = await newPage(env.browser, opts);
    await page.addInitScript((l) => localStorage.setItem('mlp-lab-lang', l), lang);
    await page.goto(`${env.server.url}web/index.html#dataset=xor&hidden=6,6&activation=relu&regions=true&seed=4`);
    await widgetsReady(page);
    await page.locator('#exercise-5-demo').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('#exercise-5-demo').hasAttribute('data-trained'), null, { timeout: 40_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${lang} ${width}: the page is ${overflow}px wider than the viewport`);
    await page.evaluate(() => document.querySelector('.top').style.setProperty('position', 'static'));
    await page.locator('#chapter-exercises').screenshot({ path: shotPath(`exercises-section-${lang}-${width}`) });
    await page.locator('mlp-playground').screenshot({ path: shotPath(`exercises-playground-${lang}-${width}`) });
    assert.deepEqual(errors, []);
    await context.close();
  }
});
