// <mlp-batch-norm>: exercise 6. A hidden layer whose nonlinearity is
// "normalise each unit over the minibatch, then ReLU" (batch normalisation at
// training time). The network's weights stay fixed; only the examples that
// share a minibatch with the point x change, and x's output changes with
// them. A batch of one has variance 0: every normalised unit is 0 and the
// output is the same whatever x is. Every number comes from the core:
// Z = x W1 + b1 (net.hidden of an identity network), lab.batchNorm(Z),
// lab.activate('relu', ...), and the output layer's forward().
//
// Attributes: dataset (moons|gaussian|circle|xor), batch (2..64, default 8),
// seed, lang, theme. Click the plot to move x. The output layer is trained
// on the whole data set normalised as one batch; the hidden weights are random.

import { MlpElement, h, infoPair } from './base.js';
import { reflectAttributes } from './props.js';
import { prng, oneOf, intIn } from './state.js';
import { drawPoints } from './heatmap.js';
import { fitCanvas, cssVar } from './plot.js';

const DATASETS = ['moons', 'gaussian', 'circle', 'xor'];
const ATTRS = ['dataset', 'batch', 'seed'];
const UNITS = 4;
const BATCHES = 3;
const N = 200;
const POINT = [0.25, 0.25];


export class BatchNormPanel extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...ATTRS];
  }

  readAttributes() {
    this.datasetName = oneOf(this.getAttribute('dataset'), DATASETS, 'moons');
    this.batchSize = intIn(this.getAttribute('batch'), 2, 64, 8);
    this.seedValue = intIn(this.getAttribute('seed'), 0, 99999, 1);
    this.draw = 0; // which draw of batches
  }

  render(root) {
    this.readAttributes();
    this.point = POINT.slice();
    const id = (s) => `${this.uid}-${s}`;
    const [infoBtn, infoText] = infoPair(this, 'bnExplain');
    root.append(h('div', { class: 'card bn' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'bnTitle' }), infoBtn),
      infoText,
      h('div', { class: 'bn-controls' },
        h('label', { class: 'field', for: id('dataset') }, h('span', { 'data-i18n': 'dataset' }),
          h('select', { id: id('dataset'), name: 'dataset' }, DATASETS.map((d) => h('option', { value: d, 'data-i18n': `ds_${d}` })))),
        h('label', { class: 'field', for: id('batch') }, h('span', { 'data-i18n': 'bnBatchSize' }),
          h('input', { id: id('batch'), name: 'batch', type: 'range', min: 2, max: 32, step: 1 }),
          h('output', { class: 'bn-batch-value', for: id('batch') })),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', name: 'redraw', class: 'primary', 'data-i18n': 'bnNewBatches' }))),
      h('div', { class: 'bn-body' },
        h('figure', { class: 'bn-fig' },
          h('canvas', { class: 'bn-plot', role: 'img', tabindex: '0', 'data-i18n-label': 'bnPlotLabel' }),
          h('figcaption', { class: 'caption' }, h('span', { 'data-i18n': 'bnPlotCaption' }), ' ', h('span', { 'data-i18n': 'bnExplainTrained' }))),
        h('div', { class: 'bn-side' },
          h('div', { class: 'bn-scroll' }, h('table', { class: 'bn-table' },
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col', 'data-i18n': 'bnColBatch' }),
              h('th', { scope: 'col', class: 'num col-mean', 'data-i18n': 'bnColMean' }),
              h('th', { scope: 'col', class: 'num', 'data-i18n': 'bnColVar' }),
              h('th', { scope: 'col', class: 'num', 'data-i18n': 'bnColNorm' }),
              h('th', { scope: 'col', class: 'num', 'data-i18n': 'bnColOut' }))),
            h('tbody'))),
          h('p', { class: 'bn-verdict', 'aria-live': 'polite' }),
          h('p', { class: 'bn-why', 'data-i18n': 'bnWhy' })))));
    this.$('select[name=dataset]').value = this.datasetName;
    const slider = this.$('input[name=batch]');
    slider.value = String(Math.min(32, this.batchSize));
    slider.addEventListener('input', () => {
      this.batchSize = intIn(slider.value, 2, 64, 8);
      this.compute();
    });
    this.$('select[name=dataset]').addEventListener('change', (e) => {
      this.datasetName = oneOf(e.target.value, DATASETS, 'moons');
      this.rebuild();
    });
    this.$('button[name=redraw]').addEventListener('click', () => {
      this.draw++;
      this.compute();
    });
    this.$('.bn-plot').addEventListener('click', (e) => this.pick(e));
    this.$('.bn-plot').addEventListener('keydown', (e) => {
      const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
      if (!d || !this.data) return;
      e.preventDefault();
      const [lo, hi] = this.data.range, step = (hi - lo) / 20;
      this.point = this.point.map((v, i) => Math.min(hi, Math.max(lo, v + d[i] * step)));
      this.compute();
    });
  }

  onAttribute() {
    this.readAttributes();
    if (!this.lab) return;
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('input[name=batch]').value = String(Math.min(32, this.batchSize));
    this.rebuild();
  }

  start() {
    this.rebuild();
    this.watchPage(this.$('.bn-plot'));
  }

  rebuild() {
    const lab = this.lab;
    this.data = lab.datasets[this.datasetName]({ n: N, noise: 0.15, seed: this.seedValue });
    // The hidden layer's affine part (identity activation: net.hidden gives Z = x W1 + b1),
    // and the output layer as a network of its own, fed the normalised, rectified units.
    this.first?.free();
    this.head?.free();
    this.first = lab.mlp({ layers: [2, UNITS, 1], activation: 'identity', output: 'sigmoid', loss: 'bce', seed: this.seedValue });
    const p = this.first.params();
    this.head = lab.mlp({ layers: [UNITS, 1], output: 'sigmoid', loss: 'bce', seed: this.seedValue });
    this.head.setParams({ W: [p.W[1]], b: [p.b[1]] });
    // Train the output layer on the whole data set seen as one batch (the
    // hidden weights stay random): its outputs are then class probabilities.
    const { X, y } = this.data;
    const A = lab.activate('relu', lab.batchNorm(this.first.hidden(X)[0], { units: UNITS }).out);
    this.head.fit(A, y, { epochs: 150, batchSize: N, lr: 0.1, optimizer: 'adam', shuffle: false });
    this.compute();
  }

  /** The batches: x first, then batch - 1 other points of the data set. */
  batches() {
    const rand = prng(this.seedValue * 7919 + this.draw * 104729 + this.batchSize);
    const out = [];
    for (let k = 0; k < BATCHES; k++) {
      const idx = [];
      const used = new Set();
      while (idx.length < this.batchSize - 1) {
        const i = Math.floor(rand() * N);
        if (!used.has(i)) { used.add(i); idx.push(i); }
      }
      out.push(idx);
    }
    return out;
  }

  /** x's row through the batch-normalised layer, in a batch of rows X (x is row 0). */
  through(X, n) {
    const Z = this.first.hidden(X)[0]; // (n, UNITS)
    const bn = this.lab.batchNorm(Z, { units: UNITS });
    const A = this.lab.activate('relu', bn.out);
    const out = this.head.forward(A); // (n, 1)
    return { z: Z[0], mean: bn.mean[0], variance: bn.variance[0], norm: bn.out[0], out: out[0], n };
  }

  compute() {
    if (!this.data) return;
    const { X } = this.data;
    const rows = (idx) => {
      const B = new Float32Array((idx.length + 1) * 2);
      B[0] = this.point[0];
      B[1] = this.point[1];
      idx.forEach((i, r) => { B[2 * r + 2] = X[2 * i]; B[2 * r + 3] = X[2 * i + 1]; });
      return B;
    };
    this.batchIdx = this.batches();
    const results = this.batchIdx.map((idx, k) => ({ key: 'bnRowBatch', label: String.fromCharCode(65 + k), ...this.through(rows(idx), idx.length + 1) }));
    results.push({ key: 'bnRowAlone', ...this.through(new Float32Array(this.point), 1) });
    const all = Array.from({ length: N }, (_, i) => i);
    results.push({ key: 'bnRowAll', ...this.through(rows(all), N + 1) });
    this.results = results;
    this.dataset.outputs = JSON.stringify(results.map((r) => r.out));
    this.dataset.batch = String(this.batchSize);
    this.renderTable();
    this.redraw();
  }

  renderTable() {
    if (!this.results) return;
    const body = this.$('.bn-table tbody');
    const colors = ['--c1', '--c2', '--fn-prelu'];
    body.replaceChildren(...this.results.map((r, k) => h('tr', { 'data-row': r.key === 'bnRowBatch' ? `batch-${k}` : r.key === 'bnRowAlone' ? 'alone' : 'all' },
      h('th', { scope: 'row' },
        k < BATCHES ? h('span', { class: 'swatch', style: null, 'data-batch': k }) : null,
        this.t(r.key, { name: r.label ?? '', n: this.fmt(r.n, 0) })),
      h('td', { class: 'num col-mean' }, this.fmt(r.mean, 3)),
      h('td', { class: 'num' }, this.fmt(r.variance, 3)),
      h('td', { class: 'num' }, this.fmt(r.norm, 3)),
      h('td', { class: 'num out' },
        h('span', { class: 'bn-bar', 'data-value': String(r.out) }),
        this.fmt(r.out, 3)))));
    // bar widths and swatch colours through CSSOM (no inline style attributes for a strict CSP)
    for (const bar of body.querySelectorAll('.bn-bar')) bar.style.setProperty('--v', bar.dataset.value);
    for (const sw of body.querySelectorAll('.swatch[data-batch]')) sw.style.background = `var(${colors[sw.dataset.batch]})`;
    const outs = this.results.slice(0, BATCHES).map((r) => r.out);
    const lo = outs.reduce((a, b) => (b < a ? b : a)), hi = outs.reduce((a, b) => (b > a ? b : a));
    this.$('.bn-verdict').textContent = this.t('bnVerdict', {
      x1: this.fmt(this.point[0], 2), x2: this.fmt(this.point[1], 2), lo: this.fmt(lo, 3), hi: this.fmt(hi, 3),
      alone: this.fmt(this.results[BATCHES].out, 3),
    });
    this.$('.bn-batch-value').textContent = this.fmt(this.batchSize, 0);
  }

  onLocalize() {
    this.renderTable();
  }

  pick(e) {
    if (!this.data) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const [lo, hi] = this.data.range;
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    this.point = [lo + fx * (hi - lo), hi - fy * (hi - lo)];
    this.compute();
  }

  redraw() {
    if (!this.data || !this.batchIdx) return;
    const canvas = this.$('.bn-plot');
    const { ctx, w, h: ht } = fitCanvas(canvas);
    const fg = cssVar(this, '--fg', '#111'), grid = cssVar(this, '--grid', '#eee'), ring = cssVar(this, '--surface', '#fff');
    const muted = cssVar(this, '--axis', '#999');
    ctx.clearRect(0, 0, w, ht);
    ctx.fillStyle = cssVar(this, '--surface-2', '#f5f7fa');
    ctx.fillRect(0, 0, w, ht);
    const { X, y, range } = this.data;
    const all = Array.from({ length: N }, (_, i) => i);
    ctx.globalAlpha = 0.35;
    drawPoints(ctx, w, ht, range, X, y, all, () => muted, { ring: grid, r: 2.6 });
    ctx.globalAlpha = 1;
    const colors = ['--c1', '--c2', '--fn-prelu'].map((c) => cssVar(this, c, '#36c'));
    this.batchIdx.forEach((idx, k) => drawPoints(ctx, w, ht, range, X, y, idx, () => colors[k], { ring, r: 4 }));
    // x: a ringed cross
    const [lo, hi] = range;
    const px = ((this.point[0] - lo) / (hi - lo)) * w, py = ((hi - this.point[1]) / (hi - lo)) * ht;
    ctx.save();
    ctx.strokeStyle = fg;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.arc(px, py, 9, 0, Math.PI * 2);
    ctx.moveTo(px - 5, py); ctx.lineTo(px + 5, py);
    ctx.moveTo(px, py - 5); ctx.lineTo(px, py + 5);
    ctx.stroke();
    ctx.fillStyle = fg;
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.fillText('x', px + 11, py - 9);
    ctx.restore();
  }
}

reflectAttributes(BatchNormPanel, { values: ATTRS });
