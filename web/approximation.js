// <mlp-approximation>: the universal approximation paragraph, measured. One
// hidden layer of width 1, 2, 4, ..., 64 fitted to a 1-D target (sin, |x|,
// step); the test error (net.evaluate on clean points the training never
// saw) against the width on log scales, and every fit overlaid on the target
// (net.forward). All seven networks train round-robin inside a ~8 ms slice
// of each animation frame (net.fit one epoch at a time), so the page never
// freezes; training pauses while the element is off-screen or the tab hidden.
//
// Attributes: target (sin|abs|step), activation (relu|tanh|sigmoid),
// epochs (100..5000, default 1500), seed, lang, theme.
// State on the element: data-state (running|paused|done), data-epoch,
// data-errors (a JSON array of test RMSEs, widest last).

import { MlpElement, h, infoPair, selectField } from './base.js';
import { reflectAttributes } from './props.js';
import { oneOf, intIn } from './state.js';
import { Frame, fitCanvas, cssVar, axisColors } from './plot.js';

const TARGETS = ['sin', 'abs', 'step'];
const ACTS = ['relu', 'tanh', 'sigmoid'];
const WIDTHS = [1, 2, 4, 8, 16, 32, 64];
const ATTRS = ['target', 'activation', 'epochs', 'seed'];
const BUDGET_MS = 8;
const N_TRAIN = 128;
const N_TEST = 256;
const G = 200; // points of each drawn fit
const PALETTE = ['#f59f00', '#94d82d', '#40c057', '#15aabf', '#228be6', '#5c7cfa', '#9c36b5'];


