/* mlp-lab: the C core of a teaching module for the "Multilayer Perceptrons"
 * chapter of Dive into Deep Learning.
 *
 * Conventions (shared/STYLE.md):
 * - outputs first, const inputs next, sizes last;
 * - every call that can fail returns an int status (MLP_OK or a negative
 *   MLP_ERR_*); constructors return NULL; nothing prints, exits or aborts;
 * - no mutable globals: all state lives in the objects the caller holds;
 * - matrices are row-major float32, in the book's notation: a batch X is
 *   (n, d), the weights of layer l are (fan_in, fan_out), H = act(X W + b).
 *
 * Built twice for WebAssembly (with -msimd128 the hot loops use
 * wasm_simd128.h kernels; without it the scalar references run) and natively
 * with cc for the C unit tests.
 */
#ifndef MLP_LAB_H
#define MLP_LAB_H

#include <stdint.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define MLP_API EMSCRIPTEN_KEEPALIVE
#else
#define MLP_API
#endif

/* Code that runs once per question a person asks (not per training step or
 * frame): built for size, not speed, where the compiler is clang (emcc). */
#ifdef __clang__
#define MLP_COLD __attribute__((minsize))
#else
#define MLP_COLD
#endif

/* ---- statuses ----------------------------------------------------------- */
enum {
    MLP_OK = 0,
    MLP_ERR_ARG = -1,       /* a parameter out of range, an unknown id, a NULL */
    MLP_ERR_NOMEM = -2,     /* an allocation failed                             */
    MLP_ERR_LABEL = -3,     /* a label is not an integer class index in [0, q)  */
    MLP_ERR_NONFINITE = -4, /* loss or gradient not finite: training diverged;
                               parameters were left as they were               */
    MLP_ERR_OVERSHOT = -5,  /* the loss is not finite with the parameters the
                               last applied update made: they were restored to
                               those before that update, and the optimizer
                               state was reset                                 */
    MLP_ERR_LIMIT = -6      /* the answer would pass a documented size limit    */
};

/* ---- ids (the JS layer maps names to these; keep the orders in sync) ----- */
/* lab.activations order */
enum { ACT_RELU = 0, ACT_PRELU, ACT_SIGMOID, ACT_TANH, ACT_GELU, ACT_SWISH,
       ACT_IDENTITY, ACT_COUNT };
enum { OUT_IDENTITY = 0, OUT_SIGMOID, OUT_SOFTMAX, OUT_COUNT };
enum { LOSS_MSE = 0, LOSS_BCE, LOSS_CROSS_ENTROPY, LOSS_COUNT };
enum { OPT_SGD = 0, OPT_MOMENTUM, OPT_ADAM, OPT_COUNT };
enum { INIT_XAVIER = 0, INIT_HE, INIT_COUNT };
enum { DATA_CIRCLE = 0, DATA_XOR, DATA_GAUSSIAN, DATA_SPIRAL, DATA_MOONS,
       DATA_BLOBS, DATA_SIN, DATA_ABS, DATA_STEP, DATA_ABOVE_SIN, DATA_ABOVE_CUBIC,
       DATA_ABOVE_ABS, DATA_COUNT };
/* lab.features.names order: x1, x2, x1^2, x2^2, x1 x2, sin x1, sin x2 */
enum { FEAT_X1 = 0, FEAT_X2, FEAT_X1SQ, FEAT_X2SQ, FEAT_X1X2, FEAT_SIN1, FEAT_SIN2,
       FEAT_COUNT };

#define MLP_MAX_HIDDEN 6      /* hidden layers: 0..6  */
#define MLP_MAX_WIDTH 256     /* every width: 1..256  */

/* ---- build facts (lab.c) ------------------------------------------------ */
MLP_API int mlp_lab_simd(void);   /* 1 in the SIMD build, 0 in the scalar one */

/* ---- activations (act.c) ------------------------------------------------
 * Elementwise over n floats; y may alias x (in place). alpha is pReLU's
 * slope for x < 0, beta Swish's x * sigmoid(beta x); other kinds ignore them.
 * relu'(0) = 0 (the chapter's convention), prelu'(0) = alpha.
 * Returns MLP_ERR_ARG for an unknown kind, n < 0, or NULL with n > 0.
 * The _ref versions are the scalar references; the unsuffixed ones run the
 * SIMD kernels when built with -msimd128 and the references otherwise. */
MLP_API int act_forward(float *y, const float *x, int n, int kind, float alpha, float beta);
MLP_API int act_derivative(float *dy, const float *x, int n, int kind, float alpha, float beta);
/* Fused backward used by the network: dx = dy * f'(x), where y = f(x) is
 * also given (kernels may use it: sigmoid' = y(1-y), tanh' = 1-y^2).
 * dx may alias dy. */
