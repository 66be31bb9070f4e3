/* fuzz_mlp.c: a libFuzzer target over the whole C API of mlp-lab (mlp_lab.h).
 *
 *   make test-fuzz          # replays every file in tests/fuzz/regressions, then fuzzes 60 s
 *   build/fuzz_mlp -max_total_time=600 build/fuzz-corpus tests/fuzz/corpus
 *
 * Built natively with clang -fsanitize=fuzzer,address,undefined, so any read
 * or write past a buffer, any leak, any undefined behaviour is a crash. Every
 * buffer handed to the library is its own malloc of exactly the size the API
 * promises to touch, so ASan sees one float too far.
 *
 * The first byte picks a mode:
 *   0 activations: a kind id (also invalid ones), alpha, beta, a length
 *     (also 0, negative, not a multiple of 4), values from the bytes (also
 *     NaN, +-Inf, +-0, denormals, huge); act_forward, act_derivative,
 *     act_backward, the _ref versions, in place and out of place.
 *   1 networks: widths, ids (also invalid), init, alpha, beta, seed; then up
 *     to 24 operations (forward, hidden, gradients, step, train_epoch,
 *     evaluate, reset, set parameters, NULL arguments) with batch sizes,
 *     data, labels (also invalid), optimizer ids, lr and l2 (also NaN, Inf,
 *     0, negative, huge) from the bytes.
 *   2 data sets: data_dims, data_range, data_make with every kind id, n
 *     (also 0, negative, > 1e7), noise (also NaN, < 0, > 1), seeds.
 *   3 dense kernels (dense.h): odd shapes, NULL bias/dinp/db, against the
 *     _ref loops (bit-for-bit where dense.h promises it).
 *   4 input features: a list of ids (also invalid, duplicate, needing x2 on
 *     1-D data), d, n, values (also NaN, Inf, huge); features_make against
 *     features_make_ref; then a network with those features
 *     (mlp_set_features) against a plain twin fed the expanded inputs.
 *   5 the exercises over a parameter block (regions.c, convert.c, affine.c,
 *     linalg.c): sizes (also invalid), activation ids, alpha, parameters
 *     (bounded or wild) from the bytes; then regions_1d (interval, cap),
 *     regions_2d (range, k, also out of range), convert_params (both ways
 *     and back), affine_product and linalg_rank.
 *
 * Invariants (each a __builtin_trap, which libFuzzer reports as a crash):
 * - every status is MLP_OK or one of the documented MLP_ERR_*;
 * - invalid arguments give MLP_ERR_ARG (MLP_ERR_LABEL for bad labels) and
 *   change nothing (parameters compared with memcmp);
 * - mlp_create returns NULL exactly when its arguments are invalid, and the
 *   same seed gives the same bits;
 * - outputs are finite when a bound computed from the parameters and
 *   inputs says no float can overflow; sigmoid outputs are in [0, 1],
 *   softmax rows sum to 1;
 * - an OK gradients/step/epoch has a finite loss (>= 0 where the loss is
 *   non-negative) and finite gradients; MLP_ERR_NONFINITE from mlp_step
 *   leaves the parameters bit-for-bit unchanged, MLP_ERR_OVERSHOT leaves
 *   finite ones (those before the update it undid); after any OK update the
 *   parameters are finite (mlp_step refuses an update that would not be);
 * - forward, gradients, evaluate and trace never change the parameters; a
 *   trace of a row has the loss and gradients of mlp_gradients on it;
 * - a refused step or epoch leaves the optimizer state and the shuffling
 *   PRNG as they were: a twin network that replays only the successful
 *   calls (and the undone ones, which must undo the same) stays
 *   bit-for-bit equal;
 * - activations: the unsuffixed kernels equal the references (natively both
 *   are the references), in place equals out of place, finite x gives a
 *   finite f(x) and f'(x) (for |beta| <= 64) within each function's range,
 *   and act_backward(dy, x, f(x)) agrees with dy * f'(x);
 * - data sets: finite points inside a generous box around data_range,
 *   integer labels in [0, classes), the same bits for the same arguments;
 * - features: a list is refused (MLP_ERR_ARG, nothing written) exactly when
 *   mlp_lab.h says it is invalid; x1, x2 and the products equal the
 *   reference bit for bit, sin within 1e-6 + 1e-5 |ref| (natively both are
 *   the reference); finite x gives |sin| <= 1 and squares >= 0; a network
 *   with features computes the bits of its plain twin on the expanded
 *   inputs (forward, gradients, a step), and a refused mlp_set_features
 *   leaves it as it was;
 * - exercises: invalid sizes or ids give MLP_ERR_ARG; breakpoints strictly
 *   increase inside (from, to), a smaller cap reports the same count and the
 *   same first ones; region ids appear in order (each new one is the next),
 *   their count <= k^2, and is 1 for a linear network; a conversion there
 *   and back gives the same weights bit for bit (when no scaling under- or
 *   overflows); the rank is in [0, min(d, q)] with decreasing singular
 *   values; finite parameters never give MLP_ERR_NONFINITE from
 *   affine_product or regions_1d.
 */
#include <float.h>
#ifdef FUZZ_DEBUG
#include <stdio.h>
#endif
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mlp_lab.h"
#include "dense.h"

/* An OK update leaves finite parameters (mlp_step refuses one that would
 * not, since 9ca367b; tests/fuzz/regressions/step-lr-flt-max-overflows-params
 * is the input that found it). -DFUZZ_CHECK_UPDATE_FINITE=0 skips the check. */
#ifndef FUZZ_CHECK_UPDATE_FINITE
#define FUZZ_CHECK_UPDATE_FINITE 1
#endif

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) __builtin_trap();                                                             \
    } while (0)

/* ---- reading the input ------------------------------------------------------ */

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static uint8_t u8(reader *r) {
    if (r->n == 0) return 0;
    r->n--;
    return *r->p++;
}

static uint32_t u32(reader *r) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | u8(r);
    return v;
}

static float bits_float(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Special values first, then anything the bits say. */
static const float SPECIAL[] = {
    0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 2.0f, 1e-3f, 0.1f, 10.0f, -10.0f, 1e6f, 1e30f, FLT_MAX,
    -FLT_MAX, FLT_MIN, 1e-45f /* denormal */, 88.72f, -88.72f, 20.0f, -20.0f, 3.0f,
};
#define N_SPECIAL ((int)(sizeof SPECIAL / sizeof SPECIAL[0]))

static float any_float(reader *r) {
    const uint8_t b = u8(r);
    if (b < N_SPECIAL) return SPECIAL[b];
    if (b == 250) return NAN;
    if (b == 251) return -NAN;
    if (b == 252) return INFINITY;
    if (b == 253) return -INFINITY;
    if (b >= 254) return bits_float(u32(r));
    return ((float)b - 128.0f) / 16.0f; /* [-8, 8) in steps of 1/16 */
}

/* A hyperparameter: mostly sensible, sometimes anything. */
static float hyper(reader *r, float sensible_scale) {
    const uint8_t b = u8(r);
    if (b < 200) return sensible_scale * (float)(b + 1) / 200.0f;
    if (b < 230) return SPECIAL[(b - 200) % N_SPECIAL];
    if (b == 230) return NAN;
    if (b == 231) return INFINITY;
    if (b == 232) return -INFINITY;
    if (b == 233) return -sensible_scale;
    if (b == 234) return 0.0f;
    return bits_float(u32(r));
}

/* An id in [0, count) most of the time; otherwise an invalid one. */
static int any_id(reader *r, int count) {
    const uint8_t b = u8(r);
    if (b < 224) return b % count;
    static const int BAD[] = {-1, -2, 0, 1, 1000, INT32_MIN, INT32_MAX, 255};
    const int bad = BAD[b % 8];
    return bad == 0 ? count : bad == 1 ? count + 1 : bad;
}

/* ---- helpers ----------------------------------------------------------------- */

static int same_bits(const float *a, const float *b, size_t n);
static float *alloc_floats(size_t n);

static int valid_status(int rc) {
    return rc == MLP_OK || rc == MLP_ERR_ARG || rc == MLP_ERR_NOMEM || rc == MLP_ERR_LABEL ||
           rc == MLP_ERR_NONFINITE || rc == MLP_ERR_OVERSHOT || rc == MLP_ERR_LIMIT;
}

static int all_finite(const float *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(p[i])) return 0;
    return 1;
}

