// Child process: training throughput of one implementation on one workload.
//   node --no-liftoff tests/bench/train.mjs <impl> <workload>
// impl: purejs | playground | tfjs | simd-raw | scalar-raw | simd-fit |
//       scalar-fit | simd-step | scalar-step
//   *-raw:  our C core through the wasm exports directly (mlp_train_epoch on
//           data already in wasm memory): the core without the JS layer
//   *-fit:  the package, net.fit(X, Y, { epochs: 1, ... }) per epoch
//   *-step: the package, one net.step(Xb, Yb) per mini-batch from JS
// Every implementation starts from the same weights (lib.initParams), trains
// on the same batches in the same order (no shuffling) with plain SGD, and
// reports the full-data loss before, after one epoch (these should agree
// across implementations) and after all the timed epochs (must have fallen).

import { timeIt, now, median, emit, ours, WORKLOADS, workloadData, initParams, grid, ACT_ID, OUT_ID, LOSS_ID, ALPHA, BETA } from './lib.mjs';
import { PureJsMlp } from './purejs.mjs';
import { PlaygroundMlp } from './playground.mjs';

const [impl, wname] = process.argv.slice(2);
const cfg = WORKLOADS[wname];
if (!cfg) throw new Error(`unknown workload ${wname}`);
const { X, Y } = workloadData(wname);
const params = initParams(cfg.sizes);
const G = cfg.sizes[0] === 2 ? grid() : null;
const n = cfg.n;

// Our core through the raw exports.
class RawNet {
  constructor(w) {
    this.w = w;
    const ex = (this.ex = w.exports);
    const ns = cfg.sizes.length;
    const ps = ex.malloc(4 * ns);
    new Int32Array(w.memory.buffer, ps, ns).set(cfg.sizes);
    this.net = ex.mlp_create(ps, ns, ACT_ID[cfg.act], OUT_ID[cfg.output], LOSS_ID[cfg.loss], 0, ALPHA, BETA, 1);
    ex.free(ps);
    if (!this.net) throw new Error('mlp_create returned NULL');
    const base = ex.mlp_params(this.net) >> 2;
    const heap = new Float32Array(w.memory.buffer);
    for (let l = 0; l + 1 < cfg.sizes.length; l++) {
      heap.set(params.W[l], base + ex.mlp_w_offset(this.net, l));
      heap.set(params.b[l], base + ex.mlp_b_offset(this.net, l));
    }
    this.pX = this.copyIn(X);
    this.pY = this.copyIn(Y);
    this.pLoss = ex.malloc(8);
    this.pG = G ? this.copyIn(G) : 0;
  }
  copyIn(a) {
    const p = this.ex.malloc(a.length * 4);
    if (!p) throw new Error('malloc failed');
    new Float32Array(this.w.memory.buffer, p, a.length).set(a);
    return p;
  }
  check(st, what) {
    if (st !== 0) throw new Error(`${what} returned ${st}`);
  }
  trainEpoch() {
    this.check(this.ex.mlp_train_epoch(this.net, this.pLoss, this.pX, this.pY, n, cfg.batch, 0, 0, cfg.lr, 0), 'mlp_train_epoch');
  }
  evalLoss() {
    this.check(this.ex.mlp_evaluate(this.net, this.pLoss, this.pLoss + 4, this.pX, this.pY, n), 'mlp_evaluate');
    return new Float32Array(this.w.memory.buffer, this.pLoss, 1)[0];
  }
  forward(Xg) {
    const m = Xg.length / cfg.sizes[0], q = cfg.sizes.at(-1);
    new Float32Array(this.w.memory.buffer, this.pG, Xg.length).set(Xg);
    this.check(this.ex.mlp_forward(this.net, this.pG, m), 'mlp_forward');
    return new Float32Array(this.w.memory.buffer, this.ex.mlp_output(this.net), m * q).slice();
  }
  // Where a training step's time goes: one batch through mlp_forward,
  // mlp_gradients (forward + backward) and mlp_step (that + the update),
  // in microseconds, and the cost of an empty-ish export call.
  profile() {
    // The four are timed in interleaved blocks (forward, gradients, step,
    // call, forward, ...) so that load from other processes hits them alike;
    // each figure is the median over 15 rounds of a block's time per call.
    const ex = this.ex, b = cfg.batch, net = this.net;
    const fns = {
      forward: () => ex.mlp_forward(net, this.pX, b),
      gradients: () => ex.mlp_gradients(net, this.pLoss, this.pX, this.pY, b),
      step: () => ex.mlp_step(net, this.pLoss, this.pX, this.pY, b, 0, 1e-6, 0),
      call: () => ex.mlp_num_params(net),
    };
    const k = {}, per = {};
    for (const [name, f] of Object.entries(fns)) {
      for (let i = 0; i < 200; i++) f();
      let m = 1, dt = 0;
      while (dt < 2) { m *= 2; const t0 = now(); for (let i = 0; i < m; i++) f(); dt = now() - t0; }
      k[name] = m;
      per[name] = [];
    }
    for (let r = 0; r < 15; r++)
      for (const [name, f] of Object.entries(fns)) {
        const m = k[name], t0 = now();
        for (let i = 0; i < m; i++) f();
        per[name].push(((now() - t0) / m) * 1e3);
      }
    const us = Object.fromEntries(Object.entries(per).map(([nm, v]) => [nm, median(v)]));
    return {
      forward_us: us.forward, gradients_us: us.gradients, step_us: us.step, call_us: us.call,
      backward_us: us.gradients - us.forward, update_us: us.step - us.gradients,
    };
  }
}

