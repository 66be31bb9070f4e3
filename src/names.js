// The names the package accepts, in the order of the C core's ids
// (src/mlp_lab.h: keep the orders in sync), and its size limits.

export const ACTIVATIONS = Object.freeze(['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish', 'identity']);
export const OUTPUTS = Object.freeze(['identity', 'sigmoid', 'softmax']);
export const LOSSES = Object.freeze(['mse', 'bce', 'cross_entropy']);
export const OPTIMIZERS = Object.freeze(['sgd', 'momentum', 'adam']);
export const INITS = Object.freeze(['xavier', 'he']);
export const DATASETS = Object.freeze(['circle', 'xor', 'gaussian', 'spiral', 'moons', 'blobs', 'sin', 'abs', 'step',
  'aboveSin', 'aboveCubic', 'aboveAbs']);
// x1, x2, x1², x2², x1·x2, sin x1, sin x2: TF Playground's seven input features.
export const FEATURES = Object.freeze(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2']);

export const MAX_HIDDEN = 6; // hidden layers: 0..6
export const MAX_WIDTH = 256; // every width: 1..256
// Largest array lab.activate accepts: 2^26 floats (256 MiB in, as much out).
export const MAX_ELEMENTS = 1 << 26;
// Largest data set a generator makes.
export const MAX_POINTS = 1000000;