static float *alloc_floats(size_t n) {
    float *p = malloc((n ? n : 1) * sizeof(float));
    CHECK(p != NULL);
    return p;
}

/* ---- mode 0: activations ------------------------------------------------------ */

#ifdef __wasm_simd128__
/* Equal, both NaN, or finite and within rel (of max(1, |b|)). */
static int close_or_same(float a, float b, float rel) {
    if (a == b || (isnan(a) && isnan(b))) return 1;
    return isfinite(a) && isfinite(b) && fabsf(a - b) <= rel * fmaxf(1.0f, fabsf(b));
}
#endif

static int valid_act(int kind) { return kind >= 0 && kind < ACT_COUNT; }

/* f(x) for finite x (and alpha, beta with |beta| <= 64) lies in this range. */
static void check_forward_value(int kind, float x, float y, float alpha) {
    CHECK(isfinite(y) || (kind == ACT_PRELU && !isfinite(alpha * x)));
    switch (kind) {
    case ACT_RELU: CHECK(y == (x > 0.0f ? x : 0.0f)); break;
    case ACT_PRELU: CHECK(x > 0.0f ? y == x : (x == 0.0f ? y == 0.0f : 1)); break;
    case ACT_SIGMOID: CHECK(y >= 0.0f && y <= 1.0f); break;
    case ACT_TANH: CHECK(y >= -1.0f && y <= 1.0f); break;
    case ACT_IDENTITY: CHECK(y == x); break;
    case ACT_GELU: /* x Phi(x) lies between min(0, x) - 0.18 and max(0, x) */
        CHECK(y <= fmaxf(0.0f, x) * 1.0001f + 1e-6f && y >= fminf(0.0f, x) * 1.0001f - 0.18f);
        break;
    default: break; /* swish: x sigmoid(beta x), between min(0, x) and max(0, x) for beta >= 0 */
    }
}

static void check_derivative_value(int kind, float x, float d, float alpha) {
    CHECK(isfinite(d));
    switch (kind) {
    case ACT_RELU: CHECK(d == (x > 0.0f ? 1.0f : 0.0f)); break;
    case ACT_PRELU: CHECK(d == (x > 0.0f ? 1.0f : alpha)); break;
    case ACT_SIGMOID: CHECK(d >= 0.0f && d <= 0.2501f); break;
    case ACT_TANH: CHECK(d >= 0.0f && d <= 1.0001f); break;
    case ACT_IDENTITY: CHECK(d == 1.0f); break;
    case ACT_GELU: CHECK(d >= -0.2f && d <= 1.2f); break; /* Phi(x) + x phi(x) in [-0.17, 1.13] */
    default: break;
    }
}

static void fuzz_activations(reader *r) {
    const int kind = any_id(r, ACT_COUNT);
    const float alpha = hyper(r, 1.0f);
    float beta = hyper(r, 4.0f);
    int n;
    const uint8_t nb = u8(r);
    if (nb == 255) n = -1;
    else if (nb == 254) n = INT32_MIN;
    else if (nb == 253) n = 1000 + (int)(u8(r)) * 4 + 3;
    else n = nb % 70;
    const size_t m = n > 0 ? (size_t)n : 0;
    float *x = alloc_floats(m);
    for (size_t i = 0; i < m; i++) x[i] = r->n ? any_float(r) : (float)i * 0.37f - 7.0f;

    float *y = alloc_floats(m), *y2 = alloc_floats(m), *d = alloc_floats(m), *d2 = alloc_floats(m);
    float *dy = alloc_floats(m), *dx = alloc_floats(m);
    int rc = act_forward(y, x, n, kind, alpha, beta);
    CHECK(valid_status(rc));
    const int valid = valid_act(kind) && n >= 0;
    CHECK(valid ? rc == MLP_OK : rc == MLP_ERR_ARG);
    /* NULL with n > 0 is an error; NULL with n == 0 is fine either way. */
    CHECK(act_forward(NULL, x, 1, valid_act(kind) ? kind : 0, alpha, beta) == MLP_ERR_ARG);
    CHECK(act_derivative(d, NULL, 1, valid_act(kind) ? kind : 0, alpha, beta) == MLP_ERR_ARG);
    if (valid) {
        const int tame = isfinite(alpha) && isfinite(beta) && fabsf(beta) <= 64.0f &&
                         fabsf(alpha) <= 64.0f;
        CHECK(act_forward_ref(y2, x, n, kind, alpha, beta) == MLP_OK);
        rc = act_derivative(d, x, n, kind, alpha, beta);
        CHECK(rc == MLP_OK);
        CHECK(act_derivative_ref(d2, x, n, kind, alpha, beta) == MLP_OK);
#ifdef __wasm_simd128__
        /* the SIMD kernels against the references, to their stated accuracy */
        for (size_t i = 0; tame && i < m; i++) {
            CHECK(close_or_same(y[i], y2[i], 1e-5f));
            CHECK(close_or_same(d[i], d2[i], 1e-5f));
        }
#else
        /* natively the unsuffixed calls are the references */
        CHECK(memcmp(y, y2, m * sizeof(float)) == 0);
        CHECK(memcmp(d, d2, m * sizeof(float)) == 0);
#endif
        /* in place equals out of place */
        memcpy(y2, x, m * sizeof(float));
        CHECK(act_forward(y2, y2, n, kind, alpha, beta) == MLP_OK);
        CHECK(memcmp(y, y2, m * sizeof(float)) == 0);
        memcpy(d2, x, m * sizeof(float));
        CHECK(act_derivative(d2, d2, n, kind, alpha, beta) == MLP_OK);
        CHECK(memcmp(d, d2, m * sizeof(float)) == 0);
        for (size_t i = 0; i < m; i++) {
            if (!tame || !isfinite(x[i])) continue;
            check_forward_value(kind, x[i], y[i], alpha);
            if (kind == ACT_SWISH && beta >= 0.0f)
                CHECK(y[i] >= fminf(0.0f, x[i]) * 1.0001f && y[i] <= fmaxf(0.0f, x[i]) * 1.0001f);
            check_derivative_value(kind, x[i], d[i], alpha);
        }
        /* act_backward with y = f(x): dx = dy f'(x); also with dx aliasing dy */
        for (size_t i = 0; i < m; i++) dy[i] = ((float)(i % 7) - 3.0f) * 0.25f;
        CHECK(act_backward(dx, dy, x, y, n, kind, alpha, beta) == MLP_OK);
        CHECK(act_backward(dy, dy, x, y, n, kind, alpha, beta) == MLP_OK);
        CHECK(memcmp(dx, dy, m * sizeof(float)) == 0);
        for (size_t i = 0; i < m; i++) {
            if (!tame || !isfinite(x[i])) continue;
            const float g = ((float)(i % 7) - 3.0f) * 0.25f;
            const float want = g * d[i];
            CHECK(isfinite(dx[i]));
            CHECK(fabsf(dx[i] - want) <= 1e-3f * fabsf(g) * fmaxf(1.0f, fabsf(d[i])) + 1e-6f);
        }
    } else {
        CHECK(act_derivative(d, x, n, kind, alpha, beta) == MLP_ERR_ARG);
        CHECK(act_backward(dx, dy, x, y, n, kind, alpha, beta) == MLP_ERR_ARG);
    }
    free(x); free(y); free(y2); free(d); free(d2); free(dy); free(dx);
}

