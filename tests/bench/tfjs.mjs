// TensorFlow.js (tfjs-core + the wasm backend, in Node) doing the same
// training: tf.variable weights, tf.train.sgd's minimize inside tf.tidy,
// the mini-batches made into tensors once up front (so tfjs is not charged
// for slicing), losses from tfjs's own sigmoid / softmax cross-entropy.

import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './lib.mjs';

export async function loadTf() {
  // tfjs-core alone registers no gradient functions (the tfjs umbrella
  // package does, from tfjs-core's ESM sources, which Node cannot import
  // directly): run.mjs bundles tf-entry.mjs (core + all gradients + the
  // wasm backend) with esbuild into build/bench-tfjs.cjs, as an app would.
  const tf = createRequire(import.meta.url)(path.join(ROOT, 'build/bench-tfjs.cjs'));
  const { setWasmPaths } = tf;
  setWasmPaths(path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not start');
  await tf.ready();
  return tf;
}

export class TfjsMlp {
  constructor(tf, { sizes, act, output, loss }, { W, b }) {
    this.tf = tf;
    this.sizes = sizes;
    this.act = act === 'tanh' ? tf.tanh : tf.relu;
    this.output = output;
    this.lossKind = loss;
    this.W = W.map((w, l) => tf.variable(tf.tensor2d(w, [sizes[l], sizes[l + 1]])));
    this.b = b.map((v) => tf.variable(tf.tensor1d(v)));
    this.vars = [...this.W, ...this.b];
    this.batches = null;
  }

  logits(x) {
    const tf = this.tf;
    let h = x;
    for (let l = 0; l < this.W.length; l++) {
      const z = tf.add(tf.matMul(h, this.W[l]), this.b[l]);
      h = l + 1 < this.W.length ? this.act(z) : z;
    }
    return h;
  }

  lossOf(x, y) {
    const tf = this.tf;
    const z = this.logits(x);
    return this.lossKind === 'bce' ? tf.losses.sigmoidCrossEntropy(y, z) : tf.losses.softmaxCrossEntropy(y, z);
  }

  targets(Y, n) {
    const tf = this.tf, q = this.sizes[this.sizes.length - 1];
    return this.lossKind === 'bce' ? tf.tensor2d(Y, [n, q]) : tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(Y), 'int32'), q), 'float32');
  }

  prepare(X, Y, batch, lr) {
    const tf = this.tf, d = this.sizes[0], n = X.length / d, q = this.lossKind === 'bce' ? this.sizes.at(-1) : 1;
    this.batches = [];
    for (let r = 0; r < n; r += batch) {
      const m = Math.min(batch, n - r);
      const x = tf.tensor2d(X.subarray(r * d, (r + m) * d), [m, d]);
      const y = tf.tidy(() => this.targets(Y.subarray(r * q, (r + m) * q), m));
      this.batches.push([x, y]);
    }
    this.opt = tf.train.sgd(lr);
    this.full = [tf.tensor2d(X, [n, d]), tf.tidy(() => this.targets(Y, n))];
  }

  trainEpoch() {
    const tf = this.tf;
    for (const [x, y] of this.batches) tf.tidy(() => this.opt.minimize(() => this.lossOf(x, y), false, this.vars));
  }

  evalLoss() {
    return this.tf.tidy(() => this.lossOf(this.full[0], this.full[1]).dataSync()[0]);
  }

  forward(X) {
    const tf = this.tf, d = this.sizes[0];
    return tf.tidy(() => {
      const z = this.logits(tf.tensor2d(X, [X.length / d, d]));
      return (this.output === 'sigmoid' ? tf.sigmoid(z) : tf.softmax(z)).dataSync();
    });
  }
}
