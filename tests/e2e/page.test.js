// The teaching page in Chromium, served with the strict CSP: no console
// errors, the SIMD badge, curves really drawn, the collapse numbers, the URL
// hash, the language switch, training, divergence, accessibility, screenshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, newPage, widgetsReady, shotPath, ROOT, selectLanguage } from './helpers.js';

const env = serverAndBrowser();

async function openPage(hash = '', opts = {}) {
  const p = await newPage(env.browser, opts);
  await p.page.goto(`${env.server.url}web/${hash}`);
  await widgetsReady(p.page);
  return p;
}

test('loads under the CSP with no console errors and reports the SIMD build', async () => {
  const { page, errors, context } = await openPage();
  await page.waitForFunction(() => document.querySelector('#simd-badge').dataset.simd);
  const badge = await page.evaluate(() => {
    const b = document.querySelector('#simd-badge');
    return { simd: b.dataset.simd, text: b.textContent.trim() };
  });
  // Chromium has WebAssembly SIMD, so the SIMD build must be the one running.
  assert.equal(badge.simd, 'simd');
  assert.equal(badge.text, 'WASM SIMD');
  const widgetBuilds = await page.evaluate(() =>
    [...document.querySelectorAll('mlp-activation-plot, mlp-collapse, mlp-playground')].map((e) => e.dataset.simd));
  assert.deepEqual(widgetBuilds, ['simd', 'simd', 'simd']);
  await page.waitForTimeout(300);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Pixels of the canvas close to a colour (canvas read inside the shadow root). */
function countColor(page, selector, color, tol = 40) {
  return page.evaluate(([sel, col, t]) => {
    const host = document.querySelector('mlp-activation-plot');
    const c = host.shadowRoot.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const m = /^#([0-9a-f]{6})$/i.exec(col);
    const v = parseInt(m[1], 16);
    const rgb = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < t) n++;
    }
    return n;
  }, [selector, color, tol]);
}