/* ---- mode 1: networks --------------------------------------------------------- */

typedef struct {
    int32_t sizes[10];
    int n_sizes;
    int act, output, loss, init;
    float alpha, beta;
} netspec;

static int spec_valid(const netspec *s) {
    if (s->n_sizes < 2 || s->n_sizes > MLP_MAX_HIDDEN + 2) return 0;
    for (int i = 0; i < s->n_sizes; i++)
        if (s->sizes[i] < 1 || s->sizes[i] > MLP_MAX_WIDTH) return 0;
    if (!valid_act(s->act) || s->output < 0 || s->output >= OUT_COUNT || s->loss < 0 ||
        s->loss >= LOSS_COUNT || s->init < 0 || s->init >= INIT_COUNT)
        return 0;
    if (s->loss == LOSS_BCE && s->output != OUT_SIGMOID) return 0;
    if (s->loss == LOSS_CROSS_ENTROPY && s->output != OUT_SOFTMAX) return 0;
    if (s->output == OUT_SOFTMAX && s->sizes[s->n_sizes - 1] < 2) return 0;
    return 1;
}

static int32_t width(reader *r) {
    const uint8_t b = u8(r);
    if (b < 232) return 1 + b % 12;
    static const int32_t W[] = {0, -1, 256, 257, 64, 100, 255, INT32_MAX, INT32_MIN, 33,
                                128, 17, 5000, 2, 3, 1, 0, 48, 96, 200, 1, 256, 9, 4};
    return W[b - 232];
}

/* A bound on |every pre-activation| (and so on every output) of the network
 * over inputs with |x| <= xmax, in double; +Inf when it would not fit. */
static double output_bound(const int32_t *sizes, int L, const float *params, const int *w_off,
                           const int *b_off, int act, float alpha, double xmax) {
    double B = xmax;
    for (int l = 0; l < L; l++) {
        const int fi = sizes[l], fo = sizes[l + 1];
        double wmax = 0.0, bmax = 0.0;
        /* fmax ignores NaN: a NaN parameter is an unbounded one */
        if (!all_finite(params + w_off[l], (size_t)fi * fo) || !all_finite(params + b_off[l], (size_t)fo))
            return INFINITY;
        for (int i = 0; i < fi * fo; i++) wmax = fmax(wmax, fabs((double)params[w_off[l] + i]));
        for (int i = 0; i < fo; i++) bmax = fmax(bmax, fabs((double)params[b_off[l] + i]));
        double in = B;
        if (l > 0) { /* |act(z)| <= g(|z|) */
            if (act == ACT_SIGMOID || act == ACT_TANH) in = 1.0;
            else if (act == ACT_PRELU) in = B * fmax(1.0, fabs((double)alpha));
            else in = B + 1.0; /* relu, gelu, swish (beta >= 0), identity */
        }
        B = (double)fi * wmax * in * 1.01 + bmax;
        if (!(B < 1e30)) return INFINITY;
    }
    return B;
}

typedef struct {
    mlp *net;
    netspec s;
    int L, P, q, d;
    int w_off[MLP_MAX_HIDDEN + 1], b_off[MLP_MAX_HIDDEN + 1];
} fnet;

static void check_params_finite(fnet *f) {
    CHECK(all_finite(mlp_params(f->net), (size_t)f->P));
}

/* n rows of X (bounded or wild), Y to match (targets or labels, valid or not). */
typedef struct {
    int n;
    float *X, *Y;
    int wild_x;     /* X may hold non-finite or huge values */
    int bad_labels; /* some label is not an integer in [0, q) (cross_entropy) */
    int ybounded;   /* targets in [0, 1] */
    size_t ny;
    double xmax;
} batch;

static int rows(reader *r) {
    const uint8_t b = u8(r);
    if (b < 240) return 1 + b % 24;
    static const int R[] = {0, -1, INT32_MIN, 64, 100, 257, 1, 2, 31, 33, 128, 7, 9, 48, 5, 3};
    return R[b - 240];
}

static batch make_batch(reader *r, const fnet *f, int n) {
    batch b = {0};
    b.n = n;
    const size_t m = n > 0 ? (size_t)n : 1;
    const uint8_t mode = u8(r);
    b.wild_x = mode % 8 == 7;
    const size_t nx = m * (size_t)f->d;
    b.X = alloc_floats(nx);
    for (size_t i = 0; i < nx; i++) {
        float v;
        if (b.wild_x) v = any_float(r);
        else v = ((float)u8(r) - 128.0f) / 16.0f;
        b.X[i] = v;
        if (isfinite(v)) b.xmax = fmax(b.xmax, fabs((double)v));
    }
    if (f->s.loss == LOSS_CROSS_ENTROPY) {
        b.ny = m;
        b.Y = alloc_floats(m);
        const int bad = (mode / 8) % 4 == 3;
        for (size_t i = 0; i < m; i++) {
            const uint8_t c = u8(r);
            float y = (float)(c % f->q);
            if (bad && c >= 192) {
                static const float BADY[] = {-1.0f, 0.5f, NAN, INFINITY, 1e30f, -0.5f, 0.0f, 0.0f};
                y = BADY[c % 8];
                if (c % 8 == 6) y = (float)f->q;
                if (c % 8 == 7) y = (float)f->q - 0.5f;
                b.bad_labels = 1;
            }
            b.Y[i] = y;
        }
        if (b.bad_labels) { /* recompute exactly: some picks above are valid */
            b.bad_labels = 0;
            for (size_t i = 0; i < m; i++)
                if (!(b.Y[i] >= 0.0f && b.Y[i] < (float)f->q && b.Y[i] == floorf(b.Y[i])))
                    b.bad_labels = 1;
        }
    } else {
        b.ny = m * (size_t)f->q;
        b.Y = alloc_floats(b.ny);
        b.ybounded = 1;
        const int wild = (mode / 8) % 4 == 3;
        for (size_t i = 0; i < b.ny; i++) {
            float y = (float)u8(r) / 255.0f;
            if (wild && (i % 3 == 0)) y = any_float(r);
            if (!(y >= 0.0f && y <= 1.0f)) b.ybounded = 0;
            b.Y[i] = y;
        }
    }
    return b;
}

static void free_batch(batch *b) { free(b->X); free(b->Y); }

/* Loss that must be >= 0 for these targets. */
static int loss_nonneg(const fnet *f, const batch *b) {
    return f->s.loss != LOSS_BCE || b->ybounded;
}

