// Playground settings: defaults, defensive parsing (URL hash or element
// attributes) and serialisation. Pure: no DOM. Nothing parsed here ever
// becomes HTML; every value is checked against a list or clamped.

import { Drawn } from './drawn.js';

export const DATASETS = ['circle', 'xor', 'gaussian', 'spiral', 'moons', 'blobs', 'sin', 'abs', 'step',
  'aboveSin', 'aboveCubic', 'aboveAbs', 'drawn'];
export const REGRESSION = new Set(['sin', 'abs', 'step']);
export const ACTIVATIONS = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity'];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'];
export const LOSSES = ['ce', 'mse'];
export const INITS = ['xavier', 'he'];
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const L2_RATES = [0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
export const SPEEDS = ['1', '10', 'max']; // epochs per animation frame; max: fill a ~16 ms budget
export const MAX_HIDDEN = 6;
export const MAX_UNITS = 64;
/** The network's input features (lab.features names), in the order the input column shows them. */
export const FEATURE_NAMES = Object.freeze(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2']);
/** The features 1-D data has (no x2). */
export const FEATURES_1D = Object.freeze(['x1', 'x1sq', 'sin1']);
/** Stop conditions: test accuracy at least, test loss at most, or an epoch count. */
export const STOP_KINDS = Object.freeze(['acc', 'loss', 'epoch']);

export const DEFAULTS = Object.freeze({
  dataset: 'circle',
  n: 400,
  noise: 0,
  train: 50,
  hidden: Object.freeze([4, 4]),
  activation: 'tanh',
  alpha: 0.1,
  beta: 1,
  loss: 'ce',
  optimizer: 'sgd',
  lr: 0.03,
  batch: 10,
  l2: 0,
  init: 'xavier',
  seed: 1,
  speed: '1',
  test: true,
  features: Object.freeze(['x1', 'x2']),
  stop: 'none', // 'none', 'acc:0.99', 'loss:0.05' or 'epoch:500' (see parseStop)
  regions: false, // exercise 4: the linear regions overlay (regions-overlay.js)
});

/** Every key a shared link may carry, in the order they are written. */
export const KEYS = Object.keys(DEFAULTS);

const MAX_HASH = 2000; // characters of a hash we are willing to read
const MAX_VALUE = 64; // characters of one value

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}

function num(raw, lo, hi, fallback) {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_VALUE) return fallback;
  const v = Number(raw);
  return Number.isFinite(v) ? clamp(v, lo, hi) : fallback;
}

function int(raw, lo, hi, fallback) {
  const v = num(raw, lo, hi, NaN);
  return Number.isFinite(v) ? Math.round(v) : fallback;
}

/** raw if it is one of list's strings, else fallback (attributes and hash values). */
export function oneOf(raw, list, fallback) {
  return typeof raw === 'string' && list.includes(raw) ? raw : fallback;
}

/** The integer a string attribute spells, if it lies in [lo, hi], else fallback. */
export function intIn(raw, lo, hi, fallback) {
  const v = Number(raw);
  return typeof raw === 'string' && raw !== '' && Number.isInteger(v) && v >= lo && v <= hi ? v : fallback;
}

