/* mlp.c: the multilayer perceptron of mlp-lab (API and conventions in
 * mlp_lab.h; layer kernels in dense.c; activations in act.c).
 *
 * Layers are numbered l = 0..L-1; layer l maps sizes[l] inputs to
 * sizes[l+1] outputs: Z_l = H_{l-1} W_l + b_l, H_l = act(Z_l), H_{-1} = X.
 * Hidden layers use the one hidden activation; the last layer uses the
 * output function (identity, sigmoid, or softmax over each row).
 *
 * Memory, one allocation per role (as llm.c and genann do):
 *   params  (P)  W_0 (d, w1), b_0 (w1), W_1 (w1, w2), b_1 (w2), ...
 *   grads   (P)  the same layout
 *   m       (P)  momentum velocity, or Adam's first moment
 *   v       (P)  Adam's second moment
 *   prev    (P)  the parameters before the last applied update (to undo an
 *                update that overshot)
 *   acts    (cap rows) Z_l and H_l per layer, two delta buffers, the rows'
 *                log-sum-exp, and with input features the expanded inputs
 *                F (the first layer's input); grows (realloc) when a larger
 *                batch comes
 *   scratch (bytes) a permutation of the rows and one gathered mini-batch
 * and a struct of pointers into them. Each is freed once in mlp_free.
 *
 * Input features (mlp_set_features): X (n, d_in) is the raw data; the
 * forward pass first writes F = features(X) (n, sizes[0]) into the acts
 * block (features_make), and layer 0 reads F instead of X, in the forward
 * and the backward pass alike. Without features F is not allocated and
 * layer 0 reads X, d_in = sizes[0]: the code path of a plain network is the
 * same but for one test of n_feat per pass.
 */
#include "mlp_lab.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dense.h"
#include "rng.h"

#define MAX_SIZES (MLP_MAX_HIDDEN + 2)
#define MAX_LAYERS (MLP_MAX_HIDDEN + 1)

/* PCG32 stream of the network (rng.h): distinct from the data sets' ones. */
#define NET_STREAM 0x6d6c702d6e6574ULL /* "mlp-net" */

/* Adam's constants (Kingma & Ba 2015, the defaults). */
#define ADAM_B1 0.9f
#define ADAM_B2 0.999f
#define ADAM_EPS 1e-8f
#define MOMENTUM 0.9f

struct mlp {
    int L;                /* weight layers: n_sizes - 1 */
    int sizes[MAX_SIZES]; /* d, hidden widths..., q */
    int hidden_act, output, loss;
    float alpha, beta;    /* pReLU slope, Swish beta */
    int n_params;
    int w_off[MAX_LAYERS]; /* float offset of W_l in params / grads */
    int b_off[MAX_LAYERS]; /* float offset of b_l */
    int max_width;         /* max of sizes[1..L]: the delta buffers' width */
    int sum_width;         /* sum of sizes[1..L] */
    int d_in;              /* columns of X: sizes[0], or the raw d with features */
    int n_feat;            /* 0, or sizes[0]: the features that make layer 0's input */
    int32_t feat[FEAT_COUNT]; /* their FEAT_* ids, in column order */

    float *params; /* (n_params) */
    float *grads;  /* (n_params) */
    float *m;      /* (n_params) */
    float *v;      /* (n_params) */
    float *prev;   /* (n_params) params before the last applied update */
    int has_prev;  /* prev holds them: the params were made by that update */
    int state_opt; /* the optimizer m, v and t belong to; -1 for none */
    float last_lr; /* learning rate of the last update applied (or undone) */
    uint32_t updates; /* updates applied and not undone, mod 2^32 */

    float *acts;  /* (acts_cap, 2 sum_width + 2 max_width + 1), by blocks below */
    int acts_cap; /* rows the activations block holds */
    int fwd_n;    /* rows of the last forward; 0 when none is valid */
    float *Z[MAX_LAYERS]; /* (n, sizes[l+1]) pre-activations of layer l */
    float *H[MAX_LAYERS]; /* (n, sizes[l+1]) activations; H[L-1] the output;
                             H[l] == Z[l] when that layer's function is identity */
    float *delta[2];      /* (n, max_width) each: dL/dZ of the current layer and the one below */
    float *lse;           /* (n) log-sum-exp of each row of logits (softmax output) */
    float *F;             /* (n, sizes[0]) the expanded inputs; NULL without features */

