// Types for mlp-lab (src/mlp-lab.js). They need no DOM library: a Node-only
// setup (lib es2022 + @types/node) and a browser one both check.

// The two WebAssembly types the API names. lib.dom declares them in full;
// without it these minimal declarations stand in (interfaces merge).
declare global {
  namespace WebAssembly {
    interface Module {}
    interface Memory { readonly buffer: ArrayBuffer; }
  }
}

export type Activation = 'relu' | 'prelu' | 'sigmoid' | 'tanh' | 'gelu' | 'swish' | 'identity';
export type Output = 'identity' | 'sigmoid' | 'softmax';
export type Loss = 'mse' | 'bce' | 'cross_entropy';
export type Optimizer = 'sgd' | 'momentum' | 'adam';
export type Init = 'xavier' | 'he';
export type DatasetName = 'circle' | 'xor' | 'gaussian' | 'spiral' | 'moons' | 'blobs' | 'sin' | 'abs' | 'step' |
  'aboveSin' | 'aboveCubic' | 'aboveAbs';

/** A flat Float32Array / number[] (row-major), or an array of rows. */
export type Matrix = Float32Array | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

export const ACTIVATIONS: readonly Activation[];
export const OUTPUTS: readonly Output[];
export const LOSSES: readonly Loss[];
export const OPTIMIZERS: readonly Optimizer[];
export const INITS: readonly Init[];
export const DATASETS: readonly DatasetName[];
export const FEATURES: readonly Feature[];
export const MAX_HIDDEN: 6;
export const MAX_WIDTH: 256;

/** Options objects refuse unknown keys (a RangeError naming the key). */
export interface LoadOptions {
  /** 'auto' (default) picks the SIMD build where the engine validates SIMD128. */
  simd?: 'auto' | boolean;
  /** Where the .wasm is, its bytes, or a compiled module. */
  wasm?: string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;
}

export function load(options?: LoadOptions): Promise<Lab>;
export function simdSupported(): boolean;
export function wasmURL(simd: boolean): URL;
/** W = W1 W2 ... WL, b = (b1 W2 + b2) W3 ... + bL in float64, for any layer stack. */
export function affineProduct(params: { W: readonly ArrayLike<number>[]; b: readonly ArrayLike<number>[] }, layers: readonly number[]):
  { W: Float64Array; b: Float64Array };

/** Training cannot go on: the loss or an update is not finite (README, "Errors"). */
export class DivergedError extends Error {
  name: 'DivergedError';
  code: 'DIVERGED';
  /** 'update': refused, parameters unchanged; 'overshot': the previous update (at lr) was undone
   *  and the optimizer reset; 'parameters': not finite before any update; 'loss': from gradients(). */
  reason: 'update' | 'overshot' | 'parameters' | 'loss';
  /** The learning rate blamed ('update', 'overshot'), else null. */
  lr: number | null;
  /** The batch loss that was not finite (or the finite loss of a refused update). */
  loss: number;
}

export interface ActivationOptions {
  /** pReLU's slope for x <= 0 (default 0.25). */
  alpha?: number;
  /** Swish's x * sigmoid(beta x) (default 1). */
  beta?: number;
  /** Write the result here instead of a new array (same length as x). */
  out?: Float32Array;
}

// ---- input features: lab.features() and lab.mlp({ features, inputs }) ----
/** TF Playground's seven inputs: x1, x2, x1², x2², x1·x2, sin x1, sin x2. */
export type Feature = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sin1' | 'sin2';
/** Columns of X: 2 (default), or 1 for 1-D data (then no x2, x2sq, x1x2, sin2). */
export interface FeatureOptions { inputs?: 1 | 2; }
/** n x names.length, column j = feature names[j] of each row of X (n x inputs). */
export type Features = ((X: Matrix, names: readonly Feature[], options?: FeatureOptions) => Float32Array) &
  { readonly names: readonly Feature[] };
/** A network's features: layers[0] must be features.length; X has `inputs` columns. */
export interface FeatureNetworkOptions extends FeatureOptions { features?: readonly Feature[]; }

