// An independent float64 model of the mlp-lab network, written from the math
// (src/mlp_lab.h states the semantics; this file does not follow the C code).
//
// Notation as in the chapter: a batch X is (n, d), layer l has W_l
// (fan_in, fan_out) row-major and b_l (fan_out); Z_l = H_{l-1} W_l + b_l,
// H_l = act(Z_l) for hidden layers, O = out(Z_L) for the last one.
//
// Losses (means):
//   mse            mean over n*q of (o - y)^2, o after the output function
//   bce            mean over n*q of -(y log o + (1-y) log(1-o)), o = sigmoid(z),
//                  evaluated from the logit z: max(z,0) - z y + log1p(exp(-|z|))
//   cross_entropy  mean over n of -log softmax(z)[y_i]
// Optimizers: sgd p -= lr g; momentum v = 0.9 v + g, p -= lr v;
//   adam (0.9, 0.999, 1e-8), bias-corrected. g = dL/dp + l2 * W (weights only).

export const ACTIVATIONS = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity'];

// ---- erf -------------------------------------------------------------------
// |x| < 2.5: the Maclaurin series (terms peak near 10, so about 1e-15 absolute);
// larger |x|: erfc by its continued fraction (modified Lentz), which converges
// fast there; |x| >= 6: erf = +-1 to double precision.
export function erf(x) {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax < 2.5) {
    let sum = 0, term = x; // term = (-1)^k x^(2k+1) / k!
    for (let k = 0; k < 200; k++) {
      const t = term / (2 * k + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
      term *= -x * x / (k + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  return Math.sign(x) * (1 - erfcLarge(ax));
}

// erfc(x) for x >= 2.5: exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
function erfcLarge(x) {
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    D = x + a * D; if (D === 0) D = tiny; D = 1 / D;
    C = x + a / C; if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// ---- activations in float64 --------------------------------------------------
export function act(kind, x, alpha = 0.25, beta = 1) {
  switch (kind) {
    case 'relu': return x > 0 ? x : 0;
    case 'prelu': return x > 0 ? x : alpha * x;
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return Math.tanh(x);
    case 'gelu': return 0.5 * x * (1 + erf(x * SQRT1_2));
    case 'swish': return x * sigmoid(beta * x);
    case 'identity': return x;
    default: throw new Error(`mlp64: unknown activation ${kind}`);
  }
}

// relu'(0) = 0, prelu'(0) = alpha (the chapter's convention, as in mlp_lab.h).
export function actDerivative(kind, x, alpha = 0.25, beta = 1) {
  switch (kind) {
    case 'relu': return x > 0 ? 1 : 0;
    case 'prelu': return x > 0 ? 1 : alpha;
    case 'sigmoid': { const s = sigmoid(x); return s * (1 - s); }
    case 'tanh': { const t = Math.tanh(x); return 1 - t * t; }
    case 'gelu': return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case 'swish': { const s = sigmoid(beta * x); return s + beta * x * s * (1 - s); }
    case 'identity': return 1;
    default: throw new Error(`mlp64: unknown activation ${kind}`);
  }
}

// ---- a small seeded PRNG for test data (mulberry32, tests/ref/rng.js) --------
export { rng } from './rng.js';

const VALID = { mse: ['identity', 'sigmoid', 'softmax'], bce: ['sigmoid'], cross_entropy: ['softmax'] };

// ---- the network -------------------------------------------------------------
export class MLP64 {
  constructor({ layers, activation = 'relu', output = 'identity', loss = 'mse', alpha = 0.25, beta = 1 }) {
    if (!VALID[loss] || !VALID[loss].includes(output)) throw new Error(`mlp64: ${loss} with ${output}`);
    this.sizes = layers.slice();
    this.L = layers.length - 1;
    this.activation = activation;
    this.output = output;
    this.lossName = loss;
    this.alpha = alpha;
    this.beta = beta;
    this.W = [];
    this.b = [];
    for (let l = 0; l < this.L; l++) {
      this.W.push(new Float64Array(layers[l] * layers[l + 1]));
      this.b.push(new Float64Array(layers[l + 1]));
    }
    this.resetOptimizer();
  }

  get d() { return this.sizes[0]; }
  get q() { return this.sizes[this.L]; }

  resetOptimizer() {
    const zeros = () => ({ W: this.W.map((w) => new Float64Array(w.length)), b: this.b.map((b) => new Float64Array(b.length)) });
    this.m = zeros();
    this.v = zeros();
    this.t = 0;
  }

  setParams({ W, b }) {
    for (let l = 0; l < this.L; l++) {
      if (W[l].length !== this.W[l].length || b[l].length !== this.b[l].length) throw new Error('mlp64: params shape');
      this.W[l] = Float64Array.from(W[l]);
      this.b[l] = Float64Array.from(b[l]);
    }
    return this;
  }

  params() {
    return { W: this.W.map((w) => Float64Array.from(w)), b: this.b.map((b) => Float64Array.from(b)) };
  }

  // Flat views for perturbation: [W_0, b_0, W_1, b_1, ...].
  paramArrays() {
    const out = [];
    for (let l = 0; l < this.L; l++) out.push(this.W[l], this.b[l]);
    return out;
  }

  // Returns { Z: pre-activations per layer, H: inputs to each layer (H[0] = X) and
  // hidden outputs, O: the network output (n, q) after the output function }.
  forwardAll(X) {
    const n = X.length / this.d;
    if (!Number.isInteger(n)) throw new Error('mlp64: X length');
    const H = [Float64Array.from(X)];
    const Z = [];
    for (let l = 0; l < this.L; l++) {
      const fin = this.sizes[l], fout = this.sizes[l + 1];
      const inp = H[l], W = this.W[l], b = this.b[l];
      const z = new Float64Array(n * fout);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < fout; j++) {
          let s = b[j];
          for (let k = 0; k < fin; k++) s += inp[i * fin + k] * W[k * fout + j];
          z[i * fout + j] = s;
        }
      }
      Z.push(z);
      if (l < this.L - 1) H.push(z.map((v) => act(this.activation, v, this.alpha, this.beta)));
    }
    const zL = Z[this.L - 1], q = this.q;
    let O;
    if (this.output === 'identity') O = Float64Array.from(zL);
    else if (this.output === 'sigmoid') O = zL.map(sigmoid);
    else {
      O = new Float64Array(n * q);
      for (let i = 0; i < n; i++) {
        let mx = -Infinity;
        for (let j = 0; j < q; j++) mx = Math.max(mx, zL[i * q + j]);
        let s = 0;
        for (let j = 0; j < q; j++) s += Math.exp(zL[i * q + j] - mx);
        for (let j = 0; j < q; j++) O[i * q + j] = Math.exp(zL[i * q + j] - mx) / s;
      }
    }
    return { n, Z, H, O };
  }

  forward(X) { return this.forwardAll(X).O; }
  hidden(X) { return this.forwardAll(X).H.slice(1); }

  // The loss and dL/dZ_L.
  lossAndDelta(f, Y) {
    const { n, Z, O } = f;
    const q = this.q, z = Z[this.L - 1];
    const dz = new Float64Array(n * q);
    let loss = 0;
    if (this.lossName === 'cross_entropy') {
      if (Y.length !== n) throw new Error('mlp64: Y length');
      for (let i = 0; i < n; i++) {
        const y = Y[i];
        if (!Number.isInteger(y) || y < 0 || y >= q) throw new Error('mlp64: label');
        let mx = -Infinity;
        for (let j = 0; j < q; j++) mx = Math.max(mx, z[i * q + j]);
        let s = 0;
        for (let j = 0; j < q; j++) s += Math.exp(z[i * q + j] - mx);
        loss += mx + Math.log(s) - z[i * q + y];
        for (let j = 0; j < q; j++) dz[i * q + j] = (O[i * q + j] - (j === y ? 1 : 0)) / n;
      }
      return { loss: loss / n, dz };
    }
    if (Y.length !== n * q) throw new Error('mlp64: Y length');
    const m = n * q;
    if (this.lossName === 'bce') {
      for (let k = 0; k < m; k++) {
        const zk = z[k], y = Y[k];
        loss += Math.max(zk, 0) - zk * y + Math.log1p(Math.exp(-Math.abs(zk)));
        dz[k] = (O[k] - y) / m;
      }
      return { loss: loss / m, dz };
    }
    // mse: dL/dO, then through the output function
    const dO = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const e = O[k] - Y[k];
      loss += e * e;
      dO[k] = (2 * e) / m;
    }
    if (this.output === 'identity') dz.set(dO);
    else if (this.output === 'sigmoid') for (let k = 0; k < m; k++) dz[k] = dO[k] * O[k] * (1 - O[k]);
    else {
      for (let i = 0; i < n; i++) {
        let dot = 0;
        for (let j = 0; j < q; j++) dot += dO[i * q + j] * O[i * q + j];
        for (let j = 0; j < q; j++) dz[i * q + j] = O[i * q + j] * (dO[i * q + j] - dot);
      }
    }
    return { loss: loss / m, dz };
  }

  loss(X, Y) { return this.lossAndDelta(this.forwardAll(X), Y).loss; }

  // { loss, dW, db } of the data loss (no weight decay).
  gradients(X, Y) {
    const f = this.forwardAll(X);
    const { n, Z, H } = f;
    let { loss, dz } = this.lossAndDelta(f, Y);
    const dW = [], db = [];
    for (let l = this.L - 1; l >= 0; l--) {
      const fin = this.sizes[l], fout = this.sizes[l + 1];
      const inp = H[l], W = this.W[l];
      const gW = new Float64Array(fin * fout), gb = new Float64Array(fout);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < fout; j++) {
          const g = dz[i * fout + j];
          gb[j] += g;
          for (let k = 0; k < fin; k++) gW[k * fout + j] += inp[i * fin + k] * g;
        }
      }
      dW[l] = gW;
      db[l] = gb;
      if (l > 0) {
        const zprev = Z[l - 1];
        const dprev = new Float64Array(n * fin);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < fin; k++) {
            let s = 0;
            for (let j = 0; j < fout; j++) s += dz[i * fout + j] * W[k * fout + j];
            dprev[i * fin + k] = s * actDerivative(this.activation, zprev[i * fin + k], this.alpha, this.beta);
          }
        }
        dz = dprev;
      }
    }
    return { loss, dW, db };
  }

  // One update; returns the data loss before it.
  step(X, Y, { lr, optimizer = 'sgd', l2 = 0 }) {
    const { loss, dW, db } = this.gradients(X, Y);
    const groups = [];
    for (let l = 0; l < this.L; l++) {
      for (let k = 0; k < dW[l].length; k++) dW[l][k] += l2 * this.W[l][k];
      groups.push([this.W[l], dW[l], this.m.W[l], this.v.W[l]], [this.b[l], db[l], this.m.b[l], this.v.b[l]]);
    }
    if (optimizer === 'adam') this.t += 1;
    const c1 = 1 - Math.pow(0.9, this.t), c2 = 1 - Math.pow(0.999, this.t);
    for (const [p, g, m, v] of groups) {
      for (let k = 0; k < p.length; k++) {
        if (optimizer === 'sgd') p[k] -= lr * g[k];
        else if (optimizer === 'momentum') { m[k] = 0.9 * m[k] + g[k]; p[k] -= lr * m[k]; }
        else if (optimizer === 'adam') {
          m[k] = 0.9 * m[k] + 0.1 * g[k];
          v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
          p[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + 1e-8);
        } else throw new Error(`mlp64: unknown optimizer ${optimizer}`);
      }
    }
    return loss;
  }

  // W = W1 W2 ..., b = b1 W2 ... + bL, for an all-identity network.
  collapse() {
    let W = Float64Array.from(this.W[0]), b = Float64Array.from(this.b[0]);
    let rows = this.sizes[0];
    for (let l = 1; l < this.L; l++) {
      const fin = this.sizes[l], fout = this.sizes[l + 1], Wl = this.W[l];
      const W2 = new Float64Array(rows * fout), b2 = Float64Array.from(this.b[l]);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < fout; j++) {
          let s = 0;
          for (let k = 0; k < fin; k++) s += W[r * fin + k] * Wl[k * fout + j];
          W2[r * fout + j] = s;
        }
      for (let j = 0; j < fout; j++) for (let k = 0; k < fin; k++) b2[j] += b[k] * Wl[k * fout + j];
      W = W2; b = b2;
    }
    return { W, b };
  }
}

// Central differences of the reference's own loss, per parameter:
// returns [{ W: Float64Array[], b: Float64Array[] }] of the same layout.
export function numericGradients(net, X, Y, h = 1e-6) {
  const dW = [], db = [];
  for (let l = 0; l < net.L; l++) {
    for (const [src, dst] of [[net.W[l], (dW[l] = new Float64Array(net.W[l].length))], [net.b[l], (db[l] = new Float64Array(net.b[l].length))]]) {
      for (let k = 0; k < src.length; k++) {
        const p = src[k];
        src[k] = p + h; const fp = net.loss(X, Y);
        src[k] = p - h; const fm = net.loss(X, Y);
        src[k] = p;
        dst[k] = (fp - fm) / (2 * h);
      }
    }
  }
  return { dW, db };
}
