// "Inspect one example" in the playground: one training example walked
// through the network, a stage per press of Next (or by itself with Play):
// forward layer by layer (each unit's z and h), the prediction and the loss,
// then backward right to left (each unit's ∂L/∂z, each layer's ∂L/∂W), with
// the chapter's formulas and this example's numbers beside it
// (equations.js). "Apply this update" takes one SGD step on this example
// alone and shows W − lr·dW and the example's new loss.
//
// Every number comes from the core: net.trace(x, y) for the walk,
// net.params() for W and b, net.step() for the update. Functions of the
// <mlp-playground> element (pg); the state lives in pg._inspect.

import { h } from './base.js';
import { num, numEl, vec, mat, formula, names, stageEquations } from './equations.js';
import { fitCanvas, cssVar } from './plot.js';

const MAX_NUMBERS = 8; // a layer up to this wide shows every number; wider ones colours (numbers on hover/focus)
const PLAY_MS = 1100; // one stage per this long while playing
const SETS = ['train', 'test'];
const PHI = { relu: 'ReLU', prelu: 'pReLU', sigmoid: 'σ', tanh: 'tanh', gelu: 'GELU', swish: 'swish', identity: 'id' };

/** The button and the (hidden) panel, for the network section of render(). */
export function inspectView(pg) {
  const id = `${pg.uid}-inspect`;
  const btn = (name, key, text) => h('button', { type: 'button', name, 'data-i18n': key || null }, text ?? '');
  const panel = h('section', { class: 'inspect', id, hidden: true, 'aria-labelledby': `${id}-h` },
    h('div', { class: 'section-head small' },
      h('h5', { id: `${id}-h`, 'data-i18n': 'inspTitle' }),
      h('button', { type: 'button', name: 'insp-close', class: 'icon small', 'data-i18n-label': 'inspClose', 'data-i18n-title': 'inspClose' }, '×')),
    h('div', { class: 'insp-pick' },
      h('label', { for: `${id}-set` , 'data-i18n': 'inspSet' }),
      h('select', { id: `${id}-set`, name: 'insp-set' },
        h('option', { value: 'train', 'data-i18n': 'train' }), h('option', { value: 'test', 'data-i18n': 'test' })),
      h('label', { for: `${id}-index`, 'data-i18n': 'inspExample' }),
      h('input', { type: 'number', id: `${id}-index`, name: 'insp-index', min: 1, step: 1, inputmode: 'numeric' }),
      h('span', { class: 'insp-of' }),
      h('button', { type: 'button', name: 'insp-prev', class: 'icon small', 'data-i18n-label': 'inspPrev', 'data-i18n-title': 'inspPrev' }, '‹'),
      h('button', { type: 'button', name: 'insp-next-ex', class: 'icon small', 'data-i18n-label': 'inspNextEx', 'data-i18n-title': 'inspNextEx' }, '›')),
    h('p', { class: 'insp-example' }),
    h('div', { class: 'insp-walk' },
      btn('insp-back', 'inspBack'),
      h('button', { type: 'button', name: 'insp-play', 'aria-pressed': 'false', 'data-i18n': 'play', 'data-i18n-label': 'inspPlayLabel' }),
      h('button', { type: 'button', name: 'insp-step', class: 'primary', 'data-i18n': 'inspNext' }),
      h('span', { class: 'insp-count' })),
    h('p', { class: 'insp-stage', 'aria-live': 'polite' }),
    h('div', { class: 'insp-body' },
      h('div', { class: 'insp-net', role: 'group', tabindex: '0', 'data-i18n-label': 'inspNetLabel' }),
      h('div', { class: 'insp-eq', role: 'group', tabindex: '0', 'data-i18n-label': 'inspEqLabel' })),
    h('p', { class: 'insp-focus', 'aria-live': 'polite' }),
    h('div', { class: 'insp-apply' },
      h('button', { type: 'button', name: 'insp-apply' }),
      h('p', { class: 'insp-apply-note' }),
      h('div', { class: 'insp-result', role: 'group', tabindex: '0', 'aria-live': 'polite', 'data-i18n-label': 'inspResultLabel' })));
  const open = h('button', { type: 'button', name: 'inspect', class: 'insp-open', 'aria-controls': id, 'aria-expanded': 'false', 'data-i18n': 'inspOpen' });
  const on = (sel, ev, fn) => panel.querySelector(sel).addEventListener(ev, fn);
  open.addEventListener('click', () => {
    if (pg._inspect) close(pg, { focus: true });
    else openInspect(pg, { set: 'train', index: 0 });
  });
  on('[name=insp-close]', 'click', () => close(pg, { focus: true }));
  on('[name=insp-set]', 'change', (e) => openInspect(pg, { set: e.target.value, index: 0 }));
  on('[name=insp-index]', 'change', (e) => {
    const st = live(pg);
    if (!st) return;
    const n = rows(pg, st.set).n;
    const v = Math.round(Number(e.target.value));
    openInspect(pg, { set: st.set, index: Number.isFinite(v) ? Math.min(n, Math.max(1, v)) - 1 : st.index });
  });
  const move = (d) => {
    const st = live(pg);
    if (!st) return;
    const n = rows(pg, st.set).n;
    openInspect(pg, { set: st.set, index: (st.index + d + n) % n });
  };
  on('[name=insp-prev]', 'click', () => move(-1));
  on('[name=insp-next-ex]', 'click', () => move(+1));
  on('[name=insp-back]', 'click', () => go(pg, -1));
  on('[name=insp-step]', 'click', () => go(pg, +1));
  on('[name=insp-play]', 'click', () => togglePlay(pg));
  on('[name=insp-apply]', 'click', () => applyUpdate(pg));
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && pg._inspect) {
      e.preventDefault();
      close(pg, { focus: true });
    }
  });
  return h('div', { class: 'inspect-box' }, open, panel);
}