export interface NetworkOptions extends FeatureNetworkOptions {
  /** Widths: [inputs, ...hidden (0 to 6 layers), outputs], each 1..256. */
  layers: readonly number[];
  activation?: Activation;          // default 'relu'
  output?: Output;                  // default from loss, else 'identity'
  loss?: Loss;                      // default from output
  init?: Init;                      // default 'xavier'
  seed?: number;                    // uint32, default 0
  alpha?: number;                   // pReLU slope for x <= 0, default 0.25
  beta?: number;                    // Swish beta, default 1
}

export interface Params { W: Float32Array[]; b: Float32Array[]; }

export interface StepOptions {
  lr?: number;                      // > 0, default 0.01
  optimizer?: Optimizer;            // default 'sgd'
  l2?: number;                      // >= 0, default 0
}

export interface FitOptions extends StepOptions {
  epochs?: number;                  // 0..1e7, default 1
  batchSize?: number;               // default min(32, n)
  shuffle?: boolean;                // default true
  /** Called after each epoch; return false to stop. */
  onEpoch?: (epoch: number, loss: number, net: MLP) => boolean | void;
  /** Stop after the first epoch whose training loss <= loss or training accuracy >= accuracy. */
  until?: { loss?: number; accuracy?: number };
}

export interface History {
  /** The mean training loss of each epoch. */
  loss: number[];
  epochs: number;
  diverged: boolean;
  /** Why fitting ended. */
  stopped: 'epochs' | 'until' | 'callback' | 'diverged';
  /** The DivergedError's message when diverged. */
  error?: string;
}

export interface Evaluation {
  loss: number;
  /** null for an identity output (regression). */
  accuracy: number | null;
  rmse?: number;
  r2?: number | null;
}

export interface NetworkJSON extends Required<Omit<NetworkOptions, 'output' | 'loss' | keyof FeatureNetworkOptions>>,
  FeatureNetworkOptions {
  format: 'mlp-lab';
  version: 1;
  output: Output;
  loss: Loss;
  W: number[][];
  b: number[][];
}

// The chapter's exercises (README, "Exercises in the core"): 1b, 4, 5.2.
/** collapse(): W (d x q) and b as float32; rank: singular values of W above 1e-5 of the largest. */
export interface Collapsed { W: Float32Array; b: Float32Array; rank: number; singularValues: Float64Array; }
/** 1 input: the sorted x in (from, to) where a hidden unit's pre-activation changes sign. */
export interface LinearPieces { breakpoints: Float64Array; pieces: number; }
/** 2 inputs: region ids (k x k, row 0 at x2 = hi) in order of first appearance. */
export interface LinearRegions { regions: number; patterns: Uint32Array; }

/** net.trace(x, y): per weight layer l, z[l] = h[l-1] W[l] + b[l], h[l] its activation (the output
 *  function for the last), dz[l] = dloss/dz[l], dW[l] = outer(h[l-1], dz[l]), db[l] = dz[l]. */
export interface Trace {
  loss: number;
  /** The network's input row, after features. */
  input: Float32Array;
  z: Float32Array[];
  h: Float32Array[];
  dz: Float32Array[];
  dW: Float32Array[];
  db: Float32Array[];
}