export class Approximation extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...ATTRS];
  }

  readAttributes() {
    this.targetName = oneOf(this.getAttribute('target'), TARGETS, 'sin');
    this.act = oneOf(this.getAttribute('activation'), ACTS, 'relu');
    this.totalEpochs = intIn(this.getAttribute('epochs'), 100, 5000, 1500);
    this.seedValue = intIn(this.getAttribute('seed'), 0, 99999, 1);
  }

  render(root) {
    this.readAttributes();
    this.visible = false;
    this.frame = 0;
    const [infoBtn, infoText] = infoPair(this, 'uaExplain');
    root.append(h('div', { class: 'card ua' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'uaTitle' }), infoBtn),
      infoText,
      h('div', { class: 'ua-controls' },
        selectField(this, 'target', 'uaTarget', TARGETS.map((t) => [t, `uaTarget_${t}`])),
        selectField(this, 'activation', 'activation', ACTS.map((a) => [a, null, a === 'relu' ? 'ReLU' : a])),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', name: 'play', class: 'primary', 'data-i18n': 'uaPause' }),
          h('button', { type: 'button', name: 'restart', 'data-i18n': 'uaRestart' }))),
      h('div', { class: 'ua-body' },
        h('figure', { class: 'ua-fig' },
          h('canvas', { class: 'ua-fits', role: 'img', 'data-i18n-label': 'uaFitsLabel' }),
          h('figcaption', { class: 'ua-legend' })),
        h('figure', { class: 'ua-fig' },
          h('canvas', { class: 'ua-errors', role: 'img', 'data-i18n-label': 'uaErrorsLabel' }),
          h('figcaption', { class: 'caption', 'data-i18n': 'uaErrorsCaption' }))),
      h('p', { class: 'ua-status', 'aria-live': 'polite' })));
    this.$('select[name=target]').value = this.targetName;
    this.$('select[name=activation]').value = this.act;
    this.$('select[name=target]').addEventListener('change', (e) => {
      this.targetName = oneOf(e.target.value, TARGETS, 'sin');
      this.restart();
    });
    this.$('select[name=activation]').addEventListener('change', (e) => {
      this.act = oneOf(e.target.value, ACTS, 'relu');
      this.restart();
    });
    this.$('button[name=play]').addEventListener('click', () => {
      if (this.epoch >= this.totalEpochs) this.restart();
      else this.setRunning(!this.running);
    });
    this.$('button[name=restart]').addEventListener('click', () => { this.nextSeed(); this.restart(); });
  }

  onAttribute() {
    this.readAttributes();
    if (!this.lab) return;
    this.$('select[name=target]').value = this.targetName;
    this.$('select[name=activation]').value = this.act;
    this.restart();
  }

  start() {
    this.restart();
    // Trains only while on screen.
    this.watchPage(this.$('.ua-body'), () => {
      this.schedule();
      this.updateState();
    });
  }

  onDisconnect() {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  restart() {
    const lab = this.lab;
    this.train = lab.datasets[this.targetName]({ n: N_TRAIN, noise: 0, seed: this.seedValue });
    this.test = lab.datasets[this.targetName]({ n: N_TEST, noise: 0, seed: this.seedValue + 100000 });
    const [lo, hi] = this.train.range;
    this.gridX = new Float32Array(G);
    for (let i = 0; i < G; i++) this.gridX[i] = lo + ((hi - lo) * i) / (G - 1);
    // the target on the drawing grid, from the core's data set (sorted test points)
    const order = Array.from({ length: N_TEST }, (_, i) => i).sort((a, b) => this.test.X[a] - this.test.X[b]);
    this.targetX = Float32Array.from(order, (i) => this.test.X[i]);
    this.targetY = Float32Array.from(order, (i) => this.test.y[i]);
    for (const n of this.nets || []) n.free();
    this.nets = WIDTHS.map((w) => lab.mlp({
      layers: [1, w, 1], activation: this.act, output: 'identity', loss: 'mse',
      init: this.act === 'relu' ? 'he' : 'xavier', seed: this.seedValue + w,
    }));
    this.epoch = 0;
    this.turn = 0; // next network to train within an epoch
    this.measure();
    this.setRunning(true);
  }

  setRunning(on) {
    this.running = on;
    this.$('button[name=play]').dataset.i18n = on ? 'uaPause' : this.epoch >= this.totalEpochs ? 'uaAgain' : 'uaPlay';
    this.$('button[name=play]').textContent = this.t(this.$('button[name=play]').dataset.i18n);
    this.schedule();
    this.updateState();
  }

  schedule() {
    if (this.raf || !this.running || !this.visible) return;
    this.raf = requestAnimationFrame((now) => this.tick(now));
  }

  tick(now = performance.now()) {
    this.raf = 0;
    const budget = this.frameBudget(now, BUDGET_MS);
    if (!this.running || !this.visible || !this.nets) return;
    const t0 = performance.now();
    const { X, y } = this.train;
    // one epoch of each network in turn, until the slice is spent
    while (this.epoch < this.totalEpochs && performance.now() - t0 < budget) {
      this.nets[this.turn].fit(X, y, { epochs: 1, batchSize: 32, lr: 0.01, optimizer: 'adam' });
      this.turn++;
      if (this.turn === this.nets.length) {
        this.turn = 0;
        this.epoch++;
      }
    }
    this.frame++;
    if (this.epoch >= this.totalEpochs || this.frame % 3 === 0) this.measure();
    if (this.epoch >= this.totalEpochs) this.setRunning(false);
    else this.schedule();
    this.updateState();
  }

  /** Test errors (net.evaluate) and fits (net.forward) of every width. */
  measure() {
    this.errors = this.nets.map((n) => n.evaluate(this.test.X, this.test.y).rmse);
    this.fits = this.nets.map((n) => n.forward(this.gridX));
    this.dataset.errors = JSON.stringify(this.errors);
    this.renderLegend();
    this.redraw();
  }

  updateState() {
    this.dataset.epoch = String(this.epoch);
    this.dataset.state = this.epoch >= this.totalEpochs ? 'done' : this.running ? (this.visible ? 'running' : 'paused') : 'paused';
    if (!this.errors) return;
    const key = this.epoch >= this.totalEpochs ? 'uaDone' : 'uaTraining';
    this.$('.ua-status').textContent = this.t(key, {
      epoch: this.fmt(this.epoch, 0), total: this.fmt(this.totalEpochs, 0),
      first: this.fmt(this.errors[0], 4), last: this.fmt(this.errors[this.errors.length - 1], 4),
    });
  }

  renderLegend() {
    const legend = this.$('.ua-legend');
    if (!this.errors) return;
    legend.replaceChildren(
      h('span', { class: 'ua-key ua-key-target' }, this.t('uaTargetLine')),
      ...WIDTHS.map((w, i) => h('span', { class: 'ua-key', 'data-width': w },
        h('span', { class: 'swatch', 'data-k': i }), this.t('uaWidth', { w }))));
    for (const sw of legend.querySelectorAll('.swatch[data-k]')) sw.style.background = PALETTE[sw.dataset.k];
  }

  onLocalize() {
    this.renderLegend();
    this.updateState();
    if (this.running !== undefined) this.setRunning(this.running);
  }

  redraw() {
    if (!this.fits) return;
    const col = axisColors(this);
    // the fits over the target
    {
      const { ctx, w, h: ht } = fitCanvas(this.$('.ua-fits'));
      ctx.clearRect(0, 0, w, ht);
      const [lo, hi] = this.train.range;
      let ylo = Infinity, yhi = -Infinity;
      for (const v of this.targetY) { ylo = Math.min(ylo, v); yhi = Math.max(yhi, v); }
      const span = yhi - ylo || 1;
      const f = new Frame(ctx, w, ht, { x: [lo, hi], y: [ylo - 0.25 * span, yhi + 0.25 * span], pad: { l: 34, b: 20 } });
      f.axes(col);
      this.fits.forEach((ys, i) => f.line(this.gridX, ys, { color: PALETTE[i], width: i === this.fits.length - 1 ? 2.5 : 1.6, alpha: 0.9 }));
      f.line(this.targetX, this.targetY, { color: col.fg, width: 1.6, dash: [5, 4] });
    }
    // the errors against the width (log2 across, log10 up)
    {
      const { ctx, w, h: ht } = fitCanvas(this.$('.ua-errors'));
      ctx.clearRect(0, 0, w, ht);
      const finite = this.errors.filter((e) => Number.isFinite(e) && e > 0);
      const emax = finite.length ? Math.max(...finite) : 1, emin = finite.length ? Math.min(...finite) : 0.1;
      const ylo = Math.pow(10, Math.floor(Math.log10(emin))), yhi = Math.pow(10, Math.ceil(Math.log10(emax) + 1e-9));
      const f = new Frame(ctx, w, ht, { x: [-0.4, WIDTHS.length - 0.6], y: [ylo, yhi === ylo ? ylo * 10 : yhi], logY: true, pad: { l: 40, b: 22 } });
      f.axes(col, { xTicks: WIDTHS.length });
      // x labels are the widths 2^k, not k
      ctx.save();
      ctx.fillStyle = col.bg;
      ctx.fillRect(f.left - 1, f.bottom + 1, w - f.left + 1, ht - f.bottom);
      ctx.fillStyle = col.text;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      WIDTHS.forEach((wd, k) => ctx.fillText(String(wd), f.px(k), f.bottom + 5));
      ctx.restore();
      const ks = WIDTHS.map((_, k) => k);
      f.line(ks, this.errors, { color: col.axis, width: 1.5 });
      this.errors.forEach((e, k) => { if (Number.isFinite(e) && e > 0) f.dot(k, e, { color: PALETTE[k], r: 4.5 }); });
    }
  }
}

reflectAttributes(Approximation, { values: ATTRS });