/** The walk, if its example still stands in the network being trained (settings may have
 *  rebuilt the network or the data since it opened); otherwise it closes and gives null. */
function live(pg) {
  const st = pg._inspect;
  if (!st) return null;
  if (st.net !== pg.trainer?.net || rows(pg, st.set).n <= st.index || !sameRow(pg, st)) {
    close(pg);
    return null;
  }
  return st;
}

function rows(pg, set) {
  return set === 'test' ? pg.trainer.test : pg.trainer.train;
}

/** The example's raw row and its target as trace and step take them. */
function example(pg, set, index) {
  const part = rows(pg, set);
  const d = pg.trainer.data.d;
  const x = part.X.slice(index * d, (index + 1) * d);
  const qy = part.Y.length / part.n;
  const y = part.Y.slice(index * qy, (index + 1) * qy);
  return { x, y };
}

/** The element's inspectPoint({ set, index }): check, pause, open the panel on that example. */
export function inspectPoint(pg, spec) {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`inspectPoint: expected { set, index }, got ${spec === null ? 'null' : typeof spec}`);
  for (const k of Object.keys(spec)) {
    // x, y: where a pointer picked the point (the output heatmap passes them); not needed here
    if (!['set', 'index', 'x', 'y'].includes(k)) throw new TypeError(`inspectPoint: unknown option "${k}"; use set and index`);
  }
  const { set = 'train', index } = spec;
  if (!SETS.includes(set)) throw new RangeError(`set: expected 'train' or 'test', got ${JSON.stringify(set)}`);
  if (!pg.trainer) throw new TypeError('inspectPoint: the playground has not started yet (wait for mlp-ready)');
  const n = rows(pg, set).n;
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new RangeError(`index: expected an integer row of the ${set} set, 0 to ${n - 1}, got ${String(index)}`);
  }
  openInspect(pg, { set, index });
  return pg._inspect.trace;
}