    void *scratch; /* perm (n int32) then Xb (bs, d) then Yb (bs, ycols) */
    size_t scratch_bytes;

    int t;                    /* Adam steps taken */
    double b1_pow, b2_pow;    /* ADAM_B1^t, ADAM_B2^t */
    pcg32 rng;                /* init, then shuffles */
};

/* ---- helpers --------------------------------------------------------------- */

static int valid_pair(int output, int loss) {
    if (loss == LOSS_MSE) return output >= 0 && output < OUT_COUNT;
    if (loss == LOSS_BCE) return output == OUT_SIGMOID;
    if (loss == LOSS_CROSS_ENTROPY) return output == OUT_SOFTMAX;
    return 0;
}

static int q_of(const mlp *net) { return net->sizes[net->L]; }
/* Columns of Y: one class index per row for cross_entropy, else q targets. */
static int ycols_of(const mlp *net) { return net->loss == LOSS_CROSS_ENTROPY ? 1 : q_of(net); }

/* MLP_ERR_LABEL unless every Y[i] is an integer in [0, q) (NaN fails). */
static int check_labels(const mlp *net, const float *Y, int n) {
    if (net->loss != LOSS_CROSS_ENTROPY) return MLP_OK;
    const float q = (float)q_of(net);
    for (int i = 0; i < n; i++) {
        const float y = Y[i];
        if (!(y >= 0.0f && y < q) || y != (float)(int)y) return MLP_ERR_LABEL;
    }
    return MLP_OK;
}

static int check_batch(const mlp *net, const float *X, const float *Y, int n) {
    if (!net || !X || !Y || n < 1) return MLP_ERR_ARG;
    return check_labels(net, Y, n);
}

static int check_opt(int optimizer, float lr, float l2) {
    if (optimizer < 0 || optimizer >= OPT_COUNT) return MLP_ERR_ARG;
    if (!(lr > 0.0f) || !isfinite(lr)) return MLP_ERR_ARG;
    if (!(l2 >= 0.0f) || !isfinite(l2)) return MLP_ERR_ARG;
    return MLP_OK;
}

/* The exponent field of x: all ones (0x7f800000) exactly for Inf and NaN.
 * A running max of it checks a whole array without a branch per element. */
static uint32_t exp_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u & 0x7f800000u;
}
static uint32_t max_u32(uint32_t a, uint32_t b) { return a > b ? a : b; }
#define NONFINITE_BITS 0x7f800000u

/* Room for n rows in the activations block. Growing invalidates the last
 * forward (the blocks move). */
static int ensure_acts(mlp *net, int n) {
    if (n <= net->acts_cap) return MLP_OK;
    const size_t row = 2 * (size_t)net->sum_width + 2 * (size_t)net->max_width + 1 +
                       (size_t)net->n_feat;
    int widest = net->sizes[0];
    for (int l = 1; l <= net->L; l++) widest = net->sizes[l] > widest ? net->sizes[l] : widest;
    /* Element counts (n * width) are passed as int to the kernels. */
    if ((size_t)n > (size_t)INT32_MAX / (size_t)widest) return MLP_ERR_NOMEM;
    if ((size_t)n > SIZE_MAX / sizeof(float) / row) return MLP_ERR_NOMEM;
    float *a = realloc(net->acts, (size_t)n * row * sizeof(float)); /* (n, row) */
    if (!a) return MLP_ERR_NOMEM;
    net->acts = a;
    net->acts_cap = n;
    net->fwd_n = 0;
    float *p = a; /* walks the blocks: Z_0 H_0 Z_1 H_1 ... delta_0 delta_1 lse F */
    for (int l = 0; l < net->L; l++) {
        const size_t blk = (size_t)n * net->sizes[l + 1];
        net->Z[l] = p;
        net->H[l] = p + blk;
        p += 2 * blk;
        const int fn = l == net->L - 1 ? (net->output == OUT_IDENTITY ? ACT_IDENTITY : -1)
                                       : net->hidden_act;
        if (fn == ACT_IDENTITY) net->H[l] = net->Z[l];
    }
    net->delta[0] = p;
    p += (size_t)n * net->max_width;
    net->delta[1] = p;
    p += (size_t)n * net->max_width;
    net->lse = p;
    p += n;
    net->F = net->n_feat ? p : NULL;
    return MLP_OK;
}