MLP_API int act_backward(float *dx, const float *dy, const float *x, const float *y, int n,
                         int kind, float alpha, float beta);
int act_forward_ref(float *y, const float *x, int n, int kind, float alpha, float beta);
int act_derivative_ref(float *dy, const float *x, int n, int kind, float alpha, float beta);

/* ---- the network (mlp.c) ------------------------------------------------
 * sizes[0] = d inputs, sizes[1..n_sizes-2] hidden widths, sizes[n_sizes-1] = q
 * outputs; n_sizes in 2..MLP_MAX_HIDDEN+2, every width in 1..MLP_MAX_WIDTH.
 * Valid (output, loss) pairs: (identity|sigmoid|softmax, mse), (sigmoid, bce),
 * (softmax, cross_entropy); softmax needs q >= 2.
 * Losses are means: mse = mean over n*q of (o - y)^2; bce = mean over n*q of
 * -(y log o + (1-y) log(1-o)) computed from logits; cross_entropy = mean over
 * n of -log softmax(o)[y_i], Y holding n class indices as floats.
 * Parameters: for each layer l, W_l (fan_in, fan_out) then b_l (fan_out), all
 * in one block; init xavier = U(-a, a), a = sqrt(6 / (fan_in + fan_out)),
 * he = U(-a, a), a = sqrt(6 / fan_in); biases 0; from a PRNG seeded by seed,
 * so the same seed gives the same bits on every machine and build. */
typedef struct mlp mlp;

MLP_API mlp *mlp_create(const int32_t *sizes, int n_sizes, int hidden_act, int output, int loss,
                        int init, float alpha, float beta, uint32_t seed);
MLP_API void mlp_free(mlp *net);

MLP_API int mlp_num_layers(const mlp *net);             /* weight layers L = n_sizes - 1 */
MLP_API int mlp_num_params(const mlp *net);
MLP_API float *mlp_params(mlp *net);                    /* the params block            */
MLP_API float *mlp_grads(mlp *net);                     /* the grads block, same layout */
MLP_API int mlp_w_offset(const mlp *net, int layer);    /* float offset of W_layer, or -1 */
MLP_API int mlp_b_offset(const mlp *net, int layer);    /* float offset of b_layer, or -1 */

/* Input features: the network expands its raw inputs X (n, d), d = 1 or 2,
 * into the k = sizes[0] features ids (features.c, in the order given) inside
 * every forward pass, into a block of the activations, so every call below
 * takes the raw X (n, d); mini-batches are gathered raw and expanded after.
 * ids: k distinct FEAT_* ids, none needing x2 when d = 1; k must equal
 * sizes[0]. k = 0 goes back to raw inputs (X (n, sizes[0])). Forgets the
 * last forward. MLP_ERR_ARG for anything else (the network is unchanged). */
MLP_API int mlp_set_features(mlp *net, const int32_t *ids, int k, int d);

/* Forward over a batch X (n, d), n >= 1, d = sizes[0] (or mlp_set_features's d). The output (n, q) is left in the
 * activations block: mlp_output(net) points at it until the next call that
 * runs the network. Also keeps what backward needs. */
MLP_API int mlp_forward(mlp *net, const float *X, int n);
MLP_API float *mlp_output(mlp *net);
/* Hidden activations of layer h (1..L-1) after the last forward: (n, width). */
MLP_API float *mlp_hidden(mlp *net, int layer);

/* Loss of the batch and its gradients: the grads block is overwritten
 * (zeroed, then accumulated). No weight decay here. A non-finite loss or
 * gradient is reported as is (status MLP_OK); mlp_step refuses to use it. */
MLP_API int mlp_gradients(mlp *net, float *loss, const float *X, const float *Y, int n);

/* One example forward and its gradient back (the book's forward and backward
 * propagation, number by number), by the code that trains: x one raw input
 * row (d values; a features network expands it), y its target as
 * mlp_gradients takes one row. Parameters, gradients block and optimizer
 * state are left as they were (the activations block holds this example as
 * after mlp_forward). out, of mlp_trace_size(net) floats, receives in order:
 *   loss, L (the weight layers, as a float),
 *   input (sizes[0]): the network's input row, after features,
 *   z_l of every layer l (sizes[l+1] each, one after the other): h_{l-1} W_l + b_l,
 *   h_l likewise: act(z_l) for hidden layers, the output function for the last,
 *   dz_l likewise: dL/dz_l,
 *   dW_l and db_l in the params layout: outer(h_{l-1}, dz_l) and dz_l.
 * A non-finite loss is reported as is (status MLP_OK). */