test('every activation curve is drawn on the canvas, and hover reads the core', async () => {
  const { page, errors, context } = await openPage();
  const plot = page.locator('mlp-activation-plot');
  // Turn on every function.
  for (const fn of ['prelu', 'gelu', 'swish']) await plot.locator(`input[data-fn=${fn}]`).check();
  const colors = await plot.evaluate((el) =>
    Object.fromEntries([...el.shadowRoot.querySelectorAll('.chips [data-swatch]')].map((s) => [s.dataset.swatch, s.dataset.color])));
  assert.equal(Object.keys(colors).length, 6);
  assert.equal(new Set(Object.values(colors)).size, 6, 'six distinct colours');
  const counts = {};
  for (const [fn, col] of Object.entries(colors)) counts[fn] = await countColor(page, 'canvas.plot', col);
  for (const [fn, n] of Object.entries(counts)) assert.ok(n > 120, `${fn}: only ${n} pixels of ${colors[fn]}`);
  // Switching a function off removes its pixels (so the count is about that curve).
  await plot.locator('input[data-fn=gelu]').uncheck();
  const geluOff = await countColor(page, 'canvas.plot', colors.gelu);
  assert.ok(geluOff < counts.gelu / 5, `GELU still drawn after switching it off: ${geluOff} of ${counts.gelu}`);

  // Side by side: one canvas per function, each with pixels of its colour.
  await plot.locator('.seg input[value=grid]').check();
  const panels = await plot.evaluate((el) => [...el.shadowRoot.querySelectorAll('canvas.plot')].map((c) => c.dataset.panel));
  assert.deepEqual(panels, ['relu', 'prelu', 'sigmoid', 'tanh', 'swish']);
  for (const fn of panels) {
    const n = await countColor(page, `canvas.plot[data-panel=${fn}]`, colors[fn]);
    assert.ok(n > 80, `${fn} panel: ${n} pixels`);
  }
  await plot.locator('.seg input[value=overlay]').check();

  // Keyboard cursor: Home then right arrows to x = 0; readout from the core.
  const canvas = plot.locator('canvas.plot');
  await canvas.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 8; i++) await page.keyboard.press('PageUp');
  const read = await plot.evaluate((el) => {
    const row = (fn) => [...el.shadowRoot.querySelectorAll(`.readout tr[data-fn=${fn}] td`)].map((td) => Number(td.dataset.value));
    return { x: el.shadowRoot.querySelector('.readout-x').textContent, sigmoid: row('sigmoid'), tanh: row('tanh'), relu: row('relu') };
  });
  assert.equal(read.x, 'x = 0');
  assert.deepEqual(read.sigmoid, [0.5, 0.25]);
  assert.deepEqual(read.tanh, [0, 1]);
  assert.deepEqual(read.relu, [0, 0], 'ReLU′(0) is taken as 0');
  // The identity overlay: tanh(x) + 1 and 2 sigmoid(2x) agree to float rounding.
  await plot.locator('input[name=identity]').check();
  const diff = Number(await plot.getAttribute('data-identity-max-diff'));
  assert.ok(diff >= 0 && diff < 1e-5, `identity max diff ${diff}`);
  assert.match(await plot.locator('.facts').textContent(), /tanh\(x\) \+ 1/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the collapse panel prints W = W1 W2, b = b1 W2 + b2 that match the network', async () => {
  const { page, errors, context } = await openPage();
  const el = page.locator('mlp-collapse');
  const check = async () => {
    const got = await el.evaluate((host) => {
      const { W, b } = host.net.params();
      const cell = (m) => [...host.shadowRoot.querySelectorAll(`table[data-matrix="${m}"] td`)].map((td) => ({ v: Number(td.dataset.value), text: td.textContent }));
      // The network's own outputs at a few points, to compare with x W + b.
      const X = new Float32Array([0.3, -1.2, 2.5, 0.7, -3, -2, 1, 1]);
      return { W: W.map((a) => [...a]), b: b.map((a) => [...a]), shownW: cell('W'), shownB: cell('b'),
        out: [...host.net.forward(X)], X: [...X], sizes: host.net.layers, maxDiff: Number(host.dataset.maxDiff),
        collapsed: host.dataset.collapsed };
    });
    // Independent float64 product in the test.
    const { W, b, sizes } = got;
    let Wc = W[0].slice();
    let bc = b[0].slice();
    let rows = sizes[0];
    for (let l = 1; l < W.length; l++) {
      const fi = sizes[l];
      const fo = sizes[l + 1];
      const Wn = new Array(rows * fo).fill(0);
      const bn = b[l].slice();
      for (let k = 0; k < fi; k++) {
        for (let j = 0; j < fo; j++) {
          bn[j] += bc[k] * W[l][k * fo + j];
          for (let i = 0; i < rows; i++) Wn[i * fo + j] += Wc[i * fi + k] * W[l][k * fo + j];
        }
      }
      Wc = Wn;
      bc = bn;
      rows = sizes[0];
    }
    return { got, Wc, bc };
  };
  for (const action of ['initial', 'train', 'reshape']) {
    if (action === 'train') await el.locator('button[name=train]').click();
    if (action === 'reshape') await el.locator('select[name=hidden]').selectOption('3,3');
    const { got, Wc, bc } = await check();
    assert.equal(got.collapsed, 'true');
    assert.equal(got.shownW.length, 2);
    assert.equal(got.shownB.length, 1);
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs(got.shownW[i].v - Wc[i]) < 1e-5 * Math.max(1, Math.abs(Wc[i])), `W[${i}] ${got.shownW[i].v} vs ${Wc[i]}`);
      assert.equal(Number(got.shownW[i].text.replace('−', '-')).toFixed(3), Wc[i].toFixed(3));
    }
    assert.ok(Math.abs(got.shownB[0].v - bc[0]) < 1e-5 * Math.max(1, Math.abs(bc[0])));
    for (let r = 0; r < 4; r++) {
      const lin = got.X[2 * r] * Wc[0] + got.X[2 * r + 1] * Wc[1] + bc[0];
      assert.ok(Math.abs(got.out[r] - lin) < 1e-4, `row ${r}: net ${got.out[r]} vs xW + b ${lin}`);
    }
    assert.ok(got.maxDiff < 1e-4, `shown max diff ${got.maxDiff}`);
    assert.match(await el.locator('.check').textContent(), /✓/);
  }
  // With tanh there is no collapse and the "product anyway" is far off.
  await el.locator('select[name=activation]').selectOption('tanh');
  await page.waitForFunction(() => document.querySelector('mlp-collapse').dataset.collapsed === 'false');
  const far = Number(await el.getAttribute('data-max-diff'));
  assert.ok(far > 1e-2, `tanh network should not equal its weight product (max diff ${far})`);
  assert.match(await el.locator('.check').textContent(), /✗/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the URL hash round-trips, and bad values fall back to defaults', async () => {
  const hash = '#dataset=xor&n=200&noise=0.2&train=60&hidden=3,5&activation=relu&alpha=0.1&beta=1&loss=ce&optimizer=adam&lr=0.1&batch=20&l2=0.001&init=he&seed=7&speed=10&test=false&features=x1,x2&stop=none&regions=false';
  const { page, errors, context } = await openPage(hash);
  const pg = page.locator('mlp-playground');
  const s = await pg.evaluate((el) => el.settings);
  assert.deepEqual(s, {
    dataset: 'xor', n: 200, noise: 0.2, train: 60, hidden: [3, 5], activation: 'relu', alpha: 0.1, beta: 1,
    loss: 'ce', optimizer: 'adam', lr: 0.1, batch: 20, l2: 0.001, init: 'he', seed: 7, speed: '10', test: false,
    features: ['x1', 'x2'], stop: 'none', regions: false, // issues 11 and 12's keys
  });
  assert.equal(await page.evaluate(() => location.hash), hash, 'the canonical hash is written back unchanged');
  assert.equal(await pg.locator('select[name=activation]').inputValue(), 'relu');
  assert.equal(await pg.locator('select[name=lr]').inputValue(), '0.1');
  assert.equal(await pg.evaluate((el) => el.net.layers.join(',')), '2,3,5,1');
  // A change in the form goes into the hash ...
  await pg.locator('select[name=activation]').selectOption('sigmoid');
  await pg.locator('button[name=add-layer]').click();
  const changed = await page.evaluate(() => location.hash);
  assert.match(changed, /activation=sigmoid/);
  assert.match(changed, /hidden=3,5,5/);
  // ... and a fresh page with that link restores the same run.
  const again = await openPage(changed);
  const s2 = await again.page.locator('mlp-playground').evaluate((el) => el.settings);
  assert.deepEqual(s2, { ...s, activation: 'sigmoid', hidden: [3, 5, 5] });
  await again.context.close();
  // Hostile or broken values: defaults, clamps, no markup anywhere.
  const bad = await openPage('#dataset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&hidden=999,x&lr=abc&batch=1e9&noise=-5&seed=NaN&activation=__proto__');
  const s3 = await bad.page.locator('mlp-playground').evaluate((el) => el.settings);
  assert.equal(s3.dataset, 'circle');
  assert.deepEqual(s3.hidden, [4, 4]);
  assert.equal(s3.lr, 0.03);
  assert.equal(s3.batch, 100);
  assert.equal(s3.noise, 0);
  assert.equal(s3.seed, 1);
  assert.equal(s3.activation, 'tanh');
  assert.deepEqual(await bad.page.evaluate(() => [...document.querySelectorAll('img')].map((i) => i.getAttribute('src'))), [], 'no image: the page\'s own art is inline SVG');
  assert.deepEqual(bad.errors, []);
  await bad.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a stored theme is the first paint\'s, before page.js arrives (no flash of the other one)', async () => {
  for (const [system, stored, bg] of [['light', 'dark', 'rgb(14, 17, 22)'], ['dark', 'light', 'rgb(246, 247, 251)']]) {
    const { page, errors, context } = await newPage(env.browser, { colorScheme: system });
    await page.addInitScript((t) => localStorage.setItem('mlp-lab-theme', t), stored);
    // page.js held back, as on a slow link: only the HTML, with its stylesheet and theme script.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/build/page.js', async (route) => { await held; await route.continue(); });
    await page.goto(`${env.server.url}web/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.querySelector('footer') && document.styleSheets.length > 0);
    const early = await page.evaluate(() => ({ theme: document.documentElement.dataset.theme, bg: getComputedStyle(document.body).backgroundColor,
      built: document.querySelector('mlp-playground').shadowRoot?.childElementCount ?? 0 }));
    assert.deepEqual(early, { theme: stored, bg, built: 0 }, `system ${system}, stored ${stored}`);
    release();
    await widgetsReady(page);
    assert.equal(await page.locator('#theme-toggle').getAttribute('aria-pressed'), String(stored === 'dark'));
    assert.equal(await page.locator('mlp-playground').getAttribute('theme'), stored);
    assert.deepEqual(errors, [], 'no CSP violation: the inline script is the one its hash allows');
    await context.close();
  }
});

test('the language switch and the theme toggle change the page and the widgets', async () => {
  const { page, errors, context } = await openPage('', { locale: 'en-US' });
  const label = () => page.locator('mlp-playground').locator('button[name=play] .play-text').textContent();
  assert.equal(await label(), 'Play');
  assert.equal(await page.locator('#h-pg').textContent(), '3 · Playground');
  const expected = {
    de: ['Start', '3 · Spielwiese', 'Funktionen'],
    vi: ['Chạy', '3 · Sân chơi', 'Các hàm'],
    zh: ['开始', '3 · 演练场', '函数'],
    fr: ['Lancer', '3 · Bac à sable', 'Fonctions'],
    ko: ['시작', '3 · 플레이그라운드', '함수'],
    en: ['Play', '3 · Playground', 'Functions'],
  };
  for (const [code, [play, heading, fns]] of Object.entries(expected)) {
    await selectLanguage(page, code);
    assert.equal(await page.evaluate(() => document.documentElement.lang), code);
    assert.equal(await label(), play, code);
    assert.equal(await page.locator('#h-pg').textContent(), heading, code);
    assert.equal(await page.locator('mlp-activation-plot').locator('.chips .group-label').textContent(), fns, code);
  }
  // The theme toggle: the page and every widget switch, and it is remembered.
  const surface = () => page.locator('mlp-collapse').evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.card')).backgroundColor);
  const light = await surface();
  await page.locator('#theme-toggle').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.locator('#theme-toggle').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('mlp-playground').getAttribute('theme'), 'dark');
  assert.notEqual(await surface(), light);
  await page.reload();
  await widgetsReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.locator('#theme-toggle').click();
  assert.equal(await surface(), light);
  // navigator.languages picks the language on a first visit.
  const ko = await openPage('', { locale: 'ko-KR' });
  assert.equal(await ko.page.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await ko.page.locator('mlp-collapse').locator('button[name=train]').textContent(), '200 에포크 학습');
  await ko.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('play on circle brings the test loss below 0.1 within 10 s', async (t) => {
  const { page, errors, context } = await openPage('#dataset=circle');
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  const before = Number(await pg.getAttribute('data-test-loss'));
  assert.ok(before > 0.3, `an untrained network should not fit the circle yet (${before})`);
  const t0 = Date.now();
  await pg.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('mlp-playground').dataset.testLoss) < 0.1, null, { timeout: 10000, polling: 100 });
  const secs = (Date.now() - t0) / 1000;
  const d = await pg.evaluate((el) => ({ ...el.dataset }));
  assert.equal(d.state, 'running');
  assert.ok(Number(d.epoch) > 0);
  assert.ok(Number(d.accuracy) > 0.9, `accuracy ${d.accuracy}`);
  await pg.locator('button[name=play]').click(); // pause
  const e1 = Number(await pg.getAttribute('data-epoch'));
  await page.waitForTimeout(300);
  assert.equal(Number(await pg.getAttribute('data-epoch')), e1, 'pause stops training');
  // Gradient norms are shown per layer after training.
  const norms = await pg.evaluate((el) => [...el.shadowRoot.querySelectorAll('ol.grads li')].map((li) => Number(li.dataset.norm)));
  assert.equal(norms.length, 3);
  for (const v of norms) assert.ok(Number.isFinite(v) && v > 0);
  // Hovering a unit tells its bias and incoming weights (the network's own numbers).
  const unit = pg.locator('canvas[data-layer="0"][data-unit="1"]');
  await unit.hover();
  const tip = await unit.getAttribute('title');
  const w = await pg.evaluate((el) => { const { W, b } = el.net.params(); return [W[0][1], W[0][4 + 1], b[0][1]]; });
  assert.equal(tip, `Hidden layer 1, unit 2: bias ${w[2].toFixed(3).replace(/\.?0+$/, '')}; incoming weights ${w[0].toFixed(3).replace(/\.?0+$/, '')} · ${w[1].toFixed(3).replace(/\.?0+$/, '')}`);
  t.diagnostic(`circle: test loss ${Number(d.testLoss).toFixed(4)} after ${secs.toFixed(1)} s, epoch ${d.epoch}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an autoplay link brings the playground into view, below the sticky header, where it goes on training; section links land below the header too', async () => {
  // The header is 57 px high at 1280 px in English, 102 in German and at 900 px (two rows), 90 on a phone (two: it was three, 126).
  for (const [width, lang] of [[1280, 'en'], [1280, 'de'], [900, 'en'], [375, 'vi'], [320, 'de']]) {
    const { page, errors, context } = await newPage(env.browser, { viewport: { width, height: 800 }, reducedMotion: 'reduce' });
    await page.addInitScript((l) => localStorage.setItem('mlp-lab-lang', l), lang);
    await page.goto(`${env.server.url}web/#dataset=xor&autoplay`);
    const where = `${width} px, ${lang}`;
    // A playground left below the fold trains its first frame and pauses there (epoch ~3).
    await page.waitForFunction(() => Number(document.querySelector('mlp-playground')?.dataset.epoch) > 30, null, { timeout: 10000 })
      .catch(() => assert.fail(`${where}: the playground does not go on training`));
    const box = () => page.evaluate(() => ({
      header: document.querySelector('header.top').getBoundingClientRect().bottom,
      pg: document.querySelector('mlp-playground').getBoundingClientRect().top,
      h2: document.querySelector('#exercises h2').getBoundingClientRect().top,
    }));
    const b = await box();
    if (width < 500) assert.ok(b.header <= 96, `${where}: the header takes ${b.header} px of a phone's screen (two rows are 90)`);
    assert.ok(b.pg >= b.header - 0.5 && b.pg < b.header + 40, `${where}: the playground's top ${b.pg} just below the header's bottom ${b.header}`);
    await page.locator(`header.top nav a[data-scroll=exercises]`).click();
    await page.waitForFunction(() => Math.abs(document.querySelector('#exercises').getBoundingClientRect().top) < 400);
    const a = await box();
    assert.ok(a.h2 >= a.header - 0.5 && a.h2 < a.header + 80, `${where}: the section heading's top ${a.h2} below the header's bottom ${a.header}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('divergence shows a message with advice, never a blank heatmap', async () => {
  const { page, errors, context } = await openPage('#dataset=sin&hidden=8,8&activation=tanh&optimizer=sgd&lr=1&noise=0.1');
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  await pg.locator('button[name=play]').click();
  await page.waitForFunction(() => document.querySelector('mlp-playground').dataset.state === 'diverged', null, { timeout: 8000 });
  const box = pg.locator('.diverged');
  assert.ok(await box.isVisible());
  const text = await box.textContent();
  assert.match(text, /diverged/i);
  assert.match(text, /learning rate/);
  assert.match(text, /\b1\b/);
  // The plot still shows the data and axes (regression draws on .heat-over).
  const distinct = await pg.evaluate((el) => {
    const c = el.shadowRoot.querySelector('.heat-over');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const set = new Set();
    for (let i = 0; i < d.length; i += 4) set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return set.size;
  });
  assert.ok(distinct > 20, `heatmap has only ${distinct} colours`);
  // The fix button lowers the learning rate and resets.
  await pg.locator('button[name=fix-lr]').click();
  assert.equal(await pg.getAttribute('data-state'), 'paused');
  assert.equal(await pg.evaluate((el) => el.settings.lr), 0.1);
  assert.ok(!(await box.isVisible()));
  assert.deepEqual(errors, []);
  await context.close();
});

test('no serious or critical axe-core violations (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, context } = await openPage('', { colorScheme: scheme });
    // The page runs under the strict CSP, which refuses an injected <script>
    // (page.addScriptTag); evaluating axe's source through the protocol works.
    await page.evaluate(readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8'));
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(summary, [], `${scheme}: ${summary.join('\n')}`);
    await context.close();
  }
});

test('screenshots: desktop, phone, dark mode', async () => {
  const shots = [
    ['desktop-1280', { viewport: { width: 1280, height: 900 } }],
    ['phone-375', { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
    ['dark-1280', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }],
  ];
  for (const [name, opts] of shots) {
    const { page, errors, context } = await openPage('#dataset=spiral&hidden=16,16,16&activation=relu&optimizer=adam&lr=0.01&noise=0.05&n=800&init=he&speed=10', opts);
    const pg = page.locator('mlp-playground');
    await pg.scrollIntoViewIfNeeded();
    await pg.locator('button[name=play]').click();
    await page.waitForFunction(() => Number(document.querySelector('mlp-playground').dataset.epoch) > 300, null, { timeout: 10000 });
    await pg.locator('button[name=play]').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(200);
    // Nothing may stick out sideways (a phone must not scroll horizontally).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: page is ${overflow}px wider than the viewport`);
    await page.screenshot({ path: shotPath(name), fullPage: true });
    // Element shots without the sticky header over them (CSSOM is allowed by the CSP).
    await page.evaluate(() => document.querySelector('.top').style.setProperty('position', 'static'));
    for (const tag of ['mlp-activation-plot', 'mlp-collapse', 'mlp-playground']) {
      await page.locator(tag).screenshot({ path: shotPath(`${name}-${tag.slice(4)}`) });
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
