// A small program written against mlp-lab's types, as a user writes it.
// tests/types.test.js type-checks it with `tsc --noEmit` in two setups: Node
// only (lib es2022 + @types/node, no DOM) and a browser one (lib dom). Each
// line marked as an expected error must stay one: the types refuse what the
// package refuses at run time.
import { load, simdSupported, wasmURL, affineProduct, DivergedError, ACTIVATIONS, FEATURES, MAX_WIDTH } from 'mlp-lab';
import type { Lab, MLP, History, NetworkJSON, Activation, Evaluation, Trace, Feature } from 'mlp-lab';
import scalarURL from 'mlp-lab/mlp-lab.wasm';
import simdURL from 'mlp-lab/mlp-lab-simd.wasm';

export async function main(): Promise<number> {
  const lab: Lab = await load({ simd: 'auto' });
  const fromFile = await load({ wasm: simdSupported() ? simdURL : scalarURL });
  const fromURL = await load({ wasm: wasmURL(false), simd: false });
  const bytes = new Uint8Array(8);
  await load({ wasm: bytes }).catch(() => null);
  const memory: WebAssembly.Memory = lab.memory;
  const size: number = memory.buffer.byteLength;

  const y: Float32Array = lab.activate('sigmoid', [-1, 0, 1]);
  lab.activate('prelu', y, { alpha: 0.1, out: new Float32Array(3) });
  lab.derivative('swish', new Float32Array(4), { beta: 2 });
  const first: Activation = ACTIVATIONS[0];

  const layers = [2, 8, 1] as const; // readonly arrays are accepted
  const net: MLP = lab.mlp({ layers, activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 1 });
  const train = lab.datasets.circle({ n: 100, noise: 0.1, seed: 1 });
  const h: History = net.fit(train.X, train.y, { epochs: 5, batchSize: 10, lr: 0.03, optimizer: 'adam', until: { accuracy: 0.9 } });
  const why: 'epochs' | 'until' | 'callback' | 'diverged' = h.stopped;
  const e: Evaluation = net.evaluate(train.X, train.y);
  const rows: readonly (readonly number[])[] = [[0, 0], [1, 1]];
  net.forward(rows);
  try {
    net.step(train.X, train.y, { lr: 1e6 });
  } catch (err) {
    if (err instanceof DivergedError && err.reason === 'overshot' && err.lr !== null) console.log(err.lr * 0.1);
  }
  const feats: readonly Feature[] = ['x1sq', 'x2sq'];
  const F: Float32Array = lab.features(train.X, feats);
  lab.features([0.5, 1], [FEATURES[5], 'x1'], { inputs: 1 });
  const ring: MLP = lab.mlp({ layers: [feats.length, 1], features: feats, output: 'sigmoid' });
  const fromRing: NetworkJSON = ring.toJSON();
  const ringFeatures: readonly Feature[] | undefined = ring.config.features;
  lab.datasets.aboveSin({ n: 50 });
  const tr: Trace = net.trace([0.5, -1], 1);
  const firstDz: Float32Array = tr.dz[0];
  const json: NetworkJSON = net.toJSON();
  const again: MLP = lab.mlp.fromJSON(json);
  const { W, b } = affineProduct(again.params(), again.layers);

  // the exercises: collapse's rank, linear regions, sigmoid <-> tanh
  const linear = lab.mlp({ layers: [2, 1, 3], activation: 'identity' });
  const rank: number = linear.collapse().rank;
  const sv: Float64Array = linear.collapse().singularValues;
  const relu1 = lab.mlp({ layers: [1, 8, 1] }), relu2 = lab.mlp({ layers: [2, 8, 1] });
  const kinks: Float64Array = relu1.linearRegions({ from: -3, to: 3 }).breakpoints;
  const range = [-6, 6] as const;
  const ids: Uint32Array = relu2.linearRegions({ range, resolution: 96 }).patterns;
  const tanhNet: MLP = net.convert('tanh');
  // @ts-expect-error: convert goes between sigmoid and tanh only
  net.convert('relu');
  // @ts-expect-error: misspelt region options are refused
  relu1.linearRegions({ from: -3, ot: 3 });
  for (const n of [linear, relu1, relu2, tanhNet]) n.free();

  // @ts-expect-error: misspelt options are refused
  lab.mlp({ layers: [2, 1], activaton: 'tanh' });
  // @ts-expect-error: and so are misspelt training options
  net.step(train.X, train.y, { learningRate: 0.1 });
  // @ts-expect-error: not an activation
  lab.activate('softplus', [1]);
  // @ts-expect-error: not a feature
  lab.features(train.X, ['x3']);
  // @ts-expect-error: features are for 1 or 2 inputs
  lab.mlp({ layers: [1, 1], features: ['x1'], inputs: 3 });
  // @ts-expect-error: until takes loss and accuracy only
  net.fit(train.X, train.y, { until: { epochs: 3 } });
  // batch statistics (exercise 6) and principal directions
  const normed: Float32Array = lab.batchNorm([[1, 2], [3, 4]], { eps: 1e-5 }).out;
  const dirs: Float64Array = lab.pca(train.X, { units: 2, components: 2 }).components;
  // @ts-expect-error: misspelt batch-norm options are refused
  lab.batchNorm([[1, 2]], { epsilon: 1e-5 });
  if (normed.length + dirs.length < 0) throw new Error('unreachable');

  net.free();
  again.free();
  ring.free();
  return size + W.length + b.length + (e.accuracy ?? 0) + MAX_WIDTH + why.length + first.length +
    Number(fromFile.simd) + Number(fromURL.simd) + F.length + fromRing.layers.length + (ringFeatures?.length ?? 0) +
    rank + sv.length + kinks.length + ids.length + firstDz.length;
}