/* Row-wise softmax of Z (n, q) into O, and each row's log-sum-exp. */
static void softmax_rows(float *O, float *lse, const float *Z, int n, int q) {
    for (int i = 0; i < n; i++) {
        const float *z = Z + (size_t)i * q; /* (q) */
        float *o = O + (size_t)i * q;       /* (q) */
        float mx = z[0];
        for (int j = 1; j < q; j++) mx = z[j] > mx ? z[j] : mx;
        float s = 0.0f;
        for (int j = 0; j < q; j++) {
            o[j] = expf(z[j] - mx);
            s += o[j];
        }
        for (int j = 0; j < q; j++) o[j] /= s;
        lse[i] = mx + logf(s);
    }
}

/* Layer 0's input for X (n, d_in): X itself, or its features F after a forward. */
static const float *input0(const mlp *net, const float *X) { return net->n_feat ? net->F : X; }

/* The forward pass over X (n, d_in); acts must hold n rows. */
static void forward_core(mlp *net, const float *X, int n) {
    if (net->n_feat) features_make(net->F, X, n, net->d_in, net->feat, net->n_feat);
    const float *in = input0(net, X); /* (n, sizes[l]) */
    for (int l = 0; l < net->L; l++) {
        const int w = net->sizes[l + 1];
        dense_forward(net->Z[l], in, net->params + net->w_off[l], net->params + net->b_off[l], n,
                      net->sizes[l], w);
        if (l < net->L - 1) {
            if (net->H[l] != net->Z[l])
                act_forward(net->H[l], net->Z[l], n * w, net->hidden_act, net->alpha, net->beta);
        } else if (net->output == OUT_SIGMOID) {
            act_forward(net->H[l], net->Z[l], n * w, ACT_SIGMOID, 0.0f, 0.0f);
        } else if (net->output == OUT_SOFTMAX) {
            softmax_rows(net->H[l], net->lse, net->Z[l], n, w);
        }
        in = net->H[l];
    }
    net->fwd_n = n;
}

/* The data loss of the last forward against Y, (n, q) targets or (n) class
 * indices, as a mean; when dz is not NULL also dL/dZ of the output layer
 * into dz (n, q). */
static double loss_core(const mlp *net, float *dz, const float *Y, int n) {
    const int q = q_of(net);
    const float *Z = net->Z[net->L - 1]; /* (n, q) logits */
    const float *O = net->H[net->L - 1]; /* (n, q) outputs */
    const size_t nq = (size_t)n * q;
    double sum = 0.0;
    if (net->loss == LOSS_MSE) {
        /* mean (o - y)^2 over n q; dL/do = 2 (o - y) / (n q), then through the output */
        const float g2 = (float)(2.0 / (double)nq);
        for (size_t e = 0; e < nq; e++) {
            const float d = O[e] - Y[e];
            sum += (double)(d * d);
        }
        if (dz) {
            if (net->output == OUT_IDENTITY) {
                for (size_t e = 0; e < nq; e++) dz[e] = g2 * (O[e] - Y[e]);
            } else if (net->output == OUT_SIGMOID) {
                for (size_t e = 0; e < nq; e++) dz[e] = g2 * (O[e] - Y[e]) * (O[e] * (1.0f - O[e]));
            } else { /* softmax: dz_j = o_j (g_j - sum_k g_k o_k) */
                for (int i = 0; i < n; i++) {
                    const float *o = O + (size_t)i * q, *y = Y + (size_t)i * q; /* (q) each */
                    float *d = dz + (size_t)i * q;                              /* (q) */
                    float dot = 0.0f;
                    for (int j = 0; j < q; j++) {
                        d[j] = g2 * (o[j] - y[j]);
                        dot += d[j] * o[j];
                    }
                    for (int j = 0; j < q; j++) d[j] = o[j] * (d[j] - dot);
                }
            }
        }
        return sum / (double)nq;
    }
    if (net->loss == LOSS_BCE) {
        /* per element, from the logit z: max(z, 0) - z y + log(1 + e^-|z|);
         * dL/dz = (sigmoid(z) - y) / (n q) */
        for (size_t e = 0; e < nq; e++) {
            const float z = Z[e];
            sum += (double)((z > 0.0f ? z : 0.0f) - z * Y[e] + log1pf(expf(-fabsf(z))));
        }
        if (dz) {
            const float inv = (float)(1.0 / (double)nq);
            for (size_t e = 0; e < nq; e++) dz[e] = (O[e] - Y[e]) * inv;
        }
        return sum / (double)nq;
    }
    /* cross_entropy: -log softmax(z)[y] = lse - z_y; dL/dz = (softmax - onehot) / n */
    for (int i = 0; i < n; i++) sum += (double)(net->lse[i] - Z[(size_t)i * q + (int)Y[i]]);
    if (dz) {
        const float inv = (float)(1.0 / (double)n);
        for (int i = 0; i < n; i++) {
            const float *o = O + (size_t)i * q; /* (q) */
            float *d = dz + (size_t)i * q;      /* (q) */
            for (int j = 0; j < q; j++) d[j] = o[j] * inv;
            d[(int)Y[i]] -= inv;
        }
    }
    return sum / (double)n;
}

