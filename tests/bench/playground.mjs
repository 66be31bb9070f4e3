// An object-per-neuron MLP in the manner of TensorFlow Playground's nn.ts
// (written here from the idea, not copied): every neuron is a Neuron object,
// every weight a Link object between two of them; one example at a time
// forward and backward, derivatives accumulated on the links and neurons,
// and an update every batch with the mean of what was accumulated.
// Outputs and losses as the other implementations: sigmoid + bce, or
// softmax + cross-entropy (the softmax is done across the output layer).

const ACT = {
  tanh: { f: (z) => Math.tanh(z), df: (z) => { const t = Math.tanh(z); return 1 - t * t; } },
  relu: { f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  identity: { f: (z) => z, df: () => 1 },
};

class Neuron {
  constructor(act) {
    this.act = act;
    this.bias = 0;
    this.inLinks = [];
    this.outLinks = [];
    this.sum = 0; // total input
    this.out = 0;
    this.dOut = 0; // dLoss/dout
    this.dSum = 0; // dLoss/dsum
    this.accDSum = 0;
    this.nAcc = 0;
  }
  update() {
    let s = this.bias;
    for (const link of this.inLinks) s += link.weight * link.from.out;
    this.sum = s;
    this.out = this.act.f(s);
    return this.out;
  }
}

class Link {
  constructor(from, to, weight) {
    this.from = from;
    this.to = to;
    this.weight = weight;
    this.acc = 0;
    this.nAcc = 0;
  }
}

export class PlaygroundMlp {
  constructor({ sizes, act, output, loss }, { W, b }) {
    this.output = output;
    this.loss = loss;
    this.layers = [];
    for (let l = 0; l < sizes.length; l++) {
      const kind = l === 0 || l === sizes.length - 1 ? ACT.identity : ACT[act];
      const layer = [];
      for (let j = 0; j < sizes[l]; j++) {
        const nrn = new Neuron(kind);
        if (l > 0) {
          nrn.bias = b[l - 1][j];
          for (const src of this.layers[l - 1]) {
            const link = new Link(src, nrn, W[l - 1][src.index * sizes[l] + j]);
            src.outLinks.push(link);
            nrn.inLinks.push(link);
          }
        }
        nrn.index = j;
        layer.push(nrn);
      }
      this.layers.push(layer);
    }
  }

  // One example: x is an array-like of inputs. Returns the output neurons'
  // values after sigmoid/softmax.
  forwardOne(X, off) {
    const inp = this.layers[0];
    for (let j = 0; j < inp.length; j++) inp[j].out = X[off + j];
    for (let l = 1; l < this.layers.length; l++) for (const nrn of this.layers[l]) nrn.update();
    return this.layers[this.layers.length - 1];
  }

  // Loss of one example after forwardOne, and dSum of the outputs when grad.
  lossOne(Y, i, grad) {
    const outL = this.layers[this.layers.length - 1], q = outL.length;
    if (this.loss === 'bce') {
      let s = 0;
      for (let j = 0; j < q; j++) {
        const v = outL[j].sum, y = Y[i * q + j];
        s += Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
        if (grad) outL[j].dSum = (1 / (1 + Math.exp(-v)) - y) / q;
      }
      return s / q;
    }
    let m = -Infinity, e = 0;
    for (const nrn of outL) m = Math.max(m, nrn.sum);
    for (const nrn of outL) e += Math.exp(nrn.sum - m);
    const c = Y[i] | 0;
    if (grad) for (let j = 0; j < q; j++) outL[j].dSum = Math.exp(outL[j].sum - m) / e - (j === c ? 1 : 0);
    return Math.log(e) + m - outL[c].sum;
  }

  backOne() {
    const L = this.layers.length;
    for (let l = L - 1; l >= 1; l--) {
      for (const nrn of this.layers[l]) {
        if (l < L - 1) {
          let s = 0;
          for (const link of nrn.outLinks) s += link.weight * link.to.dSum;
          nrn.dOut = s;
          nrn.dSum = s * nrn.act.df(nrn.sum);
        }
        nrn.accDSum += nrn.dSum;
        nrn.nAcc++;
        for (const link of nrn.inLinks) {
          link.acc += nrn.dSum * link.from.out;
          link.nAcc++;
        }
      }
    }
  }

  update(lr) {
    for (let l = 1; l < this.layers.length; l++)
      for (const nrn of this.layers[l]) {
        if (nrn.nAcc > 0) {
          nrn.bias -= (lr * nrn.accDSum) / nrn.nAcc;
          nrn.accDSum = 0;
          nrn.nAcc = 0;
        }
        for (const link of nrn.inLinks)
          if (link.nAcc > 0) {
            link.weight -= (lr * link.acc) / link.nAcc;
            link.acc = 0;
            link.nAcc = 0;
          }
      }
  }

  trainEpoch(X, Y, batch, lr) {
    const d = this.layers[0].length, n = X.length / d;
    let s = 0;
    for (let i = 0; i < n; i++) {
      this.forwardOne(X, i * d);
      s += this.lossOne(Y, i, true);
      this.backOne();
      if ((i + 1) % batch === 0 || i === n - 1) this.update(lr);
    }
    return s / n;
  }

  evalLoss(X, Y) {
    const d = this.layers[0].length, n = X.length / d;
    let s = 0;
    for (let i = 0; i < n; i++) {
      this.forwardOne(X, i * d);
      s += this.lossOne(Y, i, false);
    }
    return s / n;
  }

  forward(X) {
    const d = this.layers[0].length, n = X.length / d, outL = this.layers[this.layers.length - 1], q = outL.length;
    const out = new Float32Array(n * q);
    for (let i = 0; i < n; i++) {
      this.forwardOne(X, i * d);
      if (this.output === 'sigmoid') for (let j = 0; j < q; j++) out[i * q + j] = 1 / (1 + Math.exp(-outL[j].sum));
      else {
        let m = -Infinity, e = 0;
        for (const nrn of outL) m = Math.max(m, nrn.sum);
        for (const nrn of outL) e += Math.exp(nrn.sum - m);
        for (let j = 0; j < q; j++) out[i * q + j] = Math.exp(outL[j].sum - m) / e;
      }
    }
    return out;
  }
}