export interface MLP {
  /** The configuration with every default filled in (features and inputs only when given features). */
  readonly config: Readonly<Required<Omit<NetworkOptions, keyof FeatureNetworkOptions>> & FeatureNetworkOptions>;
  readonly layers: readonly number[];
  /** Columns of X: layers[0], or with features config.inputs. */
  readonly inputs: number;
  readonly outputs: number;
  /** True after a step or fit stopped on a non-finite loss; cleared by the next good step or setParams. */
  diverged: boolean;
  /** True once free() has run. */
  readonly freed: boolean;
  params(): Params;
  setParams(params: { W: readonly ArrayLike<number>[]; b: readonly ArrayLike<number>[] }): void;
  forward(X: Matrix): Float32Array;
  hidden(X: Matrix): Float32Array[];
  gradients(X: Matrix, Y: Matrix): { loss: number; dW: Float32Array[]; db: Float32Array[] };
  /** One example forward and its gradient back, number by number (README). */
  trace(x: ArrayLike<number>, y: number | ArrayLike<number>): Trace;
  gradNorms(): number[];
  step(X: Matrix, Y: Matrix, options?: StepOptions): number;
  fit(X: Matrix, Y: Matrix, options?: FitOptions): History;
  evaluate(X: Matrix, Y: Matrix): Evaluation;
  collapse(): Collapsed;
  linearRegions(options: { from: number; to: number }): LinearPieces;
  linearRegions(options: { range: readonly [number, number]; resolution: number }): LinearRegions;
  /** A new network, the same function: 'tanh' for a sigmoid network, 'sigmoid' for a tanh one. */
  convert(activation: 'sigmoid' | 'tanh'): MLP;
  /** Forgets the optimizer state (momentum, Adam moments and step count). */
  resetOptimizer(): void;
  toJSON(): NetworkJSON;
  free(): void;
}

export interface DatasetOptions { n?: number; noise?: number; seed?: number; }
export interface DatasetInfo { name: DatasetName; d: number; classes: number; range: [number, number]; }
export interface Dataset { X: Float32Array; y: Float32Array; n: number; d: number; classes: number; range: [number, number]; }

export type Datasets = { readonly names: readonly DatasetName[]; info(name: DatasetName): DatasetInfo } &
  { readonly [K in DatasetName]: (options?: DatasetOptions) => Dataset };

// ---- statistics over a batch: lab.batchNorm() (exercise 6) and lab.pca() ----
export interface BatchNormOptions {
  /** Columns per row; required when Z is flat, else it must match the rows' length. 1..256. */
  units?: number;
  /** Added to the variance; > 0 (default 1e-5). */
  eps?: number;
}
export interface BatchNormResult {
  /** (n x units): (z - mean) / sqrt(variance + eps), column by column. */
  out: Float32Array;
  /** The batch's mean per column. */
  mean: Float64Array;
  /** The batch's biased variance (1/n) per column: 0 for a batch of one. */
  variance: Float64Array;
  n: number;
  units: number;
}
export interface PcaOptions {
  /** Columns per row; required when H is flat. 1..256. */
  units?: number;
  /** Principal directions wanted, 1..units (default min(2, units)). */
  components?: number;
}
export interface PcaResult {
  /** (components x units), unit rows, each row's largest entry positive. */
  components: Float64Array;
  /** The covariance's eigenvalues (1/(n - 1)) for those directions, decreasing. */
  variance: Float64Array;
  mean: Float64Array;
  /** (n x components): (H - mean) components^T. */
  projected: Float32Array;
  n: number;
  units: number;
}

export interface Lab {
  readonly simd: boolean;
  readonly activations: readonly Activation[];
  readonly outputs: readonly Output[];
  readonly losses: readonly Loss[];
  readonly optimizers: readonly Optimizer[];
  readonly inits: readonly Init[];
  readonly datasets: Datasets;
  readonly features: Features;
  /** The raw WebAssembly exports and memory (for benchmarks and tests). */
  readonly exports: Record<string, any>;
  readonly memory: WebAssembly.Memory;
  activate(name: Activation, x: ArrayLike<number>, options?: ActivationOptions): Float32Array;
  derivative(name: Activation, x: ArrayLike<number>, options?: ActivationOptions): Float32Array;
  mlp: ((options: NetworkOptions) => MLP) & { fromJSON(json: NetworkJSON | string): MLP };
  /** Exercise 6: each column of Z normalised by its batch's own mean and variance. */
  batchNorm(Z: Matrix, options?: BatchNormOptions): BatchNormResult;
  /** The first principal directions of the rows of H (at least 2 rows). */
  pca(H: Matrix, options?: PcaOptions): PcaResult;
}
