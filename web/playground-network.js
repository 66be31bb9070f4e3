// The playground's network view: one column per layer with a heatmap per
// unit, the weights drawn as links between them, and what hovering or tapping
// a unit tells. When the columns are wider than the panel (a phone, many
// layers) the panel scrolls sideways, and a fade and an arrow button at each
// side that has more show it. Functions of the <mlp-playground> element (pg).

import { h } from './base.js';
import { MAX_HIDDEN, MAX_UNITS } from './state.js';
import { paintDiverging } from './heatmap.js';
import { drawUnitCurve } from './charts.js';
import { fitCanvas } from './plot.js';
import { inputColumn, drawInputs } from './playground-inputs.js';

const MAX_UNITS_DRAWN = 16; // unit heatmaps per layer (the rest are summarised)

/**
 * The view's elements, for the playground's render(): the scrolling columns
 * inside a panel with the two scroll cues, and the line that tells a tapped
 * unit's numbers.
 */
export function networkView(pg) {
  const cols = h('div', { class: 'columns' });
  const cue = (side, dir) => h('button', {
    type: 'button', class: `icon small scroll-cue ${side}`, hidden: true, 'data-i18n-label': `netScroll${side === 'left' ? 'Left' : 'Right'}`,
    'data-i18n-title': `netScroll${side === 'left' ? 'Left' : 'Right'}`, onclick: () => scrollColumns(cols, dir),
  }, side === 'left' ? '‹' : '›');
  cols.addEventListener('scroll', () => updateScrollCue(pg), { passive: true });
  const info = h('p', { class: 'unit-info', 'aria-live': 'polite' }, h('span', { class: 'hint', 'data-i18n': 'unitTapHint' }));
  return [h('div', { class: 'net-view' }, cols, cue('left', -1), cue('right', 1)), info];
}

/** About a panel's width sideways, ending where the scroll snaps to a column. */
function scrollColumns(cols, dir) {
  const smooth = !globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  cols.scrollBy({ left: dir * Math.max(60, cols.clientWidth - 60), behavior: smooth ? 'smooth' : 'auto' });
}

/** Show the fade and the arrow on each side where columns lie beyond the panel. */
export function updateScrollCue(pg) {
  const cols = pg.$('.columns');
  const view = cols?.parentElement;
  if (!view?.classList.contains('net-view')) return;
  const max = cols.scrollWidth - cols.clientWidth;
  const more = { left: cols.scrollLeft > 1, right: cols.scrollLeft < max - 1 };
  for (const side of ['left', 'right']) {
    view.toggleAttribute(`data-more-${side}`, more[side]);
    view.querySelector(`.scroll-cue.${side}`).hidden = !more[side];
  }
}

/** Tell a unit's bias and incoming weights in the info line (a tap has no hover). */
function selectUnit(pg, l, j) {
  pg._unitSel = { l, j };
  for (const c of pg.$$('canvas[data-unit].selected')) c.classList.remove('selected');
  pg.$(`canvas[data-layer="${l}"][data-unit="${j}"]`)?.classList.add('selected');
  pg.$('.unit-info')?.replaceChildren(unitTip(pg, l, j));
}

