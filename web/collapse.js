// <mlp-collapse>: stacked affine layers are one affine map. With the identity
// activation the network's weights collapse (net.collapse()) to W = W1 W2 ...,
// b = b1 W2 + b2 ..., the boundary is a straight line, and X W + b matches the
// network's outputs to float rounding. With a nonlinearity, it does not.
//
// Attributes: dataset (circle|xor|gaussian|moons|spiral|blobs), hidden="4" (up to
// 3 layers of 1..8), activation (identity|relu|tanh|sigmoid), seed, lang, theme;
// preset="bottleneck": exercise 1b, a 2-1-3 linear network on three classes
// (blobs, hidden="1"), whose collapsed W has rank 1 (net.collapse().rank):
// its three class boundaries are parallel. On three classes the network is
// trained with softmax and cross-entropy; X W + b is compared with its logits
// (the same weights in a twin network with an identity output), and each
// cell's class is its largest logit.

import { affineProduct } from '../src/mlp-lab.js';
import { MlpElement, h, infoPair, selectField } from './base.js';
import { reflectAttributes } from './props.js';
import { parseHidden, oneOf } from './state.js';
import { grid2d, paintDiverging, paintBlend, drawPoints } from './heatmap.js';
import { fitCanvas, cssVar, classColors } from './plot.js';

const DATASETS = ['gaussian', 'xor', 'circle', 'moons', 'spiral', 'blobs'];
const ACTS = ['identity', 'relu', 'tanh', 'sigmoid'];
const SHAPES = ['1', '2', '4', '3,3', '4,4,4'];
const ATTRS = ['dataset', 'hidden', 'hidden-layers', 'activation', 'seed', 'preset'];
const BOTTLENECK = { datasetName: 'blobs', widths: [1], act: 'identity' }; // exercise 1b
const G = 64;
const SUB = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];