/* Forward, loss, and backward into grads (a block of the params layout,
 * zeroed here, then accumulated). dz_out, when not NULL, receives dL/dZ_l of
 * every layer l, (n, sizes[l+1]) each, one after the other. */
static double backward_core(mlp *net, float *grads, float *dz_out, const float *X, const float *Y,
                            int n) {
    forward_core(net, X, n);
    memset(grads, 0, (size_t)net->n_params * sizeof(float));
    float *dz = net->delta[0]; /* (n, sizes[l+1]) dL/dZ_l */
    float *dh = net->delta[1]; /* (n, sizes[l])   dL/dH_{l-1} */
    const double loss = loss_core(net, dz, Y, n);
    size_t dz_at = 0; /* where layer l's dz goes in dz_out */
    for (int l = 0; l < net->L - 1; l++) dz_at += (size_t)n * net->sizes[l + 1];
    for (int l = net->L - 1; l >= 0; l--) {
        const float *in = l > 0 ? net->H[l - 1] : input0(net, X); /* (n, sizes[l]) */
        if (dz_out) memcpy(dz_out + dz_at, dz, (size_t)n * net->sizes[l + 1] * sizeof(float));
        dense_backward(l > 0 ? dh : NULL, grads + net->w_off[l], grads + net->b_off[l],
                       dz, in, net->params + net->w_off[l], n, net->sizes[l], net->sizes[l + 1]);
        if (l > 0) {
            if (net->H[l - 1] != net->Z[l - 1]) /* not identity: dZ = dH f'(Z) */
                act_backward(dh, dh, net->Z[l - 1], net->H[l - 1], n * net->sizes[l],
                             net->hidden_act, net->alpha, net->beta);
            float *tmp = dz;
            dz = dh;
            dh = tmp;
            dz_at -= (size_t)n * net->sizes[l];
        }
    }
    return loss;
}

/* Forward, loss, and backward into the (zeroed) grads block. */
static double gradients_core(mlp *net, const float *X, const float *Y, int n) {
    return backward_core(net, net->grads, NULL, X, Y, n);
}

/* Zero optimizer state: the state of no optimizer yet. */
static void reset_state(mlp *net) {
    memset(net->m, 0, (size_t)net->n_params * sizeof(float));
    memset(net->v, 0, (size_t)net->n_params * sizeof(float));
    net->t = 0;
    net->b1_pow = 1.0;
    net->b2_pow = 1.0;
    net->state_opt = -1;
}

/* The parameters as they are before an update is applied, to undo it. */
static void keep_prev(mlp *net, float lr) {
    memcpy(net->prev, net->params, (size_t)net->n_params * sizeof(float));
    net->has_prev = 1;
    net->last_lr = lr;
    net->updates++;
}

