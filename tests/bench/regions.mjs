// The exercises' core calls, timed through the package: `node --no-liftoff
// tests/bench/regions.mjs simd|scalar` (run.mjs runs it). One result line per
// call: ms per call (median of 9 samples after warm-up, tests/bench/lib.mjs).
//   regions-2d  net.linearRegions({ range: [-6, 6], resolution: 96 }) of a 2-8-8-1
//               ReLU net trained on circle (the playground's heatmap, every frame),
//               beside forward over the same 9,216 points (what the heatmap costs anyway)
//   regions-1d  net.linearRegions({ from: -3, to: 3 }) of a 1-16-16-16-1 ReLU net
//   convert     net.convert('tanh') of a 2-8-8-1 sigmoid net (creates a network)
//   collapse    net.collapse() (product + Jacobi SVD) of 2-8-8-1 and 64-64-64 identity nets
import { timeIt, emit, PKG } from './lib.mjs';

const build = process.argv[2];
const { load } = await import(PKG);
const lab = await load({ simd: build === 'simd' });
const time = (fn) => timeIt(fn, { warm: 20, minMs: 25, samples: 9 });
const row = (call, net, t, extra = {}) => emit({ impl: build, call, net: net.layers.join('-'), ms: t.ms, min: t.min, ...extra });

{
  const data = lab.datasets.circle({ n: 400, noise: 0.1, seed: 1 });
  const net = lab.mlp({ layers: [2, 8, 8, 1], activation: 'relu', output: 'sigmoid', loss: 'bce', seed: 1 });
  net.fit(data.X, data.y, { epochs: 100, batchSize: 10, lr: 0.03, optimizer: 'adam' });
  const o = { range: [-6, 6], resolution: 96 };
  let r;
  const t = time(() => { r = net.linearRegions(o); });
  const G = new Float32Array(96 * 96 * 2);
  for (let i = 0; i < 96; i++) for (let j = 0; j < 96; j++) {
    G[2 * (i * 96 + j)] = -6 + ((j + 0.5) / 96) * 12;
    G[2 * (i * 96 + j) + 1] = 6 - ((i + 0.5) / 96) * 12;
  }
  const f = time(() => net.forward(G));
  row('regions-2d', net, t, { regions: r.regions, forward_ms: f.ms });
  net.free();
}
{
  const net = lab.mlp({ layers: [1, 16, 16, 16, 1], activation: 'relu', init: 'he', seed: 2 });
  const p = net.params();
  p.b.forEach((b, l) => b.forEach((_, j) => { b[j] = Math.sin(7 * j + l); })); // spread the kinks
  net.setParams(p);
  let r;
  const t = time(() => { r = net.linearRegions({ from: -3, to: 3 }); });
  row('regions-1d', net, t, { pieces: r.pieces });
  net.free();
}
{
  const net = lab.mlp({ layers: [2, 8, 8, 1], activation: 'sigmoid', output: 'sigmoid', loss: 'bce', seed: 3 });
  row('convert', net, time(() => net.convert('tanh').free()));
  net.free();
}
for (const layers of [[2, 8, 8, 1], [64, 64, 64]]) {
  const net = lab.mlp({ layers, activation: 'identity', seed: 4 });
  let c;
  const t = time(() => { c = net.collapse(); });
  row('collapse', net, t, { rank: c.rank });
  net.free();
}