export class CollapsePanel extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...ATTRS];
  }

  readAttributes() {
    this.datasetName = oneOf(this.getAttribute('dataset'), DATASETS, 'gaussian');
    const hidden = parseHidden(this.getAttribute('hidden-layers') ?? this.getAttribute('hidden') ?? '4', [4]);
    this.widths = (hidden.length ? hidden : [4]).slice(0, 3).map((w) => Math.min(8, w));
    this.act = oneOf(this.getAttribute('activation'), ACTS, 'identity');
    const s = Number(this.getAttribute('seed'));
    this.seedValue = Number.isInteger(s) && s >= 0 && s <= 99999 ? s : 1;
    if (this.getAttribute('preset') === 'bottleneck') Object.assign(this, BOTTLENECK, { widths: [...BOTTLENECK.widths] });
    this.epochs = 0;
  }

  /** Exercise 1b: the 2-1-3 linear network on three classes. */
  bottleneck() {
    Object.assign(this, BOTTLENECK, { widths: [...BOTTLENECK.widths] });
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('select[name=activation]').value = this.act;
    this.$('select[name=hidden]').value = this.widths.join(',');
    this.rebuild();
  }

  get net() {
    return this._net;
  }

  render(root) {
    this.readAttributes();
    const [infoBtn, infoText] = infoPair(this, 'collapseExplain');
    const shapes = SHAPES.includes(this.widths.join(',')) ? SHAPES : [...SHAPES, this.widths.join(',')];
    root.append(h('div', { class: 'card collapse' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'collapseTitle' }), infoBtn),
      infoText,
      h('div', { class: 'controls row' },
        selectField(this, 'dataset', 'dataset', DATASETS.map((d) => [d, `ds_${d}`])),
        selectField(this, 'activation', 'activation', ACTS.map((a) => [a, a === 'identity' ? 'act_identity' : null, a === 'identity' ? '' : a === 'relu' ? 'ReLU' : a])),
        selectField(this, 'hidden', 'hiddenLayers', shapes.map((s) => [s, null, s])),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', name: 'train', class: 'primary', 'data-i18n': 'train200' }),
          h('button', { type: 'button', name: 'shuffle', 'data-i18n': 'newWeights' }),
          h('button', { type: 'button', name: 'bottleneck', 'data-i18n': 'colBottleneck' }))),
      h('div', { class: 'collapse-body' },
        h('figure', { class: 'heat-fig' },
          h('div', { class: 'heat' },
            h('canvas', { class: 'heat-img', width: G, height: G, 'aria-hidden': 'true' }),
            h('canvas', { class: 'heat-over', role: 'img', 'data-i18n-label': 'collapseHeatLabel' })),
          h('figcaption', { class: 'caption' })),
        h('div', { class: 'matrices' },
          h('div', { class: 'layers' }),
          h('div', { class: 'collapsed' }),
          h('p', { class: 'check', 'aria-live': 'polite' })))));
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('select[name=activation]').value = this.act;
    this.$('select[name=hidden]').value = this.widths.join(',');
    this.$('select[name=dataset]').addEventListener('change', (e) => {
      this.datasetName = oneOf(e.target.value, DATASETS, 'gaussian');
      this.rebuild();
    });
    this.$('select[name=activation]').addEventListener('change', (e) => {
      this.act = oneOf(e.target.value, ACTS, 'identity');
      this.rebuild();
    });
    this.$('select[name=hidden]').addEventListener('change', (e) => {
      this.widths = parseHidden(e.target.value, [4]).slice(0, 3).map((w) => Math.min(8, w));
      this.rebuild();
    });
    this.$('button[name=train]').addEventListener('click', () => this.train());
    this.$('button[name=bottleneck]').addEventListener('click', () => this.bottleneck());
    this.$('button[name=shuffle]').addEventListener('click', () => { this.nextSeed(); this.rebuild(); });
  }

  onAttribute() {
    this.readAttributes();
    if (!this.lab) return;
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('select[name=activation]').value = this.act;
    this.$('select[name=hidden]').value = this.widths.join(',');
    this.rebuild();
  }

  start() {
    this.rebuild();
    this.resizer = new ResizeObserver(() => this.drawOverlay());
    this.resizer.observe(this.$('.heat'));
  }

  onDisconnect() {}

  rebuild() {
    const lab = this.lab;
    this.data = lab.datasets[this.datasetName]({ n: 200, noise: 0.1, seed: this.seedValue });
    this.gridX = grid2d(this.data.range[0], this.data.range[1], G);
    this._net?.free();
    this._logits?.free();
    this.q = this.data.classes > 2 ? this.data.classes : 1;
    this.Y = this.data.y;
    this.sizes = [2, ...this.widths, this.q];
    const multi = this.q > 1;
    this._net = lab.mlp({
      layers: this.sizes, activation: this.act, output: multi ? 'softmax' : 'identity', loss: multi ? 'cross_entropy' : 'mse',
      init: 'xavier', seed: this.seedValue,
    });
    // Three classes: the same weights without the softmax give the logits X W + b is compared with.
    this._logits = multi ? lab.mlp({ layers: this.sizes, activation: this.act, output: 'identity', loss: 'mse' }) : null;
    this.epochs = 0;
    // Start from a trained network: the line it draws is then the best any
    // stack of affine layers can do on this data.
    this.train();
  }

  train() {
    if (!this._net) return;
    const h = this._net.fit(this.data.X, this.Y, { epochs: 200, batchSize: 20, lr: 0.01, optimizer: 'adam' });
    this.epochs += h.epochs;
    this.update();
  }

  /** Recompute everything shown from the network. */
  update() {
    const net = this._net;
    this._logits?.setParams(net.params());
    const out = (this._logits || net).forward(this.gridX); // (G*G, q): identity outputs, or the logits
    this.out = out;
    const params = net.params();
    let collapsed = null;
    try {
      collapsed = net.collapse();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    // Compare the network with X W + b, with W, b from collapse() or, when
    // there is none, from multiplying the weights anyway.
    const prod = collapsed || affineProduct(params, this.sizes);
    let maxDiff = 0;
    const n = G * G, q = this.q;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < q; c++) {
        const lin = this.gridX[2 * i] * prod.W[c] + this.gridX[2 * i + 1] * prod.W[q + c] + prod.b[c];
        maxDiff = Math.max(maxDiff, Math.abs(out[i * q + c] - lin));
      }
    }
    this.state = { params, collapsed, prod, maxDiff };
    this.dataset.maxDiff = String(maxDiff);
    this.dataset.collapsed = collapsed ? 'true' : 'false';
    if (collapsed) this.dataset.rank = String(collapsed.rank);
    else delete this.dataset.rank;
    this.dataset.epochs = String(this.epochs);
    const { loss, rmse, accuracy } = net.evaluate(this.data.X, this.Y);
    this.dataset.loss = String(loss);
    this.state.rmse = rmse;
    this.state.accuracy = accuracy;
    this.renderMatrices();
    this.redraw();
  }

  renderMatrices() {
    if (!this.state) return;
    const { params, collapsed, prod, maxDiff } = this.state;
    const L = params.W.length;
    const layers = this.$('.layers');
    layers.replaceChildren(h('h4', { 'data-i18n': 'networkWeights' }, this.t('networkWeights')));
    const row = h('div', { class: 'mat-row' });
    for (let l = 0; l < L; l++) {
      const s = SUB[l + 1];
      row.append(h('div', { class: 'mat-pair' },
        this.matrix(`W${s}`, params.W[l], this.sizes[l], this.sizes[l + 1], `W${l + 1}`),
        this.matrix(`b${s}`, params.b[l], 1, this.sizes[l + 1], `b${l + 1}`)));
    }
    layers.append(row);
    const box = this.$('.collapsed');
    const q = this.q;
    const ws = Array.from({ length: L }, (_, l) => `W${SUB[l + 1]}`).join('');
    if (collapsed) {
      const bFormula = L === 1 ? 'b₁' : L === 2 ? 'b₁W₂ + b₂' : 'b₁W₂W₃ + b₂W₃ + b₃';
      box.replaceChildren(
        h('h4', {}, this.t('collapsedTitle')),
        h('p', { class: 'formula' }, `W = ${ws},  b = ${L > 3 ? '…' : bFormula}`),
        h('div', { class: 'mat-row' },
          this.matrix('W', collapsed.W, 2, q, 'W'),
          this.matrix('b', collapsed.b, 1, q, 'b')),
        ...(q === 1 ? [h('p', { class: 'formula line-eq' }, this.t('lineEq', {
          w1: this.fmt(collapsed.W[0], 3), w2: this.fmt(collapsed.W[1], 3), b: this.fmt(collapsed.b[0], 3),
        }))] : []),
        rankNote(this, collapsed.rank, Math.min(2, q)));
    } else {
      box.replaceChildren(
        h('h4', {}, this.t('noCollapseTitle')),
        h('p', { class: 'formula' }, this.t('noCollapse', { act: this.act })),
        h('div', { class: 'mat-row' },
          this.matrix(`${ws}`, prod.W, 2, q, 'W'),
          this.matrix('b', prod.b, 1, q, 'b')));
    }
    const check = this.$('.check');
    check.classList.toggle('ok', !!collapsed);
    check.classList.toggle('bad', !collapsed);
    check.textContent = collapsed
      ? this.t('checkOk', { diff: maxDiff.toExponential(1), n: this.fmt(G * G, 0) })
      : this.t('checkBad', { diff: this.fmt(maxDiff, 3), n: this.fmt(G * G, 0) });
    const { rmse, accuracy } = this.state;
    this.$('.caption').textContent = q > 1
      ? this.t('colCaptionMulti', { epochs: this.fmt(this.epochs, 0), acc: accuracy == null ? '–' : `${this.fmt(100 * accuracy, 1)}%` })
      : this.t('collapseCaption', { epochs: this.fmt(this.epochs, 0), rmse: rmse == null ? '–' : this.fmt(rmse, 3) });
  }

  onLocalize() {
    this.renderMatrices();
  }

  colors() {
    return {
      ...classColors(this),
      fg: cssVar(this, '--fg', '#111'),
      c2: cssVar(this, '--c2', '#2a9d55'),
    };
  }

  redraw() {
    if (!this.out) return;
    const col = this.colors();
    if (this.q > 1) paintBlend(this.$('.heat-img'), argmaxOneHot(this.out, this.q), G, this.q, { classes: [col.neg, col.pos, col.c2], mid: col.mid }, { strength: 0.6 });
    else paintDiverging(this.$('.heat-img'), this.out, G, col, { offset: 0.5, scale: 0.5, strength: 0.72 });
    this.drawOverlay();
  }

  drawOverlay() {
    if (!this.data) return;
    const col = this.colors();
    const canvas = this.$('.heat-over');
    const { ctx, w, h: ht } = fitCanvas(canvas);
    ctx.clearRect(0, 0, w, ht);
    const { X, y, range } = this.data;
    const idx = Array.from({ length: y.length }, (_, i) => i);
    const classColor = this.q > 1 ? (l) => [col.neg, col.pos, col.c2][l] : (l) => (l >= 0.5 ? col.pos : col.neg);
    drawPoints(ctx, w, ht, range, X, y, idx, classColor, { ring: col.ring });
    const c = this.state?.collapsed;
    if (c && this.q === 1) this.drawLine(ctx, w, ht, range, c.W[0], c.W[1], c.b[0] - 0.5, col.fg);
    // q classes: the boundary between classes i and j is where their outputs are equal.
    const q = this.q;
    if (c && q > 1) {
      for (let i = 0; i < q; i++) {
        for (let j = i + 1; j < q; j++) this.drawLine(ctx, w, ht, range, c.W[i] - c.W[j], c.W[q + i] - c.W[q + j], c.b[i] - c.b[j], col.fg);
      }
    }
  }

  /** The set w1 x + w2 y + c = 0 clipped to the square. */
  drawLine(ctx, w, ht, [lo, hi], w1, w2, c0, color) {
    const pts = [];
    const add = (x, y) => {
      if (x >= lo - 1e-9 && x <= hi + 1e-9 && y >= lo - 1e-9 && y <= hi + 1e-9) pts.push([x, y]);
    };
    if (Math.abs(w2) > 1e-12) {
      add(lo, -(w1 * lo + c0) / w2);
      add(hi, -(w1 * hi + c0) / w2);
    }
    if (Math.abs(w1) > 1e-12) {
      add(-(w2 * lo + c0) / w1, lo);
      add(-(w2 * hi + c0) / w1, hi);
    }
    if (pts.length < 2) return;
    const sx = (x) => ((x - lo) / (hi - lo)) * w;
    const sy = (y) => ((hi - y) / (hi - lo)) * ht;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash([7, 5]);
    ctx.beginPath();
    ctx.moveTo(sx(pts[0][0]), sy(pts[0][1]));
    ctx.lineTo(sx(pts[1][0]), sy(pts[1][1]));
    ctx.stroke();
    ctx.restore();
  }
}

reflectAttributes(CollapsePanel, { values: ATTRS });

/** Each cell's class (its largest output) as one-hot rows, for the heatmap's colours. */
function argmaxOneHot(out, q) {
  const n = out.length / q;
  const hot = new Float32Array(out.length);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < q; c++) if (out[i * q + c] > out[i * q + best]) best = c;
    hot[i * q + best] = 1;
  }
  return hot;
}

/** Exercise 1b: W's rank from the core, and what a rank below min(d, q) means. */
function rankNote(el, rank, full) {
  const low = rank < full;
  return h('p', { class: `rank-note${low ? ' low' : ''}`, 'data-rank': String(rank) },
    el.t(low ? 'colRankLow' : 'colRank', { rank: String(rank), full: String(full) }));
}