MLP_API int mlp_trace_size(const mlp *net);
MLP_API int mlp_trace(mlp *net, float *out, const float *x, const float *y);

/* One update on this batch: gradients, + l2 * W on weights (not biases), then
 * sgd: p -= lr g; momentum: v = 0.9 v + g, p -= lr v;
 * adam: beta1 0.9, beta2 0.999, eps 1e-8, bias-corrected (t counts adam steps).
 * Each optimizer's state is its own: an update with another optimizer than
 * the one the state belongs to starts from zero state (v = 0; m = v = 0,
 * t = 0), as a freshly created optimizer would.
 * *loss is the data loss before the update.
 * - MLP_ERR_NONFINITE when any updated parameter or optimizer state would be
 *   Inf or NaN, or the loss is not finite and no update made the current
 *   parameters (a new network, or parameters written by mlp_set_params):
 *   the update is refused; params and optimizer state are left unchanged.
 * - MLP_ERR_OVERSHOT when the loss is not finite with parameters that the
 *   last applied update made: the parameters go back to those before that
 *   update and the optimizer state is reset (its moments came from the
 *   overshooting trajectory), so training can go on at a lower rate.
 * lr > 0 and finite, l2 >= 0 and finite. */
MLP_API int mlp_step(mlp *net, float *loss, const float *X, const float *Y, int n,
                     int optimizer, float lr, float l2);

/* One pass over (X, Y) in mini-batches of batch_size (the last one may be
 * smaller), shuffled by the network's own PRNG when shuffle != 0. *loss is the
 * mean data loss over the epoch (weighted by batch size). Stops at the first
 * batch whose update mlp_step would not apply, with its status
 * (MLP_ERR_NONFINITE: that update is refused, earlier ones are kept;
 * MLP_ERR_OVERSHOT: the update before it is undone too); *loss is then that
 * batch's loss. */
MLP_API int mlp_train_epoch(mlp *net, float *loss, const float *X, const float *Y, int n,
                            int batch_size, int shuffle, int optimizer, float lr, float l2);

/* Loss and the count of right answers over (X, Y). *correct counts:
 * softmax -> rows whose argmax == label (for mse, the label is the argmax of
 * the target row), of n; sigmoid -> elements with (o >= 0.5) == (y >= 0.5),
 * of n * q; identity -> -1 (no accuracy). Runs the forward pass as
 * mlp_forward does: mlp_output then holds the (n, q) outputs. A non-finite
 * loss is reported as is (status MLP_OK). */
MLP_API int mlp_evaluate(mlp *net, float *loss, int32_t *correct, const float *X, const float *Y,
                         int n);

/* Forget optimizer state (momentum, Adam moments, step count). */
MLP_API void mlp_reset_optimizer(mlp *net);

/* Replace every parameter with P floats from src (the params layout). The
 * parameters were then not made by an update: MLP_ERR_OVERSHOT cannot undo
 * past this. Optimizer state is kept. */
MLP_API int mlp_set_params(mlp *net, const float *src);

/* The learning rate of the last update applied, also after MLP_ERR_OVERSHOT
 * undid it (so its caller can name the rate that overshot); 0 before any. */
MLP_API float mlp_last_lr(const mlp *net);
/* Updates applied and not undone since creation, mod 2^32 (an undo counts
 * one back): a caller can tell whether an undone update was one of its own. */
MLP_API uint32_t mlp_updates(const mlp *net);

/* ---- input features (features.c) -----------------------------------------
 * out (n, k) row-major: out[i k + j] = feature ids[j] of row i of X (n, d):
 * x1, x2, x1^2, x2^2, x1 x2, sin x1, sin x2 (x1 = X[i d], x2 = X[i d + 1]).
 * d is 1 or 2; ids are k distinct FEAT_* ids (1 <= k <= FEAT_COUNT), none
 * needing x2 (x2, x2^2, x1 x2, sin x2) when d = 1. out must not alias X.
 * MLP_ERR_ARG otherwise (nothing written); n = 0 writes nothing. Products
 * are float32 (they overflow to Inf for |x| >= 2^64); sin is reduced
 * correctly for every float and NaN/Inf in give NaN. The _ref version is the
 * scalar reference; the unsuffixed one runs the SIMD kernel with -msimd128. */
MLP_API int features_make(float *out, const float *X, int n, int d, const int32_t *ids, int k);
int features_make_ref(float *out, const float *X, int n, int d, const int32_t *ids, int k);
/* MLP_OK when (ids, k, d) is a valid feature list as above, else MLP_ERR_ARG. */
int features_check(const int32_t *ids, int k, int d);

