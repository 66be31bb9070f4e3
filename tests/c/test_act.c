/* test_act.c: native unit test of the activation references (src/act.c):
 * values against float64 libm on sweeps, special values, the unsuffixed
 * entry points (which run the references natively), act_backward, in-place
 * calls, untouched neighbours and status codes. Exits 1 on any failure and
 * prints one summary line. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mlp_lab.h"


static const char *NAMES[ACT_COUNT] = {"relu", "prelu", "sigmoid", "tanh", "gelu", "swish",
                                       "identity"};

static double sigmoid64(double x) { return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)); }
static double Phi64(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static double pdf64(double x) { return exp(-0.5 * x * x) / 2.50662827463100050242 /* sqrt(2 pi) */; }

/* float64 value of f (deriv = 0) or f' (deriv = 1) at a float32 x (finite). */
static double ref64(int kind, int deriv, double x, double alpha, double beta) {
    switch (kind) {
    case ACT_RELU: return deriv ? (x > 0) : (x > 0 ? x : 0);
    case ACT_PRELU: return deriv ? (x > 0 ? 1 : alpha) : (x > 0 ? x : alpha * x);
    case ACT_SIGMOID: {
        double s = sigmoid64(x);
        return deriv ? s * sigmoid64(-x) : s;
    }
    case ACT_TANH: {
        double c = cosh(x);
        return deriv ? (isinf(c) ? 0 : 1 / (c * c)) : tanh(x);
    }
    case ACT_GELU: return deriv ? Phi64(x) + x * pdf64(x) : x * Phi64(x);
    case ACT_SWISH: {
        double s = sigmoid64(beta * x);
        return deriv ? s + beta * x * s * sigmoid64(-beta * x) : x * s;
    }
    default: return deriv ? 1 : x;
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double uniform(double lo, double hi) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t r = rng_state * 0x2545F4914F6CDD1Dull;
    return lo + (hi - lo) * (double)(r >> 11) * 0x1p-53;
}

#define NSWEEP 200161
static float xs[NSWEEP], ys[NSWEEP], ds[NSWEEP];

static void test_sweeps(void) {
    int n = 0;
    for (int i = -80; i <= 80; i++) xs[n++] = (float)i / 10.0f;
    while (n < NSWEEP - 20000) xs[n++] = (float)uniform(-30, 30);
    while (n < NSWEEP) xs[n++] = (float)uniform(-1e-3, 1e-3);
    const float alphas[] = {0.0f, 0.25f, -0.1f, 2.0f};
    const float betas[] = {0.5f, 1.0f, 2.0f};
    for (int kind = 0; kind < ACT_COUNT; kind++) {
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 3; b++) {
                if (kind != ACT_PRELU && a > 0) continue;
                if (kind != ACT_SWISH && b > 0) continue;
                float alpha = alphas[a], beta = betas[b];
                CHECK(act_forward_ref(ys, xs, n, kind, alpha, beta) == MLP_OK, "forward_ref status");
                CHECK(act_derivative_ref(ds, xs, n, kind, alpha, beta) == MLP_OK, "derivative_ref status");
                double max_f = 0, max_d = 0;
                int bad = 0;
                for (int i = 0; i < n; i++) {
                    double rf = ref64(kind, 0, xs[i], alpha, beta);
                    double rd = ref64(kind, 1, xs[i], alpha, beta);
                    double ef = fabs(ys[i] - rf), ed = fabs(ds[i] - rd);
                    if (!(ef <= 1e-6 + 1e-5 * fabs(rf)) || !(ed <= 1e-6 + 1e-5 * fabs(rd))) {
                        if (bad++ < 3)
                            fprintf(stderr, "  %s(%.9g) = %.9g (want %.17g), ' = %.9g (want %.17g)\n",
                                    NAMES[kind], xs[i], ys[i], rf, ds[i], rd);
                    }
                    if (ef > max_f) max_f = ef;
                    if (ed > max_d) max_d = ed;
                }
                CHECK(bad == 0, "%s alpha %g beta %g: %d elements out of tolerance", NAMES[kind], alpha,
                      beta, bad);
                /* the unsuffixed entry points run the references natively */
                static float y2[NSWEEP], d2[NSWEEP];
                act_forward(y2, xs, n, kind, alpha, beta);
                act_derivative(d2, xs, n, kind, alpha, beta);
                CHECK(memcmp(y2, ys, sizeof(float) * (size_t)n) == 0, "%s forward != ref", NAMES[kind]);
                CHECK(memcmp(d2, ds, sizeof(float) * (size_t)n) == 0, "%s derivative != ref", NAMES[kind]);
                if (a == 0 && b == 0 && kind != ACT_PRELU && kind != ACT_SWISH)
                    printf("  %-8s max abs err %.1e, derivative %.1e\n", NAMES[kind], max_f, max_d);
            }
        }
    }
}