function openInspect(pg, { set, index }) {
  if (!pg.trainer) return;
  if (rows(pg, set).n === 0) set = set === 'train' ? 'test' : 'train';
  if (rows(pg, set).n === 0) return; // no example at all (drawn data before its first point): nothing to inspect
  index = Math.min(index, rows(pg, set).n - 1);
  pg.pause();
  const prev = pg._inspect;
  stopPlay(pg);
  const { x, y } = example(pg, set, index);
  const net = pg.trainer.net;
  pg._inspect = { set, index, x, y, net, trace: net.trace(x, y), stage: prev && prev.set === set ? prev.stage : 0, playing: 0, applied: null };
  const st = pg._inspect;
  st.stage = Math.min(st.stage, stages(pg).length - 1);
  const panel = pg.$('.inspect');
  panel.hidden = false;
  pg.$('button[name=inspect]').setAttribute('aria-expanded', 'true');
  pg.$('select[name=insp-set]').value = set;
  const idx = pg.$('input[name=insp-index]');
  idx.max = String(rows(pg, set).n);
  idx.value = String(index + 1);
  renderInspect(pg);
  pg.requestDraw(); // the ring around the example on the output
  // a click on the heatmap opens the panel below the network: bring it into view
  const reduce = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  panel.scrollIntoView?.({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
}

function close(pg, { focus = false } = {}) {
  stopPlay(pg);
  pg._inspect = null;
  pg.$('.inspect').hidden = true;
  const open = pg.$('button[name=inspect]');
  open.setAttribute('aria-expanded', 'false');
  markNetwork(pg, null);
  pg.requestDraw(); // without the ring
  if (focus) open.focus();
}

/** The walk's stages: the input, each layer forward, the loss, each layer backward. */
function stages(pg) {
  const count = pg.trainer.net.layers.length - 1;
  const list = [{ kind: 'input' }];
  for (let l = 0; l < count; l++) list.push({ kind: 'fwd', l });
  list.push({ kind: 'loss' });
  for (let l = count - 1; l >= 0; l--) list.push({ kind: 'bwd', l });
  return list;
}

function go(pg, delta) {
  const st = live(pg);
  if (!st) return false;
  const n = stages(pg).length;
  const next = Math.max(0, Math.min(n - 1, st.stage + delta));
  if (next === st.stage) return false;
  st.stage = next;
  renderInspect(pg);
  return true;
}

function togglePlay(pg) {
  const st = live(pg);
  if (!st) return;
  if (st.playing) {
    stopPlay(pg);
    return;
  }
  if (st.stage === stages(pg).length - 1) st.stage = 0; // play again from the start
  st.playing = setInterval(() => {
    if (!pg.isConnected || !go(pg, +1) || pg._inspect?.stage === stages(pg).length - 1) stopPlay(pg);
  }, PLAY_MS);
  renderInspect(pg);
}

function stopPlay(pg) {
  const st = pg._inspect;
  if (!st || !st.playing) return;
  clearInterval(st.playing);
  st.playing = 0;
  const b = pg.$('button[name=insp-play]');
  b.setAttribute('aria-pressed', 'false');
  b.textContent = pg.t('play');
}

/** A stage's name, for the live region: "Forward, layer 2 of 3: …". */
function stageText(pg, stage) {
  const count = pg.trainer.net.layers.length - 1;
  if (stage.kind === 'input') return pg.t('inspStageInput');
  if (stage.kind === 'loss') return pg.t('inspStageLoss', { loss: num(pg.language, pg._inspect.trace.loss) });
  const last = stage.l === count - 1;
  if (stage.kind === 'fwd') return last ? pg.t('inspStageOut') : pg.t('inspStageFwd', { l: stage.l + 1 });
  return last ? pg.t('inspStageBwdOut') : pg.t('inspStageBwd', { l: stage.l + 1 });
}

/** Draw the panel for the current stage (and mark the network view). */
export function renderInspect(pg) {
  const st = pg._inspect;
  if (!st) return;
  const lang = pg.language;
  st.lang = lang;
  const net = st.net;
  const list = stages(pg);
  const stage = list[st.stage];
  const part = rows(pg, st.set);
  pg.$('.insp-of').textContent = pg.t('inspOf', { n: pg.fmt(part.n, 0) });
  const ce = net.config.loss === 'cross_entropy';
  pg.$('.insp-example').replaceChildren(
    h('span', {}, pg.t('inspExampleIs', { set: pg.t(st.set), k: pg.fmt(st.index + 1, 0) })), ' ',
    h('span', { class: 'sym' }, 'x = '), vec(lang, st.x, { name: 'x' }), ' ',
    h('span', { class: 'sym' }, ce ? 'y: ' : 'y = '),
    ce ? h('span', { class: 'num', 'data-v': String(st.y[0]) }, pg.t('eqClass', { k: String(st.y[0]) })) : vec(lang, st.y, { name: 'y' }));
  pg.$('.insp-count').textContent = pg.t('inspCount', { k: st.stage + 1, n: list.length });
  const live = pg.$('.insp-stage');
  const text = stageText(pg, stage);
  if (live.textContent !== text) live.textContent = text;
  pg.dataset.inspectStage = stage.kind;
  pg.$('button[name=insp-back]').disabled = st.stage === 0;
  pg.$('button[name=insp-step]').disabled = st.stage === list.length - 1;
  const play = pg.$('button[name=insp-play]');
  play.setAttribute('aria-pressed', String(!!st.playing));
  play.textContent = pg.t(st.playing ? 'pause' : 'play');
  const params = net.params();
  const dH = hiddenGrads(pg, st, params);
  renderUnits(pg, st, list, params, dH);
  const act = PHI[net.config.activation] || net.config.activation;
  pg.$('.insp-eq').replaceChildren(...stageEquations({ lang, t: (k, v) => pg.t(k, v), net, trace: st.trace, params, stage, y: st.y, act, dH }));
  const apply = pg.$('button[name=insp-apply]');
  apply.textContent = pg.t('inspApply', { lr: String(pg.s.lr) });
  const notes = [pg.t('inspApplyNote')];
  if (pg.s.optimizer !== 'sgd') notes.push(pg.t('inspApplyOpt', { opt: pg.t(`opt_${pg.s.optimizer}`) }));
  if (pg.s.l2 > 0) notes.push(pg.t('inspApplyL2'));
  pg.$('.insp-apply-note').textContent = notes.join(' ');
  renderResult(pg);
  markNetwork(pg, stage);
}


/**
 * ∂L/∂H of each hidden layer l, = ∂L/∂Z⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾ᵀ: trace reports ∂L/∂z only, so the
 * product is taken by the core's own dense forward, on a one-layer identity
 * network whose W is W⁽ˡ⁺¹⁾ transposed (a rearrangement, no arithmetic here)
 * and b = 0. Memoised per trace.
 */
function hiddenGrads(pg, st, params) {
  if (st.dHFor === st.trace) return st.dH;
  const layers = st.net.layers;
  const dH = [];
  for (let l = 0; l + 2 < layers.length; l++) {
    const rows = layers[l + 1], cols = layers[l + 2]; // W[l+1]: rows x cols
    if (!st.trace.dz[l + 1].every(Number.isFinite)) { // an update that overshot: shown as –, like the other values
      dH.push(new Float32Array(rows).fill(NaN));
      continue;
    }
    const Wt = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) Wt[j * rows + i] = params.W[l + 1][i * cols + j];
    const aux = pg.lab.mlp({ layers: [cols, rows], output: 'identity', loss: 'mse' });
    try {
      aux.setParams({ W: [Wt], b: [new Float32Array(rows)] });
      dH.push(aux.forward(st.trace.dz[l + 1]));
    } finally {
      aux.free();
    }
  }
  st.dH = dH;
  st.dHFor = st.trace;
  return dH;
}

/** The walk drawn as columns of unit chips: x, each layer, the loss. */
function renderUnits(pg, st, list, params, dH) {
  const lang = pg.language;
  const net = st.net;
  const tr = st.trace;
  const count = net.layers.length - 1;
  const stage = list[st.stage];
  // how far forward and back the walk has come
  const fwdDone = stage.kind === 'input' ? -1 : stage.kind === 'fwd' ? stage.l : count - 1;
  const bwdFrom = stage.kind === 'bwd' ? stage.l : count; // layers >= this show their gradient
  const cols = [];
  const chips = (values, kindOf) => values.map((v, j) => kindOf(v, j));
  const scale = (arr) => {
    let m = 1e-12;
    for (const v of arr) m = Math.max(m, Math.abs(v));
    return m;
  };
  const chip = (label, rowsOf, color, small, current) => {
    const el = h('div', { class: `chip${small ? ' small' : ''}${current ? ' current' : ''}`, tabindex: small ? '0' : null });
    const mix = Math.round(45 * Math.min(1, Math.abs(color.v) / color.m));
    el.classList.add(color.v >= 0 ? 'pos' : 'neg');
    el.style.setProperty('--mix', `${mix}%`);
    const lines = rowsOf.map(([sym, v]) => h('span', { class: 'chip-row' }, h('span', { class: 'sym' }, sym), numEl(lang, v)));
    const said = `${label}: ${rowsOf.map(([sym, v]) => `${sym} ${num(lang, v)}`).join(', ')}`;
    el.setAttribute('aria-label', said);
    if (small) {
      el.title = said;
      el.append(h('span', { class: 'chip-vals' }, lines));
      el.addEventListener('focus', () => (pg.$('.insp-focus').textContent = said));
      el.addEventListener('pointerenter', () => (pg.$('.insp-focus').textContent = said));
    } else {
      el.append(...lines);
    }
    return el;
  };
  const inSmall = tr.input.length > MAX_NUMBERS;
  const inScale = scale(tr.input);
  cols.push(h('div', { class: 'insp-col', 'data-col': 'input' }, h('div', { class: 'insp-col-head' }, pg.t('inputs')),
    chips([...tr.input], (v, j) => chip(`x${j + 1}`, [['x', v]], { v, m: inScale }, inSmall, stage.kind === 'input'))));
  for (let l = 0; l < count; l++) {
    const width = net.layers[l + 1];
    const small = width > MAX_NUMBERS;
    const last = l === count - 1;
    const shownF = l <= fwdDone;
    const shownB = l >= bwdFrom;
    const current = (stage.kind === 'fwd' || stage.kind === 'bwd') && stage.l === l;
    const head = last ? pg.t('outputCol') : pg.t('inspLayer', { l: l + 1 });
    const col = h('div', { class: `insp-col${current ? ' current' : ''}`, 'data-col': String(l) }, h('div', { class: 'insp-col-head' }, head));
    if (!shownF) {
      col.append(h('p', { class: 'insp-wait' }, '…'));
    } else {
      const hs = scale(tr.h[l]), ds = scale(tr.dz[l]);
      const into = small ? h('div', { class: 'chip-grid' }) : col;
      if (small) col.append(into);
      for (let j = 0; j < width; j++) {
        const r = [['z', tr.z[l][j]], [last ? 'ŷ' : 'h', tr.h[l][j]]];
        if (shownB && !last) r.push(['∂L/∂h', dH[l][j]]);
        if (shownB) r.push(['∂L/∂z', tr.dz[l][j]]);
        const color = shownB ? { v: tr.dz[l][j], m: ds } : { v: tr.h[l][j], m: hs };
        const label = last ? pg.t('inspOutUnit', { j: j + 1 }) : pg.t('unitLabel', { l: String(l + 1), j: j + 1 });
        const c = chip(label, r, color, small, current);
        c.dataset.layer = String(l);
        c.dataset.unit = String(j);
        into.append(c);
      }
    }
    cols.push(col);
  }
  const lossShown = stage.kind === 'loss' || stage.kind === 'bwd';
  cols.push(h('div', { class: `insp-col loss${stage.kind === 'loss' ? ' current' : ''}`, 'data-col': 'loss' },
    h('div', { class: 'insp-col-head' }, pg.t('inspLoss')),
    lossShown ? h('div', { class: 'chip loss' }, h('span', { class: 'chip-row' }, h('span', { class: 'sym' }, 'L'), numEl(lang, tr.loss, 'num loss'))) : h('p', { class: 'insp-wait' }, '…')));
  const box = pg.$('.insp-net');
  box.replaceChildren(...cols);
  // a narrow panel scrolls the columns: keep the current one in view
  const cur = box.querySelector('.insp-col.current');
  if (cur && box.scrollWidth > box.clientWidth + 1) {
    const r = cur.getBoundingClientRect(), b = box.getBoundingClientRect();
    box.scrollLeft += (r.left + r.right) / 2 - (b.left + b.right) / 2;
  }
}

/**
 * The walk in the network view (playground-network.js draws it): the current
 * layer's units outlined, each with its number (h forward, ∂L/∂z backward) on
 * a badge, and backward the layer's ∂L/∂W drawn over its links (blue positive,
 * orange negative, width by size). Overlays only: the view's own elements are
 * left as they are.
 */
function markNetwork(pg, stage) {
  for (const c of pg.$$('canvas.unit-c.insp-on')) c.classList.remove('insp-on');
  const cols = pg.$('.columns');
  cols?.querySelector('.insp-badges')?.remove();
  cols?.querySelector('canvas.insp-links')?.remove();
  const st = pg._inspect;
  if (!cols || !st || !stage || (stage.kind !== 'fwd' && stage.kind !== 'bwd')) return;
  const l = stage.l;
  const count = st.net.layers.length - 1;
  const last = l === count - 1;
  const units = last ? [pg.$('canvas.out-mini')].filter(Boolean) : pg.$$(`canvas[data-layer="${l}"]`);
  for (const c of units) c.classList.add('insp-on');
  const values = stage.kind === 'fwd' ? st.trace.h[l] : st.trace.dz[l];
  const badges = h('div', { class: 'insp-badges', 'aria-hidden': 'true' });
  const lang = pg.language;
  const sym = stage.kind === 'fwd' ? (last ? 'ŷ' : 'h') : '∂z';
  if (last) {
    const c = units[0];
    if (c) badges.append(badge(cols, c, `${sym} ${[...values].slice(0, 3).map((v) => num(lang, v)).join(' · ')}${values.length > 3 ? ' …' : ''}`, values[0]));
  } else if (values.length <= MAX_NUMBERS) {
    for (const c of units) badges.append(badge(cols, c, num(lang, values[Number(c.dataset.unit)]), values[Number(c.dataset.unit)]));
  }
  cols.append(badges);
  if (stage.kind === 'bwd') drawGradLinks(pg, cols, l, st.trace.dW[l]);
}

function badge(cols, canvas, text, v) {
  // in the columns' own coordinates (they scroll), as drawLinks measures them
  const box = cols.getBoundingClientRect();
  const r = canvas.getBoundingClientRect();
  const b = h('span', { class: `insp-badge ${v >= 0 ? 'pos' : 'neg'}` }, text);
  b.style.setProperty('left', `${(r.left + r.right) / 2 - box.left + cols.scrollLeft}px`);
  b.style.setProperty('top', `${r.bottom - box.top + cols.scrollTop}px`);
  return b;
}

/** ∂L/∂W of weight layer l over its links, with the geometry drawLinks measured. */
function drawGradLinks(pg, cols, l, dW) {
  const geom = pg._linkGeom;
  const links = cols.querySelector('canvas.links');
  if (!geom || !links) return;
  const from = geom.layers[l], to = geom.layers[l + 1];
  if (!from || !to || !to.length) return;
  const canvas = h('canvas', { class: 'insp-links', 'aria-hidden': 'true' });
  canvas.style.setProperty('width', links.style.width);
  canvas.style.setProperty('height', links.style.height);
  cols.append(canvas);
  const { ctx, w, h: ht } = fitCanvas(canvas);
  ctx.clearRect(0, 0, w, ht);
  const net = pg._inspect.net;
  const fanOut = net.layers[l + 1];
  const last = l === net.layers.length - 2;
  let max = 1e-12;
  for (const v of dW) max = Math.max(max, Math.abs(v));
  const c0 = cssVar(pg, '--c0', '#f08c00'), c1 = cssVar(pg, '--c1', '#1c7ed6');
  ctx.lineCap = 'round';
  ctx.setLineDash([5, 3]);
  for (let i = 0; i < from.length; i++) {
    for (let j = 0; j < (last ? fanOut : to.length); j++) {
      const v = dW[i * fanOut + j];
      const a = from[i], b = last ? to[0] : to[j];
      const dy = last && fanOut > 1 ? (j - (fanOut - 1) / 2) * 6 : 0;
      const mag = Math.abs(v) / max;
      ctx.strokeStyle = v >= 0 ? c1 : c0;
      ctx.globalAlpha = 0.35 + 0.65 * mag;
      ctx.lineWidth = 1 + 5 * mag;
      const x0 = a.r + 2, x1 = b.l - 2, mx = (x0 + x1) / 2;
      ctx.beginPath();
      ctx.moveTo(x0, a.y);
      ctx.bezierCurveTo(mx, a.y, mx, b.y + dy, x1, b.y + dy);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
}

/** The playground drew (trained, resized, relabelled): keep the panel on the same example. */
export function drawInspect(pg) {
  const st = pg._inspect;
  if (!st) return;
  const net = pg.trainer?.net;
  // a new network or new data: the example (or its row) may be gone
  if (!live(pg)) return;
  markExample(pg, st);
  const t = net.trace(st.x, st.y);
  if (t.loss !== st.trace.loss || t.z[0][0] !== st.trace.z[0][0] || st.lang !== pg.language) {
    st.trace = t;
    renderInspect(pg);
  } else {
    markNetwork(pg, stages(pg)[st.stage]);
  }
}

/** A ring around the inspected example on the output heatmap (2-D data), over the points just drawn. */
function markExample(pg, st) {
  const data = pg.trainer.data;
  const over = pg.$('.heat-over');
  if (data.d !== 2 || !over) return;
  const { ctx, w, h: ht } = fitCanvas(over); // (the same size: nothing is cleared)
  const [lo, hi] = data.range;
  const px = ((st.x[0] - lo) / (hi - lo)) * w, py = ((hi - st.x[1]) / (hi - lo)) * ht;
  ctx.save();
  ctx.lineWidth = 2;
  for (const [r, color] of [[9, pg.colors().ring], [7.5, pg.colors().fg]]) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.arc(px, py, r, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.restore();
}

function sameRow(pg, st) {
  const { x } = example(pg, st.set, st.index);
  return x.every((v, i) => v === st.x[i]);
}

/** One SGD step on this example alone, at the playground's learning rate. */
function applyUpdate(pg) {
  const st = live(pg);
  if (!st) return;
  stopPlay(pg);
  const net = st.net;
  const before = net.params();
  const lossBefore = st.trace.loss;
  const dW = st.trace.dW;
  const lr = pg.s.lr;
  let error = null;
  try {
    // l2 0: the update is exactly W − lr·dW with the dW shown; optimizer sgd, see README
    net.step(st.x, st.y, { lr, optimizer: 'sgd', l2: 0 });
  } catch (e) {
    if (!e || e.name !== 'DivergedError') throw e;
    error = e;
  }
  const after = net.params();
  st.trace = net.trace(st.x, st.y);
  st.applied = { lr, before, after, dW, lossBefore, lossAfter: st.trace.loss, error: !!error };
  pg.trainer.evaluate();
  pg.updateStatus();
  pg.draw(); // calls drawInspect, which re-renders the panel
  renderInspect(pg);
}

function renderResult(pg) {
  const st = pg._inspect;
  const box = pg.$('.insp-result');
  const a = st.applied;
  if (!a) {
    box.replaceChildren();
    return;
  }
  const lang = pg.language;
  const layers = st.net.layers;
  const count = layers.length - 1;
  const parts = [];
  if (a.error) parts.push(h('p', { class: 'bad' }, pg.t('inspApplyRefused')));
  const verdict = a.lossAfter < a.lossBefore ? 'inspFell' : a.lossAfter > a.lossBefore ? 'inspRose' : 'inspSame';
  parts.push(h('p', { class: `insp-loss ${verdict}` },
    h('span', {}, pg.t('inspLossBefore')), ' ', numEl(lang, a.lossBefore, 'num before'), ' → ',
    h('span', {}, pg.t('inspLossAfter')), ' ', numEl(lang, a.lossAfter, 'num after'), ' ',
    h('strong', {}, pg.t(verdict))));
  for (let l = count - 1; l >= 0; l--) {
    const n = names(l, count);
    parts.push(formula(`${n.W} ← ${n.W} − ${String(a.lr)} · ∂L/∂${n.W}`));
    parts.push(h('div', { class: 'eq-line update' },
      mat(lang, a.before.W[l], layers[l], layers[l + 1], { name: 'Wbefore' }), h('span', { class: 'sym' }, `− ${String(a.lr)} ·`),
      mat(lang, a.dW[l], layers[l], layers[l + 1], { name: 'dW' }), h('span', { class: 'sym' }, '='),
      mat(lang, a.after.W[l], layers[l], layers[l + 1], { name: 'Wafter' })));
  }
  box.replaceChildren(...parts);
}

/** The element's `inspected`: the trace shown, or null. */
export function inspected(pg) {
  return pg._inspect ? pg._inspect.trace : null;
}