static void check_forward_outputs(fnet *f, const batch *b) {
    const float *O = mlp_output(f->net);
    CHECK(O != NULL);
    const size_t nq = (size_t)b->n * f->q;
    if (f->s.output == OUT_SIGMOID) {
        for (size_t e = 0; e < nq; e++) CHECK(isnan(O[e]) || (O[e] >= 0.0f && O[e] <= 1.0f));
    }
    if (b->wild_x) return;
    const double B = output_bound(f->s.sizes, f->L, mlp_params(f->net), f->w_off, f->b_off,
                                  f->s.act, f->s.alpha, b->xmax);
    if (!isfinite(B) || fabsf(f->s.beta) > 64.0f || f->s.beta < 0.0f) return;
#ifdef FUZZ_DEBUG
    if (!all_finite(O, nq)) {
        fprintf(stderr, "L %d act %d out %d loss %d alpha %g beta %g bound %g xmax %g n %d\n", f->L, f->s.act,
                f->s.output, f->s.loss, f->s.alpha, f->s.beta, B, b->xmax, b->n);
        for (int l = 0; l <= f->L; l++) fprintf(stderr, "size %d\n", f->s.sizes[l]);
        for (size_t e = 0; e < nq; e++) fprintf(stderr, "O[%zu] = %g\n", e, O[e]);
        for (int i = 0; i < f->P; i++) fprintf(stderr, "p[%d] = %g\n", i, mlp_params(f->net)[i]);
        for (int i = 0; i < b->n * f->d; i++) fprintf(stderr, "x[%d] = %g\n", i, b->X[i]);
    }
#endif
    CHECK(all_finite(O, nq));
    if (f->s.output == OUT_SOFTMAX) {
        for (int i = 0; i < b->n; i++) {
            double s = 0.0;
            for (int j = 0; j < f->q; j++) {
                const float o = O[(size_t)i * f->q + j];
                CHECK(o >= 0.0f && o <= 1.0f);
                s += o;
            }
            CHECK(fabs(s - 1.0) < 1e-4);
        }
    }
    for (int h = 1; h < f->L; h++) {
        const float *H = mlp_hidden(f->net, h);
        CHECK(H != NULL);
        CHECK(all_finite(H, (size_t)b->n * f->s.sizes[h]));
    }
}