/* Weight decay, then one optimizer update, refused (MLP_ERR_NONFINITE,
 * params and optimizer state untouched) when the loss or any updated
 * parameter or optimizer state would be Inf or NaN. A non-finite gradient
 * always makes its updated parameter (sgd) or state (momentum, adam)
 * non-finite, since lr is finite and positive. Two passes: the first
 * computes the would-be values and only looks at them, the second computes
 * the same values again (same expressions, same bits) and stores them. */
static int update_core(mlp *net, double loss, int optimizer, float lr, float l2) {
    float *g = net->grads;  /* (n_params) */
    float *p = net->params; /* (n_params) */
    float *m = net->m, *v = net->v; /* (n_params) each */
    const int P = net->n_params;
    if (l2 > 0.0f) {
        for (int l = 0; l < net->L; l++) {
            const int nw = net->sizes[l] * net->sizes[l + 1];
            const float *w = p + net->w_off[l]; /* (fan_in, fan_out) */
            float *gw = g + net->w_off[l];      /* (fan_in, fan_out) */
            for (int i = 0; i < nw; i++) gw[i] += l2 * w[i];
        }
    }
    if (!isfinite(loss)) {
        if (!net->has_prev) return MLP_ERR_NONFINITE;
        /* The last update overshot: undo it, and forget the state it came with. */
        memcpy(p, net->prev, (size_t)P * sizeof(float));
        net->has_prev = 0;
        net->updates--;
        mlp_reset_optimizer(net);
        return MLP_ERR_OVERSHOT;
    }
    /* Another optimizer's state is no state of this one: it starts fresh.
     * The check pass reads the old state times keep (0 for a fresh start:
     * the state is finite, so that is exactly zero state); the state is
     * only cleared once the update is sure to be applied. */
    const int fresh = optimizer != net->state_opt;
    const float keep = fresh ? 0.0f : 1.0f;
    uint32_t worst = 0;
    if (optimizer == OPT_SGD) {
        for (int i = 0; i < P; i++) {
            worst = max_u32(worst, exp_bits(p[i] - lr * g[i]));
        }
        if (worst == NONFINITE_BITS) return MLP_ERR_NONFINITE;
        keep_prev(net, lr);
        for (int i = 0; i < P; i++) p[i] -= lr * g[i];
    } else if (optimizer == OPT_MOMENTUM) { /* v = 0.9 v + g, p -= lr v (v lives in m) */
        for (int i = 0; i < P; i++) {
            const float vi = MOMENTUM * (keep * m[i]) + g[i];
            worst = max_u32(worst, max_u32(exp_bits(vi), exp_bits(p[i] - lr * vi)));
        }
        if (worst == NONFINITE_BITS) return MLP_ERR_NONFINITE;
        keep_prev(net, lr);
        if (fresh) reset_state(net);
        for (int i = 0; i < P; i++) {
            m[i] = MOMENTUM * m[i] + g[i];
            p[i] -= lr * m[i];
        }
    } else {
        const double b1_pow = (fresh ? 1.0 : net->b1_pow) * (double)ADAM_B1;
        const double b2_pow = (fresh ? 1.0 : net->b2_pow) * (double)ADAM_B2;
        const float c1 = (float)(1.0 / (1.0 - b1_pow)); /* 1 / (1 - b1^t) */
        const float c2 = (float)(1.0 / (1.0 - b2_pow)); /* 1 / (1 - b2^t) */
        for (int i = 0; i < P; i++) {
            const float mi = ADAM_B1 * (keep * m[i]) + (1.0f - ADAM_B1) * g[i];
            const float vi = ADAM_B2 * (keep * v[i]) + (1.0f - ADAM_B2) * (g[i] * g[i]);
            const float pi = p[i] - lr * (mi * c1) / (sqrtf(vi * c2) + ADAM_EPS);
            worst = max_u32(worst, max_u32(max_u32(exp_bits(mi), exp_bits(vi)), exp_bits(pi)));
        }
        if (worst == NONFINITE_BITS) return MLP_ERR_NONFINITE;
        keep_prev(net, lr);
        if (fresh) reset_state(net);
        for (int i = 0; i < P; i++) {
            m[i] = ADAM_B1 * m[i] + (1.0f - ADAM_B1) * g[i];
            v[i] = ADAM_B2 * v[i] + (1.0f - ADAM_B2) * (g[i] * g[i]);
            p[i] -= lr * (m[i] * c1) / (sqrtf(v[i] * c2) + ADAM_EPS);
        }
        net->t++; /* after a fresh start: 1 */
        net->b1_pow = b1_pow;
        net->b2_pow = b2_pow;
    }
    net->state_opt = optimizer;
    return MLP_OK;
}