/** One column per hidden layer with its unit canvases. */
export function buildColumns(pg) {
  const cols = pg.$('.columns');
  const s = pg.s;
  const list = [];
  list.push(inputColumn(pg)); // every input feature, each a toggle (playground-inputs.js)
  s.hidden.forEach((width, l) => {
    const col = h('div', { class: 'col', 'data-layer': l });
    const lname = String(l + 1);
    col.append(h('div', { class: 'col-head' },
      h('button', { type: 'button', class: 'icon tiny', 'data-act': 'add-unit', 'aria-label': pg.t('addUnit', { l: lname }), title: pg.t('addUnit', { l: lname }), disabled: width >= MAX_UNITS }, '+'),
      h('button', { type: 'button', class: 'icon tiny', 'data-act': 'remove-unit', 'aria-label': pg.t('removeUnit', { l: lname }), title: pg.t('removeUnit', { l: lname }), disabled: width <= 1 }, '−')),
    h('p', { class: 'col-label' }, pg.t('unitsCount', { n: width })));
    const units = h('div', { class: 'units' });
    for (let j = 0; j < Math.min(width, MAX_UNITS_DRAWN); j++) {
      units.append(h('canvas', { class: 'unit-c', 'data-layer': l, 'data-unit': j, width: pg.gUnit, height: pg.gUnit, role: 'img', 'aria-label': pg.t('unitLabel', { l: lname, j: j + 1 }) }));
    }
    if (width > MAX_UNITS_DRAWN) units.append(h('p', { class: 'more' }, pg.t('moreUnits', { n: width - MAX_UNITS_DRAWN })));
    // Hover a unit: its bias and incoming weights, read when the pointer arrives.
    for (const c of units.querySelectorAll('canvas')) {
      c.addEventListener('pointerenter', () => {
        c.title = unitTip(pg, l, Number(c.dataset.unit));
      });
      c.addEventListener('click', () => selectUnit(pg, l, Number(c.dataset.unit)));
    }
    col.append(units);
    col.querySelector('[data-act=add-unit]').addEventListener('click', () => changeUnits(pg, l, +1));
    col.querySelector('[data-act=remove-unit]').addEventListener('click', () => changeUnits(pg, l, -1));
    list.push(col);
  });
  list.push(h('div', { class: 'col outcol' }, h('div', { class: 'col-head' }, h('span', {}, pg.t('outputCol'))),
    h('div', { class: 'units' }, h('canvas', { class: 'unit-c out-mini', width: 64, height: 64, 'aria-hidden': 'true' })),
    h('p', { class: 'col-label' }, headLabel(pg))));
  const links = h('canvas', { class: 'links', 'aria-hidden': 'true' });
  cols.replaceChildren(links, ...list);
  pg._linkGeom = null;
  pg.$('.layer-count').textContent = pg.t('layersCount', { n: s.hidden.length });
  pg.$('button[name=add-layer]').disabled = s.hidden.length >= MAX_HIDDEN;
  pg.$('button[name=remove-layer]').disabled = s.hidden.length === 0;
  pg._inputsDrawn = false;
  // a unit tapped before keeps telling its numbers (in the language now shown) while it exists
  const sel = pg._unitSel;
  if (sel && sel.l < s.hidden.length && sel.j < Math.min(s.hidden[sel.l], MAX_UNITS_DRAWN)) selectUnit(pg, sel.l, sel.j);
  else {
    pg._unitSel = null;
    pg.$('.unit-info')?.replaceChildren(h('span', { class: 'hint' }, pg.t('unitTapHint')));
  }
}

/** "Hidden layer 1, unit 3: bias 0.12; weights in: 0.53, −1.2". */
export function unitTip(pg, l, j) {
  const net = pg.trainer?.net;
  if (!net) return '';
  const { W, b } = net.params();
  const fanIn = net.layers[l];
  const fanOut = net.layers[l + 1];
  const ws = [];
  for (let i = 0; i < Math.min(fanIn, 8); i++) ws.push(pg.fmt(W[l][i * fanOut + j], 3));
  if (fanIn > 8) ws.push('…');
  return pg.t('unitTip', { l: l + 1, j: j + 1, b: pg.fmt(b[l][j], 3), w: ws.join(' · ') }); // not ',': a decimal comma in de, fr, vi
}

export function headLabel(pg) {
  const hd = pg.trainer?.head;
  if (!hd) return '';
  const lossName = { bce: pg.t('loss_bce'), cross_entropy: pg.t('loss_cross_entropy'), mse: pg.t('loss_mse_short') }[hd.loss];
  return `${hd.output} · ${lossName}`;
}

export function changeUnits(pg, l, delta) {
  const hidden = [...pg.s.hidden];
  hidden[l] = Math.max(1, Math.min(MAX_UNITS, hidden[l] + delta));
  pg.apply({ ...pg.s, hidden });
  // keep keyboard focus on the button the person used
  const btn = pg.$(`.col[data-layer="${l}"] [data-act=${delta > 0 ? 'add-unit' : 'remove-unit'}]`);
  if (btn && !btn.disabled) btn.focus();
}