static void fuzz_network(reader *r) {
    fnet f;
    memset(&f, 0, sizeof f);
    netspec *s = &f.s;
    s->n_sizes = u8(r) % 11;
    for (int i = 0; i < s->n_sizes; i++) s->sizes[i] = width(r);
    s->act = any_id(r, ACT_COUNT);
    s->output = any_id(r, OUT_COUNT);
    s->loss = any_id(r, LOSS_COUNT);
    /* steer towards valid pairs half the time */
    if (u8(r) & 1) {
        if (s->output == OUT_SIGMOID && s->loss != LOSS_MSE) s->loss = LOSS_BCE;
        if (s->output == OUT_SOFTMAX && s->loss != LOSS_MSE) s->loss = LOSS_CROSS_ENTROPY;
        if (s->output == OUT_IDENTITY) s->loss = LOSS_MSE;
    }
    s->init = any_id(r, INIT_COUNT);
    s->alpha = hyper(r, 1.0f);
    s->beta = hyper(r, 4.0f);
    const uint32_t seed = u32(r);

    int32_t *sizes = malloc((size_t)(s->n_sizes ? s->n_sizes : 1) * sizeof(int32_t));
    CHECK(sizes != NULL);
    memcpy(sizes, s->sizes, (size_t)s->n_sizes * sizeof(int32_t));
    const int valid = spec_valid(s);
    const int tame_ab = isfinite(s->alpha) && isfinite(s->beta);
    f.net = mlp_create(sizes, s->n_sizes, s->act, s->output, s->loss, s->init, s->alpha, s->beta,
                       seed);
    CHECK(mlp_create(NULL, s->n_sizes, s->act, s->output, s->loss, s->init, s->alpha, s->beta,
                     seed) == NULL);
    if (!valid) {
        CHECK(f.net == NULL);
        free(sizes);
        return;
    }
    if (tame_ab) CHECK(f.net != NULL);
    if (!f.net) {
        free(sizes);
        return;
    }
    /* same arguments, same bits */
    mlp *twin = mlp_create(sizes, s->n_sizes, s->act, s->output, s->loss, s->init, s->alpha,
                           s->beta, seed);
    CHECK(twin != NULL);
    free(sizes);

    f.L = mlp_num_layers(f.net);
    CHECK(f.L == s->n_sizes - 1);
    f.P = mlp_num_params(f.net);
    int want_p = 0;
    for (int l = 0; l < f.L; l++) want_p += s->sizes[l] * s->sizes[l + 1] + s->sizes[l + 1];
    CHECK(f.P == want_p);
    CHECK(mlp_num_params(twin) == f.P);
    CHECK(memcmp(mlp_params(f.net), mlp_params(twin), (size_t)f.P * sizeof(float)) == 0);
    /* The twin replays only the calls that succeeded on net. If a refused
     * step (ARG, LABEL, NONFINITE) or epoch (ARG, LABEL) had touched net's
     * optimizer state (momentum, Adam moments, step count) or its shuffling
     * PRNG, a later successful call would leave the two apart. A NONFINITE
     * epoch keeps its earlier batches, so the twin is dropped there. */
    int twin_live = 1;
    f.d = s->sizes[0];
    f.q = s->sizes[f.L];
    for (int l = 0; l < f.L; l++) {
        f.w_off[l] = mlp_w_offset(f.net, l);
        f.b_off[l] = mlp_b_offset(f.net, l);
        CHECK(f.w_off[l] >= 0 && f.b_off[l] == f.w_off[l] + s->sizes[l] * s->sizes[l + 1]);
        CHECK(f.b_off[l] + s->sizes[l + 1] <= f.P);
    }
    CHECK(mlp_w_offset(f.net, -1) == -1 && mlp_w_offset(f.net, f.L) == -1);
    CHECK(mlp_b_offset(f.net, -1) == -1 && mlp_b_offset(f.net, f.L) == -1);
    check_params_finite(&f);
    CHECK(mlp_output(f.net) == NULL); /* no forward yet */
    CHECK(mlp_hidden(f.net, 1) == NULL);

    /* Bound the work per input: rows x parameters. */
    const long budget = 1L << 19;
    float *before = alloc_floats((size_t)f.P);
    for (int op = 0; op < 24 && r->n > 0; op++) {
        const uint8_t code = u8(r) % 10;
        int n = rows(r);
        if (n > 0 && (long)n * (f.P + 1) > budget) n = (int)(budget / (f.P + 1)) + 1;
        batch b = make_batch(r, &f, n);
        const int args_ok = n >= 1;
        memcpy(before, mlp_params(f.net), (size_t)f.P * sizeof(float));
        float loss = -12345.0f;
        int32_t acc = -12345;
        int rc;
        switch (code) {
        case 0: /* forward (and hidden) */
            rc = mlp_forward(f.net, b.X, n);
            CHECK(valid_status(rc));
            CHECK(args_ok ? rc == MLP_OK : rc == MLP_ERR_ARG);
            if (rc == MLP_OK) check_forward_outputs(&f, &b);
            CHECK(mlp_hidden(f.net, 0) == NULL && mlp_hidden(f.net, f.L) == NULL);
            break;
        case 1: /* gradients */
            rc = mlp_gradients(f.net, &loss, b.X, b.Y, n);
            CHECK(valid_status(rc));
            if (!args_ok) CHECK(rc == MLP_ERR_ARG);
            else if (b.bad_labels) CHECK(rc == MLP_ERR_LABEL);
            else CHECK(rc == MLP_OK); /* a non-finite loss is reported with MLP_OK */
            if (rc == MLP_OK && isfinite(loss)) {
                if (loss_nonneg(&f, &b)) CHECK(loss >= 0.0f);
                CHECK(!isnan(loss));
            }
            if (rc == MLP_OK && !b.wild_x && b.ybounded + (s->loss == LOSS_CROSS_ENTROPY) > 0) {
                const double B = output_bound(s->sizes, f.L, mlp_params(f.net), f.w_off, f.b_off,
                                              s->act, s->alpha, b.xmax);
                if (B < 1e6 && fabsf(s->beta) <= 64.0f && s->beta >= 0.0f &&
                    fabsf(s->alpha) <= 64.0f) {
                    CHECK(isfinite(loss));
                    CHECK(all_finite(mlp_grads(f.net), (size_t)f.P));
                }
            }
            break;
        case 2: case 3: case 4: { /* step */
            const int opt = any_id(r, OPT_COUNT);
            const float lr = hyper(r, 0.5f), l2 = (u8(r) & 1) ? 0.0f : hyper(r, 0.01f);
            const int hyp_ok = opt >= 0 && opt < OPT_COUNT && lr > 0.0f && isfinite(lr) &&
                               l2 >= 0.0f && isfinite(l2);
            rc = mlp_step(f.net, &loss, b.X, b.Y, n, opt, lr, l2);
            CHECK(valid_status(rc));
            if ((rc == MLP_OK || rc == MLP_ERR_OVERSHOT) && twin_live) {
                float tl = -1.0f;
                CHECK(mlp_step(twin, &tl, b.X, b.Y, n, opt, lr, l2) == rc);
                CHECK(memcmp(&tl, &loss, sizeof loss) == 0);
            }
            if (!args_ok || !hyp_ok) CHECK(rc == MLP_ERR_ARG || (rc == MLP_ERR_LABEL && b.bad_labels));
            else if (b.bad_labels) CHECK(rc == MLP_ERR_LABEL);
            else CHECK(rc == MLP_OK || rc == MLP_ERR_NONFINITE || rc == MLP_ERR_OVERSHOT);
            if (rc == MLP_ERR_OVERSHOT) {
                CHECK(!isfinite(loss)); /* only a non-finite loss undoes an update */
#if FUZZ_CHECK_UPDATE_FINITE
                check_params_finite(&f);
#endif
            } else if (rc != MLP_OK) {
                CHECK(memcmp(before, mlp_params(f.net), (size_t)f.P * sizeof(float)) == 0);
            } else {
                CHECK(isfinite(loss));
                if (loss_nonneg(&f, &b)) CHECK(loss >= 0.0f);
                CHECK(all_finite(mlp_grads(f.net), (size_t)f.P));
#if FUZZ_CHECK_UPDATE_FINITE
                check_params_finite(&f); /* an OK update leaves finite parameters */
#endif
            }
            break;
        }
        case 5: case 6: { /* train_epoch */
            const int opt = any_id(r, OPT_COUNT);
            const float lr = hyper(r, 0.5f), l2 = (u8(r) & 1) ? 0.0f : hyper(r, 0.01f);
            const uint8_t bb = u8(r);
            const int near_n = n >= 1 ? n + bb % 3 - 1 : 1; /* n - 1, n, n + 1 */
            const int bs = bb < 200 ? 1 + bb % 16 : bb < 240 ? near_n : -(int)(bb % 3);
            const int shuffle = u8(r) % 3; /* 0, 1, 2 (any nonzero shuffles) */
            const int hyp_ok = opt >= 0 && opt < OPT_COUNT && lr > 0.0f && isfinite(lr) &&
                               l2 >= 0.0f && isfinite(l2) && bs >= 1;
            rc = mlp_train_epoch(f.net, &loss, b.X, b.Y, n, bs, shuffle, opt, lr, l2);
            CHECK(valid_status(rc));
            if (rc == MLP_OK && twin_live) {
                float tl = -1.0f;
                CHECK(mlp_train_epoch(twin, &tl, b.X, b.Y, n, bs, shuffle, opt, lr, l2) == MLP_OK);
                CHECK(memcmp(&tl, &loss, sizeof loss) == 0);
            } else if (rc != MLP_ERR_ARG && rc != MLP_ERR_LABEL) {
                twin_live = 0;
            }
            if (!args_ok || !hyp_ok) CHECK(rc == MLP_ERR_ARG || (rc == MLP_ERR_LABEL && b.bad_labels));
            else if (b.bad_labels) CHECK(rc == MLP_ERR_LABEL);
            else CHECK(rc == MLP_OK || rc == MLP_ERR_NONFINITE || rc == MLP_ERR_OVERSHOT);
            if (rc == MLP_ERR_ARG || rc == MLP_ERR_LABEL)
                CHECK(memcmp(before, mlp_params(f.net), (size_t)f.P * sizeof(float)) == 0);
            if (rc == MLP_OK) {
                CHECK(isfinite(loss));
                if (loss_nonneg(&f, &b)) CHECK(loss >= 0.0f);
            }
#if FUZZ_CHECK_UPDATE_FINITE
            if (rc == MLP_OK || rc == MLP_ERR_NONFINITE || rc == MLP_ERR_OVERSHOT) check_params_finite(&f);
#endif
            break;
        }
        case 7: /* evaluate */
            rc = mlp_evaluate(f.net, &loss, &acc, b.X, b.Y, n);
            CHECK(valid_status(rc));
            if (!args_ok) CHECK(rc == MLP_ERR_ARG);
            else if (b.bad_labels) CHECK(rc == MLP_ERR_LABEL);
            else CHECK(rc == MLP_OK); /* a non-finite loss is reported with MLP_OK */
            if (rc == MLP_OK) {
                if (s->output == OUT_IDENTITY) CHECK(acc == -1);
                else CHECK(acc >= 0 && acc <= n * (s->output == OUT_SIGMOID ? s->sizes[s->n_sizes - 1] : 1));
                if (isfinite(loss) && loss_nonneg(&f, &b)) CHECK(loss >= 0.0f);
                check_forward_outputs(&f, &b);
                /* the first row traced: the loss and gradients of that row alone */
                const int T = mlp_trace_size(f.net);
                float *tr = alloc_floats((size_t)T), lg = 0.0f;
                CHECK(mlp_trace(f.net, tr, b.X, b.Y) == MLP_OK);
                CHECK(mlp_gradients(f.net, &lg, b.X, b.Y, 1) == MLP_OK);
                CHECK(same_bits(tr, &lg, 1) && same_bits(tr + T - f.P, mlp_grads(f.net), (size_t)f.P));
                CHECK(mlp_trace(f.net, NULL, b.X, b.Y) == MLP_ERR_ARG && mlp_trace(NULL, tr, b.X, b.Y) == MLP_ERR_ARG);
                free(tr);
            }
            break;
        case 8: { /* set parameters from the bytes, or reset the optimizer */
            const float *p = mlp_params(f.net);
            const uint8_t how = u8(r);
            const float scale = how < 128 ? 1.0f : how < 250 ? 64.0f : 1e15f;
            for (int i = 0; i < f.P; i++)
                before[i] = r->n ? scale * ((float)u8(r) - 128.0f) / 128.0f : p[i] * 0.5f;
            CHECK(mlp_set_params(f.net, before) == MLP_OK);
            CHECK(mlp_set_params(twin, before) == MLP_OK);
            CHECK(mlp_set_params(NULL, before) == MLP_ERR_ARG);
            CHECK(mlp_set_params(f.net, NULL) == MLP_ERR_ARG);
            if (how & 1) {
                mlp_reset_optimizer(f.net);
                mlp_reset_optimizer(twin);
            }
            rc = MLP_OK;
            break;
        }
        default: /* NULL arguments */
            CHECK(mlp_forward(NULL, b.X, 1) == MLP_ERR_ARG);
            CHECK(mlp_forward(f.net, NULL, 1) == MLP_ERR_ARG);
            CHECK(mlp_gradients(f.net, &loss, NULL, b.Y, 1) == MLP_ERR_ARG);
            CHECK(mlp_gradients(f.net, &loss, b.X, NULL, 1) == MLP_ERR_ARG);
            CHECK(mlp_gradients(NULL, &loss, b.X, b.Y, 1) == MLP_ERR_ARG);
            CHECK(mlp_step(NULL, &loss, b.X, b.Y, 1, OPT_SGD, 0.1f, 0.0f) == MLP_ERR_ARG);
            CHECK(mlp_step(f.net, &loss, b.X, NULL, 1, OPT_SGD, 0.1f, 0.0f) == MLP_ERR_ARG);
            CHECK(mlp_train_epoch(f.net, &loss, NULL, b.Y, 1, 1, 1, OPT_SGD, 0.1f, 0.0f) ==
                  MLP_ERR_ARG);
            CHECK(mlp_evaluate(f.net, &loss, &acc, b.X, NULL, 1) == MLP_ERR_ARG);
            CHECK(mlp_evaluate(NULL, &loss, &acc, b.X, b.Y, 1) == MLP_ERR_ARG);
            if (n >= 1 && !b.bad_labels) { /* NULL loss / accuracy pointers are allowed */
                CHECK(mlp_gradients(f.net, NULL, b.X, b.Y, n) == MLP_OK);
                CHECK(mlp_evaluate(f.net, NULL, NULL, b.X, b.Y, n) == MLP_OK);
            }
            rc = MLP_OK;
            break;
        }
        (void)rc;
        if (code == 0 || code == 1 || code == 7 || code == 9) /* no training: params untouched */
            CHECK(memcmp(before, mlp_params(f.net), (size_t)f.P * sizeof(float)) == 0);
        if (twin_live) CHECK(memcmp(mlp_params(twin), mlp_params(f.net), (size_t)f.P * sizeof(float)) == 0);
        free_batch(&b);
    }
    free(before);
    mlp_free(twin);
    mlp_free(f.net);
    mlp_free(NULL);
}

