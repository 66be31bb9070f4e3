// activations64.js: an independent float64 reference for the activation
// functions and their derivatives, written from the math (no code shared with
// src/act.c). Only Math.exp, Math.expm1 and Math.sqrt are used; erf and erfc
// are computed here: a power series for |z| < 2.5 and a continued fraction
// beyond. Accurate to ~1e-15 relative, far below the float32 tolerances.
//
//   f(name, x, { alpha, beta }) -> number        the activation at x
//   df(name, x, { alpha, beta }) -> number       its derivative at x
//   erf(z), erfc(z), Phi(x) (normal CDF), pdf(x) (normal density)

export const NAMES = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity'];

const SQRT1_2 = Math.SQRT1_2;
const RSQRTPI = 1 / Math.sqrt(Math.PI);
const RSQRT2PI = 1 / Math.sqrt(2 * Math.PI);

// erf(z) = 2/sqrt(pi) exp(-z^2) sum_{k>=0} 2^k z^(2k+1) / (1*3*...*(2k+1)):
// every term positive, so no cancellation (good for |z| up to a few).
function erfSeries(z) {
  let term = z;
  let sum = z;
  const z2 = z * z;
  for (let k = 1; k < 200; k++) {
    term *= (2 * z2) / (2 * k + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return 2 * RSQRTPI * Math.exp(-z2) * sum;
}

// erfc(z), z > 0: exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...)))))
// evaluated from the tail (fixed depth; converges fast for z >= 2.5).
function erfcContinuedFraction(z) {
  let f = z;
  for (let k = 120; k >= 1; k--) f = z + k / 2 / f;
  return (RSQRTPI * Math.exp(-z * z)) / f;
}

export function erfc(z) {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 2 - erfc(-z);
  if (z === Infinity) return 0;
  if (z < 2.5) return 1 - erfSeries(z);
  return erfcContinuedFraction(z);
}

export function erf(z) {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return -erf(-z);
  if (z < 2.5) return erfSeries(z);
  return 1 - erfc(z);
}

// The standard normal CDF and density. Phi(x) for x < 0 through erfc of a
// positive argument, so the left tail keeps its relative accuracy.
export function Phi(x) {
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? 0.5 * erfc(-x * SQRT1_2) : 1 - 0.5 * erfc(x * SQRT1_2);
}

export function pdf(x) {
  return RSQRT2PI * Math.exp(-0.5 * x * x);
}

// sigmoid(x) = 1 / (1 + exp(-x)), evaluated on the side that cannot overflow.
function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// sigmoid(x) sigmoid(-x) = e / (1 + e)^2 with e = exp(-|x|).
function sigmoidPrime(x) {
  const e = Math.exp(-Math.abs(x));
  return e / ((1 + e) * (1 + e));
}

// tanh(x) = -expm1(-2|x|) / (2 + expm1(-2|x|)) with the sign of x.
function tanh(x) {
  if (Number.isNaN(x)) return NaN;
  const m = Math.expm1(-2 * Math.abs(x));
  const t = -m / (2 + m);
  return x < 0 || Object.is(x, -0) ? -t : t;
}

function tanhPrime(x) {
  const e = Math.exp(-2 * Math.abs(x));
  return (4 * e) / ((1 + e) * (1 + e));
}

function opts(o) {
  return { alpha: o && o.alpha !== undefined ? o.alpha : 0.01, beta: o && o.beta !== undefined ? o.beta : 1 };
}

export function f(name, x, o) {
  const { alpha, beta } = opts(o);
  if (Number.isNaN(x)) return NaN;
  switch (name) {
    case 'relu': return x > 0 ? x : 0;
    case 'prelu': return x > 0 ? x : alpha === 0 ? 0 : alpha * x;
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return tanh(x);
    case 'gelu':
      if (x === -Infinity) return -0;
      return x * Phi(x);
    case 'swish': {
      if (beta === 0) return x / 2;
      const s = sigmoid(beta * x);
      return s === 0 ? (x < 0 ? -0 : 0) : x * s;
    }
    case 'identity': return x;
    default: throw new RangeError(`unknown activation ${name}`);
  }
}

export function df(name, x, o) {
  const { alpha, beta } = opts(o);
  if (Number.isNaN(x)) return NaN;
  switch (name) {
    case 'relu': return x > 0 ? 1 : 0; // relu'(0) = 0
    case 'prelu': return x > 0 ? 1 : alpha; // the left derivative at 0
    case 'sigmoid': return sigmoidPrime(x);
    case 'tanh': return tanhPrime(x);
    case 'gelu':
      if (!Number.isFinite(x)) return x > 0 ? 1 : 0;
      return Phi(x) + x * pdf(x);
    case 'swish': {
      if (beta === 0) return 0.5;
      const bx = beta * x;
      const g = sigmoidPrime(bx);
      return sigmoid(bx) + (g === 0 ? 0 : bx * g);
    }
    case 'identity': return 1;
    default: throw new RangeError(`unknown activation ${name}`);
  }
}