/** The list entry nearest to v on a log scale (0 is its own bucket). */
export function nearest(v, list) {
  let best = list[0];
  let bestD = Infinity;
  for (const c of list) {
    const d = c === 0 || v === 0 ? (c === v ? 0 : Infinity) : Math.abs(Math.log(c / v));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (bestD === Infinity) return v <= 0 ? list[0] : list[list.length - 1];
  return best;
}

/** Parse "4,4" into [4, 4]: at most MAX_HIDDEN widths in 1..MAX_UNITS. */
export function parseHidden(raw, fallback = DEFAULTS.hidden) {
  if (typeof raw !== 'string' || raw.length > MAX_VALUE) return [...fallback];
  const s = raw.trim();
  if (s === '' || s === '-' || s === 'none') return [];
  const parts = s.split(',');
  if (parts.length > MAX_HIDDEN) return [...fallback];
  const out = [];
  for (const p of parts) {
    if (!/^\s*\d{1,4}\s*$/.test(p)) return [...fallback];
    out.push(clamp(parseInt(p, 10), 1, MAX_UNITS));
  }
  return out;
}

/**
 * The features a list names, for data with d inputs (1 or 2): unknown and
 * repeated names are dropped, names that read x2 are dropped for 1-D data, and
 * the order is FEATURE_NAMES'. Never empty: falls back to x1, x2 (x1 for 1-D).
 * raw: "x1,x2,x1sq" or an array of names.
 */
export function parseFeatures(raw, d = 2, fallback = DEFAULTS.features) {
  const allowed = d === 1 ? FEATURES_1D : FEATURE_NAMES;
  const pick = (list) => allowed.filter((f) => list.includes(f));
  const back = () => {
    const f = Array.isArray(fallback) ? pick(fallback) : [];
    return f.length ? f : d === 1 ? ['x1'] : [...DEFAULTS.features];
  };
  let list = raw;
  if (typeof raw === 'string') {
    if (raw.length > 2 * MAX_VALUE) return back();
    list = raw.split(',').map((p) => p.trim());
  }
  if (!Array.isArray(list)) return back();
  const f = pick(list.filter((v) => typeof v === 'string'));
  return f.length ? f : back();
}

/**
 * A stop condition "acc:0.99" | "loss:0.05" | "epoch:500" in its canonical
 * form, or 'none' (also for anything unreadable). acc is 0.5 to 1 (a
 * percentage 50 to 100 is read as a fraction), loss 0.0001 to 10, epoch 1 to 100,000.
 */
export function parseStop(raw) {
  const NONE = 'none';
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_VALUE) return NONE;
  const m = /^\s*(acc|loss|epoch)\s*[:=]\s*([0-9.eE+-]{1,24})\s*$/.exec(raw);
  if (!m) return NONE;
  let v = Number(m[2]);
  if (!Number.isFinite(v)) return NONE;
  if (m[1] === 'acc') {
    if (v > 1 && v <= 100) v /= 100;
    if (!(v > 0)) return NONE;
    v = Math.round(clamp(v, 0.5, 1) * 1000) / 1000;
  } else if (m[1] === 'loss') {
    if (!(v > 0)) return NONE;
    v = Number(clamp(v, 0.0001, 10).toPrecision(3));
  } else {
    v = Math.round(clamp(v, 1, 100000));
  }
  return `${m[1]}:${v}`;
}

/** A canonical stop string as { kind, value }, or null for none. */
export function stopRule(stop) {
  const s = parseStop(stop);
  if (s === 'none') return null;
  const [kind, v] = s.split(':');
  return { kind, value: Number(v) };
}

function bool(raw, fallback) {
  if (raw === 'true' || raw === '1' || raw === '') return true;
  if (raw === 'false' || raw === '0') return false;
  return fallback;
}

/**
 * Build settings from a getter (key -> string | null), e.g. URLSearchParams#get
 * or an element's getAttribute. Unknown or bad values fall back to defaults.
 */
export function parseSettings(get, base = DEFAULTS) {
  const g = (k) => {
    const v = get(k);
    return v == null ? undefined : String(v);
  };
  const dataset = oneOf(g('dataset'), DATASETS, base.dataset);
  const s = {
    dataset,
    n: int(g('n'), 50, 2000, base.n),
    noise: num(g('noise'), 0, 1, base.noise),
    train: int(g('train'), 10, 90, base.train),
    hidden: g('hidden') === undefined ? [...base.hidden] : parseHidden(g('hidden'), base.hidden),
    activation: oneOf(g('activation'), ACTIVATIONS, base.activation),
    alpha: num(g('alpha'), 0, 1, base.alpha),
    beta: num(g('beta'), 0.1, 10, base.beta),
    loss: oneOf(g('loss'), LOSSES, base.loss),
    optimizer: oneOf(g('optimizer'), OPTIMIZERS, base.optimizer),
    lr: nearest(num(g('lr'), 1e-6, 100, base.lr), LEARNING_RATES),
    batch: int(g('batch'), 1, 100, base.batch),
    l2: nearest(num(g('l2'), 0, 10, base.l2), L2_RATES),
    init: oneOf(g('init'), INITS, base.init),
    seed: int(g('seed'), 0, 99999, base.seed),
    speed: oneOf(g('speed'), SPEEDS, base.speed),
    test: bool(g('test'), base.test),
    // Coming from 1-D data, its x1-only features do not carry over to 2-D data.
    features: parseFeatures(g('features'), REGRESSION.has(dataset) ? 1 : 2,
      g('features') === undefined && REGRESSION.has(base.dataset) && !REGRESSION.has(dataset) ? DEFAULTS.features : base.features),
    stop: parseStop(g('stop') === undefined ? base.stop : g('stop')),
    regions: bool(g('regions') === 'on' ? 'true' : g('regions') === 'off' ? 'false' : g('regions'), base.regions),
  };
  s.noise = Math.round(s.noise * 100) / 100;
  s.alpha = Math.round(s.alpha * 100) / 100;
  s.beta = Math.round(s.beta * 100) / 100;
  return s;
}

