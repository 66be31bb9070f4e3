// The plain-JS comparison for the activations: one monomorphic loop per
// function over Float32Arrays, using Math.exp / Math.tanh, as someone would
// write it without wasm. GELU uses an honest erf (below), not the tanh
// approximation.

// erf by Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7, below float32's
// resolution near 1; odd symmetry handled explicitly.
export function erf(x) {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1 - p * Math.exp(-a * a));
}

const SQRT1_2 = Math.SQRT1_2, INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// ReLU and pReLU are written branch-free (a boolean times a number): the
// obvious `v > 0 ? v : 0` (or Math.max) compiles to a branch that random signs
// mispredict half the time, ~5x slower here (about 180 Melem/s).
export const forward = {
  relu(y, x, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v * (v > 0); } },
  prelu(y, x, n, alpha) { const b = 1 - alpha; for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v * (alpha + b * (v > 0)); } },
  sigmoid(y, x, n) { for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i])); },
  tanh(y, x, n) { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); },
  gelu(y, x, n) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = 0.5 * v * (1 + erf(v * SQRT1_2)); } },
  swish(y, x, n, alpha, beta) { for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v / (1 + Math.exp(-beta * v)); } },
};

export const derivative = {
  relu(y, x, n) { for (let i = 0; i < n; i++) y[i] = +(x[i] > 0); },
  prelu(y, x, n, alpha) { const b = 1 - alpha; for (let i = 0; i < n; i++) y[i] = alpha + b * (x[i] > 0); },
  sigmoid(y, x, n) { for (let i = 0; i < n; i++) { const s = 1 / (1 + Math.exp(-x[i])); y[i] = s * (1 - s); } },
  tanh(y, x, n) { for (let i = 0; i < n; i++) { const t = Math.tanh(x[i]); y[i] = 1 - t * t; } },
  gelu(y, x, n) {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] = 0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    }
  },
  swish(y, x, n, alpha, beta) {
    for (let i = 0; i < n; i++) {
      const v = x[i], s = 1 / (1 + Math.exp(-beta * v));
      y[i] = s + beta * v * s * (1 - s);
    }
  },
};

// float64 references for the sanity check (erf here by its Taylor / continued
// fraction is overkill: A&S's 1.5e-7 is far below the tolerance we check).
export function ref(kind, deriv, v, alpha, beta) {
  switch (kind) {
    case 'relu': return deriv ? (v > 0 ? 1 : 0) : Math.max(v, 0);
    case 'prelu': return deriv ? (v > 0 ? 1 : alpha) : v > 0 ? v : alpha * v;
    case 'sigmoid': { const s = 1 / (1 + Math.exp(-v)); return deriv ? s * (1 - s) : s; }
    case 'tanh': { const t = Math.tanh(v); return deriv ? 1 - t * t : t; }
    case 'gelu': return deriv ? 0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)
      : 0.5 * v * (1 + erf(v * SQRT1_2));
    case 'swish': { const s = 1 / (1 + Math.exp(-beta * v)); return deriv ? s + beta * v * s * (1 - s) : v * s; }
  }
  throw new Error(kind);
}
