// <mlp-activation-plot>: the chapter's activation functions and their
// derivatives on x in [-8, 8), every value computed by the WASM core
// (lab.activate / lab.derivative).
//
// Attributes: functions="relu,sigmoid,tanh" (any of relu, prelu, sigmoid,
// tanh, gelu, swish), derivative (boolean), identity (boolean: the exercise
// identity tanh(x) + 1 = 2 sigmoid(2x)), layout="overlay|grid", alpha, beta,
// controls="false" to hide the controls, lang, theme; finite-difference
// (boolean: exercises 2 and 3, the central difference of the core's f drawn
// over f′, the largest difference printed, the derivative formulas shown) and
// fd-step (its h, 0.0001..0.5, default 0.01).

import { MlpElement, h, infoPair } from './base.js';
import { reflectAttributes, flag } from './props.js';
import { fitCanvas, Frame, axisColors, cssVar } from './plot.js';
import { centralDifferences } from './finite-diff.js';

export const FUNCTIONS = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish'];
export const FN_LABEL = { relu: 'ReLU', prelu: 'pReLU', sigmoid: 'sigmoid', tanh: 'tanh', gelu: 'GELU', swish: 'Swish' };
const X_LO = -8;
const X_HI = 8;
const STEP = 0.02; // 800 points: smooth at any width; the chapter samples every 0.1
const OVERLAY_Y = [-1.5, 3];
const VALUE_ATTRS = ['functions', 'layout', 'alpha', 'beta', 'controls', 'fd-step'];
const BOOLEAN_ATTRS = ['derivative', 'identity', 'finite-difference'];
const FD_EVERY = 6; // finite-difference rings at most every 6th grid point (0.12 apart)

function parseFunctions(raw) {
  if (typeof raw !== 'string') return ['relu', 'sigmoid', 'tanh'];
  const list = raw.slice(0, 200).split(',').map((s) => s.trim().toLowerCase());
  const out = FUNCTIONS.filter((f) => list.includes(f));
  return out.length ? out : ['relu', 'sigmoid', 'tanh'];
}

function clampNum(raw, lo, hi, fallback) {
  const v = raw == null || raw === '' || String(raw).length > 32 ? NaN : Number(raw);
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
}