/* ---- synthetic data sets (data.c) ---------------------------------------
 * data_dims: d inputs and the number of classes (0 for regression).
 * data_make: X (n, d), y (n) class indices as floats (or targets); noise in
 * [0, 1]; n in 1..1e7. The same (kind, n, noise, seed) gives the same bits. */
MLP_API int data_dims(int kind, int32_t *d, int32_t *classes);
MLP_API int data_make(float *X, float *y, int kind, int n, float noise, uint32_t seed);
/* The square (2-D) or interval (1-D) to draw a data set on: [lo, hi] per input. */
MLP_API int data_range(float *lo, float *hi, int kind);

/* ---- the chapter's exercises, over a parameter block ---------------------
 * Pure functions of a parameter block in the layout above (mlp_params(net),
 * or a copy) and the layer sizes as mlp_create takes them: they never see a
 * struct mlp. Sizes mlp_create would refuse, or a NULL, give MLP_ERR_ARG. */

/* Exercise 1 (affine.c): the one affine map a stack of layers is without
 * activations, in float64: W (d, q) = W_0 W_1 ... W_{L-1} and b (q) =
 * (...(b_0 W_1 + b_1) W_2 ...) + b_{L-1}, each sum over k in increasing order
 * (the same bits as the package's affineProduct). MLP_ERR_NONFINITE when a
 * value is Inf or NaN (an Inf or NaN parameter: finite float32 ones cannot
 * overflow). */
MLP_API int affine_product(double *W, double *b, const float *params, const int32_t *sizes,
                           int n_sizes);

/* Exercise 1b (linalg.c): the numerical rank of A (m, n) row-major, m, n in
 * 1..4096: the number of singular values above rtol times the largest (0 for
 * an all-zero A), by a one-sided Jacobi SVD in float64. sv (min(m, n)), if
 * not NULL, receives the singular values in decreasing order. Returns the
 * rank (>= 0), or MLP_ERR_ARG (rtol not in [0, 1)), MLP_ERR_NONFINITE (A
 * holds Inf or NaN), MLP_ERR_NOMEM. */
MLP_API int linalg_rank(double *sv, const double *A, int m, int n, double rtol);

/* Exercise 5.2 (convert.c): the parameters of the network with hidden
 * activation `to` that computes the same function as this one with `from`,
 * for (sigmoid, tanh) and (tanh, sigmoid), from sigmoid(z) = (1 + tanh(z/2))
 * / 2. out (the params layout) must not alias params. MLP_ERR_ARG for another pair,
 * MLP_ERR_NONFINITE when a converted parameter overflows float32. */
MLP_API int convert_params(float *out, const float *params, const int32_t *sizes, int n_sizes,
                           int from, int to);

/* Exercise 4 (regions.c): the linear regions of a network whose hidden
 * activation is relu, prelu or identity (any activation when there is no
 * hidden layer). A unit is "on" where its pre-activation z > 0; the pattern
 * of a point is the on/off bit of every hidden unit of every layer whose
 * activation has a kink (relu, prelu with alpha != 1; identity units and
 * prelu with alpha == 1 are linear and take no part). */
#define REGIONS_MAX_PIECES 65536 /* intervals the 1-D search may visit */
#define REGIONS_MAX_RES 512      /* k of the 2-D grid: 2..512         */

/* 1 input: the x in (from, to) where the pattern changes, in increasing
 * order, found exactly (float64) by carrying each layer's pre-activations
 * as affine functions of x over intervals split at their zeros.
 * Zeros closer together than 1e-11 max(|from|, |to|) are one. *count is the
 * number found; only the first cap are written (call again with more room).
 * MLP_ERR_LIMIT when the search passes REGIONS_MAX_PIECES intervals;
 * MLP_ERR_NONFINITE when a pre-activation overflows float64. */
MLP_API int regions_1d(double *breakpoints, int32_t *count, int cap, const float *params,
                       const int32_t *sizes, int n_sizes, int act, float alpha, double from,
                       double to);

/* 2 inputs: the pattern at each centre of a k x k grid over [lo, hi]^2,
 * computed in float32 with the network's own kernels (the bits forward()
 * gives at those points). Row-major, row 0 at the top: cell (i, j) is
 * x1 = lo + ((j + 0.5) / k) (hi - lo), x2 = hi - ((i + 0.5) / k) (hi - lo).
 * ids (k k) receives region ids in order of first appearance, *count the
 * number of distinct patterns. */
MLP_API int regions_2d(uint32_t *ids, int32_t *count, const float *params, const int32_t *sizes,
                       int n_sizes, int act, float alpha, double lo, double hi, int k);

#endif
