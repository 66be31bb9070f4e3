// The playground's training session: data split, network, time-budgeted
// training and metrics. No DOM: the element drives it and draws the results.

import { headFor, prng, parseFeatures } from './state.js';

const HISTORY_MAX = 1200; // loss-curve points kept (older ones are thinned)

export class Trainer {
  /** lab: a loaded mlp-lab; s: settings from state.js */
  /** custom: a data set from csv.js (then dataset, n and noise are ignored). */
  constructor(lab, s, custom = null) {
    this.lab = lab;
    this.custom = custom;
    this.s = { ...s, hidden: [...s.hidden] };
    this.net = null;
    this.makeData();
    this.makeNet();
  }

  /** Generate the data set and split it into train and test parts. */
  makeData() {
    const { dataset, noise, seed, train } = this.s;
    const data = this.custom || this.lab.datasets[dataset]({ n: this.s.n, noise, seed });
    const { n } = data;
    this.data = data;
    this.head = headFor(this.custom ? 'custom' : dataset, data.classes, this.s.loss);
    if (data.drawn) {
      this.splitDrawn(data, seed, train);
    } else {
      const order = Array.from({ length: n }, (_, i) => i);
      const rand = prng(seed ^ 0x5eed);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const nTrain = n === 0 ? 0 : Math.max(1, Math.min(n - 1, Math.round((n * train) / 100)));
      this.trainIdx = order.slice(0, nTrain);
      this.testIdx = order.slice(nTrain);
    }
    this.train = this.subset(this.trainIdx);
    this.test = this.subset(this.testIdx);
  }

  /**
   * Drawn points (drawn.js): each point's side is decided by its own id, so
   * adding or removing one never moves the others between train and test.
   * The first point always trains.
   */
  splitDrawn(data, seed, train) {
    this.trainIdx = [];
    this.testIdx = [];
    for (let i = 0; i < data.n; i++) {
      const u = prng((seed * 0x9e3779b1) ^ (data.ids[i] * 0x85ebca6b) ^ 0x5eed)();
      (u < train / 100 || data.ids[i] === 0 ? this.trainIdx : this.testIdx).push(i);
    }
    if (!this.trainIdx.length && this.testIdx.length) this.trainIdx.push(this.testIdx.shift());
  }

  /** X and Y (in the layout the loss wants) for a list of indices. */
  subset(idx) {
    const { X, y, d } = this.data;
    const { kind, loss, q } = this.head;
    const m = idx.length;
    const Xs = new Float32Array(m * d);
    const ys = new Float32Array(m);
    idx.forEach((i, r) => {
      for (let k = 0; k < d; k++) Xs[r * d + k] = X[i * d + k];
      ys[r] = y[i];
    });
    let Y = ys;
    if (kind === 'multi' && loss === 'mse') {
      Y = new Float32Array(m * q);
      for (let r = 0; r < m; r++) Y[r * q + ys[r]] = 1;
    }
    return { X: Xs, Y, y: ys, n: m };
  }

  makeNet() {
    this.net?.free();
    const { hidden, activation, alpha, beta, init, seed } = this.s;
    // The network expands the raw X (n, d) into its input features itself (in the core).
    const d = this.data.d;
    this.features = this.safeFeatures(parseFeatures(this.s.features, d), d);
    this.net = this.lab.mlp({
      layers: [this.features.length, ...hidden, this.head.q],
      // x1, x2 (x1 for 1-D data) are the raw inputs: then no expansion at all
      ...(this.features.join(',') === (d === 2 ? 'x1,x2' : 'x1') ? {} : { features: this.features, inputs: d }),
      activation, output: this.head.output, loss: this.head.loss,
      init, seed, alpha, beta,
    });
    this.epoch = 0;
    this.examples = 0;
    this.trainMs = 0; // wall-clock time spent in training calls (fit, step), for "time to target"
    this.reached = false; // a stop condition (trainFor's until) held
    // Unknown for a new network: its first frame trains batch by batch
    // (trainSteps), which measures it, instead of guessing whole epochs.
    this.msPerEpoch = Infinity;
    this.history = { epoch: [], train: [], test: [] };
    this.diverged = null;
    this.stepState = null;
    this.gradNorms = null;
    this.metrics = null;
  }

  /**
   * The features, without the products (x1², x2², x1·x2) that would overflow
   * float32 on this data (a CSV with values near 1e20 and up); the core says which.
   */
  safeFeatures(features, d) {
    const { X, n } = this.data;
    if (n === 0) return features;
    try {
      this.lab.features(X, features, { inputs: d });
      this.droppedFeatures = [];
      return features;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const kept = features.filter((f) => !['x1sq', 'x2sq', 'x1x2'].includes(f));
      this.droppedFeatures = features.filter((f) => !kept.includes(f));
      return kept.length ? kept : d === 1 ? ['x1'] : ['x1', 'x2'];
    }
  }

  free() {
    this.net?.free();
    this.net = null;
  }

  /** Settings that only change how we train apply without a reset. */
  setTraining({ lr, optimizer, batch, l2 }) {
    Object.assign(this.s, { lr, optimizer, batch, l2 });
  }

  opts() {
    return { lr: this.s.lr, optimizer: this.s.optimizer, l2: this.s.l2 };
  }