/* ---- mode 2: data sets -------------------------------------------------------- */

static void fuzz_data(reader *r) {
    const int kind = any_id(r, DATA_COUNT);
    const int valid_kind = kind >= 0 && kind < DATA_COUNT;
    int32_t *dims = malloc(2 * sizeof(int32_t));
    float *range = malloc(2 * sizeof(float));
    CHECK(dims && range);
    int rc = data_dims(kind, dims, dims + 1);
    CHECK(valid_kind ? rc == MLP_OK : rc == MLP_ERR_ARG);
    rc = data_range(range, range + 1, kind);
    CHECK(valid_kind ? rc == MLP_OK : rc == MLP_ERR_ARG);
    const uint8_t nb = u8(r);
    int n;
    if (nb < 230) n = 1 + nb * 3;
    else {
        static const int NS[] = {0, -1, INT32_MIN, 10000001, INT32_MAX, 1, 2, 3, 2000, 4096};
        n = NS[(nb - 230) % 10];
    }
    float noise = hyper(r, 1.0f);
    if (u8(r) & 1) noise = 0.0f;
    const uint32_t seed = u32(r);
    const int ok = valid_kind && n >= 1 && n <= 10000000 && noise >= 0.0f && noise <= 1.0f;
    if (!valid_kind) {
        /* only the status matters; give buffers big enough for any d <= 2 */
        float *X = alloc_floats(2), *y = alloc_floats(1);
        CHECK(data_make(X, y, kind, 1, 0.0f, seed) == MLP_ERR_ARG);
        free(X); free(y);
        free(dims); free(range);
        return;
    }
    const int d = dims[0], classes = dims[1];
    CHECK(d >= 1 && d <= 2 && classes >= 0 && classes <= 16);
    CHECK(isfinite(range[0]) && isfinite(range[1]) && range[0] < range[1]);
    if (!ok) {
        /* invalid n or noise: rejected before touching a buffer of one row */
        float *X = alloc_floats((size_t)d), *y = alloc_floats(1);
        CHECK(data_make(X, y, kind, n, noise, seed) == MLP_ERR_ARG);
        free(X); free(y);
        free(dims); free(range);
        return;
    }
    if (n > 4096) n = 4096;
    float *X = alloc_floats((size_t)n * d), *y = alloc_floats((size_t)n);
    float *X2 = alloc_floats((size_t)n * d), *y2 = alloc_floats((size_t)n);
    CHECK(data_make(X, y, kind, n, noise, seed) == MLP_OK);
    CHECK(data_make(X2, y2, kind, n, noise, seed) == MLP_OK);
    CHECK(memcmp(X, X2, (size_t)n * d * sizeof(float)) == 0);
    CHECK(memcmp(y, y2, (size_t)n * sizeof(float)) == 0);
    CHECK(data_make(NULL, y, kind, n, noise, seed) == MLP_ERR_ARG);
    CHECK(data_make(X, NULL, kind, n, noise, seed) == MLP_ERR_ARG);
    const float span = range[1] - range[0];
    for (int i = 0; i < n * d; i++) {
        CHECK(isfinite(X[i]));
        /* noise may push points out of the drawn square, but not far */
        CHECK(X[i] >= range[0] - 2.0f * span && X[i] <= range[1] + 2.0f * span);
    }
    for (int i = 0; i < n; i++) {
        CHECK(isfinite(y[i]));
        if (classes > 0) CHECK(y[i] >= 0.0f && y[i] < (float)classes && y[i] == floorf(y[i]));
    }
    free(X); free(y); free(X2); free(y2);
    free(dims); free(range);
}

/* ---- mode 3: dense kernels ----------------------------------------------------- */

/* dense.h promises forward, dw and db bit-for-bit equal to the _ref loops
 * (same products, same order), dinp to rounding; natively both are the
 * references, in the wasm replay (tests/fuzz/replay.c) the SIMD kernels run.
 * Odd shapes exercise the vector tails; every buffer is its own exact-size
 * malloc. Optional pointers (b, dinp, db) are NULL at times. */
static void fuzz_dense(reader *r) {
    const int n = 1 + u8(r) % 9, in = 1 + u8(r) % 41, out = 1 + u8(r) % 41;
    const uint8_t flags = u8(r);
    const int wild = flags & 1, no_b = (flags >> 1) & 1, no_dinp = (flags >> 2) & 1, no_db = (flags >> 3) & 1;
    const size_t ni = (size_t)n * in, no = (size_t)n * out, nw = (size_t)in * out;
    float *inp = alloc_floats(ni), *w = alloc_floats(nw), *b = alloc_floats((size_t)out);
    float *dout = alloc_floats(no);
    for (size_t i = 0; i < ni; i++) inp[i] = wild ? any_float(r) : ((float)u8(r) - 128.0f) / 32.0f;
    for (size_t i = 0; i < nw; i++) w[i] = wild ? any_float(r) : ((float)u8(r) - 128.0f) / 64.0f;
    for (int i = 0; i < out; i++) b[i] = ((float)u8(r) - 128.0f) / 16.0f;
    for (size_t i = 0; i < no; i++) dout[i] = ((float)u8(r) - 128.0f) / 128.0f;
    float *o1 = alloc_floats(no), *o2 = alloc_floats(no);
    dense_forward(o1, inp, w, no_b ? NULL : b, n, in, out);
    dense_forward_ref(o2, inp, w, no_b ? NULL : b, n, in, out);
    CHECK(memcmp(o1, o2, no * sizeof(float)) == 0 || !all_finite(o2, no));
    if (!wild) CHECK(memcmp(o1, o2, no * sizeof(float)) == 0);
    /* backward accumulates into dw and db: start both from the same values */
    float *dw1 = alloc_floats(nw), *dw2 = alloc_floats(nw), *db1 = alloc_floats((size_t)out),
          *db2 = alloc_floats((size_t)out), *di1 = alloc_floats(ni), *di2 = alloc_floats(ni);
    for (size_t i = 0; i < nw; i++) dw1[i] = dw2[i] = (float)(i % 5) * 0.25f;
    for (int i = 0; i < out; i++) db1[i] = db2[i] = (float)(i % 3) - 1.0f;
    dense_backward(no_dinp ? NULL : di1, dw1, no_db ? NULL : db1, dout, inp, w, n, in, out);
    dense_backward_ref(no_dinp ? NULL : di2, dw2, no_db ? NULL : db2, dout, inp, w, n, in, out);
    if (!wild) {
        CHECK(memcmp(dw1, dw2, nw * sizeof(float)) == 0);
        if (!no_db) CHECK(memcmp(db1, db2, (size_t)out * sizeof(float)) == 0);
        if (!no_dinp) {
            for (size_t i = 0; i < ni; i++) {
                /* a dot product over out, summed in other orders: |error| within
                 * out ulps of the sum of |terms| */
                double mag = 0.0;
                const size_t row = i / (size_t)in, col = i % (size_t)in;
                for (int j = 0; j < out; j++) mag += fabs((double)dout[row * out + j] * w[col * out + j]);
                CHECK(fabs((double)di1[i] - (double)di2[i]) <= (double)out * 1.2e-7 * mag + 1e-30);
            }
        }
    }
    free(inp); free(w); free(b); free(dout); free(o1); free(o2);
    free(dw1); free(dw2); free(db1); free(db2); free(di1); free(di2);
}

