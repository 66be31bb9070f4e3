// <mlp-graph>: the computational graph of forward and backward propagation,
// as the book draws it for a network with one hidden layer (here 2-2-1, no
// biases, as in the book): x → z = xW⁽¹⁾ → h = φ(z) → o = hW⁽²⁾ → L = l(o, y),
// the L2 term s = λ/2 (‖W⁽¹⁾‖² + ‖W⁽²⁾‖²) and the objective J = L + s. Every
// node is labelled with its number for one example, stepping forward, then
// backward (Next / Back / Play).
//
// Where the numbers come from: x, z, h, o, L, ∂J/∂o, ∂J/∂z and ∂L/∂W from
// net.trace (the C core's training code); W from net.params(); ∂J/∂h from the
// core's backward pass too, as ∂L/∂z of the same tail (h → o → L) behind an
// identity layer (W = I, b = 0), since trace reports ∂L/∂z, not ∂L/∂h. The
// core's API has no penalty term, so s, J = L + s and the λW parts of
// ∂J/∂W = ∂L/∂W + λW are computed here from params() (marked "JS" in the
// widget's explanation).
//
// Attributes: activation (relu|sigmoid|tanh|gelu|swish|identity; tanh),
// l2 (λ, 0 to 1; 0.01), seed (0 to 99999; 1), lang, theme.

import { MlpElement, h } from './base.js';
import { reflectAttributes } from './props.js';
import { oneOf } from './state.js';
import { num, numEl, vec, mat } from './equations.js';

const ACTS = ['relu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity'];
const ACT_LABEL = { relu: 'ReLU', sigmoid: 'sigmoid', tanh: 'tanh', gelu: 'GELU', swish: 'Swish', identity: 'identity' };
const ATTRS = ['activation', 'l2', 'seed'];
const X = Float32Array.of(0.8, -1.2); // the example (the same for every seed)
const Y = Float32Array.of(0.5); // its target
const PLAY_MS = 1200;

// The graph: variables (boxes) and operators (circles), at (x, y) on an 880 x 300 plane.
const NODES = [
  { id: 'x', kind: 'var', x: 50, y: 240, fwd: 0 },
  { id: 'mul1', kind: 'op', x: 150, y: 240, text: '×', fwd: 1 },
  { id: 'W1', kind: 'var', x: 150, y: 120, fwd: 0 },
  { id: 'z', kind: 'var', x: 250, y: 240, fwd: 1 },
  { id: 'phi', kind: 'op', x: 345, y: 240, text: 'φ', fwd: 2 },
  { id: 'h', kind: 'var', x: 440, y: 240, fwd: 2 },
  { id: 'mul2', kind: 'op', x: 535, y: 240, text: '×', fwd: 3 },
  { id: 'W2', kind: 'var', x: 535, y: 120, fwd: 0 },
  { id: 'o', kind: 'var', x: 620, y: 240, fwd: 3 },
  { id: 'l', kind: 'op', x: 695, y: 240, text: 'l', fwd: 4 },
  { id: 'y', kind: 'var', x: 695, y: 150, fwd: 0 },
  { id: 'L', kind: 'var', x: 775, y: 240, fwd: 4 },
  { id: 'norm', kind: 'op', x: 695, y: 48, text: '‖·‖²', fwd: 5 },
  { id: 's', kind: 'var', x: 775, y: 48, fwd: 5 },
  { id: 'plus', kind: 'op', x: 845, y: 150, text: '+', fwd: 6 },
  { id: 'J', kind: 'var', x: 845, y: 290, fwd: 6 },
];
// [from, to, waypoints]: the weights reach ‖·‖² over the top of the graph
const EDGES = [['x', 'mul1'], ['W1', 'mul1'], ['mul1', 'z'], ['z', 'phi'], ['phi', 'h'], ['h', 'mul2'], ['W2', 'mul2'],
  ['mul2', 'o'], ['o', 'l'], ['y', 'l'], ['l', 'L'], ['W1', 'norm', [[150, 12], [660, 12]]], ['W2', 'norm', [[535, 12], [660, 12]]],
  ['norm', 's'], ['L', 'plus'], ['s', 'plus'], ['plus', 'J']];