  /**
   * Train for about budgetMs (at least one epoch, or one batch when a single
   * epoch costs far more than the budget). Returns the epochs completed.
   */
  /**
   * until(trainer): a stop condition checked after every epoch (training then
   * goes one epoch per fit call); when it holds, training stops there and
   * this.reached is set.
   */
  trainFor(budgetMs, { maxEpochs = Infinity, until = null } = {}) {
    if (this.diverged || this.train.n === 0) return 0;
    const t0 = performance.now();
    let done = 0;
    if (Number.isFinite(budgetMs) && this.msPerEpoch > 2 * budgetMs) {
      // One epoch costs more than a frame: train batch by batch across frames.
      done = this.trainSteps(budgetMs, t0);
      this.epoch += done;
      this.trainMs += performance.now() - t0;
      if (done > 0 && until?.(this)) this.reached = true;
    } else {
      while (done < maxEpochs) {
        const left = budgetMs - (performance.now() - t0);
        const per = Number.isFinite(this.msPerEpoch) ? Math.max(this.msPerEpoch, 1e-3) : 1e-3;
        const k = until ? 1 : Math.max(1, Math.min(maxEpochs - done, 500, Math.floor(left / per)));
        const t1 = performance.now();
        let hist;
        try {
          hist = this.net.fit(this.train.X, this.train.Y, { epochs: k, batchSize: this.s.batch, shuffle: true, ...this.opts() });
        } catch (e) {
          if (e && e.name === 'DivergedError') {
            this.diverged = { message: e.message };
            break;
          }
          throw e;
        }
        const dt = performance.now() - t1;
        if (hist.epochs > 0) {
          const now = dt / hist.epochs;
          this.msPerEpoch = Number.isFinite(this.msPerEpoch) ? 0.7 * this.msPerEpoch + 0.3 * now : now;
        }
        done += hist.epochs;
        this.epoch += hist.epochs;
        this.trainMs += dt;
        this.examples += hist.epochs * this.train.n;
        if (hist.diverged) {
          this.diverged = { message: hist.error || 'diverged' };
          break;
        }
        if (until?.(this)) {
          this.reached = true;
          break;
        }
        if (performance.now() - t0 >= budgetMs) break;
      }
    }
    if (done > 0 || this.diverged || this.stepState) this.gradNorms = this.net.gradNorms();
    this.markFirstStep(); // (whole epochs: the first step completed within this fit call)
    return done;
  }

  /** Marks 'mlp-first-step' once per trainer, when its first training step
   *  has completed (tests/bench/firststep.mjs reads it): a new network's first
   *  frame trains batch by batch (trainSteps) and marks right after its first
   *  batch, not after the rest of that frame's training (to the epoch's end or
   *  the frame's budget). */
  markFirstStep() {
    if (this.marked || this.examples === 0) return;
    this.marked = true;
    globalThis.performance?.mark?.('mlp-first-step');
  }

  /** Mini-batches by hand, so a slow epoch can span frames. */
  trainSteps(budgetMs, t0) {
    const { n } = this.train;
    const d = this.data.d;
    const q = this.head.kind === 'multi' && this.head.loss === 'cross_entropy' ? 1 : this.train.Y.length / n;
    let st = this.stepState;
    if (!st) {
      st = this.stepState = { order: Array.from({ length: n }, (_, i) => i), pos: n, rand: prng(this.s.seed + this.epoch) };
    }
    let done = 0;
    const bs = Math.min(this.s.batch, n);
    const tStart = performance.now();
    let stepped = 0;
    while (performance.now() - t0 < budgetMs) {
      if (st.pos >= n) {
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(st.rand() * (i + 1));
          [st.order[i], st.order[j]] = [st.order[j], st.order[i]];
        }
        st.pos = 0;
      }
      const m = Math.min(bs, n - st.pos);
      const Xb = new Float32Array(m * d);
      const Yb = new Float32Array(m * q);
      for (let r = 0; r < m; r++) {
        const i = st.order[st.pos + r];
        for (let k = 0; k < d; k++) Xb[r * d + k] = this.train.X[i * d + k];
        for (let k = 0; k < q; k++) Yb[r * q + k] = this.train.Y[i * q + k];
      }
      try {
        this.net.step(Xb, Yb, this.opts());
      } catch (e) {
        if (e && e.name === 'DivergedError') {
          this.diverged = { message: e.message };
          break;
        }
        throw e;
      }
      st.pos += m;
      stepped += m;
      this.examples += m;
      this.markFirstStep();
      if (st.pos >= n) {
        done++;
        break; // an epoch boundary: let the caller evaluate and draw
      }
    }
    const dt = performance.now() - tStart;
    if (stepped > 0) this.msPerEpoch = (dt / stepped) * n;
    return done;
  }

  /** Loss and accuracy (or RMSE and R²) on both parts; records the curves. */
  evaluate() {
    if (this.train.n === 0) return (this.metrics = null); // a drawn data set with no points yet
    const tr = this.net.evaluate(this.train.X, this.train.Y);
    const te = this.test.n > 0 ? this.net.evaluate(this.test.X, this.test.Y) : tr;
    this.metrics = { train: tr, test: te };
    const h = this.history;
    const last = h.epoch.length ? h.epoch[h.epoch.length - 1] : -1;
    if (this.epoch !== last && Number.isFinite(tr.loss) && Number.isFinite(te.loss)) {
      h.epoch.push(this.epoch);
      h.train.push(tr.loss);
      h.test.push(te.loss);
      if (h.epoch.length > HISTORY_MAX) {
        for (const k of ['epoch', 'train', 'test']) h[k] = h[k].filter((_, i) => i % 2 === 0 || i === h[k].length - 1);
      }
    }
    return this.metrics;
  }
}