static float f1(int kind, float x, float alpha, float beta) {
    float y = 12345.0f;
    CHECK(act_forward_ref(&y, &x, 1, kind, alpha, beta) == MLP_OK, "status");
    return y;
}
static float d1(int kind, float x, float alpha, float beta) {
    float y = 12345.0f;
    CHECK(act_derivative_ref(&y, &x, 1, kind, alpha, beta) == MLP_OK, "status");
    return y;
}

#define SAME(got, want, what)                                                               \
    CHECK(((got) == (want) && !signbit(got) == !signbit(want)) || (isnan(got) && isnan(want)), \
          "%s: got %.9g, want %.9g", what, (double)(got), (double)(want))
#define ZERO(got, what) CHECK((got) == 0.0f, "%s: got %.9g, want +-0", what, (double)(got))

static void test_special(void) {
    const float I = INFINITY, a = 0.25f, b = 1.0f;
    SAME(f1(ACT_SIGMOID, I, a, b), 1.0f, "sigmoid(+Inf)");
    SAME(f1(ACT_SIGMOID, -I, a, b), 0.0f, "sigmoid(-Inf)");
    SAME(f1(ACT_SIGMOID, -1000, a, b), 0.0f, "sigmoid(-1000)");
    SAME(f1(ACT_SIGMOID, 0, a, b), 0.5f, "sigmoid(0)");
    SAME(d1(ACT_SIGMOID, 0, a, b), 0.25f, "sigmoid'(0)");
    SAME(d1(ACT_SIGMOID, I, a, b), 0.0f, "sigmoid'(Inf)");
    SAME(f1(ACT_TANH, I, a, b), 1.0f, "tanh(+Inf)");
    SAME(f1(ACT_TANH, -I, a, b), -1.0f, "tanh(-Inf)");
    SAME(f1(ACT_TANH, -0.0f, a, b), -0.0f, "tanh(-0)");
    SAME(d1(ACT_TANH, 0, a, b), 1.0f, "tanh'(0)");
    SAME(d1(ACT_TANH, -I, a, b), 0.0f, "tanh'(-Inf)");
    ZERO(f1(ACT_GELU, -1000, a, b), "gelu(-1000)");
    ZERO(f1(ACT_GELU, -I, a, b), "gelu(-Inf)");
    SAME(f1(ACT_GELU, I, a, b), I, "gelu(+Inf)");
    SAME(d1(ACT_GELU, I, a, b), 1.0f, "gelu'(+Inf)");
    ZERO(d1(ACT_GELU, -I, a, b), "gelu'(-Inf)");
    SAME(d1(ACT_GELU, 0, a, b), 0.5f, "gelu'(0)");
    ZERO(f1(ACT_SWISH, -1000, a, b), "swish(-1000)");
    ZERO(f1(ACT_SWISH, -I, a, b), "swish(-Inf)");
    SAME(f1(ACT_SWISH, I, a, b), I, "swish(+Inf)");
    SAME(f1(ACT_SWISH, I, a, 0.0f), I, "swish(+Inf), beta 0");
    SAME(d1(ACT_SWISH, I, a, b), 1.0f, "swish'(+Inf)");
    ZERO(d1(ACT_SWISH, -I, a, b), "swish'(-Inf)");
    SAME(d1(ACT_SWISH, 3.0f, a, 0.0f), 0.5f, "swish'(3), beta 0");
    SAME(d1(ACT_RELU, 0, a, b), 0.0f, "relu'(0)");
    SAME(d1(ACT_RELU, -0.0f, a, b), 0.0f, "relu'(-0)");
    SAME(f1(ACT_RELU, -I, a, b), 0.0f, "relu(-Inf)");
    SAME(d1(ACT_PRELU, 0, 0.3f, b), 0.3f, "prelu'(0)");
    SAME(d1(ACT_PRELU, -0.0f, -0.1f, b), -0.1f, "prelu'(-0)");
    SAME(f1(ACT_PRELU, -2, 0.3f, b), -0.6f, "prelu(-2)");
    SAME(f1(ACT_PRELU, -I, 0.0f, b), 0.0f, "prelu(-Inf), alpha 0");
    SAME(d1(ACT_IDENTITY, I, a, b), 1.0f, "identity'(Inf)");
    for (int kind = 0; kind < ACT_COUNT; kind++) {
        for (int o = 0; o < 3; o++) {
            float al = o == 1 ? 0.0f : a, be = o == 2 ? 0.0f : b;
            CHECK(isnan(f1(kind, NAN, al, be)), "%s(NaN)", NAMES[kind]);
            CHECK(isnan(d1(kind, NAN, al, be)), "%s'(NaN)", NAMES[kind]);
        }
        /* never NaN for finite input: every exponent, both signs */
        for (uint32_t e = 0; e <= 254; e++) {
            for (uint32_t s = 0; s < 2; s++) {
                uint32_t u = (s << 31) | (e << 23) | 0x2AAAAAu;
                float x;
                memcpy(&x, &u, sizeof x);
                CHECK(!isnan(f1(kind, x, -0.1f, 2.0f)) && !isnan(d1(kind, x, -0.1f, 2.0f)),
                      "%s at %g is NaN", NAMES[kind], (double)x);
            }
        }
    }
}

