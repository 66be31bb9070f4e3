// <mlp-convert>: exercise 5.2, sigmoid and tanh networks compute the same
// functions. A small sigmoid network is trained (a few epochs per animation
// frame, within a frame budget, paused off-screen), then net.convert('tanh')
// in the core rewrites its weights for tanh units: σ(z) = (1 + tanh(z/2)) / 2,
// so weights are halved and biases absorb the shift. Both weight sets, both
// decision boundaries and the largest difference of the two networks' outputs
// (both from the core's forward pass) over the grid are shown.
//
// Attributes: dataset (xor|circle|gaussian|moons), hidden ("3", "4", "4,4";
// up to 2 layers of 1..6), epochs (training length, 10..3000, default 300),
// seed, lang, theme.

import { MlpElement, h, infoPair, selectField } from './base.js';
import { reflectAttributes } from './props.js';
import { parseHidden } from './state.js';
import { grid2d, paintDiverging, drawPoints } from './heatmap.js';
import { fitCanvas, classColors } from './plot.js';

const DATASETS = ['xor', 'circle', 'gaussian', 'moons'];
const SHAPES = ['3', '4', '4,4'];
const ATTRS = ['dataset', 'hidden', 'epochs', 'seed'];
const G = 64; // heatmap grid (G x G points); the difference is taken over it
const BUDGET_MS = 8; // training time per animation frame
const SUB = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];