/* ---- the API --------------------------------------------------------------- */

mlp *mlp_create(const int32_t *sizes, int n_sizes, int hidden_act, int output, int loss,
                int init, float alpha, float beta, uint32_t seed) {
    if (!sizes || n_sizes < 2 || n_sizes > MAX_SIZES) return NULL;
    for (int i = 0; i < n_sizes; i++)
        if (sizes[i] < 1 || sizes[i] > MLP_MAX_WIDTH) return NULL;
    if (hidden_act < 0 || hidden_act >= ACT_COUNT) return NULL;
    if (output < 0 || output >= OUT_COUNT || loss < 0 || loss >= LOSS_COUNT) return NULL;
    if (!valid_pair(output, loss)) return NULL;
    if (output == OUT_SOFTMAX && sizes[n_sizes - 1] < 2) return NULL;
    if (init < 0 || init >= INIT_COUNT) return NULL;
    if (!isfinite(alpha) || !isfinite(beta)) return NULL;

    mlp *net = calloc(1, sizeof *net);
    if (!net) return NULL;
    net->L = n_sizes - 1;
    for (int i = 0; i < n_sizes; i++) net->sizes[i] = sizes[i];
    net->hidden_act = hidden_act;
    net->output = output;
    net->loss = loss;
    net->alpha = alpha;
    net->beta = beta;
    int P = 0;
    for (int l = 0; l < net->L; l++) {
        const int w = net->sizes[l + 1];
        net->w_off[l] = P;
        P += net->sizes[l] * w;
        net->b_off[l] = P;
        P += w;
        net->max_width = w > net->max_width ? w : net->max_width;
        net->sum_width += w;
    }
    net->n_params = P;
    net->d_in = net->sizes[0];
    net->params = malloc((size_t)P * sizeof(float));
    net->grads = calloc((size_t)P, sizeof(float));
    net->m = calloc((size_t)P, sizeof(float));
    net->v = calloc((size_t)P, sizeof(float));
    net->prev = malloc((size_t)P * sizeof(float));
    if (!net->params || !net->grads || !net->m || !net->v || !net->prev) {
        mlp_free(net);
        return NULL;
    }
    net->b1_pow = 1.0;
    net->b2_pow = 1.0;
    net->state_opt = -1;

    /* U(-a, a) as (2u - 1) a, u from the top 24 bits: only +, *, / and sqrt,
     * all correctly rounded, so the bits are the same everywhere. */
    pcg32_seed(&net->rng, seed, NET_STREAM);
    for (int l = 0; l < net->L; l++) {
        const int fi = net->sizes[l], fo = net->sizes[l + 1];
        const float fan = (float)(init == INIT_XAVIER ? fi + fo : fi);
        const float a = sqrtf(6.0f / fan);
        float *W = net->params + net->w_off[l]; /* (fi, fo) */
        for (int i = 0; i < fi * fo; i++) W[i] = (2.0f * pcg32_float(&net->rng) - 1.0f) * a;
        memset(net->params + net->b_off[l], 0, (size_t)fo * sizeof(float)); /* (fo) */
    }
    return net;
}

void mlp_free(mlp *net) {
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->m);
    free(net->v);
    free(net->prev);
    free(net->acts);
    free(net->scratch);
    free(net);
}

int mlp_num_layers(const mlp *net) { return net ? net->L : MLP_ERR_ARG; }
int mlp_num_params(const mlp *net) { return net ? net->n_params : MLP_ERR_ARG; }
float *mlp_params(mlp *net) { return net ? net->params : NULL; }
float *mlp_grads(mlp *net) { return net ? net->grads : NULL; }

int mlp_w_offset(const mlp *net, int layer) {
    return net && layer >= 0 && layer < net->L ? net->w_off[layer] : -1;
}

int mlp_b_offset(const mlp *net, int layer) {
    return net && layer >= 0 && layer < net->L ? net->b_off[layer] : -1;
}