export class ActivationPlot extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...VALUE_ATTRS, ...BOOLEAN_ATTRS];
  }

  constructor() {
    super();
    this.cursorX = 1;
    this.curves = null; // { xs, f: {name: Float32Array}, d: {...} }
  }

  readAttributes() {
    this.shown = new Set(parseFunctions(this.getAttribute('functions')));
    this.showDerivative = flag(this, 'derivative');
    this.showIdentity = flag(this, 'identity');
    this.layoutMode = this.getAttribute('layout') === 'grid' ? 'grid' : 'overlay';
    this.alphaValue = clampNum(this.getAttribute('alpha'), 0, 1, 0.1);
    this.betaValue = clampNum(this.getAttribute('beta'), 0.1, 5, 1);
    this.showFD = flag(this, 'finite-difference');
    this.fdH = clampNum(this.getAttribute('fd-step'), 1e-4, 0.5, 0.01);
  }

  render(root) {
    this.readAttributes();
    const id = (s) => `${this.uid}-${s}`;
    const chips = h('div', { class: 'chips', role: 'group', 'aria-labelledby': id('fns') },
      h('span', { class: 'group-label', id: id('fns'), 'data-i18n': 'functions' }),
      FUNCTIONS.map((f) => h('label', { class: `chip fn-${f}` },
        h('input', { type: 'checkbox', value: f, 'data-fn': f }),
        h('span', { class: 'swatch', 'data-swatch': f, 'aria-hidden': 'true' }),
        FN_LABEL[f])));
    const controls = h('div', { class: 'controls' },
      chips,
      h('div', { class: 'row' },
        h('label', { class: 'switch' }, h('input', { type: 'checkbox', name: 'derivative' }), h('span', { 'data-i18n': 'showDerivative' })),
        h('label', { class: 'switch' }, h('input', { type: 'checkbox', name: 'identity' }), h('span', { 'data-i18n': 'showIdentity' })),
        h('label', { class: 'switch' }, h('input', { type: 'checkbox', name: 'finite-difference' }), h('span', { 'data-i18n': 'fdToggle' })),
        h('div', { class: 'seg', role: 'radiogroup', 'aria-labelledby': id('layout') },
          h('span', { class: 'group-label', id: id('layout'), 'data-i18n': 'layout' }),
          h('label', {}, h('input', { type: 'radio', name: `${this.uid}-layout`, value: 'overlay' }), h('span', { 'data-i18n': 'overlay' })),
          h('label', {}, h('input', { type: 'radio', name: `${this.uid}-layout`, value: 'grid' }), h('span', { 'data-i18n': 'sideBySide' })))),
      h('div', { class: 'row sliders' },
        h('label', { class: 'slider', for: id('alpha') }, h('span', {}, 'pReLU α'),
          h('input', { type: 'range', id: id('alpha'), name: 'alpha', min: 0, max: 1, step: 0.01 }),
          h('output', { for: id('alpha'), name: 'alpha-out' })),
        h('label', { class: 'slider', for: id('beta') }, h('span', {}, 'Swish β'),
          h('input', { type: 'range', id: id('beta'), name: 'beta', min: 0.1, max: 5, step: 0.1 }),
          h('output', { for: id('beta'), name: 'beta-out' }))));
    const [infoBtn, infoText] = infoPair(this, 'actExplain');
    root.append(
      h('div', { class: 'card act' },
        h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'actTitle' }), infoBtn),
        infoText,
        controls,
        h('div', { class: 'plots' }),
        h('div', { class: 'readout', 'aria-live': 'polite' },
          h('p', { class: 'readout-x' }),
          h('table', {}, h('thead', {}, h('tr', {},
            h('th', { scope: 'col', 'data-i18n': 'function' }),
            h('th', { scope: 'col' }, 'f(x)'),
            h('th', { scope: 'col' }, 'f′(x)'))), h('tbody', {}))),
        h('p', { class: 'facts' }),
        h('div', { class: 'fd-box', hidden: true },
          h('p', { class: 'fd-line' }),
          h('ul', { class: 'fd-list' }),
          h('p', { class: 'formula fd-formulas' }))));
    this.syncControls();
    this.wire();
  }

  syncControls() {
    for (const cb of this.$$('input[data-fn]')) cb.checked = this.shown.has(cb.value);
    this.$('input[name=derivative]').checked = this.showDerivative;
    this.$('input[name=identity]').checked = this.showIdentity;
    this.$('input[name=finite-difference]').checked = this.showFD;
    for (const r of this.$$(`input[name=${this.uid}-layout]`)) r.checked = r.value === this.layoutMode;
    this.$('input[name=alpha]').value = String(this.alphaValue);
    this.$('input[name=beta]').value = String(this.betaValue);
    this.root.querySelector('.controls').hidden = this.getAttribute('controls') === 'false';
    this.updateSliderOutputs();
  }

  updateSliderOutputs() {
    this.$('output[name=alpha-out]').textContent = this.fmt(this.alphaValue, 2);
    this.$('output[name=beta-out]').textContent = this.fmt(this.betaValue, 2);
    this.$('input[name=alpha]').closest('.slider').hidden = !this.shown.has('prelu');
    this.$('input[name=beta]').closest('.slider').hidden = !this.shown.has('swish');
  }

  wire() {
    for (const cb of this.$$('input[data-fn]')) {
      cb.addEventListener('change', () => {
        if (cb.checked) this.shown.add(cb.value);
        else this.shown.delete(cb.value);
        this.updateSliderOutputs();
        this.rebuildPlots();
      });
    }
    this.$('input[name=derivative]').addEventListener('change', (e) => {
      this.showDerivative = e.target.checked;
      this.redraw();
    });
    this.$('input[name=finite-difference]').addEventListener('change', (e) => {
      this.showFD = e.target.checked;
      this.compute();
      this.redraw();
    });
    this.$('input[name=identity]').addEventListener('change', (e) => {
      this.showIdentity = e.target.checked;
      this.rebuildPlots();
    });
    for (const r of this.$$(`input[name=${this.uid}-layout]`)) {
      r.addEventListener('change', () => {
        if (r.checked) {
          this.layoutMode = r.value;
          this.rebuildPlots();
        }
      });
    }
    this.$('input[name=alpha]').addEventListener('input', (e) => {
      this.alphaValue = clampNum(e.target.value, 0, 1, 0.1);
      this.updateSliderOutputs();
      this.compute();
      this.redraw();
    });
    this.$('input[name=beta]').addEventListener('input', (e) => {
      this.betaValue = clampNum(e.target.value, 0.1, 5, 1);
      this.updateSliderOutputs();
      this.compute();
      this.redraw();
    });
  }

  onAttribute() {
    this.readAttributes();
    this.syncControls();
    if (this.lab) {
      this.compute();
      this.rebuildPlots();
    }
  }

  start() {
    this.compute();
    this.rebuildPlots();
    this.resizer = new ResizeObserver(() => this.redraw());
    this.resizer.observe(this.$('.plots'));
  }

  onDisconnect() {}

  /** All curves from the WASM core. */
  compute() {
    const n = Math.round((X_HI - X_LO) / STEP);
    const xs = new Float32Array(n);
    for (let i = 0; i < n; i++) xs[i] = X_LO + i * STEP;
    const opts = { alpha: this.alphaValue, beta: this.betaValue };
    const f = {};
    const d = {};
    for (const name of FUNCTIONS) {
      f[name] = this.lab.activate(name, xs, opts);
      d[name] = this.lab.derivative(name, xs, opts);
    }
    // The exercise identity: tanh(x) + 1 against 2 sigmoid(2x).
    const x2 = xs.map((x) => 2 * x);
    const tanh1 = f.tanh.map((v) => v + 1);
    const sig2 = this.lab.activate('sigmoid', x2).map((v) => 2 * v);
    let maxDiff = 0;
    for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(tanh1[i] - sig2[i]));
    // The chapter's facts, evaluated by the core at exactly x = 0.
    const zero = [0];
    const facts = {
      sigmoid: this.lab.derivative('sigmoid', zero)[0],
      tanh: this.lab.derivative('tanh', zero)[0],
      relu: this.lab.derivative('relu', zero)[0],
    };
    this.curves = { xs, f, d, tanh1, sig2, maxDiff, facts };
    this.dataset.identityMaxDiff = String(maxDiff);
    // Exercises 2 and 3: f′ against the central difference of the core's f.
    this.curves.fd = this.showFD ? centralDifferences(this.lab, FUNCTIONS, xs, d, this.fdH, opts) : null;
  }

  /** One canvas (overlay) or one per function (grid). */
  rebuildPlots() {
    const box = this.$('.plots');
    box.replaceChildren();
    box.classList.toggle('grid', this.layoutMode === 'grid');
    const panels = this.layoutMode === 'grid' ? [...FUNCTIONS.filter((f) => this.shown.has(f))] : ['all'];
    if (this.layoutMode === 'grid' && this.showIdentity) panels.push('identity');
    this.canvases = panels.map((p) => {
      const c = h('canvas', {
        class: 'plot', role: 'slider', tabindex: 0, 'data-panel': p,
        'aria-valuemin': X_LO, 'aria-valuemax': X_HI,
      });
      const fig = h('figure', { class: 'plot-fig' }, c);
      if (p !== 'all') fig.append(h('figcaption', {}, p === 'identity' ? 'tanh(x) + 1 = 2·sigmoid(2x)' : FN_LABEL[p]));
      box.append(fig);
      this.wireCursor(c);
      return c;
    });
    this.onLocalize();
    this.redraw();
  }

  wireCursor(canvas) {
    const move = (e) => {
      const fr = canvas._frame;
      if (!fr) return;
      const rect = canvas.getBoundingClientRect();
      const x = fr.invX(e.clientX - rect.left);
      this.setCursor(Math.round(x * 10) / 10);
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerdown', move);
    canvas.addEventListener('keydown', (e) => {
      const steps = { ArrowLeft: -0.1, ArrowDown: -0.1, ArrowRight: 0.1, ArrowUp: 0.1, PageDown: -1, PageUp: 1 };
      if (e.key in steps) this.setCursor(Math.round((this.cursorX + steps[e.key]) * 10) / 10);
      else if (e.key === 'Home') this.setCursor(X_LO);
      else if (e.key === 'End') this.setCursor(X_HI - 0.1);
      else return;
      e.preventDefault();
    });
  }

  setCursor(x) {
    const v = Math.min(X_HI - 0.1, Math.max(X_LO, x));
    if (v === this.cursorX) return;
    this.cursorX = v;
    this.redraw();
  }

  colors() {
    const c = {};
    for (const f of FUNCTIONS) c[f] = cssVar(this, `--fn-${f}`, '#888');
    return c;
  }

  onLocalize() {
    for (const c of this.canvases || []) {
      const p = c.dataset.panel;
      const what = p === 'all' ? [...this.shown].map((f) => FN_LABEL[f]).join(', ') : p === 'identity' ? 'tanh(x) + 1, 2·sigmoid(2x)' : FN_LABEL[p];
      c.setAttribute('aria-label', this.t('plotLabel', { what }));
    }
  }

  redraw() {
    if (!this.curves || !this.canvases) return;
    const col = this.colors();
    // Legend swatches carry the exact colour the canvas uses (tests read it).
    for (const s of this.$$('[data-swatch]')) {
      s.style.setProperty('--swatch', col[s.dataset.swatch]);
      s.dataset.color = col[s.dataset.swatch];
    }
    for (const c of this.canvases) this.drawPanel(c, c.dataset.panel, col);
    this.updateReadout(col);
  }

  drawPanel(canvas, panel, col) {
    const { ctx, w, h: ht } = fitCanvas(canvas);
    const ax = axisColors(this);
    const { xs, f, d } = this.curves;
    ctx.clearRect(0, 0, w, ht);
    let yr = OVERLAY_Y;
    const fns = panel === 'all' ? FUNCTIONS.filter((n) => this.shown.has(n)) : panel === 'identity' ? [] : [panel];
    if (panel !== 'all') {
      let lo = Infinity;
      let hi = -Infinity;
      const arrays = panel === 'identity' ? [this.curves.tanh1, this.curves.sig2] : [f[panel], ...(this.showDerivative ? [d[panel]] : [])];
      for (const a of arrays) for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 1);
      const pad = (hi - lo) * 0.08;
      yr = [lo - pad, hi + pad];
    }
    const fr = new Frame(ctx, w, ht, { x: [X_LO, X_HI], y: yr, pad: { l: 34, r: 10, t: 10, b: 22 } });
    canvas._frame = fr;
    fr.axes(ax, { xTicks: w < 360 ? 4 : 8, yTicks: ht < 200 ? 4 : 6 });
    const derivative = this.showDerivative || this.showFD;
    for (const name of fns) {
      fr.line(xs, f[name], { color: col[name], width: 2.5 });
      if (derivative) fr.line(xs, d[name], { color: col[name], width: 2, dash: [6, 4] });
    }
    if (this.curves.fd) {
      for (const name of fns) {
        const { fd } = this.curves.fd[name];
        // a ring about every 9 px (at least every FD_EVERY-th point)
        const every = Math.max(FD_EVERY, Math.round((xs.length * 9) / Math.max(1, fr.right - fr.left)));
        for (let i = every >> 1; i < xs.length; i += every) {
          if (fd[i] >= yr[0] && fd[i] <= yr[1]) fr.dot(xs[i], fd[i], { color: col[name], r: 2.6, hollow: true, bg: ax.bg });
        }
      }
    }
    if (this.showIdentity && (panel === 'all' || panel === 'identity')) {
      fr.line(xs, this.curves.tanh1, { color: col.tanh, width: 6, alpha: 0.35 });
      fr.line(xs, this.curves.sig2, { color: col.sigmoid, width: 2, dash: [2, 5] });
    }
    if (this.showDerivative) this.drawFacts(fr, fns, col, ax);
    fr.cursor(this.cursorX, ax.axis);
    // Where the cursor meets each curve (values from the core at that x).
    const opts = { alpha: this.alphaValue, beta: this.betaValue };
    for (const name of fns) {
      const fx = this.lab.activate(name, [this.cursorX], opts)[0];
      if (fx >= yr[0] && fx <= yr[1]) fr.dot(this.cursorX, fx, { color: col[name], r: 3.5, hollow: true, bg: ax.bg });
      if (this.showDerivative) {
        const dx = this.lab.derivative(name, [this.cursorX], opts)[0];
        if (dx >= yr[0] && dx <= yr[1]) fr.dot(this.cursorX, dx, { color: col[name], r: 3, hollow: true, bg: ax.bg });
      }
    }
    canvas.setAttribute('aria-valuenow', String(this.cursorX));
    canvas.setAttribute('aria-valuetext', `x = ${this.fmt(this.cursorX, 2)}`);
  }

  /** The chapter's facts: marks on the derivative curves at x = 0, labelled
   *  in the empty top-left corner with thin leader lines. */
  drawFacts(fr, fns, col, ax) {
    const { facts } = this.curves;
    const items = [];
    if (fns.includes('tanh')) items.push({ y: facts.tanh, color: col.tanh, text: `tanh′(0) = ${this.fmt(facts.tanh, 3)}` });
    if (fns.includes('sigmoid')) items.push({ y: facts.sigmoid, color: col.sigmoid, text: `sigmoid′(0) = ${this.fmt(facts.sigmoid, 3)}` });
    if (fns.includes('relu')) items.push({ y: facts.relu, color: col.relu, text: this.t('reluKink'), kink: true });
    const { ctx } = fr;
    if (fr.w < 480) {
      // A phone: marks only; the sentence under the plot states the facts.
      for (const it of items) {
        if (it.kink) fr.dot(0, 1, { color: it.color, r: 4.5, hollow: true, bg: ax.bg });
        fr.dot(0, it.y, { color: it.color, r: 4.5 });
      }
      return;
    }
    ctx.save();
    ctx.font = `12px ${getComputedStyle(ctx.canvas).fontFamily}`; // the widget's faces, CJK included
    ctx.textBaseline = 'middle';
    const x0 = fr.left + 10;
    items.forEach((it, i) => {
      const ly = fr.top + 14 + i * 19;
      const px = fr.px(0);
      const py = fr.py(it.y);
      const tw = ctx.measureText(it.text).width;
      // leader line from the label to the mark
      ctx.strokeStyle = it.color;
      ctx.globalAlpha = 0.4;
      ctx.lineWidth = 1;
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(x0 + 14 + tw + 4, ly);
      ctx.lineTo(px, py);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      // label with a halo so it reads over the grid
      ctx.beginPath();
      ctx.arc(x0 + 4, ly, 4, 0, Math.PI * 2);
      ctx.fillStyle = it.color;
      ctx.fill();
      ctx.lineWidth = 4;
      ctx.strokeStyle = ax.bg;
      ctx.lineJoin = 'round';
      ctx.strokeText(it.text, x0 + 14, ly);
      ctx.fillStyle = ax.fg;
      ctx.fillText(it.text, x0 + 14, ly);
    });
    ctx.restore();
    for (const it of items) {
      if (it.kink) fr.dot(0, 1, { color: it.color, r: 4.5, hollow: true, bg: ax.bg });
      fr.dot(0, it.y, { color: it.color, r: 4.5 });
    }
  }

  updateReadout(col) {
    const x = this.cursorX;
    this.$('.readout-x').textContent = `x = ${this.fmt(x, 2)}`;
    const body = this.$('.readout tbody');
    const rows = [];
    const opts = { alpha: this.alphaValue, beta: this.betaValue };
    for (const name of FUNCTIONS.filter((n) => this.shown.has(n))) {
      const fx = this.lab.activate(name, [x], opts)[0];
      const dx = this.lab.derivative(name, [x], opts)[0];
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.setProperty('--swatch', col[name]);
      rows.push(h('tr', { 'data-fn': name },
        h('th', { scope: 'row' }, sw, FN_LABEL[name]),
        h('td', { 'data-value': fx }, this.fmt(fx, 4)),
        h('td', { 'data-value': dx }, this.fmt(dx, 4))));
    }
    body.replaceChildren(...rows);
    const { facts, maxDiff } = this.curves;
    const parts = [this.t('factsLine', {
      sig: this.fmt(facts.sigmoid, 3), tanh: this.fmt(facts.tanh, 3), relu: this.fmt(facts.relu, 3),
    })];
    if (this.showIdentity) parts.push(this.t('identityLine', { diff: maxDiff.toExponential(1) }));
    this.$('.facts').textContent = parts.join(' ');
    this.updateFD(col);
  }

  /** Exercises 2 and 3: the largest |central difference − f′| per shown function, and the formulas. */
  updateFD(col) {
    const box = this.$('.fd-box');
    const fd = this.curves.fd;
    box.hidden = !fd;
    if (!fd) return;
    const shown = FUNCTIONS.filter((n) => this.shown.has(n));
    this.$('.fd-line').textContent = this.t('fdLine', { h: String(this.fdH) });
    this.$('.fd-list').replaceChildren(...shown.map((name) => {
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.setProperty('--swatch', col[name]);
      const { maxDiff, at } = fd[name];
      return h('li', { 'data-fn': name, 'data-value': String(maxDiff) }, sw,
        this.t(name === 'relu' || name === 'prelu' ? 'fdItemKink' : 'fdItem', {
          fn: FN_LABEL[name], diff: maxDiff.toExponential(1), x: this.fmt(at, 2),
        }));
    }));
    const formulas = [];
    if (this.shown.has('prelu')) formulas.push(this.t('fdPrelu', { alpha: this.fmt(this.alphaValue, 2) }));
    if (this.shown.has('swish')) formulas.push(this.t('fdSwish', { beta: this.fmt(this.betaValue, 2) }));
    this.$('.fd-formulas').textContent = formulas.join('   ');
    this.$('.fd-formulas').hidden = !formulas.length;
  }
}

reflectAttributes(ActivationPlot, { values: VALUE_ATTRS, booleans: BOOLEAN_ATTRS });
