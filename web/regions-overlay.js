// Exercise 4 on the playground: a ReLU (or pReLU) network computes a
// continuous piecewise linear function. With the `regions` setting on, the
// output heatmap shows the edges between the network's linear regions (cells
// of the output grid whose hidden units have different on/off patterns,
// net.linearRegions({ range, resolution }) from the core) and their count;
// a 1-D regression marks the kinks of the fitted curve
// (net.linearRegions({ from, to }), exact breakpoints) and counts them.
//
// The playground calls: regionsControl(pg) once (its switch), syncRegions(pg)
// when the settings change, drawRegionEdges(pg, ctx, w, h, col) and
// drawKinks(pg, frame, col) while drawing. No import of playground.js.

import { h } from './base.js';

export const PIECEWISE = Object.freeze(['relu', 'prelu', 'identity']);
const MIN_DRAWS = 4; // recompute the regions at most every 4 draws while training ...
const MS_PER_DRAW = 1.5; // ... and less often when one computation costs more than this
const TRAINING_MS = 4; // while training, a grid coarse enough to cost about this (paused: the heatmap's grid)
const MIN_K = 16;

/** Why the overlay cannot be shown for these settings (an i18n key), or null. */
export function regionsUnavailable(s) {
  if (s.hidden.length > 0 && !PIECEWISE.includes(s.activation)) return 'regionsNeedRelu';
  return null;
}

/** The switch and the line that says what it found (appended to the output section). */
export function regionsControl(pg) {
  const box = h('div', { class: 'regions-box' },
    h('label', { class: 'switch' },
      h('input', { type: 'checkbox', name: 'regions' }),
      h('span', { 'data-i18n': 'regionsToggle' })),
    h('p', { class: 'regions-note', role: 'status' }));
  box.querySelector('input').addEventListener('change', () => pg.fromForm());
  return box;
}

/** Put the setting into the switch; disable it (with the reason) where it cannot apply. */
export function syncRegions(pg) {
  const input = pg.$('input[name=regions]');
  if (!input) return;
  const why = regionsUnavailable(pg.s);
  input.checked = !!pg.s.regions;
  input.disabled = !!why;
  pg._regions = null; // settings changed: compute afresh at the next draw
  noteRegions(pg);
}

function cached(pg) {
  const tr = pg.trainer;
  const net = tr?.net;
  if (!net || !pg.s.regions || regionsUnavailable(pg.s)) return null;
  const c = pg._regions;
  const d = tr.data.d;
  const full = d === 2 ? pg.gOut : 0;
  if (c && c.net === net && c.d === d) {
    c.draws++;
    const current = c.epoch === tr.epoch && (pg.running || c.k === full);
    if (current || (pg.running && c.draws < c.every)) return c;
  }
  // The grid: the heatmap's when paused; while training, one that costs about TRAINING_MS.
  let k = full;
  if (d === 2 && pg.running) {
    const perCell = c && c.net === net ? c.msPerCell : null;
    k = perCell ? Math.max(MIN_K, Math.min(full, Math.floor(Math.sqrt(TRAINING_MS / perCell)))) : Math.min(full, 32);
  }
  const t0 = performance.now();
  let r;
  try {
    r = d === 2
      ? net.linearRegions({ range: [tr.data.range[0], tr.data.range[1]], resolution: k })
      : net.linearRegions({ from: tr.data.range[0], to: tr.data.range[1] });
  } catch (e) {
    // Shown under the heatmap instead of stopping the playground's drawing.
    r = { error: String((e && e.message) || e) };
  }
  const ms = performance.now() - t0;
  if (r.breakpoints) {
    // The curve's value at each kink, from the core's forward pass.
    r.ys = r.breakpoints.length ? net.forward(Float32Array.from(r.breakpoints)) : new Float32Array(0);
  }
  pg._regions = {
    ...r, net, d, k, epoch: tr.epoch, draws: 0, msPerCell: k ? Math.max(ms, 0.05) / (k * k) : null,
    every: Math.max(MIN_DRAWS, Math.ceil(ms / MS_PER_DRAW)),
  };
  noteRegions(pg);
  return pg._regions;
}

/** The count (or the reason there is none) under the heatmap; data-regions / data-kinks for tests. */
export function noteRegions(pg) {
  const note = pg.$('.regions-note');
  if (!note) return;
  const why = regionsUnavailable(pg.s);
  const c = pg._regions;
  delete pg.dataset.regions;
  delete pg.dataset.kinks;
  note.classList.remove('bad');
  if (why) {
    note.textContent = pg.t(why, { act: pg.s.activation });
  } else if (!pg.s.regions || !c) {
    note.textContent = pg.t('regionsHint');
  } else if (c.error) {
    note.classList.add('bad');
    note.textContent = c.error;
  } else if (c.breakpoints) {
    pg.dataset.kinks = String(c.breakpoints.length);
    note.textContent = pg.t('kinksCount', { kinks: pg.fmt(c.breakpoints.length, 0), pieces: pg.fmt(c.pieces, 0) });
  } else {
    pg.dataset.regions = String(c.regions);
    note.textContent = pg.t('regionsCount', { regions: pg.fmt(c.regions, 0), k: String(c.k) });
  }
}

/** Edges between cells of different regions, drawn over the 2-D heatmap (ctx in CSS pixels, w x ht). */
export function drawRegionEdges(pg, ctx, w, ht, col) {
  const c = cached(pg);
  if (!c || !c.patterns) return;
  const { patterns: p, k } = c;
  const sx = w / k;
  const sy = ht / k;
  ctx.save();
  ctx.strokeStyle = col.fg;
  ctx.globalAlpha = 0.75;
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      const id = p[j * k + i];
      if (i + 1 < k && p[j * k + i + 1] !== id) { // a vertical edge to the right of this cell
        ctx.moveTo((i + 1) * sx, j * sy);
        ctx.lineTo((i + 1) * sx, (j + 1) * sy);
      }
      if (j + 1 < k && p[(j + 1) * k + i] !== id) { // a horizontal edge below it
        ctx.moveTo(i * sx, (j + 1) * sy);
        ctx.lineTo((i + 1) * sx, (j + 1) * sy);
      }
    }
  }
  ctx.stroke();
  ctx.restore();
}

/** The kinks of a 1-D network's curve: a dot on the curve and a faint line down to the axis. */
export function drawKinks(pg, fr, col) {
  const c = cached(pg);
  if (!c || !c.breakpoints || !fr) return;
  const { ctx } = fr;
  ctx.save();
  fr.clipped(() => {
    ctx.strokeStyle = col.axis;
    ctx.globalAlpha = 0.6;
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const x of c.breakpoints) {
      ctx.moveTo(fr.px(x), fr.top);
      ctx.lineTo(fr.px(x), fr.bottom);
    }
    ctx.stroke();
  });
  ctx.restore();
  c.breakpoints.forEach((x, i) => fr.dot(x, c.ys[i], { color: col.fg, r: 4.5, hollow: true, bg: col.ring }));
}