const FORWARD = 7; // stages 0..6 forward; then backward:
const BACKWARD = [['J', 'L', 's'], ['o'], ['W2'], ['h'], ['z'], ['W1']];

function scrollBehavior() {
  return globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}


export class GraphWidget extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...ATTRS];
  }

  readAttributes() {
    this.act = oneOf(this.getAttribute('activation'), ACTS, 'tanh');
    const l2 = Number(this.getAttribute('l2') ?? 'x');
    this.lambda = this.getAttribute('l2') !== null && this.getAttribute('l2') !== '' && Number.isFinite(l2) ? Math.min(1, Math.max(0, l2)) : 0.01;
    const s = Number(this.getAttribute('seed'));
    this.seedValue = this.getAttribute('seed') !== null && Number.isInteger(s) && s >= 0 && s <= 99999 ? s : 1;
  }

  get net() {
    return this._net ?? null;
  }

  /** The numbers shown: { trace, params, dh, s, J, gW } (null before the core is loaded). */
  get values() {
    return this._v ?? null;
  }

  render(root) {
    this.readAttributes();
    this.stage = 0;
    const id = (s) => `${this.uid}-${s}`;
    const plane = h('div', { class: 'graph-plane' });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'graph-edges');
    svg.setAttribute('viewBox', '0 0 880 330');
    svg.setAttribute('aria-hidden', 'true');
    plane.append(svg);
    for (const n of NODES) {
      const el = h('div', { class: `gnode ${n.kind}`, 'data-node': n.id });
      el.style.setProperty('--x', String(n.x));
      el.style.setProperty('--y', String(n.y));
      if (n.kind === 'op') el.append(h('span', { class: 'op-text' }, n.text));
      else el.append(h('span', { class: 'gname' }), h('span', { class: 'gval' }), h('span', { class: 'ggrad' }));
      plane.append(el);
    }
    root.append(h('div', { class: 'card graph' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'graphTitle' })),
      h('p', { class: 'explain-open', 'data-i18n': 'graphExplain' }),
      h('div', { class: 'controls row' },
        h('label', { class: 'field', for: id('act') }, h('span', { 'data-i18n': 'activation' }),
          h('select', { id: id('act'), name: 'activation' }, ACTS.map((a) => h('option', { value: a, 'data-i18n': a === 'identity' ? 'act_identity' : null }, ACT_LABEL[a])))),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', name: 'back', 'data-i18n': 'inspBack' }),
          h('button', { type: 'button', name: 'play', 'aria-pressed': 'false', 'data-i18n': 'play' }),
          h('button', { type: 'button', name: 'next', class: 'primary', 'data-i18n': 'inspNext' }),
          h('button', { type: 'button', name: 'shuffle', 'data-i18n': 'newWeights' })),
        h('span', { class: 'graph-count' })),
      h('p', { class: 'graph-stage', 'aria-live': 'polite' }),
      h('div', { class: 'graph-scroll', tabindex: '0', role: 'group', 'data-i18n-label': 'graphTitle' }, plane),
      h('div', { class: 'graph-eq', role: 'group', tabindex: '0', 'data-i18n-label': 'inspEqLabel' }),
      h('p', { class: 'graph-note', 'data-i18n': 'graphNote' })));
    this.$('select[name=activation]').value = this.act;
    this.$('select[name=activation]').addEventListener('change', (e) => {
      this.act = oneOf(e.target.value, ACTS, 'tanh');
      this.rebuild();
    });
    this.$('button[name=next]').addEventListener('click', () => this.go(+1));
    this.$('button[name=back]').addEventListener('click', () => this.go(-1));
    this.$('button[name=play]').addEventListener('click', () => this.togglePlay());
    this.$('button[name=shuffle]').addEventListener('click', () => { this.nextSeed(); this.rebuild(); });
  }

  onAttribute() {
    this.readAttributes();
    if (!this.lab) return;
    this.$('select[name=activation]').value = this.act;
    this.rebuild();
  }

  start() {
    this.rebuild();
  }

  onDisconnect() {
    this.stopPlay();
  }

  get stageCount() {
    return FORWARD + BACKWARD.length;
  }

  rebuild() {
    const lab = this.lab;
    this._net?.free();
    this._tail?.free();
    const net = lab.mlp({ layers: [2, 2, 1], activation: this.act, output: 'identity', loss: 'mse', seed: this.seedValue });
    // no biases, as in the book's graph
    const p = net.params();
    net.setParams({ W: p.W, b: [new Float32Array(2), new Float32Array(1)] });
    this._net = net;
    // The tail h → o → L behind an identity layer: its ∂L/∂z is ∂L/∂h.
    this._tail = lab.mlp({ layers: [2, 2, 1], activation: 'identity', output: 'identity', loss: 'mse' });
    this.update();
  }

  update() {
    const net = this._net;
    const params = net.params();
    const trace = net.trace(X, Y);
    this._tail.setParams({ W: [Float32Array.of(1, 0, 0, 1), params.W[1]], b: [new Float32Array(2), params.b[1]] });
    const dh = this._tail.trace(trace.h[0], Y).dz[0];
    const lam = this.lambda;
    let sq = 0;
    for (const w of params.W) for (const v of w) sq += v * v;
    const s = (lam / 2) * sq; // JS: the core has no penalty term in its API
    const gW = params.W.map((w, l) => w.map((v, i) => trace.dW[l][i] + lam * v));
    this._v = { trace, params, dh, s, J: trace.loss + s, gW, lambda: lam };
    this.draw();
  }

  redraw() {
    if (this._v) this.draw();
  }

  onLocalize() {
    if (this._v) this.draw();
  }

  go(delta) {
    const next = Math.max(0, Math.min(this.stageCount - 1, this.stage + delta));
    if (next === this.stage) return false;
    this.stage = next;
    this.draw();
    return true;
  }

  togglePlay() {
    if (this.playing) {
      this.stopPlay();
      return;
    }
    if (this.stage === this.stageCount - 1) this.stage = 0;
    this.playing = setInterval(() => {
      if (!this.isConnected || !this.go(+1) || this.stage === this.stageCount - 1) this.stopPlay();
    }, PLAY_MS);
    this.draw();
  }

  stopPlay() {
    if (!this.playing) return;
    clearInterval(this.playing);
    this.playing = 0;
    if (this._v) this.draw();
  }

  draw() {
    const v = this._v;
    if (!v) return;
    const lang = this.language;
    const { trace, params } = v;
    const stage = this.stage;
    const fwdStage = Math.min(stage, FORWARD - 1);
    const back = new Set(BACKWARD.slice(0, Math.max(0, stage - FORWARD + 1)).flat());
    const current = stage < FORWARD ? NODES.filter((n) => n.fwd === stage && n.kind === 'var').map((n) => n.id) : BACKWARD[stage - FORWARD];
    const value = {
      x: () => vec(lang, trace.input, { name: 'x' }),
      W1: () => mat(lang, params.W[0], 2, 2, { name: 'W1' }),
      z: () => vec(lang, trace.z[0], { name: 'z' }),
      h: () => vec(lang, trace.h[0], { name: 'h' }),
      W2: () => mat(lang, params.W[1], 2, 1, { name: 'W2' }),
      o: () => vec(lang, trace.z[1], { name: 'o' }),
      y: () => vec(lang, Y, { name: 'y' }),
      L: () => numEl(lang, trace.loss, 'num loss'),
      s: () => numEl(lang, v.s, 'num s'),
      J: () => numEl(lang, v.J, 'num J'),
    };
    const one = () => numEl(lang, 1, 'num');
    const grad = {
      J: one, L: one, s: one,
      o: () => vec(lang, trace.dz[1], { name: 'do' }),
      W2: () => mat(lang, v.gW[1], 2, 1, { name: 'dW2' }),
      h: () => vec(lang, v.dh, { name: 'dh' }),
      z: () => vec(lang, trace.dz[0], { name: 'dz' }),
      W1: () => mat(lang, v.gW[0], 2, 2, { name: 'dW1' }),
    };
    const NAME = { x: 'x', W1: 'W⁽¹⁾', z: 'z', h: 'h', W2: 'W⁽²⁾', o: 'o', y: 'y', L: 'L', s: 's', J: 'J' };
    for (const n of NODES) {
      const el = this.$(`[data-node="${n.id}"]`);
      const shown = n.fwd <= fwdStage;
      el.classList.toggle('shown', shown);
      el.classList.toggle('current', current.includes(n.id));
      if (n.kind !== 'var') continue;
      el.querySelector('.gname').textContent = NAME[n.id];
      el.querySelector('.gval').replaceChildren(shown ? value[n.id]() : '…');
      const g = el.querySelector('.ggrad');
      if (back.has(n.id)) g.replaceChildren(h('span', { class: 'sym' }, `∂J/∂${NAME[n.id]} = `), grad[n.id]());
      else g.replaceChildren();
      el.classList.toggle('has-grad', back.has(n.id));
    }
    this.drawEdges(fwdStage, back);
    const text = this.stageText(stage);
    const live = this.$('.graph-stage');
    if (live.textContent !== text) live.textContent = text;
    this.$('.graph-count').textContent = this.t('inspCount', { k: stage + 1, n: this.stageCount });
    this.dataset.stage = String(stage);
    this.$('button[name=back]').disabled = stage === 0;
    this.$('button[name=next]').disabled = stage === this.stageCount - 1;
    const play = this.$('button[name=play]');
    play.setAttribute('aria-pressed', String(!!this.playing));
    play.textContent = this.t(this.playing ? 'pause' : 'play');
    this.$('.graph-eq').replaceChildren(this.equation(stage));
    // a narrow screen scrolls the graph: keep the stage's nodes in view
    const box = this.$('.graph-scroll');
    if (box.scrollWidth > box.clientWidth + 1) {
      const xs = NODES.filter((n) => current.includes(n.id)).map((n) => n.x);
      const mid = xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : 0;
      const plane = this.$('.graph-plane');
      const left = plane.offsetLeft + mid - box.clientWidth / 2;
      box.scrollTo({ left: Math.max(0, left), behavior: scrollBehavior() });
    }
  }

  /** Arrows: forward ones as they are computed; backward ones (reversed, accent) as the gradient flows. */
  drawEdges(fwdStage, back) {
    const svg = this.$('svg.graph-edges');
    const ns = 'http://www.w3.org/2000/svg';
    const at = Object.fromEntries(NODES.map((n) => [n.id, n]));
    svg.replaceChildren();
    const marker = (idm, cls) => {
      const m = document.createElementNS(ns, 'marker');
      m.setAttribute('id', idm);
      m.setAttribute('viewBox', '0 0 10 10');
      m.setAttribute('refX', '9');
      m.setAttribute('refY', '5');
      m.setAttribute('markerWidth', '7');
      m.setAttribute('markerHeight', '7');
      m.setAttribute('orient', 'auto-start-reverse');
      const p = document.createElementNS(ns, 'path');
      p.setAttribute('d', 'M0,0 L10,5 L0,10 z');
      p.setAttribute('class', cls);
      m.append(p);
      return m;
    };
    const defs = document.createElementNS(ns, 'defs');
    defs.append(marker(`${this.uid}-a`, 'arrow'), marker(`${this.uid}-b`, 'arrow back'));
    svg.append(defs);
    for (const [a, b, via = []] of EDGES) {
      const A = at[a], B = at[b];
      // from the edge of the first box to the edge of the last, through the waypoints
      const pts = [[A.x, A.y], ...via, [B.x, B.y]];
      // leave each box at its border (boxes measured as drawn), 3 px short
      const half = (n) => {
        const el = this.$(`[data-node="${n.id}"]`);
        return [(el.offsetWidth || 30) / 2 + 3, (el.offsetHeight || 30) / 2 + 3];
      };
      const trim = (p, q, [hw, hh]) => {
        const dx = q[0] - p[0], dy = q[1] - p[1];
        const k = Math.min(dx ? hw / Math.abs(dx) : Infinity, dy ? hh / Math.abs(dy) : Infinity, 0.45);
        return [p[0] + dx * k, p[1] + dy * k];
      };
      pts[0] = trim(pts[0], pts[1], half(A));
      pts[pts.length - 1] = trim(pts[pts.length - 1], pts[pts.length - 2], half(B));
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', pts.map((p, i) => `${i ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(' '));
      path.setAttribute('fill', 'none');
      const shown = Math.max(A.fwd, B.fwd) <= fwdStage;
      // backward once the gradient has reached the value it flows to (for an operation: one of its inputs)
      const flowed = A.kind === 'var' ? back.has(a) : EDGES.some(([u, w]) => w === a && back.has(u));
      path.setAttribute('class', `edge${shown ? ' shown' : ''}${flowed ? ' back' : ''}`);
      if (flowed) path.setAttribute('marker-start', `url(#${this.uid}-b)`);
      else path.setAttribute('marker-end', `url(#${this.uid}-a)`);
      svg.append(path);
    }
  }

  stageText(stage) {
    const keys = ['graphS0', 'graphS1', 'graphS2', 'graphS3', 'graphS4', 'graphS5', 'graphS6', 'graphB0', 'graphB1', 'graphB2', 'graphB3', 'graphB4', 'graphB5'];
    return this.t(keys[stage], { act: ACT_LABEL[this.act], lambda: String(this.lambda) });
  }

  /** The formula of the stage with its numbers. */
  equation(stage) {
    const v = this._v;
    const lang = this.language;
    const { trace, params } = v;
    const sym = (s) => h('span', { class: 'sym' }, s);
    const rows = [
      () => [sym('x = '), vec(lang, trace.input), sym(', y = '), vec(lang, Y)],
      () => [sym('z = xW⁽¹⁾ = '), vec(lang, trace.input), sym(' · '), mat(lang, params.W[0], 2, 2), sym(' = '), vec(lang, trace.z[0])],
      () => [sym(`h = φ(z) = ${ACT_LABEL[this.act]}(`), vec(lang, trace.z[0]), sym(') = '), vec(lang, trace.h[0])],
      () => [sym('o = hW⁽²⁾ = '), vec(lang, trace.h[0]), sym(' · '), mat(lang, params.W[1], 2, 1), sym(' = '), vec(lang, trace.z[1])],
      () => [sym('L = l(o, y) = (o − y)² = '), numEl(lang, trace.loss)],
      () => [sym(`s = λ/2 (‖W⁽¹⁾‖² + ‖W⁽²⁾‖²) = ${num(lang, v.lambda)}/2 · (…) = `), numEl(lang, v.s)],
      () => [sym('J = L + s = '), numEl(lang, trace.loss), sym(' + '), numEl(lang, v.s), sym(' = '), numEl(lang, v.J)],
      () => [sym('∂J/∂L = 1,  ∂J/∂s = 1')],
      () => [sym('∂J/∂o = ∂J/∂L · ∂L/∂o = 2(o − y) = '), vec(lang, trace.dz[1])],
      () => [sym('∂J/∂W⁽²⁾ = hᵀ ∂J/∂o + λW⁽²⁾ = '), mat(lang, trace.dW[1], 2, 1), sym(' + '), sym(`${num(lang, v.lambda)} · `), mat(lang, params.W[1], 2, 1), sym(' = '), mat(lang, v.gW[1], 2, 1)],
      () => [sym('∂J/∂h = ∂J/∂o W⁽²⁾ᵀ = '), vec(lang, v.dh)],
      () => [sym('∂J/∂z = ∂J/∂h ⊙ φ′(z) = '), vec(lang, trace.dz[0])],
      () => [sym('∂J/∂W⁽¹⁾ = xᵀ ∂J/∂z + λW⁽¹⁾ = '), mat(lang, trace.dW[0], 2, 2), sym(' + '), sym(`${num(lang, v.lambda)} · `), mat(lang, params.W[0], 2, 2), sym(' = '), mat(lang, v.gW[0], 2, 2)],
    ];
    return h('div', { class: 'eq-line' }, rows[stage]());
  }
}

reflectAttributes(GraphWidget, { values: ATTRS });
