// <mlp-warp>: from linear to nonlinear. The input plane (a grid of lines)
// and the data, carried through one hidden layer of a network that trains
// while you watch: a layer of 2 units is drawn as it is, one of 3 in a
// projection you can turn (drag, or the arrow keys), a wider one by its first
// two principal directions (lab.pca, computed by the core). The slider t
// moves every point from where it is in the input plane (t = 0) to where the
// layer puts it (t = 1), so the bending is seen; for the last hidden layer of
// 2 units the output layer's boundary, a straight line there, is drawn too.
// Activations come from net.hidden; nothing of the model is recomputed here
// (the lerp, the rotation and the framing are drawing).
//
// Attributes: dataset (circle|xor|moons|spiral), hidden ("8,2"; up to 3
// layers of 1..16), activation (tanh|relu|sigmoid), layer (1-based, default
// the last hidden one), seed, lang, theme.
// State: data-epoch, data-accuracy, data-t, data-units, data-view
// (direct|projection|pca|line).

import { MlpElement, h, infoPair, selectField } from './base.js';
import { reflectAttributes } from './props.js';
import { parseHidden, oneOf, intIn } from './state.js';
import { fitCanvas, cssVar } from './plot.js';

const DATASETS = ['circle', 'xor', 'moons', 'spiral'];
const ACTS = ['tanh', 'relu', 'sigmoid'];
const SHAPES = ['2', '3', '8,2', '8,3', '8,8'];
const ATTRS = ['dataset', 'hidden', 'activation', 'layer', 'seed'];
const EPOCHS = 300;
const BUDGET_MS = 8;
const LINES = 13; // grid lines each way
const SAMPLES = 41; // points along each grid line
const N = 200;


