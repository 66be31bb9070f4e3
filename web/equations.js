// The chapter's formulas of forward and backward propagation with one
// example's numbers filled in: H = φ(XW⁽¹⁾ + b⁽¹⁾), O = HW⁽²⁾ + b⁽²⁾, the
// loss, ∂L/∂W = Hᵀ ∂L/∂Z and ∂L/∂H = ∂L/∂Z Wᵀ. Every number is one the core
// computed (net.trace, net.params); this module only lays them out. No
// arithmetic happens here. Used by the playground's inspect panel
// (playground-inspect.js) and the computational graph (graph.js).

import { h } from './base.js';

const SUP = { 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
const SUB = { 0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉' };
/** Entries of a vector or a matrix side shown before "…". */
export const MAX_SHOWN = 8;

/** "⁽²⁾" for layer 2 (the book counts weight layers from 1). */
export function sup(n) {
  return `⁽${String(n).replace(/\d/g, (c) => SUP[c])}⁾`;
}

/** "₁₂" for 12. */
export function sub(n) {
  return String(n).replace(/\d/g, (c) => SUB[c]);
}

const formatters = new Map();
/** A number with 3 significant digits in the language's notation; tiny ones in E notation. */
export function num(lang, v) {
  if (v == null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const tiny = v !== 0 && Math.abs(v) < 1e-3;
  const key = `${lang}:${tiny}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, tiny
      ? { notation: 'scientific', maximumSignificantDigits: 3 }
      : { maximumSignificantDigits: 3, maximumFractionDigits: 4 });
    formatters.set(key, f);
  }
  const s = f.format(v).replace('-', '−');
  return s === '−0' ? '0' : s;
}

/** One number as a span; data-v keeps the full float for tests and the hover text. */
export function numEl(lang, v, cls = 'num') {
  return h('span', { class: cls, 'data-v': String(v) }, num(lang, v));
}

/** [a, b, c] as a row vector (at most MAX_SHOWN entries, then "…"). */
export function vec(lang, arr, { name = null } = {}) {
  const items = [];
  const n = Math.min(arr.length, MAX_SHOWN);
  for (let i = 0; i < n; i++) items.push(numEl(lang, arr[i]));
  if (arr.length > n) items.push(h('span', { class: 'more' }, '…'));
  return h('span', { class: 'vec', 'data-name': name }, items);
}

/** A rows x cols row-major matrix as a small grid (at most MAX_SHOWN rows and columns). */
export function mat(lang, arr, rows, cols, { name = null } = {}) {
  const r = Math.min(rows, MAX_SHOWN), c = Math.min(cols, MAX_SHOWN);
  const cells = [];
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) cells.push(numEl(lang, arr[i * cols + j]));
    if (cols > c) cells.push(h('span', { class: 'more' }, '…'));
  }
  if (rows > r) cells.push(h('span', { class: 'more wide' }, '⋮'));
  const m = h('span', { class: 'mat', 'data-name': name, 'data-rows': rows, 'data-cols': cols }, cells);
  m.style.setProperty('--cols', String(c + (cols > c ? 1 : 0)));
  return m;
}

/** A line of an equation: parts are strings (symbols) and elements (numbers). */
export function line(...parts) {
  return h('div', { class: 'eq-line' }, parts.map((p) => (typeof p === 'string' ? h('span', { class: 'sym' }, p) : p)));
}

/** The formula itself, as the book writes it. */
export function formula(text) {
  return h('div', { class: 'eq-formula' }, text);
}

/** Symbols of weight layer l (0-based) of a network with `count` weight layers. */
export function names(l, count) {
  const k = l + 1;
  const input = l === 0 ? 'X' : count > 2 ? `H${sup(l)}` : 'H';
  const outName = l === count - 1 ? 'O' : count > 2 ? `H${sup(k)}` : 'H';
  const zName = l === count - 1 ? 'O' : `Z${sup(k)}`;
  return { k, W: `W${sup(k)}`, b: `b${sup(k)}`, input, out: outName, z: zName };
}

const LOSS_FORMULA = {
  mse: (q) => (q === 1 ? 'L = (ŷ − y)²' : `L = 1/${q} · Σⱼ (ŷⱼ − yⱼ)²`),
  bce: () => 'L = −[y log ŷ + (1 − y) log(1 − ŷ)]',
  cross_entropy: () => 'L = −log ŷ_y',
};
const OUT_FORMULA = { identity: 'ŷ = O', sigmoid: 'ŷ = σ(O) = 1 / (1 + e⁻ᴼ)', softmax: 'ŷ = softmax(O)' };
const DZ_FORMULA = {
  'identity/mse': (q) => (q === 1 ? '∂L/∂O = 2(ŷ − y)' : `∂L/∂O = 2(ŷ − y) / ${q}`),
  'sigmoid/mse': () => '∂L/∂O = 2(ŷ − y) ⊙ ŷ(1 − ŷ)',
  'softmax/mse': () => '∂L/∂O = softmax′(O) · 2(ŷ − y) / q',
  'sigmoid/bce': () => '∂L/∂O = ŷ − y',
  'softmax/cross_entropy': () => '∂L/∂O = ŷ − onehot(y)',
};

/**
 * The equations of one stage as elements. ctx: { lang, t, net, trace, params, stage, y, act, dH }
 * (dH: ∂L/∂H per hidden layer, from the core, see playground-inspect.js)
 * with stage { kind: 'input' | 'fwd' | 'loss' | 'bwd', l }.
 */
export function stageEquations(ctx) {
  const { lang, t, trace, params, stage, y } = ctx;
  const { config, layers } = ctx.net;
  const count = layers.length - 1;
  const q = layers[count];
  const out = [];
  const prev = (l) => (l === 0 ? trace.input : trace.h[l - 1]);
  if (stage.kind === 'input') {
    out.push(formula(t('eqInput')));
    out.push(line('x = ', vec(lang, trace.input, { name: 'x' })));
    out.push(line('y = ', targetEl(lang, t, config.loss, y)));
  } else if (stage.kind === 'fwd') {
    const l = stage.l;
    const n = names(l, count);
    const last = l === count - 1;
    out.push(formula(last ? `O = ${n.input}${n.W} + ${n.b}` : `${n.out} = φ(${n.input}${n.W} + ${n.b})`));
    out.push(line(`${n.input} = `, vec(lang, prev(l), { name: 'in' })));
    out.push(line(`${n.W} = `, mat(lang, params.W[l], layers[l], layers[l + 1], { name: 'W' })));
    out.push(line(`${n.b} = `, vec(lang, params.b[l], { name: 'b' })));
    out.push(line(`${last ? 'O' : n.z} = ${n.input}${n.W} + ${n.b} = `, vec(lang, trace.z[l], { name: 'z' })));
    if (last) out.push(line(`${OUT_FORMULA[config.output]} = `, vec(lang, trace.h[l], { name: 'h' })));
    else out.push(line(`${n.out} = ${ctx.act}(${n.z}) = `, vec(lang, trace.h[l], { name: 'h' })));
  } else if (stage.kind === 'loss') {
    out.push(formula(LOSS_FORMULA[config.loss](q)));
    out.push(line('ŷ = ', vec(lang, trace.h[count - 1], { name: 'yhat' })));
    out.push(line('y = ', targetEl(lang, t, config.loss, y)));
    out.push(line('L = ', numEl(lang, trace.loss, 'num loss')));
  } else {
    const l = stage.l;
    const n = names(l, count);
    const last = l === count - 1;
    const dName = `∂L/∂${last ? 'O' : n.z}`;
    if (last) {
      out.push(formula(DZ_FORMULA[`${config.output}/${config.loss}`](q)));
    } else {
      const up = names(l + 1, count);
      out.push(formula(`∂L/∂${n.out} = ∂L/∂${up.z} ${up.W}ᵀ,  ${dName} = ∂L/∂${n.out} ⊙ φ′(${n.z})`));
      out.push(line(`∂L/∂${up.z} = `, vec(lang, trace.dz[l + 1], { name: 'dzUp' })));
      out.push(line(`${up.W} = `, mat(lang, params.W[l + 1], layers[l + 1], layers[l + 2], { name: 'Wup' })));
      out.push(line(`∂L/∂${n.out} = `, vec(lang, ctx.dH[l], { name: 'dH' })));
    }
    out.push(line(`${dName} = `, vec(lang, trace.dz[l], { name: 'dz' })));
    out.push(formula(`∂L/∂${n.W} = ${n.input}ᵀ ${dName},  ∂L/∂${n.b} = ${dName}`));
    out.push(line(`${n.input} = `, vec(lang, prev(l), { name: 'in' })));
    out.push(line(`∂L/∂${n.W} = `, mat(lang, trace.dW[l], layers[l], layers[l + 1], { name: 'dW' })));
    out.push(line(`∂L/∂${n.b} = `, vec(lang, trace.db[l], { name: 'db' })));
  }
  return out;
}

/** The target: a class index, or the target value(s). */
export function targetEl(lang, t, loss, y) {
  if (loss === 'cross_entropy') return h('span', { class: 'num', 'data-v': String(y[0]) }, t('eqClass', { k: String(y[0]) }));
  return vec(lang, y, { name: 'y' });
}