/* ---- mode 4: input features ---------------------------------------------------- */

static int needs_x2(int id) {
    return id == FEAT_X2 || id == FEAT_X2SQ || id == FEAT_X1X2 || id == FEAT_SIN2;
}

/* Bits equal, or both NaN. */
static int same_bits(const float *a, const float *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (memcmp(a + i, b + i, sizeof(float)) != 0 && !(isnan(a[i]) && isnan(b[i]))) return 0;
    return 1;
}

static void fuzz_features(reader *r) {
    const uint8_t db = u8(r), kb = u8(r), nb = u8(r);
    const int d = db < 240 ? 1 + db % 2 : (int)(db % 4) - 1;     /* 1, 2; sometimes -1..2 (0, -1 invalid) */
    const int k = kb < 240 ? 1 + kb % FEAT_COUNT : (int)(kb % 10) - 1; /* 1..7; sometimes -1..8 */
    const int n = nb < 250 ? nb % 40 : -1;
    const int nk = k > 0 ? k : 1;
    int32_t *ids = malloc((size_t)nk * sizeof(int32_t));
    CHECK(ids != NULL);
    int list_ok = k >= 1 && k <= FEAT_COUNT && (d == 1 || d == 2), x2_used = 0;
    unsigned seen = 0;
    for (int j = 0; j < nk; j++) {
        ids[j] = any_id(r, FEAT_COUNT);
        const int id = ids[j];
        if (id < 0 || id >= FEAT_COUNT || (seen >> id & 1u) || (d == 1 && needs_x2(id))) list_ok = 0;
        else seen |= 1u << id;
        x2_used |= needs_x2(id);
    }
    const int valid = list_ok && n >= 0;
    const int rows = n > 0 ? n : 1, cols = d == 2 ? 2 : 1;
    const uint8_t wild = u8(r);
    float *X = alloc_floats((size_t)rows * cols);
    for (int i = 0; i < rows * cols; i++) X[i] = wild & 1 ? any_float(r) : ((float)u8(r) - 128.0f) / 8.0f;
    const size_t no = (size_t)rows * nk;
    float *o1 = alloc_floats(no), *o2 = alloc_floats(no);
    for (size_t i = 0; i < no; i++) o1[i] = o2[i] = -7.0f;
    const int rc1 = features_make(o1, X, n, d, ids, k), rc2 = features_make_ref(o2, X, n, d, ids, k);
    CHECK(rc1 == rc2 && rc1 == (valid ? MLP_OK : MLP_ERR_ARG));
    CHECK((features_check(ids, k, d) == MLP_OK) == list_ok);
    if (!valid || n == 0) {
        for (size_t i = 0; i < no; i++) CHECK(o1[i] == -7.0f && o2[i] == -7.0f);
        free(ids); free(X); free(o1); free(o2);
        return;
    }
    for (int i = 0; i < n; i++) {
        const float x1 = X[i * cols], x2 = cols == 2 ? X[i * cols + 1] : 0.0f;
        for (int j = 0; j < k; j++) {
            const float a = o1[(size_t)i * k + j], b = o2[(size_t)i * k + j];
            const int id = ids[j];
            if (id == FEAT_SIN1 || id == FEAT_SIN2) {
                const float x = id == FEAT_SIN1 ? x1 : x2;
                CHECK(isfinite(x) ? (fabsf(a) <= 1.0f + 0x1p-22f && fabsf(a - b) <= 1e-6f + 1e-5f * fabsf(b)) : isnan(a) && isnan(b));
            } else {
                CHECK(same_bits(&a, &b, 1));
                if (id == FEAT_X1 || id == FEAT_X2) CHECK(same_bits(&a, id == FEAT_X1 ? &x1 : &x2, 1));
                if ((id == FEAT_X1SQ || id == FEAT_X2SQ) && !isnan(a)) CHECK(a >= 0.0f);
            }
        }
    }
    /* a network with these features against its plain twin on the expanded inputs (o1) */
    const int32_t sizes[3] = {k, 1 + u8(r) % 5, 1 + u8(r) % 3};
    const uint32_t seed = u32(r);
    mlp *a = mlp_create(sizes, 3, ACT_TANH, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0.25f, 1.0f, seed);
    mlp *b = mlp_create(sizes, 3, ACT_TANH, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0.25f, 1.0f, seed);
    CHECK(a && b);
    CHECK(mlp_set_features(a, ids, k, 1) == (x2_used ? MLP_ERR_ARG : MLP_OK)); /* 1-D: only without x2 */
    CHECK(mlp_set_features(a, ids, k, d) == MLP_OK);
    CHECK(mlp_set_features(a, ids, k + 1, d) == MLP_ERR_ARG); /* k != sizes[0]: refused, nothing changed */
    const int q = sizes[2];
    float *Y = alloc_floats((size_t)n * q);
    for (int i = 0; i < n * q; i++) Y[i] = ((float)u8(r) - 128.0f) / 64.0f;
    CHECK(mlp_forward(a, X, n) == MLP_OK && mlp_forward(b, o1, n) == MLP_OK);
    CHECK(same_bits(mlp_output(a), mlp_output(b), (size_t)n * q));
    float la = 0.0f, lb = 0.0f;
    CHECK(mlp_gradients(a, &la, X, Y, n) == MLP_OK && mlp_gradients(b, &lb, o1, Y, n) == MLP_OK);
    const int P = mlp_num_params(a);
    CHECK(same_bits(&la, &lb, 1) && same_bits(mlp_grads(a), mlp_grads(b), (size_t)P));
    const int sa = mlp_step(a, &la, X, Y, n, OPT_SGD, 0.01f, 0.0f), sb = mlp_step(b, &lb, o1, Y, n, OPT_SGD, 0.01f, 0.0f);
    CHECK(sa == sb && valid_status(sa) && same_bits(mlp_params(a), mlp_params(b), (size_t)P));
    mlp_free(a); mlp_free(b);
    free(Y); free(ids); free(X); free(o1); free(o2);
}

/* ---- mode 5: the exercises over a parameter block --------------------------------- */