export class Warp extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...ATTRS];
  }

  readAttributes() {
    this.datasetName = oneOf(this.getAttribute('dataset'), DATASETS, 'circle');
    const hidden = parseHidden(this.getAttribute('hidden') ?? '8,2', [8, 2]);
    this.widths = (hidden.length ? hidden : [8, 2]).slice(0, 3).map((w) => Math.min(16, w));
    this.act = oneOf(this.getAttribute('activation'), ACTS, 'tanh');
    this.layerIndex = intIn(this.getAttribute('layer'), 1, this.widths.length, this.widths.length);
    this.seedValue = intIn(this.getAttribute('seed'), 0, 99999, 1);
  }

  render(root) {
    this.readAttributes();
    this.t01 = 1;
    this.yaw = 0.6;
    this.pitch = 0.4;
    this.visible = false;
    const id = (s) => `${this.uid}-${s}`;
    const [infoBtn, infoText] = infoPair(this, 'wpExplain');
    const shapes = SHAPES.includes(this.widths.join(',')) ? SHAPES : [...SHAPES, this.widths.join(',')];
    root.append(h('div', { class: 'card wp' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'wpTitle' }), infoBtn),
      infoText,
      h('div', { class: 'wp-controls' },
        selectField(this, 'dataset', 'dataset', DATASETS.map((d) => [d, `ds_${d}`])),
        selectField(this, 'activation', 'activation', ACTS.map((a) => [a, null, a === 'relu' ? 'ReLU' : a])),
        selectField(this, 'hidden', 'hiddenLayers', shapes.map((s) => [s, null, s])),
        h('label', { class: 'field', for: id('layer') }, h('span', { 'data-i18n': 'wpLayer' }),
          h('select', { id: id('layer'), name: 'layer' }))),
      h('div', { class: 'wp-stage' },
        h('canvas', { class: 'wp-plot', role: 'img', tabindex: '0', 'data-i18n-label': 'wpPlotLabel' })),
      h('div', { class: 'wp-anim' },
        h('button', { type: 'button', name: 'play', class: 'primary', 'data-i18n': 'wpPlay' }),
        h('label', { class: 'wp-t', for: id('t') },
          h('span', { 'data-i18n': 'wpInput' }),
          h('input', { id: id('t'), name: 't', type: 'range', min: 0, max: 1, step: 0.01, value: 1 }),
          h('span', { 'data-i18n': 'wpHiddenSpace' })),
        h('output', { class: 'wp-t-value', for: id('t') })),
      h('p', { class: 'wp-status', 'aria-live': 'polite' }),
      h('p', { class: 'caption wp-view' })));
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('select[name=activation]').value = this.act;
    this.$('select[name=hidden]').value = this.widths.join(',');
    this.fillLayers();
    this.$('select[name=dataset]').addEventListener('change', (e) => {
      this.datasetName = oneOf(e.target.value, DATASETS, 'circle');
      this.rebuild();
    });
    this.$('select[name=activation]').addEventListener('change', (e) => {
      this.act = oneOf(e.target.value, ACTS, 'tanh');
      this.rebuild();
    });
    this.$('select[name=hidden]').addEventListener('change', (e) => {
      this.widths = parseHidden(e.target.value, [8, 2]).slice(0, 3).map((w) => Math.min(16, w));
      if (!this.widths.length) this.widths = [8, 2];
      this.layerIndex = this.widths.length;
      this.fillLayers();
      this.rebuild();
    });
    this.$('select[name=layer]').addEventListener('change', (e) => {
      this.layerIndex = intIn(e.target.value, 1, this.widths.length, this.widths.length);
      this.project();
    });
    const slider = this.$('input[name=t]');
    slider.addEventListener('input', () => {
      this.stopAnimation();
      this.setT(Number(slider.value));
    });
    this.$('button[name=play]').addEventListener('click', () => this.animate());
    this.wireRotation();
  }

  fillLayers() {
    const select = this.$('select[name=layer]');
    select.replaceChildren(...this.widths.map((w, i) => h('option', { value: i + 1 }, `${i + 1} (${w})`)));
    select.value = String(this.layerIndex);
  }

  onAttribute() {
    this.readAttributes();
    if (!this.lab) return;
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('select[name=activation]').value = this.act;
    const hs = this.$('select[name=hidden]');
    if (![...hs.options].some((o) => o.value === this.widths.join(','))) hs.append(h('option', { value: this.widths.join(',') }, this.widths.join(',')));
    hs.value = this.widths.join(',');
    this.fillLayers();
    this.rebuild();
  }

  start() {
    this.rebuild();
    this.watchPage(this.$('.wp-stage'), () => this.schedule());
  }

  onDisconnect() {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.stopAnimation();
  }

  rebuild() {
    const lab = this.lab;
    this.data = lab.datasets[this.datasetName]({ n: N, noise: 0.1, seed: this.seedValue });
    // the grid lines of the input square, then the data: one batch through the net
    const [lo, hi] = this.data.range;
    const G = new Float32Array(LINES * 2 * SAMPLES * 2);
    let k = 0;
    for (let dir = 0; dir < 2; dir++) {
      for (let l = 0; l < LINES; l++) {
        const c = lo + ((hi - lo) * l) / (LINES - 1);
        for (let s = 0; s < SAMPLES; s++) {
          const v = lo + ((hi - lo) * s) / (SAMPLES - 1);
          G[k++] = dir ? c : v;
          G[k++] = dir ? v : c;
        }
      }
    }
    this.gridPts = G.length / 2;
    this.inputs = new Float32Array(G.length + this.data.X.length);
    this.inputs.set(G);
    this.inputs.set(this.data.X, G.length);
    this.net?.free();
    this.net = lab.mlp({
      layers: [2, ...this.widths, 1], activation: this.act, output: 'sigmoid', loss: 'bce',
      init: this.act === 'relu' ? 'he' : 'xavier', seed: this.seedValue,
    });
    this.epoch = 0;
    this.frame = 0;
    this.project();
    this.schedule();
  }

  schedule() {
    if (this.raf || !this.visible || !this.net || this.epoch >= EPOCHS) return;
    this.raf = requestAnimationFrame((now) => this.tick(now));
  }

  tick(now = performance.now()) {
    this.raf = 0;
    const budget = this.frameBudget(now, BUDGET_MS);
    if (!this.visible || !this.net) return;
    const t0 = performance.now();
    const { X, y } = this.data;
    while (this.epoch < EPOCHS && performance.now() - t0 < budget) {
      this.net.fit(X, y, { epochs: 1, batchSize: 20, lr: 0.01, optimizer: 'adam' });
      this.epoch++;
    }
    this.frame++;
    if (this.epoch >= EPOCHS || this.frame % 2 === 0) this.project();
    this.schedule();
  }

  /** The chosen layer's activations for grid and data, in 2-D or 3-D view coordinates. */
  project() {
    const net = this.net;
    const w = this.widths[this.layerIndex - 1];
    const H = net.hidden(this.inputs)[this.layerIndex - 1]; // (points, w)
    const n = this.inputs.length / 2;
    let coords, dims, view;
    if (w === 2) {
      coords = H; dims = 2; view = 'direct';
    } else if (w === 3) {
      coords = H; dims = 3; view = 'projection';
    } else if (w === 1) {
      coords = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) coords[2 * i] = H[i];
      dims = 2; view = 'line';
    } else {
      const p = this.lab.pca(H, { units: w, components: 2 });
      coords = p.projected; dims = 2; view = 'pca';
      this.pcaVariance = p.variance;
    }
    this.layerCoords = { coords, dims, view, units: w };
    const ev = net.evaluate(this.data.X, this.data.y);
    this.accuracy = ev.accuracy;
    // the output layer's boundary w . h + b = 0, in the last hidden layer's own 2-D space
    const params = net.params();
    this.boundary = this.layerIndex === this.widths.length && w === 2
      ? { w1: params.W[this.layerIndex][0], w2: params.W[this.layerIndex][1], b: params.b[this.layerIndex][0] } : null;
    this.dataset.epoch = String(this.epoch);
    this.dataset.accuracy = String(ev.accuracy);
    this.dataset.units = String(w);
    this.dataset.view = view;
    this.updateText();
    this.redraw();
  }

  updateText() {
    if (!this.layerCoords) return;
    const { view, units } = this.layerCoords;
    this.$('.wp-status').textContent = this.t(this.epoch >= EPOCHS ? 'wpTrained' : 'wpTraining', {
      epoch: this.fmt(this.epoch, 0), total: this.fmt(EPOCHS, 0), acc: this.fmt(100 * this.accuracy, 1),
    });
    const vars = { layer: this.layerIndex, units };
    if (view === 'pca') {
      vars.v1 = this.fmt(this.pcaVariance[0], 3);
      vars.v2 = this.fmt(this.pcaVariance[1], 3);
    }
    this.$('.wp-view').textContent = this.t(`wpView_${view}`, vars);
    this.$('.wp-t-value').textContent = `t = ${this.fmt(this.t01, 2)}`;
  }

  onLocalize() {
    this.updateText();
  }

  setT(t) {
    this.t01 = Math.max(0, Math.min(1, t));
    this.$('input[name=t]').value = String(this.t01);
    this.dataset.t = String(this.t01);
    this.updateText();
    this.redraw();
  }

  /** Play t from 0 to 1 over two seconds; with reduced motion, jump there. */
  animate() {
    this.stopAnimation();
    const reduce = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    if (reduce) {
      this.setT(this.t01 >= 1 ? 0 : 1);
      return;
    }
    const from = this.t01 >= 1 ? 0 : this.t01;
    const t0 = performance.now();
    const step = (now) => {
      const t = from + (now - t0) / 2000;
      this.setT(t);
      this.animRaf = t < 1 ? requestAnimationFrame(step) : 0;
    };
    this.setT(from);
    this.animRaf = requestAnimationFrame(step);
  }

  stopAnimation() {
    if (this.animRaf) cancelAnimationFrame(this.animRaf);
    this.animRaf = 0;
  }

  wireRotation() {
    const canvas = this.$('.wp-plot');
    let drag = null;
    canvas.addEventListener('pointerdown', (e) => {
      if (this.layerCoords?.dims !== 3) return;
      drag = { x: e.clientX, y: e.clientY, yaw: this.yaw, pitch: this.pitch };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.yaw = drag.yaw + (e.clientX - drag.x) * 0.01;
      this.pitch = Math.max(-1.5, Math.min(1.5, drag.pitch + (e.clientY - drag.y) * 0.01));
      this.redraw();
    });
    const end = () => { drag = null; };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('keydown', (e) => {
      if (this.layerCoords?.dims !== 3) return;
      const d = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[e.key];
      if (!d) return;
      e.preventDefault();
      this.yaw += d[0];
      this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + d[1]));
      this.redraw();
    });
  }

  /** View coordinates in [-1, 1]^2 of every point at the layer (t = 1). */
  layerView() {
    const { coords, dims } = this.layerCoords;
    const n = coords.length / dims;
    const out = new Float32Array(n * 2);
    if (dims === 3) {
      // centre, then rotate by yaw (about the vertical) and pitch, orthographic
      const c = [0, 0, 0];
      for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) c[d] += coords[3 * i + d] / n;
      const cy = Math.cos(this.yaw), sy = Math.sin(this.yaw), cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
      for (let i = 0; i < n; i++) {
        const x = coords[3 * i] - c[0], y = coords[3 * i + 1] - c[1], z = coords[3 * i + 2] - c[2];
        const x1 = cy * x + sy * z, z1 = -sy * x + cy * z;
        out[2 * i] = x1;
        out[2 * i + 1] = cp * y - sp * z1;
      }
    } else {
      out.set(coords);
    }
    // frame: the centre of the bounding box, one scale for both axes
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, out[2 * i]); x1 = Math.max(x1, out[2 * i]);
      y0 = Math.min(y0, out[2 * i + 1]); y1 = Math.max(y1, out[2 * i + 1]);
    }
    const cx = (x0 + x1) / 2, cyy = (y0 + y1) / 2, s = Math.max(x1 - x0, y1 - y0, 1e-6) / 2;
    for (let i = 0; i < n; i++) {
      out[2 * i] = (out[2 * i] - cx) / s;
      out[2 * i + 1] = (out[2 * i + 1] - cyy) / s;
    }
    this.frameOf = { cx, cy: cyy, s };
    return out;
  }

  redraw() {
    if (!this.layerCoords) return;
    const canvas = this.$('.wp-plot');
    const { ctx, w, h: ht } = fitCanvas(canvas);
    const size = Math.min(w, ht), ox = (w - size) / 2, oy = (ht - size) / 2, m = 14;
    const px = (u) => ox + m + ((u + 1) / 2) * (size - 2 * m);
    const py = (v) => oy + m + ((1 - v) / 2) * (size - 2 * m);
    ctx.clearRect(0, 0, w, ht);
    ctx.fillStyle = cssVar(this, '--surface-2', '#f5f7fa');
    ctx.fillRect(0, 0, w, ht);
    const L = this.layerView();
    const [lo, hi] = this.data.range;
    const mid = (lo + hi) / 2, half = (hi - lo) / 2;
    const t = this.t01;
    const n = this.inputs.length / 2;
    const P = new Float32Array(n * 2); // t between the input square and the layer's view
    for (let i = 0; i < n; i++) {
      P[2 * i] = (1 - t) * ((this.inputs[2 * i] - mid) / half) + t * L[2 * i];
      P[2 * i + 1] = (1 - t) * ((this.inputs[2 * i + 1] - mid) / half) + t * L[2 * i + 1];
    }
    // grid lines: x1 = const in one colour, x2 = const in another
    const gridCols = [cssVar(this, '--axis', '#9aa3ae'), cssVar(this, '--fn-prelu', '#7048e8')];
    ctx.lineWidth = 1;
    for (let dir = 0; dir < 2; dir++) {
      ctx.strokeStyle = gridCols[dir];
      ctx.globalAlpha = 0.55;
      for (let l = 0; l < LINES; l++) {
        ctx.beginPath();
        for (let s = 0; s < SAMPLES; s++) {
          const i = (dir * LINES + l) * SAMPLES + s;
          if (s) ctx.lineTo(px(P[2 * i]), py(P[2 * i + 1]));
          else ctx.moveTo(px(P[2 * i]), py(P[2 * i + 1]));
        }
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    // the output layer's straight boundary in the layer's space (t = 1 only: it is a line there)
    if (this.boundary && t === 1) this.drawBoundary(ctx, px, py);
    const c0 = cssVar(this, '--c0', '#f08c00'), c1 = cssVar(this, '--c1', '#1c7ed6'), ring = cssVar(this, '--surface', '#fff');
    const y = this.data.y;
    for (let k = 0; k < y.length; k++) {
      const i = this.gridPts + k;
      ctx.beginPath();
      ctx.arc(px(P[2 * i]), py(P[2 * i + 1]), 3.4, 0, Math.PI * 2);
      ctx.fillStyle = y[k] >= 0.5 ? c1 : c0;
      ctx.fill();
      ctx.strokeStyle = ring;
      ctx.lineWidth = 0.9;
      ctx.stroke();
    }
  }

  /** w1 h1 + w2 h2 + b = 0 in view coordinates (the 2-D layer's frame). */
  drawBoundary(ctx, px, py) {
    const { w1, w2, b } = this.boundary;
    const { cx, cy, s } = this.frameOf;
    // h = (u s + cx, v s + cy): w1 s u + w2 s v + (w1 cx + w2 cy + b) = 0
    const a = w1 * s, bb = w2 * s, c = w1 * cx + w2 * cy + b;
    const pts = [];
    const R = 1.2;
    if (Math.abs(bb) > 1e-12) for (const u of [-R, R]) pts.push([u, -(a * u + c) / bb]);
    else if (Math.abs(a) > 1e-12) for (const v of [-R, R]) pts.push([-(bb * v + c) / a, v]);
    if (pts.length < 2) return;
    ctx.save();
    ctx.strokeStyle = cssVar(this, '--fg', '#111');
    ctx.lineWidth = 2;
    ctx.setLineDash([7, 5]);
    ctx.beginPath();
    ctx.moveTo(px(pts[0][0]), py(pts[0][1]));
    ctx.lineTo(px(pts[1][0]), py(pts[1][1]));
    ctx.stroke();
    ctx.restore();
  }
}

reflectAttributes(Warp, { values: ATTRS });
