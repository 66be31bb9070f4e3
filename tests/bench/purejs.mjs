// A good pure-JS MLP, to compare our wasm against something fair: one flat
// Float32Array per role, row-major (n, width) batches, loops ordered so the
// innermost runs along contiguous memory, no allocation in the training loop.
//
// Same maths as the C core: H = act(X W + b); sigmoid + bce (mean over n*q,
// from the logits) or softmax + cross-entropy (mean over n); plain SGD.

const F = {
  tanh: (z) => Math.tanh(z),
  relu: (z) => (z > 0 ? z : 0),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
};

export class PureJsMlp {
  constructor({ sizes, act, output, loss, batch }, { W, b }, maxRows = 10000) {
    if (!(act in F)) throw new Error(`purejs: activation ${act}`);
    this.sizes = sizes;
    this.L = sizes.length - 1;
    this.act = act;
    this.output = output;
    this.loss = loss;
    this.W = W.map((w) => Float32Array.from(w));
    this.b = b.map((v) => Float32Array.from(v));
    this.dW = this.W.map((w) => new Float32Array(w.length));
    this.db = this.b.map((v) => new Float32Array(v.length));
    this.maxRows = Math.max(maxRows, batch);
    // A[0] is the input batch (a view); A[l] (rows, sizes[l]) after act
    this.A = sizes.map((s) => new Float32Array(this.maxRows * s));
    this.D = sizes.map((s) => new Float32Array(this.maxRows * s)); // dL/dZ per layer
  }

  // Forward over rows of X starting at row r0; leaves logits in A[L].
  forward_(X, r0, n) {
    const { sizes, L, A, W, b } = this;
    A[0] = X.subarray(r0 * sizes[0], (r0 + n) * sizes[0]);
    for (let l = 0; l < L; l++) {
      const fi = sizes[l], fo = sizes[l + 1], x = A[l], y = A[l + 1], w = W[l], bias = b[l];
      for (let i = 0; i < n; i++) {
        const yo = i * fo, xo = i * fi;
        for (let j = 0; j < fo; j++) y[yo + j] = bias[j];
        for (let k = 0; k < fi; k++) {
          const xv = x[xo + k], wo = k * fo;
          if (xv === 0) continue;
          for (let j = 0; j < fo; j++) y[yo + j] += xv * w[wo + j];
        }
      }
      if (l + 1 < L) {
        const m = n * fo;
        if (this.act === 'tanh') for (let i = 0; i < m; i++) y[i] = Math.tanh(y[i]);
        else for (let i = 0; i < m; i++) y[i] = y[i] > 0 ? y[i] : 0;
      }
    }
  }

  // Loss of the logits in A[L] against Y (rows r0..r0+n); when grad, also the
  // output delta D[L] = dLoss/dlogits.
  lossAndDelta_(Y, r0, n, grad) {
    const q = this.sizes[this.L], z = this.A[this.L], d = this.D[this.L];
    let s = 0;
    if (this.loss === 'bce') {
      const inv = 1 / (n * q);
      for (let i = 0; i < n * q; i++) {
        const v = z[i], y = Y[r0 * q + i];
        // -(y log s + (1-y) log(1-s)) = max(v,0) - v y + log(1 + e^-|v|)
        s += Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
        if (grad) d[i] = (1 / (1 + Math.exp(-v)) - y) * inv;
      }
      return s * inv;
    }
    // softmax + cross-entropy, Y holds class indices
    for (let i = 0; i < n; i++) {
      const o = i * q;
      let m = -Infinity;
      for (let j = 0; j < q; j++) m = Math.max(m, z[o + j]);
      let e = 0;
      for (let j = 0; j < q; j++) e += Math.exp(z[o + j] - m);
      const c = Y[r0 + i] | 0;
      s += Math.log(e) + m - z[o + c];
      if (grad) {
        for (let j = 0; j < q; j++) d[o + j] = Math.exp(z[o + j] - m) / e / n;
        d[o + c] -= 1 / n;
      }
    }
    return s / n;
  }

  step_(X, Y, r0, n, lr) {
    const { sizes, L, A, D, W, dW, db } = this;
    this.forward_(X, r0, n);
    const loss = this.lossAndDelta_(Y, r0, n, true);
    for (let l = L - 1; l >= 0; l--) {
      const fi = sizes[l], fo = sizes[l + 1], x = A[l], dz = D[l + 1], gw = dW[l], gb = db[l], w = W[l];
      gw.fill(0);
      gb.fill(0);
      for (let i = 0; i < n; i++) {
        const xo = i * fi, zo = i * fo;
        for (let j = 0; j < fo; j++) gb[j] += dz[zo + j];
        for (let k = 0; k < fi; k++) {
          const xv = x[xo + k], wo = k * fo;
          for (let j = 0; j < fo; j++) gw[wo + j] += xv * dz[zo + j];
        }
      }
      if (l > 0) {
        // D[l] = (dz W^T) * act'(A[l])
        const dx = D[l];
        for (let i = 0; i < n; i++) {
          const xo = i * fi, zo = i * fo;
          for (let k = 0; k < fi; k++) {
            const wo = k * fo;
            let s = 0;
            for (let j = 0; j < fo; j++) s += dz[zo + j] * w[wo + j];
            const a = x[xo + k];
            dx[xo + k] = this.act === 'tanh' ? s * (1 - a * a) : a > 0 ? s : 0;
          }
        }
      }
    }
    for (let l = 0; l < L; l++) {
      const w = W[l], gw = dW[l], bias = this.b[l], gb = db[l];
      for (let i = 0; i < w.length; i++) w[i] -= lr * gw[i];
      for (let i = 0; i < bias.length; i++) bias[i] -= lr * gb[i];
    }
    return loss;
  }

  trainEpoch(X, Y, batch, lr) {
    const n = X.length / this.sizes[0];
    let s = 0;
    for (let r = 0; r < n; r += batch) {
      const m = Math.min(batch, n - r);
      s += m * this.step_(X, Y, r, m, lr);
    }
    return s / n;
  }

  evalLoss(X, Y) {
    const n = X.length / this.sizes[0];
    let s = 0;
    for (let r = 0; r < n; r += this.maxRows) {
      const m = Math.min(this.maxRows, n - r);
      this.forward_(X, r, m);
      s += m * this.lossAndDelta_(Y, r, m, false);
    }
    return s / n;
  }

  // Outputs (after sigmoid/softmax) for every row of X.
  forward(X) {
    const n = X.length / this.sizes[0], q = this.sizes[this.L];
    const out = new Float32Array(n * q);
    for (let r = 0; r < n; r += this.maxRows) {
      const m = Math.min(this.maxRows, n - r);
      this.forward_(X, r, m);
      const z = this.A[this.L];
      if (this.output === 'sigmoid') for (let i = 0; i < m * q; i++) out[r * q + i] = F.sigmoid(z[i]);
      else {
        for (let i = 0; i < m; i++) {
          let mx = -Infinity, e = 0;
          for (let j = 0; j < q; j++) mx = Math.max(mx, z[i * q + j]);
          for (let j = 0; j < q; j++) e += Math.exp(z[i * q + j] - mx);
          for (let j = 0; j < q; j++) out[(r + i) * q + j] = Math.exp(z[i * q + j] - mx) / e;
        }
      }
    }
    return out;
  }
}