static void fuzz_exercises(reader *r) {
    int32_t sizes[10];
    const int n_sizes = 1 + u8(r) % 9; /* 1..9: 1 and 9 are invalid */
    for (int i = 0; i < n_sizes; i++) sizes[i] = width(r);
    const uint8_t dim = u8(r) % 4; /* mostly the input counts regions_* take */
    if (dim < 2) sizes[0] = dim + 1;
    int valid = n_sizes >= 2 && n_sizes <= MLP_MAX_HIDDEN + 2;
    for (int i = 0; i < n_sizes && valid; i++) valid = sizes[i] >= 1 && sizes[i] <= MLP_MAX_WIDTH;
    /* the widest valid network has 7 * 257 * 256 floats; a small one is enough */
    size_t P = 0;
    if (valid)
        for (int l = 0; l < n_sizes - 1; l++) P += ((size_t)sizes[l] + 1) * (size_t)sizes[l + 1];
    if (P > 20000) return;
    const int act = any_id(r, ACT_COUNT);
    const float alpha = u8(r) % 4 == 0 ? 1.0f : hyper(r, 1.0f);
    const int wild = u8(r) % 8 == 7;
    float *params = alloc_floats(P);
    for (size_t i = 0; i < P; i++) params[i] = wild ? any_float(r) : ((float)u8(r) - 128.0f) / 32.0f;
    const int finite = all_finite(params, P);
    const int hidden = valid && n_sizes > 2;
    const int linear = !hidden || act == ACT_IDENTITY || (act == ACT_PRELU && alpha == 1.0f);
    const int piecewise = !hidden || act == ACT_RELU || act == ACT_PRELU || act == ACT_IDENTITY;
    const int act_ok = valid_act(act) || !hidden;
    const uint8_t op = u8(r);
    if (op % 4 == 0) { /* regions_1d */
        const double from = any_float(r), to = u8(r) % 2 ? from + (double)hyper(r, 8.0f) : any_float(r);
        const int cap = u8(r) % 6;
        double *out = malloc(sizeof(double) * (cap ? cap : 1));
        int32_t count = -1;
        const int rc = regions_1d(cap ? out : NULL, &count, cap, params, sizes, n_sizes, act, alpha, from, to);
        CHECK(valid_status(rc));
        const int ok_args = valid && sizes[0] == 1 && act_ok && piecewise && isfinite(alpha) && isfinite(from) &&
                            isfinite(to) && from < to;
        if (!ok_args) CHECK(rc == MLP_ERR_ARG);
        if (ok_args && finite) CHECK(rc == MLP_OK || rc == MLP_ERR_LIMIT || rc == MLP_ERR_NOMEM);
        if (rc == MLP_OK) {
            CHECK(count >= 0 && (!linear || count == 0));
            for (int i = 0; i < count && i < cap; i++) CHECK(out[i] > from && out[i] < to && (i == 0 || out[i] > out[i - 1]));
            if (cap > 1) { /* a smaller cap: the same count and first breakpoint */
                double first = 0;
                int32_t c2 = -1;
                CHECK(regions_1d(&first, &c2, 1, params, sizes, n_sizes, act, alpha, from, to) == MLP_OK);
                CHECK(c2 == count && (count == 0 || first == out[0]));
            }
        }
        free(out);
    } else if (op % 4 == 1) { /* regions_2d */
        const uint8_t kb = u8(r);
        const int k = kb < 240 ? 2 + kb % 40 : (int[]){0, 1, 513, -1, 512, INT32_MAX, 2, 3}[kb % 8];
        const double lo = u8(r) % 4 ? -(double)hyper(r, 8.0f) : any_float(r);
        const double hi = u8(r) % 4 ? (double)hyper(r, 8.0f) : any_float(r);
        const size_t cells = k >= 2 && k <= REGIONS_MAX_RES ? (size_t)k * k : 1;
        uint32_t *ids = malloc(cells * sizeof(uint32_t));
        int32_t count = -1;
        const int rc = regions_2d(ids, &count, params, sizes, n_sizes, act, alpha, lo, hi, k);
        CHECK(valid_status(rc));
        const int ok_args = valid && sizes[0] == 2 && act_ok && piecewise && isfinite(alpha) && k >= 2 &&
                            k <= REGIONS_MAX_RES && isfinite(lo) && isfinite(hi) && lo < hi && isfinite(hi - lo);
        CHECK(ok_args ? rc == MLP_OK || rc == MLP_ERR_NOMEM : rc == MLP_ERR_ARG);
        if (rc == MLP_OK) {
            CHECK(count >= 1 && (size_t)count <= cells && (!linear || count == 1));
            uint32_t next = 0;
            for (size_t c = 0; c < cells; c++) {
                CHECK(ids[c] <= next && ids[c] < (uint32_t)count);
                if (ids[c] == next) next++;
            }
            CHECK(next == (uint32_t)count);
        }
        free(ids);
    } else if (op % 4 == 2) { /* convert_params, there and back */
        const int from = any_id(r, ACT_COUNT), to = any_id(r, ACT_COUNT);
        float *c = alloc_floats(P), *back = alloc_floats(P);
        const int rc = convert_params(c, params, sizes, n_sizes, from, to);
        CHECK(valid_status(rc));
        const int pair = (from == ACT_SIGMOID && to == ACT_TANH) || (from == ACT_TANH && to == ACT_SIGMOID);
        if (!valid || !pair) CHECK(rc == MLP_ERR_ARG);
        if (rc == MLP_OK) {
            CHECK(all_finite(c, P));
            CHECK(convert_params(back, c, sizes, n_sizes, to, from) != MLP_ERR_ARG);
            /* the weights scale by powers of two: exact unless a value leaves the normal range */
            for (int l = 0, o = 0; l < n_sizes - 1; o += (sizes[l] + 1) * sizes[l + 1], l++)
                for (int e = 0; e < sizes[l] * sizes[l + 1]; e++) { /* W_l starts at o */
                    const float w = params[o + e];
                    if (fabsf(w) >= 1e-30f && fabsf(w) <= 1e30f) CHECK(back[o + e] == w);
                }
        }
        free(c);
        free(back);
    } else { /* affine_product, linalg_rank */
        const int d = valid ? sizes[0] : 1, q = valid ? sizes[n_sizes - 1] : 1;
        double *W = malloc(sizeof(double) * (size_t)d * q), *b = malloc(sizeof(double) * (size_t)q);
        double *sv = malloc(sizeof(double) * (size_t)(d < q ? d : q));
        const int rc = affine_product(W, b, params, sizes, n_sizes);
        CHECK(valid_status(rc));
        CHECK(valid ? (finite ? rc == MLP_OK : rc == MLP_OK || rc == MLP_ERR_NONFINITE) : rc == MLP_ERR_ARG);
        if (rc == MLP_OK) {
            const double rtol = u8(r) % 8 ? 1e-5 : (double)hyper(r, 1.0f);
            const int rank = linalg_rank(sv, W, d, q, rtol);
            CHECK(valid_status(rank) || rank > 0);
            if (!(rtol >= 0.0 && rtol < 1.0)) CHECK(rank == MLP_ERR_ARG);
            if (rank >= 0) {
                const int k = d < q ? d : q;
                CHECK(rank <= k);
                for (int i = 0; i < k; i++) CHECK(sv[i] >= 0.0 && (i == 0 || sv[i] <= sv[i - 1]));
            }
        }
        free(W);
        free(b);
        free(sv);
    }
    free(params);
}

/* ---- entry -------------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size};
#ifdef __wasm_simd128__
    CHECK(mlp_lab_simd() == 1); /* replayed in the SIMD build (tests/fuzz/replay.c) */
#else
    CHECK(mlp_lab_simd() == 0); /* natively, the scalar references run */
#endif
    switch (u8(&r) % 6) {
    case 0: fuzz_activations(&r); break;
    case 1: fuzz_network(&r); break;
    case 2: fuzz_data(&r); break;
    case 3: fuzz_dense(&r); break;
    case 4: fuzz_features(&r); break;
    default: fuzz_exercises(&r); break;
    }
    return 0;
}
