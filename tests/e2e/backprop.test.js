// One training step, number by number (issue 13): the playground's "Inspect
// one example" (web/playground-inspect.js) shows net.trace of the example it
// was given, stage by stage, forward then backward; "Apply this update" takes
// one SGD step on that example and its loss falls at a small learning rate;
// the keyboard reaches all of it; the page's <mlp-graph> (web/graph.js) shows
// finite numbers in every language.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, newPage, widgetsReady, shotPath, ROOT, selectLanguage } from './helpers.js';

const env = serverAndBrowser();
const LANGS = ['en', 'de', 'vi', 'zh', 'fr', 'ko'];

async function openPage(hash = '', opts = {}) {
  const { page, errors, context } = await newPage(env.browser, opts);
  await page.goto(`${env.server.url}web/${hash}`);
  await widgetsReady(page, 30_000);
  await page.waitForFunction(() => document.querySelector('mlp-graph')?.hasAttribute('data-ready'), null, { timeout: 30_000 });
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  return { page, errors, context, pg };
}

/** "−1.2E−3" / "0,512" (de, fr, vi) back to a number. */
function parseShown(text) {
  return Number(text.trim().replace(/−/g, '-').replace(/\s/g, '').replace(',', '.').replace(/E/i, 'e'));
}

/** What the panel shows: every chip number (layer, unit, symbol, data-v, text) and the stage. */
function panelState(pg) {
  const root = pg.shadowRoot;
  const chips = [...root.querySelectorAll('.insp-net .chip[data-layer]')].map((c) => ({
    l: Number(c.dataset.layer), j: Number(c.dataset.unit),
    rows: [...c.querySelectorAll('.chip-row')].map((r) => ({ sym: r.querySelector('.sym').textContent, v: Number(r.querySelector('.num').dataset.v), text: r.querySelector('.num').textContent })),
  }));
  const loss = root.querySelector('.insp-net .chip.loss .num');
  const vecOf = (name) => [...(root.querySelector(`.insp-eq [data-name="${name}"]`)?.querySelectorAll('.num') ?? [])].map((n) => Number(n.dataset.v));
  return {
    stage: pg.dataset.inspectStage, live: root.querySelector('.insp-stage').textContent,
    count: root.querySelector('.insp-count').textContent, chips,
    loss: loss ? { v: Number(loss.dataset.v), text: loss.textContent } : null,
    eq: { z: vecOf('z'), h: vecOf('h'), dz: vecOf('dz'), dW: vecOf('dW'), dH: vecOf('dH') },
    nextDisabled: root.querySelector('button[name=insp-step]').disabled,
  };
}

/** In the page: the trace of train/test row k, computed afresh from the element's net and the trainer's row. */
function traceInPage(pg, { set, index }) {
  const part = set === 'test' ? pg.trainer.test : pg.trainer.train;
  const d = pg.trainer.data.d;
  const qy = part.Y.length / part.n;
  const t = pg.net.trace(part.X.slice(index * d, (index + 1) * d), part.Y.slice(index * qy, (index + 1) * qy));
  const arr = (a) => a.map((v) => Array.from(v));
  return { loss: t.loss, input: Array.from(t.input), z: arr(t.z), h: arr(t.h), dz: arr(t.dz), dW: arr(t.dW), W: arr(pg.net.params().W), layers: [...pg.net.layers] };
}

const close = (shown, want, what) => {
  const tol = 5e-3 * Math.abs(want) + 1e-6;
  assert.ok(Math.abs(shown - want) <= tol, `${what}: shows ${shown}, the core says ${want}`);
};