static void test_inplace_backward_and_bounds(void) {
    enum { G = 4, N = 37 };
    float buf[N + 2 * G], dyb[N + 2 * G], want[N], dwant[N], x[N], dy[N];
    for (int i = 0; i < N; i++) {
        x[i] = (float)uniform(-10, 10);
        dy[i] = (float)uniform(-2, 2);
    }
    for (int kind = 0; kind < ACT_COUNT; kind++) {
        for (int n = 0; n <= N; n++) {
            act_forward_ref(want, x, n, kind, 0.25f, 1.0f);
            act_derivative_ref(dwant, x, n, kind, 0.25f, 1.0f);
            for (int i = 0; i < N + 2 * G; i++) buf[i] = dyb[i] = -777.0f;
            memcpy(buf + G, x, sizeof(float) * (size_t)n);
            CHECK(act_forward(buf + G, buf + G, n, kind, 0.25f, 1.0f) == MLP_OK, "status");
            CHECK(memcmp(buf + G, want, sizeof(float) * (size_t)n) == 0, "%s in place n=%d", NAMES[kind], n);
            memcpy(buf + G, x, sizeof(float) * (size_t)n);
            memcpy(dyb + G, dy, sizeof(float) * (size_t)n);
            CHECK(act_backward(dyb + G, dyb + G, buf + G, buf + G, n, kind, 0.25f, 1.0f) == MLP_OK, "status");
            for (int i = 0; i < n; i++) {
                float w = dy[i] * dwant[i];
                CHECK(memcmp(&dyb[G + i], &w, sizeof w) == 0, "%s backward n=%d i=%d", NAMES[kind], n, i);
            }
            for (int i = 0; i < G; i++) {
                CHECK(buf[i] == -777.0f && dyb[i] == -777.0f, "wrote before the buffer");
                CHECK(buf[G + N + i] == -777.0f && dyb[G + N + i] == -777.0f, "wrote after the buffer");
            }
            for (int i = G + n; i < G + N; i++) CHECK(dyb[i] == -777.0f, "backward wrote past n");
        }
    }
}

static void test_status(void) {
    float v[4] = {1, 2, 3, 4}, o[4];
    int (*fns[4])(float *, const float *, int, int, float, float) = {
        act_forward, act_derivative, act_forward_ref, act_derivative_ref};
    for (int f = 0; f < 4; f++) {
        CHECK(fns[f](o, v, 4, -1, 0.25f, 1) == MLP_ERR_ARG, "kind -1");
        CHECK(fns[f](o, v, 4, ACT_COUNT, 0.25f, 1) == MLP_ERR_ARG, "kind ACT_COUNT");
        CHECK(fns[f](o, v, -1, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "n < 0");
        CHECK(fns[f](NULL, v, 4, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "y NULL");
        CHECK(fns[f](o, NULL, 4, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "x NULL");
        CHECK(fns[f](NULL, NULL, 0, ACT_RELU, 0.25f, 1) == MLP_OK, "NULL with n 0");
        CHECK(fns[f](o, v, 4, ACT_GELU, 0.25f, 1) == MLP_OK, "ok");
    }
    CHECK(act_backward(o, v, v, v, 4, ACT_COUNT, 0.25f, 1) == MLP_ERR_ARG, "backward kind");
    CHECK(act_backward(o, v, v, v, -2, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "backward n");
    CHECK(act_backward(NULL, v, v, v, 4, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "backward dx NULL");
    CHECK(act_backward(o, NULL, v, v, 4, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "backward dy NULL");
    CHECK(act_backward(o, v, NULL, v, 4, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "backward x NULL");
    CHECK(act_backward(o, v, v, NULL, 4, ACT_RELU, 0.25f, 1) == MLP_ERR_ARG, "backward y NULL");
    CHECK(act_backward(NULL, NULL, NULL, NULL, 0, ACT_RELU, 0.25f, 1) == MLP_OK, "backward n 0");
}

int main(void) {
    test_sweeps();
    test_special();
    test_inplace_backward_and_bounds();
    test_status();
    return check_done("test_act");
}