export function drawUnits(pg, col) {
  const tr = pg.trainer;
  const d = tr.data.d;
  const diverging = { neg: col.c0, mid: col.mid, pos: col.c1 };
  if (!pg._inputsDrawn) {
    drawInputs(pg, col);
    pg._inputsDrawn = true;
  }
  if (!pg.s.hidden.length) return;
  const H = tr.net.hidden(d === 2 ? pg.unitGrid : pg.curveX);
  for (const c of pg.$$('canvas[data-unit]')) {
    const l = Number(c.dataset.layer);
    const j = Number(c.dataset.unit);
    const width = pg.s.hidden[l];
    const a = H[l];
    if (!a) continue;
    if (d === 2) {
      const n = pg.gUnit * pg.gUnit;
      const vals = new Float32Array(n);
      let m = 1e-6;
      for (let i = 0; i < n; i++) {
        vals[i] = a[i * width + j];
        m = Math.max(m, Math.abs(vals[i]));
      }
      paintDiverging(c, vals, pg.gUnit, diverging, { scale: m });
    } else {
      drawUnitCurve(c, pg.curveX, a, width, j, col);
    }
  }
}

/** Weights as links between the unit squares: blue positive, orange
 *  negative, width by magnitude (as TensorFlow Playground draws them). */
export function drawLinks(pg, col) {
  const cols = pg.$('.columns');
  const canvas = cols.querySelector('canvas.links');
  if (!canvas) return;
  const tr = pg.trainer;
  if (!pg._linkGeom) {
    // measure the columns without the links' old size (it would keep the panel scrolling after a resize)
    canvas.style.setProperty('width', '0px');
    canvas.style.setProperty('height', '0px');
    const box = cols.getBoundingClientRect();
    const ox = box.left - cols.scrollLeft;
    const oy = box.top - cols.scrollTop;
    const at = (el) => {
      const r = el.getBoundingClientRect();
      return { l: r.left - ox, r: r.right - ox, y: (r.top + r.bottom) / 2 - oy };
    };
    const layers = [[...cols.querySelectorAll('canvas[data-input]')].map(at)];
    pg.s.hidden.forEach((_, l) => layers.push([...cols.querySelectorAll(`canvas[data-layer="${l}"]`)].map(at)));
    const out = cols.querySelector('canvas.out-mini');
    layers.push(out ? [at(out)] : []);
    pg._linkGeom = { layers, w: cols.scrollWidth, h: cols.scrollHeight };
    canvas.style.setProperty('width', `${cols.scrollWidth}px`);
    canvas.style.setProperty('height', `${cols.scrollHeight}px`);
    updateScrollCue(pg);
  }
  const { ctx, w, h: ht } = fitCanvas(canvas);
  ctx.clearRect(0, 0, w, ht);
  const { W } = tr.net.params();
  const geom = pg._linkGeom.layers;
  let max = 1e-6;
  for (const m of W) for (const v of m) max = Math.max(max, Math.abs(v));
  ctx.lineCap = 'round';
  for (let l = 0; l < W.length; l++) {
    const from = geom[l];
    const to = geom[l + 1];
    if (!from || !to || !to.length) continue;
    const fanOut = tr.net.layers[l + 1];
    const last = l === W.length - 1;
    for (let i = 0; i < from.length; i++) {
      for (let j = 0; j < (last ? fanOut : to.length); j++) {
        const v = W[l][i * fanOut + j];
        if (!Number.isFinite(v)) continue;
        const a = from[i];
        const b = last ? to[0] : to[j];
        const dy = last && fanOut > 1 ? (j - (fanOut - 1) / 2) * 6 : 0;
        const mag = Math.abs(v) / max;
        ctx.strokeStyle = v >= 0 ? col.c1 : col.c0;
        ctx.globalAlpha = 0.25 + 0.6 * mag;
        ctx.lineWidth = 0.6 + 3.4 * mag;
        ctx.beginPath();
        const x0 = a.r + 2;
        const x1 = b.l - 2;
        const mx = (x0 + x1) / 2;
        ctx.moveTo(x0, a.y);
        ctx.bezierCurveTo(mx, a.y, mx, b.y + dy, x1, b.y + dy);
        ctx.stroke();
      }
    }
  }
  ctx.globalAlpha = 1;
  // The output column shows a small copy of the big plot.
  const mini = cols.querySelector('canvas.out-mini');
  const src = tr.data.d === 2 ? pg.$('.heat-img') : pg.$('.heat-over');
  if (mini && src.width > 0) {
    const mctx = mini.getContext('2d');
    mctx.clearRect(0, 0, mini.width, mini.height);
    mctx.drawImage(src, 0, 0, mini.width, mini.height);
  }
}