test('inspectPoint shows net.trace of that example, stage by stage, forward then backward', async () => {
  const { page, errors, context, pg } = await openPage('#dataset=xor&hidden=3,2&activation=tanh&lr=0.03');
  // train a little, so the numbers are not the initial ones
  await pg.locator('button[name=step]').click();
  const k = 7;
  const returned = await pg.evaluate((el, k) => {
    const t = el.inspectPoint({ set: 'train', index: k });
    return { same: t === el.inspected, state: el.dataset.state };
  }, k);
  assert.ok(returned.same, 'inspectPoint returns the trace that `inspected` exposes');
  assert.equal(returned.state, 'paused');
  const want = await pg.evaluate(traceInPage, { set: 'train', index: k });
  assert.deepEqual(want.layers, [2, 3, 2, 1]);
  assert.equal(await pg.evaluate((el) => el.inspected.loss), want.loss);
  // the example line: its x
  const x = await pg.evaluate((el) => [...el.shadowRoot.querySelectorAll('.insp-example [data-name=x] .num')].map((n) => Number(n.dataset.v)));
  assert.deepEqual(x, want.input);

  const count = want.layers.length - 1;
  const kinds = [];
  const lives = new Set();
  let st = await pg.evaluate(panelState);
  assert.equal(st.stage, 'input');
  for (let guard = 0; guard < 20; guard++) {
    kinds.push(st.stage);
    lives.add(st.live);
    // every number shown is the core's: exact in data-v, and the text rounds it
    for (const c of st.chips) {
      const zRow = c.rows.find((r) => r.sym === 'z');
      const hRow = c.rows.find((r) => r.sym === 'h' || r.sym === 'ŷ');
      assert.equal(zRow.v, want.z[c.l][c.j], `z of layer ${c.l} unit ${c.j}`);
      assert.equal(hRow.v, want.h[c.l][c.j], `h of layer ${c.l} unit ${c.j}`);
      close(parseShown(zRow.text), zRow.v, `z text ${c.l}.${c.j}`);
      close(parseShown(hRow.text), hRow.v, `h text ${c.l}.${c.j}`);
      const hRowB = c.rows.find((r) => r.sym === '∂L/∂h');
      if (hRowB) {
        // ∂L/∂h = Σ_k ∂L/∂z⁽ˡ⁺¹⁾_k W⁽ˡ⁺¹⁾[j][k] (the product the core took), to float32 rounding
        const fo = want.layers[c.l + 2];
        let sum = 0;
        for (let k2 = 0; k2 < fo; k2++) sum += want.dz[c.l + 1][k2] * want.W[c.l + 1][c.j * fo + k2];
        assert.ok(Math.abs(hRowB.v - sum) <= 1e-5 * (1 + Math.abs(sum)), `∂L/∂h of layer ${c.l} unit ${c.j}: ${hRowB.v} vs ${sum}`);
      }
      const dRow = c.rows.find((r) => r.sym === '∂L/∂z');
      if (dRow) {
        assert.equal(dRow.v, want.dz[c.l][c.j], `dz of layer ${c.l} unit ${c.j}`);
        close(parseShown(dRow.text), dRow.v, `dz text ${c.l}.${c.j}`);
      }
    }
    if (st.loss) {
      assert.equal(st.loss.v, want.loss);
      close(parseShown(st.loss.text), want.loss, 'loss text');
    }
    if (st.eq.dW.length) {
      // the backward stage's ∂L/∂W (its first rows and columns, up to 8)
      const l = count - 1 - (kinds.filter((s) => s === 'bwd').length - 1);
      const fo = want.layers[l + 1];
      const shown = [];
      for (let i = 0; i < Math.min(8, want.layers[l]); i++) for (let j = 0; j < Math.min(8, fo); j++) shown.push(want.dW[l][i * fo + j]);
      assert.deepEqual(st.eq.dW, shown, `∂L/∂W of layer ${l}`);
    }
    if (st.nextDisabled) break;
    await pg.locator('button[name=insp-step]').click();
    st = await pg.evaluate(panelState);
  }
  assert.deepEqual(kinds, ['input', 'fwd', 'fwd', 'fwd', 'loss', 'bwd', 'bwd', 'bwd']);
  assert.equal(lives.size, kinds.length, 'each stage tells itself in the live region');
  // at the end every unit shows z, h and ∂L/∂z (hidden units also ∂L/∂h): 3 + 2 + 1 units
  assert.equal(st.chips.length, 6);
  assert.deepEqual(st.chips.map((c) => c.rows.length), [4, 4, 4, 4, 4, 3]);
  // the last stage's formula: ∂L/∂H⁽¹⁾ as the chips of layer 0 show it
  assert.deepEqual(st.eq.dH, st.chips.filter((c) => c.l === 0).map((c) => c.rows.find((r) => r.sym === '∂L/∂h').v));
  // Back goes one stage back
  await pg.locator('button[name=insp-back]').click();
  assert.equal((await pg.evaluate(panelState)).count, 'Stage 7 of 8');
  // The network view marks the current layer's units (stage 7: backward, hidden layer 2) with their ∂L/∂z
  const view = await pg.evaluate((el) => ({
    on: el.shadowRoot.querySelectorAll('canvas.unit-c.insp-on').length,
    badges: [...el.shadowRoot.querySelectorAll('.columns .insp-badge')].map((b) => b.textContent),
    links: !!el.shadowRoot.querySelector('.columns canvas.insp-links'),
  }));
  assert.equal(view.on, 2);
  assert.equal(view.badges.length, 2);
  view.badges.forEach((text, j) => close(parseShown(text), want.dz[1][j], `badge ${j}`));
  assert.ok(view.links, 'backward: ∂L/∂W over the links');
  // another example, from the test set, by the picker
  await pg.locator('select[name=insp-set]').selectOption('test');
  const wantTest = await pg.evaluate(traceInPage, { set: 'test', index: 0 });
  assert.equal(await pg.evaluate((el) => el.inspected.loss), wantTest.loss);
  // Misuse names the parameter
  const bad = await pg.evaluate((el) => [{ set: 'valid', index: 0 }, { set: 'train', index: 1e9 }, { set: 'train', index: 1.5 }, { index: 0, colour: 1 }]
    .map((spec) => { try { el.inspectPoint(spec); return 'no error'; } catch (e) { return `${e.name}: ${e.message}`; } }));
  assert.match(bad[0], /^RangeError: set:/);
  assert.match(bad[1], /^RangeError: index:/);
  assert.match(bad[2], /^RangeError: index:/);
  assert.match(bad[3], /^TypeError: .*colour/);
  await pg.locator('.inspect').screenshot({ path: shotPath('backprop-inspect-en') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Apply this update": one SGD step on the example; its loss falls at a small learning rate', async () => {
  const { page, errors, context, pg } = await openPage('#dataset=circle&hidden=4&activation=tanh&optimizer=adam&lr=0.01');
  const k = 3;
  await pg.evaluate((el, k) => el.inspectPoint({ set: 'train', index: k }), k);
  const before = await pg.evaluate((el) => ({ W: el.net.params().W.map((w) => Array.from(w)), dW: el.inspected.dW.map((w) => Array.from(w)), loss: el.inspected.loss }));
  // the note says what happens to Adam's state
  assert.match(await pg.locator('.insp-apply-note').textContent(), /Adam/);
  await pg.locator('button[name=insp-apply]').click();
  const after = await pg.evaluate((el) => {
    const r = el.shadowRoot.querySelector('.insp-result');
    return {
      W: el.net.params().W.map((w) => Array.from(w)), loss: el.inspected.loss,
      shownBefore: Number(r.querySelector('.num.before').dataset.v), shownAfter: Number(r.querySelector('.num.after').dataset.v),
      text: r.textContent,
    };
  });
  const fresh = await pg.evaluate(traceInPage, { set: 'train', index: k });
  assert.equal(after.loss, fresh.loss, 'the panel shows the trace with the new weights');
  assert.equal(after.shownBefore, before.loss);
  assert.equal(after.shownAfter, fresh.loss);
  assert.ok(after.loss < before.loss, `the loss fell: ${before.loss} -> ${after.loss}`);
  assert.match(after.text, /it fell/);
  // W − lr·dW, to float32 rounding
  for (let l = 0; l < before.W.length; l++) {
    for (let i = 0; i < before.W[l].length; i++) {
      const want = before.W[l][i] - 0.01 * before.dW[l][i];
      assert.ok(Math.abs(after.W[l][i] - want) <= 1e-6 * (1 + Math.abs(want)), `W[${l}][${i}]`);
    }
  }
  console.log(`# apply at lr 0.01 (circle, 2-4-1 tanh): example ${k} loss ${before.loss} -> ${after.loss}`);
  // a huge rate: a classifier's example just gets more certain (recorded), a regression overshoots
  await pg.locator('select[name=lr]').selectOption('10');
  await pg.evaluate((el) => el.inspectPoint({ set: 'train', index: 3 }));
  const l0 = await pg.evaluate((el) => el.inspected.loss);
  await pg.locator('button[name=insp-apply]').click();
  const l1 = await pg.evaluate((el) => el.inspected.loss);
  console.log(`# apply at lr 10 (circle, bce): loss ${l0} -> ${l1} (${await pg.locator('.insp-loss strong').textContent()})`);
  assert.ok(Number.isFinite(l1));
  await page.evaluate(() => { location.hash = '#dataset=sin&hidden=4&activation=tanh&optimizer=sgd&lr=3'; });
  await page.waitForFunction((el) => el.settings.dataset === 'sin' && el.net.config.loss === 'mse', await pg.elementHandle());
  const sin = [];
  for (const lr of ['0.01', '3']) {
    await pg.locator('select[name=lr]').selectOption(lr);
    await pg.evaluate((el) => el.inspectPoint({ set: 'train', index: 5 }));
    const a = await pg.evaluate((el) => el.inspected.loss);
    await pg.locator('button[name=insp-apply]').click();
    sin.push([lr, a, await pg.evaluate((el) => el.inspected.loss), await pg.locator('.insp-loss strong').textContent()]);
  }
  console.log(`# apply on sin (mse), example 5: ${sin.map(([lr, a, b, w]) => `lr ${lr}: ${a} -> ${b} (${w})`).join('; ')}`);
  assert.ok(sin[0][2] < sin[0][1], 'lr 0.01: the squared loss falls');
  assert.ok(sin[1][2] > sin[1][1], 'lr 3: the step overshoots and the loss rises');
  assert.match(sin[1][3], /rose/);
  // training goes on afterwards
  await pg.locator('select[name=lr]').selectOption('0.01');
  await pg.locator('button[name=step]').click();
  assert.ok(await pg.evaluate((el) => Number(el.dataset.epoch) >= 1));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the keyboard opens the panel, picks an example, steps the walk; wide layers give numbers on focus', async () => {
  const { page, errors, context, pg } = await openPage('#dataset=spiral&hidden=12&activation=relu');
  const open = pg.locator('button[name=inspect]');
  await open.focus();
  await page.keyboard.press('Enter');
  assert.equal(await open.getAttribute('aria-expanded'), 'true');
  assert.ok(await pg.locator('.inspect').isVisible());
  // the example number: type 5, Enter (change)
  await pg.locator('input[name=insp-index]').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await page.waitForFunction((el) => el.shadowRoot.querySelector('input[name=insp-index]').value === '5', await pg.elementHandle());
  const want = await pg.evaluate(traceInPage, { set: 'train', index: 4 });
  assert.equal(await pg.evaluate((el) => el.inspected.loss), want.loss);
  // Next by keyboard: Space on the focused button
  await pg.locator('button[name=insp-step]').focus();
  await page.keyboard.press(' ');
  assert.equal(await pg.evaluate((el) => el.dataset.inspectStage), 'fwd');
  assert.match(await pg.locator('.insp-stage').textContent(), /hidden layer 1/);
  // 12 units: colours only; a unit tells its numbers when focused
  const small = pg.locator('.insp-net .chip.small[data-layer="0"]');
  assert.equal(await small.count(), 12);
  await small.nth(2).focus();
  const said = await pg.locator('.insp-focus').textContent();
  const zText = said.match(/z (\S+),/)[1];
  assert.ok(Math.abs(parseShown(zText) - want.z[0][2]) <= 5e-3 * Math.abs(want.z[0][2]) + 1e-6, `${said} vs ${want.z[0][2]}`);
  // close with the keyboard (Escape anywhere in the panel): focus returns to the open button
  await page.keyboard.press('Escape');
  assert.ok(await pg.locator('.inspect').isHidden());
  assert.equal(await pg.evaluate((el) => el.shadowRoot.activeElement?.name), 'inspect');
  assert.equal(await pg.evaluate((el) => el.inspected), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the graph section shows finite numbers, forward then backward, in all six languages; screenshots', async () => {
  const { page, errors, context } = await openPage();
  const g = page.locator('#backprop mlp-graph');
  await g.scrollIntoViewIfNeeded();
  for (const code of LANGS) {
    await selectLanguage(page, code);
    await page.waitForFunction((c) => document.querySelector('mlp-graph').shadowRoot.querySelector('.root').lang === c, code);
    // to the end of the walk: by clicks in English, by the element's go() in the others (faster)
    await g.evaluate((el) => { el.stage = 0; el.redraw(); });
    const texts = new Set([await g.locator('.graph-stage').textContent()]);
    if (code === 'en') {
      for (let s = 1; s < 13; s++) {
        await g.locator('button[name=next]').click();
        texts.add(await g.locator('.graph-stage').textContent());
      }
    } else {
      for (const t of await g.evaluate((el) => { const out = []; while (el.go(+1)) out.push(el.shadowRoot.querySelector('.graph-stage').textContent); return out; })) texts.add(t);
    }
    const nums = await g.evaluate((el) => [...el.shadowRoot.querySelectorAll('.gnode .num')].map((n) => [Number(n.dataset.v), n.textContent]));
    // x 2, W1 4, z 2, h 2, W2 2, o 1, y 1, L, s, J: 17; gradients: J, L, s 1 each, o 1, W2 2, h 2, z 2, W1 4: 14
    assert.equal(nums.length, 17 + 14, `${code}: every node has its numbers`);
    for (const [v, text] of nums) {
      assert.ok(Number.isFinite(v), `${code}: ${v}`);
      assert.ok(/\d/.test(text) && !/NaN|–/.test(text), `${code}: "${text}"`);
    }
    assert.equal(await g.evaluate((el) => el.shadowRoot.querySelector('h3').textContent.length > 5), true);
    if (code === 'en' || code === 'zh') await page.locator('#backprop').screenshot({ path: shotPath(`backprop-graph-${code}`) });
  }
  // the numbers are the core's: L and ∂J/∂o against net.trace of the element's own net
  const check = await g.evaluate((el) => {
    const t = el.net.trace(Float32Array.of(0.8, -1.2), Float32Array.of(0.5));
    const v = el.values;
    return { L: [t.loss, v.trace.loss], o: [t.dz[1][0], v.trace.dz[1][0]], finite: [v.s, v.J, ...v.dh].every(Number.isFinite) };
  });
  assert.equal(check.L[0], check.L[1]);
  assert.equal(check.o[0], check.o[1]);
  assert.ok(check.finite);
  // attributes are parsed defensively: anything odd gives the default
  const attrs = await g.evaluate(async (el) => {
    const out = [];
    for (const [k, v] of [['l2', 'abc'], ['l2', '5'], ['l2', '0'], ['activation', '<b>x</b>'], ['activation', 'relu'], ['seed', '-3'], ['seed', '7']]) {
      el.setAttribute(k, v);
      out.push([k, v, el.values.lambda, el.net.config.activation, el.net.config.seed, [...el.shadowRoot.querySelectorAll('.gnode .num')].every((n) => Number.isFinite(Number(n.dataset.v)))]);
    }
    return out;
  });
  assert.deepEqual(attrs.map((a) => a.slice(2)), [
    [0.01, 'tanh', 1, true], [1, 'tanh', 1, true], [0, 'tanh', 1, true], [0, 'tanh', 1, true], [0, 'relu', 1, true], [0, 'relu', 1, true], [0, 'relu', 7, true]]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('phone width 375 px: the panel and the graph stay inside the page', async () => {
  const { page, errors, context, pg } = await openPage('', { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true });
  await selectLanguage(page, 'zh');
  await pg.evaluate((el) => el.inspectPoint({ set: 'train', index: 0 }));
  for (let i = 0; i < 4; i++) await pg.locator('button[name=insp-step]').click();
  await pg.locator('.inspect').scrollIntoViewIfNeeded();
  await pg.locator('.inspect').screenshot({ path: shotPath('backprop-inspect-375-zh') });
  const g = page.locator('#backprop mlp-graph');
  await g.scrollIntoViewIfNeeded();
  for (let i = 0; i < 9; i++) await g.locator('button[name=next]').click();
  await page.locator('#backprop').screenshot({ path: shotPath('backprop-graph-375') });
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(over, 0, 'the page never scrolls sideways');
  const inside = await pg.evaluate((el) => {
    const card = el.shadowRoot.querySelector('.card').getBoundingClientRect();
    const p = el.shadowRoot.querySelector('.inspect').getBoundingClientRect();
    return p.left >= card.left - 0.5 && p.right <= card.right + 0.5;
  });
  assert.ok(inside, 'the inspect panel is inside the playground card');
  assert.deepEqual(errors, []);
  await context.close();
});

test('no serious or critical axe-core violations with the panel open and the graph stepped back (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, errors, context, pg } = await openPage('#hidden=12,3', { colorScheme: scheme });
    await pg.evaluate((el) => el.inspectPoint({ set: 'train', index: 2 }));
    for (let i = 0; i < 5; i++) await pg.locator('button[name=insp-step]').click();
    await pg.locator('button[name=insp-apply]').click();
    const g = page.locator('#backprop mlp-graph');
    await g.evaluate((el) => { for (let i = 0; i < 10; i++) el.go(+1); });
    await page.evaluate(readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8'));
    // only this issue's parts: the playground (with the panel) and the graph section
    const result = await page.evaluate(() => globalThis.axe.run({ include: [['mlp-playground'], ['#backprop']] }, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(summary, [], `${scheme}: ${summary.join('\n')}`);
    if (scheme === 'dark') {
      await pg.locator('.inspect').screenshot({ path: shotPath('backprop-inspect-dark') });
      await g.screenshot({ path: shotPath('backprop-graph-dark') });
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