function intIn(raw, lo, hi, fallback) {
  const v = raw == null || raw === '' || String(raw).length > 12 ? NaN : Number(raw);
  return Number.isInteger(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
}

export class ConvertPanel extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...ATTRS];
  }

  constructor() {
    super();
    this.sig = null; // the trained sigmoid network
    this.tanh = null; // net.convert('tanh') of it
    this.raf = 0;
    this.visible = true;
    this.frame = this.frame.bind(this);
  }

  readAttributes() {
    const ds = this.getAttribute('dataset');
    this.datasetName = DATASETS.includes(ds) ? ds : 'xor';
    const hidden = parseHidden(this.getAttribute('hidden') ?? '4', [4]);
    this.widths = (hidden.length ? hidden : [4]).slice(0, 2).map((w) => Math.min(6, w));
    this.target = intIn(this.getAttribute('epochs'), 10, 3000, 300);
    this.seedValue = intIn(this.getAttribute('seed'), 0, 99999, 1);
  }

  get net() {
    return this.sig;
  }

  get converted() {
    return this.tanh;
  }

  render(root) {
    this.readAttributes();
    const shape = this.widths.join(',');
    const shapes = SHAPES.includes(shape) ? SHAPES : [...SHAPES, shape];
    const [infoBtn, infoText] = infoPair(this, 'convExplain');
    const side = (which, titleKey) => h('section', { class: `conv-side conv-${which}` },
      h('h4', { 'data-i18n': titleKey }),
      h('figure', { class: 'heat-fig' },
        h('div', { class: 'heat' },
          h('canvas', { class: 'heat-img', width: G, height: G, 'aria-hidden': 'true' }),
          h('canvas', { class: 'heat-over', role: 'img', 'data-i18n-label': `${titleKey}Label` }))),
      h('div', { class: 'mat-row conv-weights' }));
    root.append(h('div', { class: 'card convert' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'convTitle' }), infoBtn),
      infoText,
      h('div', { class: 'controls row' },
        selectField(this, 'dataset', 'dataset', DATASETS.map((d) => [d, `ds_${d}`])),
        selectField(this, 'hidden', 'hiddenLayers', shapes.map((s) => [s, null, s])),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', name: 'retrain', class: 'primary', 'data-i18n': 'convRetrain' }),
          h('button', { type: 'button', name: 'shuffle', 'data-i18n': 'newWeights' }))),
      h('p', { class: 'caption conv-status', role: 'status' }),
      h('div', { class: 'conv-body' }, side('sig', 'convSigmoid'), side('tanh', 'convTanh')),
      h('p', { class: 'formula conv-rule', 'data-i18n': 'convRule' }),
      h('p', { class: 'check conv-check', 'aria-live': 'polite' })));
    this.$('select[name=dataset]').value = this.datasetName;
    this.$('select[name=hidden]').value = shape;
    this.$('select[name=dataset]').addEventListener('change', (e) => {
      this.datasetName = DATASETS.includes(e.target.value) ? e.target.value : 'xor';
      this.rebuild();
    });
    this.$('select[name=hidden]').addEventListener('change', (e) => {
      this.widths = parseHidden(e.target.value, [4]).slice(0, 2).map((w) => Math.min(6, w));
      this.rebuild();
    });
    this.$('button[name=retrain]').addEventListener('click', () => this.rebuild());
    this.$('button[name=shuffle]').addEventListener('click', () => { this.nextSeed(); this.rebuild(); });
  }

  onAttribute() {
    this.readAttributes();
    if (!this.lab) return;
    this.$('select[name=dataset]').value = this.datasetName;
    const sel = this.$('select[name=hidden]');
    const shape = this.widths.join(',');
    if (![...sel.options].some((o) => o.value === shape)) sel.append(h('option', { value: shape }, shape));
    sel.value = shape;
    this.rebuild();
  }

  start() {
    this.rebuild();
    this.io = new IntersectionObserver((entries) => {
      for (const e of entries) this.visible = e.isIntersecting;
      this.schedule();
    });
    this.io.observe(this);
    this.resizer = new ResizeObserver(() => this.drawOverlays());
    this.resizer.observe(this.$('.conv-body'));
  }

  onConnect() {
    this.schedule();
  }

  onDisconnect() {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  /** New data and a new sigmoid network; training starts in the next frames. */
  rebuild() {
    const lab = this.lab;
    this.data = lab.datasets[this.datasetName]({ n: 200, noise: 0.1, seed: this.seedValue });
    this.gridX = grid2d(this.data.range[0], this.data.range[1], G);
    this.sig?.free();
    this.tanh?.free();
    this.tanh = null;
    this.sizes = [2, ...this.widths, 1];
    this.sig = lab.mlp({
      layers: this.sizes, activation: 'sigmoid', output: 'sigmoid', loss: 'bce', init: 'xavier', seed: this.seedValue,
    });
    this.done = 0;
    this.perEpoch = 1; // epochs per frame, adapted to the budget
    this.frames = 0;
    this.update();
    this.schedule();
  }

  schedule() {
    if (!this.raf && this.visible && this.sig && this.done < this.target) this.raf = requestAnimationFrame(this.frame);
  }

  frame() {
    this.raf = 0;
    if (!this.visible || !this.sig || this.done >= this.target) return;
    const k = Math.min(this.perEpoch, this.target - this.done);
    const t0 = performance.now();
    const res = this.sig.fit(this.data.X, this.data.y, { epochs: k, batchSize: 20, lr: 0.03, optimizer: 'adam' });
    const ms = performance.now() - t0;
    this.done += res.epochs;
    // Epochs that fit in the budget next time (at least one, at most doubling).
    this.perEpoch = Math.max(1, Math.min(this.perEpoch * 2, Math.floor((BUDGET_MS * k) / Math.max(ms, 0.01))));
    this.frames++;
    const done = this.done >= this.target || res.diverged;
    if (res.diverged) this.target = this.done;
    if (done || this.frames % 4 === 0) this.update();
    else this.updateStatus();
    this.schedule();
  }

  /** Convert the current sigmoid network and recompute everything shown. */
  update() {
    this.tanh?.free();
    this.tanh = this.sig.convert('tanh');
    const a = this.sig.forward(this.gridX);
    const b = this.tanh.forward(this.gridX);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    const { accuracy } = this.sig.evaluate(this.data.X, this.data.y);
    this.state = { a, b, maxDiff, accuracy, pSig: this.sig.params(), pTanh: this.tanh.params() };
    this.dataset.maxDiff = String(maxDiff);
    this.dataset.epochs = String(this.done);
    this.toggleAttribute('data-trained', this.done >= this.target);
    this.renderWeights();
    this.updateStatus();
    this.redraw();
  }

  updateStatus() {
    const st = this.state;
    this.$('.conv-status').textContent = this.t(this.done >= this.target ? 'convTrained' : 'convTraining', {
      epochs: this.fmt(this.done, 0), target: this.fmt(this.target, 0),
      acc: st && st.accuracy != null ? `${this.fmt(100 * st.accuracy, 1)}%` : '–',
    });
  }

  renderWeights() {
    const st = this.state;
    if (!st) return;
    for (const [which, p, prime] of [['sig', st.pSig, ''], ['tanh', st.pTanh, '′']]) {
      const row = this.$(`.conv-${which} .conv-weights`);
      row.replaceChildren(...p.W.map((W, l) => h('div', { class: 'mat-pair' },
        this.matrix(`W${prime}${SUB[l + 1]}`, W, this.sizes[l], this.sizes[l + 1], `W${l + 1}`),
        this.matrix(`b${prime}${SUB[l + 1]}`, p.b[l], 1, this.sizes[l + 1], `b${l + 1}`))));
    }
    const check = this.$('.conv-check');
    const ok = st.maxDiff <= 1e-4;
    check.classList.toggle('ok', ok);
    check.classList.toggle('bad', !ok);
    check.textContent = this.t('convCheck', { diff: st.maxDiff.toExponential(1), n: this.fmt(G * G, 0) });
  }

  onLocalize() {
    this.renderWeights();
    this.updateStatus();
  }

  colors() {
    return classColors(this);
  }

  redraw() {
    if (!this.state) return;
    const col = this.colors();
    paintDiverging(this.$('.conv-sig .heat-img'), this.state.a, G, col, { offset: 0.5, scale: 0.5, strength: 0.72 });
    paintDiverging(this.$('.conv-tanh .heat-img'), this.state.b, G, col, { offset: 0.5, scale: 0.5, strength: 0.72 });
    this.drawOverlays();
  }

  drawOverlays() {
    if (!this.data) return;
    const col = this.colors();
    const { X, y, range } = this.data;
    const idx = Array.from({ length: y.length }, (_, i) => i);
    for (const c of this.$$('.heat-over')) {
      const { ctx, w, h: ht } = fitCanvas(c);
      ctx.clearRect(0, 0, w, ht);
      drawPoints(ctx, w, ht, range, X, y, idx, (l) => (l >= 0.5 ? col.pos : col.neg), { ring: col.ring, r: 2.6 });
    }
  }
}

reflectAttributes(ConvertPanel, { values: ATTRS });
