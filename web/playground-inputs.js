// The playground's input column: every input feature the data has (x1, x2,
// x1², x2², x1·x2, sin x1, sin x2; x, x², sin x for 1-D data) as a small
// heatmap (or curve) computed by the core's lab.features over the grid. A
// click, or Enter or Space on the focused unit, switches a feature on or off
// and the network is rebuilt with that input width. Functions of the
// <mlp-playground> element (pg).

import { h } from './base.js';
import { FEATURE_NAMES, FEATURES_1D, parseFeatures } from './state.js';
import { paintDiverging } from './heatmap.js';
import { drawUnitCurve } from './charts.js';

const LABEL_2D = { x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁x₂', sin1: 'sin x₁', sin2: 'sin x₂' };
const LABEL_1D = { x1: 'x', x1sq: 'x²', sin1: 'sin x' };

/** The features data with d inputs offers, in the order shown. */
export function availableFeatures(d) {
  return d === 1 ? FEATURES_1D : FEATURE_NAMES;
}

export function featureLabel(name, d) {
  return (d === 1 ? LABEL_1D : LABEL_2D)[name] ?? name;
}

/** The settings' features with one switched on or off (never none: the last one stays). */
export function toggledFeatures(current, name, d) {
  const on = parseFeatures(current, d);
  const next = on.includes(name) ? on.filter((f) => f !== name) : [...on, name];
  return next.length ? parseFeatures(next, d) : on;
}

/** Switch a feature and rebuild the network; focus stays on that input. */
export function toggleFeature(pg, name) {
  const d = pg.trainer.data.d;
  const features = toggledFeatures(pg.s.features, name, d);
  if (features.join(',') === pg.trainer.features.join(',')) return;
  pg.apply({ ...pg.s, features });
  pg.$(`.col.inputs [data-feature="${name}"]`)?.focus();
  if (features.includes(name) && !pg.trainer.features.includes(name)) {
    // the core refused it: its values overflow float32 on this data
    pg.$('.unit-info')?.replaceChildren(h('span', { class: 'hint' }, pg.t('featureOverflow', { f: featureLabel(name, d) })));
  }
}

/**
 * The column: one toggle per feature. An active feature's canvas carries
 * data-input = its row in the network's first weight matrix (drawLinks reads it).
 */
export function inputColumn(pg) {
  const d = pg.trainer.data.d;
  const active = pg.trainer.features;
  const col = h('div', { class: 'col inputs' }, h('div', { class: 'col-head' }, h('span', { 'data-i18n': 'inputs' }, pg.t('inputs'))));
  const units = h('div', { class: 'units' });
  for (const name of availableFeatures(d)) {
    const k = active.indexOf(name);
    const label = featureLabel(name, d);
    const on = k >= 0;
    const last = on && active.length === 1;
    const fig = h('figure', {
      class: `unit feature${on ? ' on' : ''}`, 'data-feature': name, role: 'button', tabindex: 0,
      'aria-pressed': String(on), 'aria-label': label,
      title: pg.t(last ? 'featureLast' : on ? 'featureOff' : 'featureOn', { f: label }),
    },
    h('canvas', { class: 'unit-c', 'data-feature-c': name, ...(on ? { 'data-input': k } : {}), width: pg.gUnit, height: pg.gUnit }),
    h('figcaption', {}, label));
    fig.addEventListener('click', () => toggleFeature(pg, name));
    fig.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggleFeature(pg, name);
      }
    });
    units.append(fig);
  }
  col.append(units);
  return col;
}

/** Paint every feature over the unit grid (2-D) or the curve's x (1-D); the values come from lab.features. */
export function drawInputs(pg, col) {
  const tr = pg.trainer;
  const d = tr.data.d;
  const names = availableFeatures(d);
  const X = d === 2 ? pg.unitGrid : pg.curveX;
  const n = X.length / d;
  const diverging = { neg: col.c0, mid: col.mid, pos: col.c1 };
  names.forEach((name) => {
    const c = pg.$(`canvas[data-feature-c="${name}"]`);
    if (!c) return;
    let F;
    try {
      F = pg.lab.features(X, [name], { inputs: d });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      c.getContext('2d').clearRect(0, 0, c.width, c.height); // overflows float32 over this data's range: left blank
      return;
    }
    if (d === 2) {
      let mx = 1e-6;
      for (let i = 0; i < n; i++) mx = Math.max(mx, Math.abs(F[i]));
      paintDiverging(c, F, pg.gUnit, diverging, { scale: mx });
    } else {
      drawUnitCurve(c, pg.curveX, F, 1, 0, col);
    }
  });
}
