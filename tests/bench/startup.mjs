// Child process, run with Node's default flags (Liftoff on, as users get):
// time to the first trained step of the 2-8-8-1 network from a cold process.
//   node tests/bench/startup.mjs <ours|ours-scalar|tfjs|purejs>
// Prints script_ms (from the first line of this script: import + load +
// create + one step of batch 10) and process_ms (performance.now(), i.e.
// since Node's time origin, so including Node's own start-up).

const t0 = performance.now();
const which = process.argv[2];
const { initParams, circle, emit, PKG, ours, ACT_ID, OUT_ID, LOSS_ID, ALPHA, BETA } = await import('./lib.mjs');
const sizes = [2, 8, 8, 1];
const { X, Y } = circle(10);
const params = initParams(sizes);
let loss;

if (which === 'ours' || which === 'ours-scalar') {
  const simd = which === 'ours' ? 'simd' : 'scalar';
  const w = await ours(simd);
  if (w.lab && typeof w.lab.mlp === 'function') {
    const net = w.lab.mlp({ layers: sizes, activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 1 });
    net.setParams(params);
    loss = net.step(X, Y, { lr: 0.1, optimizer: 'sgd' });
  } else {
    const ex = w.exports, m = () => new Float32Array(w.memory.buffer);
    const ps = ex.malloc(16);
    new Int32Array(w.memory.buffer, ps, 4).set(sizes);
    const net = ex.mlp_create(ps, 4, ACT_ID.tanh, OUT_ID.sigmoid, LOSS_ID.bce, 0, ALPHA, BETA, 1);
    const px = ex.malloc(X.length * 4), py = ex.malloc(Y.length * 4), pl = ex.malloc(4);
    m().set(X, px >> 2);
    m().set(Y, py >> 2);
    if (ex.mlp_step(net, pl, px, py, 10, 0, 0.1, 0) !== 0) throw new Error('mlp_step failed');
    loss = m()[pl >> 2];
  }
} else if (which === 'tfjs') {
  const { loadTf, TfjsMlp } = await import('./tfjs.mjs');
  const tf = await loadTf();
  const model = new TfjsMlp(tf, { sizes, act: 'tanh', output: 'sigmoid', loss: 'bce' }, params);
  model.prepare(X, Y, 10, 0.1);
  model.trainEpoch();
  loss = model.evalLoss();
} else if (which === 'purejs') {
  const { PureJsMlp } = await import('./purejs.mjs');
  const model = new PureJsMlp({ sizes, act: 'tanh', output: 'sigmoid', loss: 'bce', batch: 10 }, params, 10);
  loss = model.trainEpoch(X, Y, 10, 0.1);
} else throw new Error(`unknown ${which}`);

if (!Number.isFinite(loss)) throw new Error(`${which}: loss ${loss}`);
emit({ impl: which, script_ms: performance.now() - t0, process_ms: performance.now(), loss, pkg: PKG });