int mlp_set_features(mlp *net, const int32_t *ids, int k, int d) {
    if (!net) return MLP_ERR_ARG;
    if (k != 0 && (k != net->sizes[0] || features_check(ids, k, d) != MLP_OK)) return MLP_ERR_ARG;
    if (k) memcpy(net->feat, ids, (size_t)k * sizeof *ids);
    net->n_feat = k;
    net->d_in = k ? d : net->sizes[0];
    /* The activations block changes shape: the next batch lays it out anew
     * (ensure_acts reallocs it, since it holds no rows now). */
    net->acts_cap = 0;
    net->fwd_n = 0;
    net->F = NULL;
    return MLP_OK;
}

int mlp_forward(mlp *net, const float *X, int n) {
    if (!net || !X || n < 1) return MLP_ERR_ARG;
    const int rc = ensure_acts(net, n);
    if (rc != MLP_OK) return rc;
    forward_core(net, X, n);
    return MLP_OK;
}

float *mlp_output(mlp *net) { return net && net->fwd_n > 0 ? net->H[net->L - 1] : NULL; }

float *mlp_hidden(mlp *net, int layer) {
    if (!net || net->fwd_n < 1 || layer < 1 || layer > net->L - 1) return NULL;
    return net->H[layer - 1];
}

int mlp_gradients(mlp *net, float *loss, const float *X, const float *Y, int n) {
    int rc = check_batch(net, X, Y, n);
    if (rc == MLP_OK) rc = ensure_acts(net, n);
    if (rc != MLP_OK) return rc;
    const double l = gradients_core(net, X, Y, n);
    if (loss) *loss = (float)l;
    return MLP_OK;
}

int mlp_trace_size(const mlp *net) {
    return net ? 2 + net->sizes[0] + 3 * net->sum_width + net->n_params : MLP_ERR_ARG;
}

int mlp_trace(mlp *net, float *out, const float *x, const float *y) {
    int rc = check_batch(net, x, y, 1);
    if (rc == MLP_OK && !out) rc = MLP_ERR_ARG;
    if (rc == MLP_OK) rc = ensure_acts(net, 1);
    if (rc != MLP_OK) return rc;
    const int k = net->sizes[0];
    float *input = out + 2;                      /* (k) */
    float *zhd = input + k;                      /* z, h then dz of every layer */
    float *grads = zhd + 3 * net->sum_width;     /* (n_params), the params layout */
    float *dz = zhd + 2 * net->sum_width;        /* dz_0, dz_1, ... */
    const double loss = backward_core(net, grads, dz, x, y, 1);
    out[0] = (float)loss;
    out[1] = (float)net->L;
    memcpy(input, input0(net, x), (size_t)k * sizeof(float));
    float *z = zhd, *h = zhd + net->sum_width;
    for (int l = 0; l < net->L; l++) {
        const size_t w = (size_t)net->sizes[l + 1];
        memcpy(z, net->Z[l], w * sizeof(float));
        memcpy(h, net->H[l], w * sizeof(float));
        z += w;
        h += w;
    }
    return MLP_OK;
}

int mlp_step(mlp *net, float *loss, const float *X, const float *Y, int n, int optimizer,
             float lr, float l2) {
    int rc = check_batch(net, X, Y, n);
    if (rc == MLP_OK) rc = check_opt(optimizer, lr, l2);
    if (rc == MLP_OK) rc = ensure_acts(net, n);
    if (rc != MLP_OK) return rc;
    const double l = gradients_core(net, X, Y, n);
    if (loss) *loss = (float)l;
    return update_core(net, l, optimizer, lr, l2);
}