/** obj[key] when it is obj's own property (a polluted Object.prototype changes nothing). */
export function own(obj, key) {
  return obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Settings from a plain object (an exported file's settings), own properties only. */
export function settingsFromObject(raw) {
  return parseSettings((k) => {
    const v = own(raw, k);
    if (Array.isArray(v)) return v.join(',');
    return v === undefined || v === null || typeof v === 'object' ? null : String(v);
  });
}

function hashParams(hash) {
  let h = typeof hash === 'string' ? hash : '';
  if (h.length > MAX_HASH) h = '';
  if (h.startsWith('#')) h = h.slice(1);
  try {
    return new URLSearchParams(h);
  } catch {
    return new URLSearchParams();
  }
}

/** Parse a location.hash ("#dataset=xor&hidden=4,4"). */
export function parseHash(hash) {
  const params = hashParams(hash);
  return parseSettings((k) => params.get(k));
}

/**
 * A link to one playground's run on the page it is on, for a playground that
 * does not own the page's hash: "mlp=<target>&dataset=xor&...", where target
 * is the element's id or its position on the page (1, 2, ...).
 */
export function linkHash(target, s, points = null) {
  const p = new URLSearchParams({ mlp: String(target) });
  return `${p}&${toHash(s, points)}`;
}

/** The settings a location.hash made by linkHash gives target, or null. */
export function parseLinkHash(hash, target) {
  const params = hashParams(hash);
  if (params.get('mlp') !== String(target)) return null;
  return parseSettings((k) => params.get(k));
}

/**
 * Whether a hash asks the playground to start training: an autoplay link
 * ("#dataset=xor&autoplay" or autoplay=1/true). Not a setting: the hash the
 * playground writes back leaves it out, so a shared link plays only if asked.
 */
export function hashAutoplay(hash) {
  const params = hashParams(hash);
  return params.has('autoplay') && bool(params.get('autoplay'), false);
}

/**
 * The drawn points a hash carries (points=..., see drawn.js), or null when it
 * has none or they are unreadable. Only read for dataset=drawn; with a target,
 * only from a link to that playground (linkHash).
 */
export function parsePoints(hash, target = null) {
  const params = hashParams(hash);
  if (target !== null && params.get('mlp') !== String(target)) return null; // a link to another playground
  return params.get('dataset') === 'drawn' ? Drawn.decode(params.get('points')) : null;
}

/** Settings back to a hash string (without '#'), keys in a fixed order; points: a drawn set's encode(). */
export function toHash(s, points = null) {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = s[k];
    p.set(k, Array.isArray(v) ? v.join(',') : String(v ?? ''));
  }
  if (s.dataset === 'drawn' && typeof points === 'string' && points) p.set('points', points);
  // URLSearchParams escapes ',' as %2C; keep the readable form.
  return p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** Which output layer and loss a data set and a 'ce' | 'mse' choice mean. */
export function headFor(dataset, classes, loss) {
  if (REGRESSION.has(dataset) || classes === 0) return { q: 1, output: 'identity', loss: 'mse', kind: 'regression' };
  if (classes === 2) {
    return loss === 'mse'
      ? { q: 1, output: 'sigmoid', loss: 'mse', kind: 'binary' }
      : { q: 1, output: 'sigmoid', loss: 'bce', kind: 'binary' };
  }
  return loss === 'mse'
    ? { q: classes, output: 'softmax', loss: 'mse', kind: 'multi' }
    : { q: classes, output: 'softmax', loss: 'cross_entropy', kind: 'multi' };
}

/** A small seeded PRNG (mulberry32) for UI-side shuffles; never for the model. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
