// The playground's smaller panels: gradient norms, confusion matrix and the
// legend. Functions of the <mlp-playground> element (pg); drawing only.

import { h } from './base.js';

export function drawGrads(pg) {
  const norms = pg.trainer.gradNorms;
  const ol = pg.$('.grads');
  const L = pg.s.hidden.length + 1;
  if (ol.children.length !== L) {
    const items = [];
    for (let l = 0; l < L; l++) {
      const name = l === L - 1 ? pg.t('layerOut', { l: l + 1 }) : pg.t('layerN', { l: l + 1 });
      items.push(h('li', { 'data-layer': l + 1 },
        h('span', { class: 'g-name' }, name),
        h('span', { class: 'g-bar' }, h('span', { class: 'g-fill' })),
        h('span', { class: 'g-val' }, '–')));
    }
    ol.replaceChildren(...items);
  }
  const lo = -7;
  const hi = 1;
  [...ol.children].forEach((li, l) => {
    const v = norms ? norms[l] : null;
    const fill = li.querySelector('.g-fill');
    const pct = v == null || !(v > 0) ? 0 : Math.max(0, Math.min(1, (Math.log10(v) - lo) / (hi - lo))) * 100;
    fill.style.setProperty('--w', `${pct.toFixed(1)}%`);
    li.querySelector('.g-val').textContent = v == null ? '–' : v.toExponential(1);
    li.dataset.norm = v == null ? '' : String(v);
  });
}

/** Test-set confusion matrix: rows the true class, columns the prediction. */
export function drawConfusion(pg) {
  const tr = pg.trainer;
  const box = pg.$('.confusion-box');
  const k = tr.data.classes;
  box.hidden = k < 2 || tr.test.n === 0;
  if (box.hidden) return;
  const out = tr.net.forward(tr.test.X);
  const q = tr.head.q;
  const M = Array.from({ length: k }, () => new Array(k).fill(0));
  for (let i = 0; i < tr.test.n; i++) {
    let pred = 0;
    if (q === 1) pred = out[i] >= 0.5 ? 1 : 0;
    else for (let c = 1; c < q; c++) if (out[i * q + c] > out[i * q + pred]) pred = c;
    const truth = Math.round(tr.test.y[i]);
    if (truth >= 0 && truth < k) M[truth][pred]++;
  }
  const table = pg.$('table.confusion');
  if (table.dataset.k !== String(k) || table.dataset.lang !== pg.language) {
    const head = h('tr', {}, h('th', { scope: 'col', class: 'corner' }, pg.t('confCorner')),
      Array.from({ length: k }, (_, c) => h('th', { scope: 'col' }, String(c))));
    const rows = Array.from({ length: k }, (_, r) => h('tr', {}, h('th', { scope: 'row' }, String(r)),
      Array.from({ length: k }, (_, c) => h('td', { class: r === c ? 'diag' : 'off' }))));
    table.replaceChildren(h('thead', {}, head), h('tbody', {}, rows));
    table.dataset.k = String(k);
    table.dataset.lang = pg.language;
  }
  const cells = [...table.querySelectorAll('tbody tr')].map((tr2) => [...tr2.querySelectorAll('td')]);
  for (let r = 0; r < k; r++) {
    const rowSum = M[r].reduce((a, b) => a + b, 0) || 1;
    for (let c = 0; c < k; c++) {
      const td = cells[r][c];
      const v = String(M[r][c]);
      if (td.textContent !== v) td.textContent = v;
      td.style.setProperty('--share', `${Math.round((45 * M[r][c]) / rowSum)}%`); // at most 45%: text stays readable
    }
  }
  table.dataset.matrix = JSON.stringify(M);
}

export function drawLegend(pg, col) {
  const tr = pg.trainer;
  const lg = pg.$('.legend');
  const k = tr.data.classes;
  const items = [];
  const sw = (color, hollow) => {
    const s = h('span', { class: `dot${hollow ? ' hollow' : ''}`, 'aria-hidden': 'true' });
    s.style.setProperty('--dot', color);
    return s;
  };
  if (k >= 2) {
    for (let c = 0; c < k; c++) items.push(h('span', { class: 'li' }, sw([col.c0, col.c1, col.c2][c]), pg.t('classN', { c })));
  }
  // Regression draws training points in c1 and test rings in c0 (charts.js).
  const regression = k < 2;
  items.push(h('span', { class: 'li' }, sw(regression ? col.c1 : col.fg), pg.t('train')));
  if (pg.s.test) items.push(h('span', { class: 'li' }, sw(regression ? col.c0 : col.fg, true), pg.t('test')));
  lg.replaceChildren(...items);
}