int mlp_train_epoch(mlp *net, float *loss, const float *X, const float *Y, int n, int batch_size,
                    int shuffle, int optimizer, float lr, float l2) {
    int rc = check_batch(net, X, Y, n);
    if (rc == MLP_OK && batch_size < 1) rc = MLP_ERR_ARG;
    if (rc == MLP_OK) rc = check_opt(optimizer, lr, l2);
    if (rc != MLP_OK) return rc;
    const int bs = batch_size < n ? batch_size : n;
    rc = ensure_acts(net, bs);
    if (rc != MLP_OK) return rc;
    const int d = net->d_in, yc = ycols_of(net);
    int32_t *perm = NULL; /* (n) */
    float *Xb = NULL;     /* (bs, d) */
    float *Yb = NULL;     /* (bs, yc) */
    if (shuffle) {
        /* bs <= n, so n (1 + d + yc) floats bound what is needed */
        if ((size_t)n > SIZE_MAX / sizeof(float) / (1 + (size_t)d + (size_t)yc)) return MLP_ERR_NOMEM;
        const size_t need =
            (size_t)n * sizeof(int32_t) + (size_t)bs * ((size_t)d + (size_t)yc) * sizeof(float);
        if (need > net->scratch_bytes) {
            void *s = realloc(net->scratch, need);
            if (!s) return MLP_ERR_NOMEM;
            net->scratch = s;
            net->scratch_bytes = need;
        }
        perm = net->scratch;
        Xb = (float *)(perm + n);
        Yb = Xb + (size_t)bs * d;
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
            const int j = (int)pcg32_below(&net->rng, (uint32_t)i + 1u);
            const int32_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }
    double total = 0.0;
    for (int start = 0; start < n; start += bs) {
        const int nb = n - start < bs ? n - start : bs;
        const float *xb = X + (size_t)start * d;  /* (nb, d)  */
        const float *yb = Y + (size_t)start * yc; /* (nb, yc) */
        if (shuffle) {
            for (int i = 0; i < nb; i++) {
                const size_t r = (size_t)perm[start + i];
                memcpy(Xb + (size_t)i * d, X + r * d, (size_t)d * sizeof(float));
                memcpy(Yb + (size_t)i * yc, Y + r * yc, (size_t)yc * sizeof(float));
            }
            xb = Xb;
            yb = Yb;
        }
        const double l = gradients_core(net, xb, yb, nb);
        rc = update_core(net, l, optimizer, lr, l2);
        if (rc != MLP_OK) {
            if (loss) *loss = (float)l;
            return rc;
        }
        total += l * nb;
    }
    if (loss) *loss = (float)(total / n);
    return MLP_OK;
}

int mlp_evaluate(mlp *net, float *loss, int32_t *correct, const float *X, const float *Y, int n) {
    int rc = check_batch(net, X, Y, n);
    if (rc == MLP_OK) rc = ensure_acts(net, n);
    if (rc != MLP_OK) return rc;
    forward_core(net, X, n);
    const double l = loss_core(net, NULL, Y, n);
    if (loss) *loss = (float)l;
    const int q = q_of(net);
    const float *O = net->H[net->L - 1]; /* (n, q) */
    int32_t right = -1;
    if (net->output == OUT_SOFTMAX) {
        /* argmax per row against the label; for mse with softmax, Y holds
         * targets (n, q): the label is then the argmax of the target row */
        right = 0;
        for (int i = 0; i < n; i++) {
            const float *o = O + (size_t)i * q; /* (q) */
            int best = 0;
            for (int j = 1; j < q; j++)
                if (o[j] > o[best]) best = j;
            int label;
            if (net->loss == LOSS_CROSS_ENTROPY) {
                label = (int)Y[i];
            } else {
                const float *y = Y + (size_t)i * q; /* (q) */
                label = 0;
                for (int j = 1; j < q; j++)
                    if (y[j] > y[label]) label = j;
            }
            right += best == label;
        }
    } else if (net->output == OUT_SIGMOID) {
        /* n q <= the acts block's element count, which fits an int32 */
        const size_t nq = (size_t)n * q;
        right = 0;
        for (size_t e = 0; e < nq; e++) right += (O[e] >= 0.5f) == (Y[e] >= 0.5f);
    }
    if (correct) *correct = right;
    return MLP_OK;
}

void mlp_reset_optimizer(mlp *net) {
    if (net) reset_state(net);
}

float mlp_last_lr(const mlp *net) { return net ? net->last_lr : 0.0f; }
uint32_t mlp_updates(const mlp *net) { return net ? net->updates : 0u; }

int mlp_set_params(mlp *net, const float *src) {
    if (!net || !src) return MLP_ERR_ARG;
    memmove(net->params, src, (size_t)net->n_params * sizeof(float));
    net->has_prev = 0;
    return MLP_OK;
}