// Our package.
class PkgNet {
  constructor(lab, mode) {
    this.mode = mode;
    this.net = lab.mlp({ layers: cfg.sizes, activation: cfg.act, output: cfg.output, loss: cfg.loss, init: 'xavier', seed: 1, alpha: ALPHA, beta: BETA });
    this.net.setParams({ W: params.W, b: params.b });
    const q = cfg.loss === 'cross_entropy' ? 1 : cfg.sizes.at(-1), d = cfg.sizes[0];
    this.batches = [];
    for (let r = 0; r < n; r += cfg.batch) {
      const m = Math.min(cfg.batch, n - r);
      this.batches.push([X.subarray(r * d, (r + m) * d), Y.subarray(r * q, (r + m) * q)]);
    }
  }
  trainEpoch() {
    if (this.mode === 'fit') {
      const h = this.net.fit(X, Y, { epochs: 1, batchSize: cfg.batch, lr: cfg.lr, optimizer: 'sgd', shuffle: false });
      if (h.diverged) throw new Error('diverged');
    } else {
      const opts = { lr: cfg.lr, optimizer: 'sgd' };
      for (const [xb, yb] of this.batches) this.net.step(xb, yb, opts);
    }
  }
  evalLoss() {
    return this.net.evaluate(X, Y).loss;
  }
  forward(Xg) {
    return this.net.forward(Xg);
  }
}

let model, via = null;
const tStart = now();
if (impl === 'purejs') model = new PureJsMlp(cfg, params);
else if (impl === 'playground') model = new PlaygroundMlp(cfg, params);
else if (impl === 'tfjs') {
  const { loadTf, TfjsMlp } = await import('./tfjs.mjs');
  const tf = await loadTf();
  model = new TfjsMlp(tf, cfg, params);
  model.prepare(X, Y, cfg.batch, cfg.lr);
  via = `tfjs ${tf.version_core} ${tf.getBackend()} simd=${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')} threads=${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`;
} else {
  const [build, mode] = impl.split('-');
  if (!['simd', 'scalar'].includes(build) || !['raw', 'fit', 'step'].includes(mode)) throw new Error(`unknown impl ${impl}`);
  const w = await ours(build);
  if (mode === 'raw') model = new RawNet(w);
  else {
    if (!w.lab || typeof w.lab.mlp !== 'function') {
      emit({ impl, workload: wname, skipped: 'the package (src/mlp-lab.js) is not there yet' });
      process.exit(0);
    }
    model = new PkgNet(w.lab, mode);
  }
  via = w.via;
}
const setupMs = now() - tStart;

const epochArgs = [X, Y, cfg.batch, cfg.lr];
const loss0 = model.evalLoss(X, Y);
model.trainEpoch(...epochArgs);
const loss1 = model.evalLoss(X, Y);
const t = timeIt(() => model.trainEpoch(...epochArgs), { warm: 3, minMs: 120, samples: 9 });
const lossN = model.evalLoss(X, Y);
const epochs = 1 + 3 + t.inner * (t.samples + 1); // at least; calibration adds a few more

let gridMs = null, gridMin = null, gridMean = null;
if (G && wname === '2-8-8-1') {
  let out;
  const tg = timeIt(() => { out = model.forward(G); }, { warm: 5, minMs: 25, samples: 9 });
  gridMs = tg.ms;
  gridMin = tg.min;
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i];
  gridMean = s / out.length; // a check that it computed something in (0, 1)
}
const profile = model instanceof RawNet ? model.profile() : null;

emit({
  impl, workload: wname, via, setup_ms: setupMs, ms_epoch: t.ms, ms_min: t.min, ms_max: t.max,
  eps: (n / t.ms) * 1e3, eps_best: (n / t.min) * 1e3, loss0, loss1, lossN, epochs_at_least: epochs, grid_ms: gridMs, grid_min: gridMin, grid_mean: gridMean, profile,
});
