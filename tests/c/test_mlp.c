/* test_mlp.c: the network (mlp.c, dense.c, rng.h), natively under ASan and
 * UBSan (make test-c). Every failed check is printed and the process exits 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dense.h"
#include "check.h"
#include "mlp_lab.h"
#include "rng.h"


static const char *ACT_NAME[] = {"relu", "prelu", "sigmoid", "tanh", "gelu", "swish", "identity"};
static const char *OUT_NAME[] = {"identity", "sigmoid", "softmax"};
static const char *LOSS_NAME[] = {"mse", "bce", "cross_entropy"};

/* The test's own generator (rng.h, a stream no network uses). */
static pcg32 trng;
static float urand(float a, float b) { return a + (b - a) * pcg32_float(&trng); }

static void fill_targets(float *Y, int n, int q, int output, int loss) {
    if (loss == LOSS_CROSS_ENTROPY) {
        for (int i = 0; i < n; i++) Y[i] = (float)pcg32_below(&trng, (uint32_t)q);
    } else if (output == OUT_IDENTITY) {
        for (int i = 0; i < n * q; i++) Y[i] = urand(-1.0f, 1.0f);
    } else if (output == OUT_SOFTMAX) {
        memset(Y, 0, (size_t)n * q * sizeof(float));
        for (int i = 0; i < n; i++) Y[i * q + pcg32_below(&trng, (uint32_t)q)] = 1.0f;
    } else {
        for (int i = 0; i < n * q; i++) Y[i] = (float)pcg32_below(&trng, 2);
    }
}

static float loss_of(mlp *net, const float *X, const float *Y, int n) {
    float l = NAN;
    int rc = mlp_evaluate(net, &l, NULL, X, Y, n);
    CHECK(rc == MLP_OK, "evaluate rc %d", rc);
    return l;
}

/* ---- the PRNG against the published PCG32 reference ---------------------- */
static void test_pcg32(void) {
    /* pcg32-demo: pcg32_srandom_r(&rng, 42u, 54u), then these six draws */
    static const uint32_t want[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                     0x83d2f293, 0xbfa4784b, 0xcbed606e};
    pcg32 r = {0, (54u << 1) | 1u};
    (void)pcg32_next(&r);
    r.state += 42u;
    (void)pcg32_next(&r);
    for (int i = 0; i < 6; i++) {
        uint32_t got = pcg32_next(&r);
        CHECK(got == want[i], "pcg32 draw %d: got %08x want %08x", i, got, want[i]);
    }
    /* floats in [0, 1), (0, 1]; bounded ints in range and all hit */
    pcg32_seed(&r, 7, 1);
    int seen[5] = {0};
    for (int i = 0; i < 10000; i++) {
        float u = pcg32_float(&r), v = pcg32_float_open0(&r);
        CHECK(u >= 0.0f && u < 1.0f && v > 0.0f && v <= 1.0f, "uniform out of range");
        uint32_t k = pcg32_below(&r, 5);
        CHECK(k < 5, "below out of range");
        if (k < 5) seen[k]++;
    }
    for (int k = 0; k < 5; k++) CHECK(seen[k] > 1800 && seen[k] < 2200, "below(5) count %d", seen[k]);
}

/* ---- dense kernels: the built kernel against the reference and float64 ---- */
static void test_dense(void) {
    static const int shapes[][3] = {{1, 1, 1}, {3, 2, 8}, {10, 8, 8}, {10, 8, 1}, {5, 3, 5},
                                    {7, 13, 17}, {4, 5, 19}, {2, 16, 33}, {1, 256, 3}, {9, 1, 256}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const int n = shapes[s][0], in = shapes[s][1], out = shapes[s][2];
        float *x = malloc(sizeof(float) * n * in), *w = malloc(sizeof(float) * in * out);
        float *b = malloc(sizeof(float) * out), *g = malloc(sizeof(float) * n * out);
        float *o1 = malloc(sizeof(float) * n * out), *o2 = malloc(sizeof(float) * n * out);
        float *dx1 = malloc(sizeof(float) * n * in), *dx2 = malloc(sizeof(float) * n * in);
        float *dw1 = malloc(sizeof(float) * in * out), *dw2 = malloc(sizeof(float) * in * out);
        float *db1 = malloc(sizeof(float) * out), *db2 = malloc(sizeof(float) * out);
        for (int i = 0; i < n * in; i++) x[i] = urand(-2, 2);
        for (int i = 0; i < in * out; i++) w[i] = urand(-1, 1);
        for (int i = 0; i < out; i++) b[i] = urand(-1, 1);
        for (int i = 0; i < n * out; i++) g[i] = urand(-1, 1);
        dense_forward(o1, x, w, b, n, in, out);
        dense_forward_ref(o2, x, w, b, n, in, out);
        CHECK(memcmp(o1, o2, sizeof(float) * n * out) == 0, "forward != ref, shape %d", (int)s);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < out; j++) {
                double want = b[j];
                for (int k = 0; k < in; k++) want += (double)x[i * in + k] * w[k * out + j];
                CHECK(fabs(o1[i * out + j] - want) <= 1e-5 * (1 + fabs(want)) * in,
                      "forward vs float64 shape %d (%d,%d): %g vs %g", (int)s, i, j, o1[i * out + j], want);
            }
        /* backward accumulates into dw/db: start both from the same values */
        for (int i = 0; i < in * out; i++) dw1[i] = dw2[i] = 0.5f;
        for (int i = 0; i < out; i++) db1[i] = db2[i] = -0.25f;
        dense_backward(dx1, dw1, db1, g, x, w, n, in, out);
        dense_backward_ref(dx2, dw2, db2, g, x, w, n, in, out);
        CHECK(memcmp(dw1, dw2, sizeof(float) * in * out) == 0, "dw != ref, shape %d", (int)s);
        CHECK(memcmp(db1, db2, sizeof(float) * out) == 0, "db != ref, shape %d", (int)s);
        for (int i = 0; i < n * in; i++)
            CHECK(fabsf(dx1[i] - dx2[i]) <= 1e-6f * out * (1 + fabsf(dx2[i])), "dinp vs ref shape %d", (int)s);
        for (int k = 0; k < in; k++)
            for (int j = 0; j < out; j++) {
                double want = 0.5;
                for (int i = 0; i < n; i++) want += (double)x[i * in + k] * g[i * out + j];
                CHECK(fabs(dw1[k * out + j] - want) <= 1e-5 * (1 + fabs(want)) * n, "dw vs float64 shape %d", (int)s);
            }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < in; k++) {
                double want = 0;
                for (int j = 0; j < out; j++) want += (double)g[i * out + j] * w[k * out + j];
                CHECK(fabs(dx1[i * in + k] - want) <= 1e-5 * (1 + fabs(want)) * out, "dinp vs float64 shape %d", (int)s);
            }
        /* dinp NULL (first layer) still accumulates dw */
        dense_backward(NULL, dw1, NULL, g, x, w, n, in, out);
        dense_backward_ref(NULL, dw2, NULL, g, x, w, n, in, out);
        CHECK(memcmp(dw1, dw2, sizeof(float) * in * out) == 0, "dw (NULL dinp) != ref");
        free(x); free(w); free(b); free(g); free(o1); free(o2);
        free(dx1); free(dx2); free(dw1); free(dw2); free(db1); free(db2);
    }
}

/* ---- per-parameter central differences ------------------------------------ */
/* Relative error of analytic a against numeric m, with an absolute floor for
 * gradients near zero (the float loss limits the numeric one to ~1e-5). */
static double rel_err(double a, double m) {
    double s = fabs(a) > fabs(m) ? fabs(a) : fabs(m);
    return fabs(a - m) / (s > 1e-2 ? s : 1e-2);
}

static void gradcheck(const int32_t *sizes, int n_sizes, int act, int output, int loss, uint32_t seed) {
    const int n = 5, d = sizes[0], q = sizes[n_sizes - 1];
    mlp *net = mlp_create(sizes, n_sizes, act, output, loss, INIT_XAVIER, 0.1f, 1.5f, seed);
    CHECK(net != NULL, "create %s/%s/%s", ACT_NAME[act], OUT_NAME[output], LOSS_NAME[loss]);
    if (!net) return;
    const int P = mlp_num_params(net);
    float *p = mlp_params(net);
    for (int l = 0; l < mlp_num_layers(net); l++) /* nonzero biases too */
        for (int j = 0; j < sizes[l + 1]; j++) p[mlp_b_offset(net, l) + j] = urand(-0.5f, 0.5f);
    float X[5 * 8], Y[5 * 8];
    for (int i = 0; i < n * d; i++) X[i] = urand(-1.5f, 1.5f);
    fill_targets(Y, n, q, output, loss);
    float loss0;
    CHECK(mlp_gradients(net, &loss0, X, Y, n) == MLP_OK, "gradients");
    float *ga = malloc(sizeof(float) * P);
    memcpy(ga, mlp_grads(net), sizeof(float) * P);
    CHECK(fabsf(loss0 - loss_of(net, X, Y, n)) <= 1e-6f * (1 + fabsf(loss0)), "gradients loss == evaluate loss");
    const double eps = 1e-3;
    int checked = 0, bad = 0;
    double worst = 0, sum_abs = 0;
    for (int k = 0; k < P; k++) {
        const float orig = p[k];
        p[k] = (float)(orig + eps);
        const double hp = (double)p[k] - orig; /* the perturbation float can hold */
        const float lp = loss_of(net, X, Y, n);
        p[k] = (float)(orig - eps);
        const double hm = orig - (double)p[k];
        const float lm = loss_of(net, X, Y, n);
        p[k] = orig;
        const double num = ((double)lp - lm) / (hp + hm);
        const double e = rel_err(ga[k], num);
        worst = e > worst ? e : worst;
        sum_abs += fabs(ga[k]);
        if (fabs(ga[k]) > 1e-3) checked++;
        if (e > 1e-2) {
            bad++;
            if (bad <= 3)
                fprintf(stderr, "  %s/%s/%s param %d: analytic %.6g numeric %.6g\n", ACT_NAME[act],
                        OUT_NAME[output], LOSS_NAME[loss], k, ga[k], num);
        }
    }
    CHECK(bad == 0, "gradcheck %s/%s/%s sizes %d: %d of %d params off (worst %.3g)", ACT_NAME[act],
          OUT_NAME[output], LOSS_NAME[loss], n_sizes, bad, P, worst);
    /* genann's guard: the check is void if the gradient is (nearly) all zero */
    CHECK(sum_abs > 1e-3 && checked > P / 4, "gradcheck %s/%s/%s: only %d of %d params checked",
          ACT_NAME[act], OUT_NAME[output], LOSS_NAME[loss], checked, P);
    free(ga);
    mlp_free(net);
}

static void test_gradients(void) {
    static const int pairs[][3] = {{OUT_IDENTITY, LOSS_MSE, 2}, {OUT_SIGMOID, LOSS_MSE, 2},
                                   {OUT_SOFTMAX, LOSS_MSE, 3}, {OUT_SIGMOID, LOSS_BCE, 2},
                                   {OUT_SOFTMAX, LOSS_CROSS_ENTROPY, 3}};
    for (int a = 0; a < ACT_COUNT; a++)
        for (int pi = 0; pi < 5; pi++) {
            const int32_t sizes[4] = {3, 4, 3, pairs[pi][2]};
            gradcheck(sizes, 4, a, pairs[pi][0], pairs[pi][1], 100u + (uint32_t)(a * 5 + pi));
        }
    const int32_t none[2] = {3, 2}; /* no hidden layer: logistic/softmax regression */
    gradcheck(none, 2, ACT_TANH, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, 7);
    gradcheck(none, 2, ACT_TANH, OUT_SIGMOID, LOSS_BCE, 8);
    const int32_t deep[8] = {2, 3, 3, 3, 3, 3, 3, 2}; /* six hidden layers */
    gradcheck(deep, 8, ACT_TANH, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, 9);
    gradcheck(deep, 8, ACT_GELU, OUT_IDENTITY, LOSS_MSE, 10);

    /* a random direction on a larger net (kann's check): g . u against
     * (L(p + h u) - L(p - h u)) / 2h */
    const int32_t big[5] = {2, 16, 16, 16, 3};
    mlp *net = mlp_create(big, 5, ACT_TANH, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, INIT_XAVIER, 0, 1, 3);
    const int n = 40, P = mlp_num_params(net);
    float X[80], Y[40];
    for (int i = 0; i < 2 * n; i++) X[i] = urand(-3, 3);
    fill_targets(Y, n, 3, OUT_SOFTMAX, LOSS_CROSS_ENTROPY);
    CHECK(mlp_gradients(net, NULL, X, Y, n) == MLP_OK, "gradients big");
    float *p = mlp_params(net), *g = mlp_grads(net);
    float *p0 = malloc(sizeof(float) * P), *u = malloc(sizeof(float) * P);
    memcpy(p0, p, sizeof(float) * P);
    double gu = 0;
    for (int k = 0; k < P; k++) {
        u[k] = urand(-1, 1);
        gu += (double)g[k] * u[k];
    }
    const double h = 1e-3;
    for (int k = 0; k < P; k++) p[k] = (float)(p0[k] + h * u[k]);
    const double lp = loss_of(net, X, Y, n);
    for (int k = 0; k < P; k++) p[k] = (float)(p0[k] - h * u[k]);
    const double lm = loss_of(net, X, Y, n);
    memcpy(p, p0, sizeof(float) * P);
    const double num = (lp - lm) / (2 * h);
    CHECK(fabs(gu) > 1e-2 && fabs(gu - num) <= 2e-2 * fabs(gu), "random direction: g.u %.6g numeric %.6g", gu, num);
    free(p0);
    free(u);
    mlp_free(net);
}

/* ---- forward: shapes, hidden, growth, softmax rows ----------------------- */
static void test_forward(void) {
    const int32_t sizes[4] = {2, 5, 4, 3};
    mlp *net = mlp_create(sizes, 4, ACT_RELU, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, INIT_HE, 0, 1, 11);
    CHECK(mlp_output(net) == NULL && mlp_hidden(net, 1) == NULL, "no output before a forward");
    CHECK(mlp_num_layers(net) == 3, "layers");
    CHECK(mlp_num_params(net) == 2 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, "params count");
    CHECK(mlp_w_offset(net, 0) == 0 && mlp_b_offset(net, 0) == 10 && mlp_w_offset(net, 1) == 15 &&
              mlp_b_offset(net, 1) == 35 && mlp_w_offset(net, 2) == 39 && mlp_b_offset(net, 2) == 51,
          "offsets");
    CHECK(mlp_w_offset(net, 3) == -1 && mlp_b_offset(net, -1) == -1, "offsets out of range");
    enum { N = 1000 };
    static float X[N * 2], first[3 * 3];
    for (int i = 0; i < N * 2; i++) X[i] = urand(-4, 4);
    CHECK(mlp_forward(net, X, 3) == MLP_OK, "forward 3");
    memcpy(first, mlp_output(net), sizeof first);
    CHECK(mlp_forward(net, X, N) == MLP_OK, "forward N (grows)");
    const float *o = mlp_output(net);
    CHECK(memcmp(o, first, sizeof first) == 0, "rows independent of batch size");
    int rows_ok = 1;
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < 3; j++) s += o[i * 3 + j];
        if (!(fabs(s - 1) < 1e-5)) rows_ok = 0;
    }
    CHECK(rows_ok, "softmax rows sum to 1");
    /* hidden layer 1 = relu(X W0 + b0), checked in float64 */
    const float *h1 = mlp_hidden(net, 1), *p = mlp_params(net);
    int h_ok = 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < 5; j++) {
            double z = p[10 + j] + (double)X[2 * i] * p[j] + (double)X[2 * i + 1] * p[5 + j];
            if (!(fabs(h1[i * 5 + j] - (z > 0 ? z : 0)) < 1e-5)) h_ok = 0;
        }
    CHECK(h_ok, "hidden(1) = relu(X W + b)");
    CHECK(mlp_hidden(net, 2) != NULL && mlp_hidden(net, 3) == NULL && mlp_hidden(net, 0) == NULL, "hidden range");
    CHECK(mlp_forward(net, X, 0) == MLP_ERR_ARG && mlp_forward(net, NULL, 1) == MLP_ERR_ARG &&
              mlp_forward(NULL, X, 1) == MLP_ERR_ARG, "forward bad args");
    /* extreme logits: the losses stay finite (log-sum-exp, bce from logits) */
    for (int k = 0; k < mlp_num_params(net); k++) mlp_params(net)[k] *= 300.0f;
    float Yl[N];
    fill_targets(Yl, N, 3, OUT_SOFTMAX, LOSS_CROSS_ENTROPY);
    float l = NAN;
    CHECK(mlp_evaluate(net, &l, NULL, X, Yl, N) == MLP_OK && isfinite(l) && l > 0, "CE finite at huge logits: %g", l);
    mlp_free(net);
    const int32_t s2[3] = {2, 4, 1};
    net = mlp_create(s2, 3, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 12);
    for (int k = 0; k < mlp_num_params(net); k++) mlp_params(net)[k] = k % 2 ? 200.0f : -150.0f;
    float Yb[N];
    fill_targets(Yb, N, 1, OUT_SIGMOID, LOSS_BCE);
    CHECK(mlp_evaluate(net, &l, NULL, X, Yb, N) == MLP_OK && isfinite(l) && l > 0, "BCE finite at huge logits: %g", l);
    mlp_free(net);
}

/* ---- optimizers on a hand-computable case --------------------------------- */
/* 1-1 net, identity output, mse: o = w x + b, loss (o - y)^2,
 * dw = 2 (o - y) x, db = 2 (o - y). */
static mlp *one(float w, float b) {
    const int32_t s[2] = {1, 1};
    mlp *net = mlp_create(s, 2, ACT_IDENTITY, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 1);
    mlp_params(net)[0] = w;
    mlp_params(net)[1] = b;
    return net;
}

#define NEAR(a, b) (fabs((double)(a) - (double)(b)) <= 1e-6 * (1 + fabs((double)(b))))

static void test_optimizers(void) {
    const float X[1] = {2.0f}, Y[1] = {1.0f};
    float loss;
    mlp *net = one(0.5f, 0.25f); /* o = 1.25: loss 0.0625, dw 1, db 0.5 */
    CHECK(mlp_step(net, &loss, X, Y, 1, OPT_SGD, 0.1f, 0.0f) == MLP_OK, "sgd");
    CHECK(NEAR(loss, 0.0625) && NEAR(mlp_grads(net)[0], 1.0) && NEAR(mlp_grads(net)[1], 0.5), "sgd grads");
    CHECK(NEAR(mlp_params(net)[0], 0.4) && NEAR(mlp_params(net)[1], 0.2), "sgd: %g %g",
          mlp_params(net)[0], mlp_params(net)[1]);
    mlp_free(net);

    net = one(0.5f, 0.25f); /* weight decay on w only: dw = 1 + 0.5 * 0.5 */
    CHECK(mlp_step(net, &loss, X, Y, 1, OPT_SGD, 0.1f, 0.5f) == MLP_OK, "sgd l2");
    CHECK(NEAR(mlp_params(net)[0], 0.375) && NEAR(mlp_params(net)[1], 0.2), "sgd l2: %g %g",
          mlp_params(net)[0], mlp_params(net)[1]);
    mlp_free(net);

    net = one(0.5f, 0.25f); /* momentum: v = g = (1, .5); then o = 1, g = 0, v = (.9, .45) */
    CHECK(mlp_step(net, &loss, X, Y, 1, OPT_MOMENTUM, 0.1f, 0.0f) == MLP_OK, "momentum 1");
    CHECK(NEAR(mlp_params(net)[0], 0.4) && NEAR(mlp_params(net)[1], 0.2), "momentum 1 params");
    CHECK(mlp_step(net, &loss, X, Y, 1, OPT_MOMENTUM, 0.1f, 0.0f) == MLP_OK, "momentum 2");
    CHECK(NEAR(mlp_params(net)[0], 0.31) && NEAR(mlp_params(net)[1], 0.155), "momentum 2: %g %g",
          mlp_params(net)[0], mlp_params(net)[1]);
    mlp_reset_optimizer(net); /* v = 0 again: one more step is plain sgd on g */
    mlp_params(net)[0] = 0.5f;
    mlp_params(net)[1] = 0.25f;
    CHECK(mlp_step(net, &loss, X, Y, 1, OPT_MOMENTUM, 0.1f, 0.0f) == MLP_OK, "momentum after reset");
    CHECK(NEAR(mlp_params(net)[0], 0.4) && NEAR(mlp_params(net)[1], 0.2), "momentum after reset params");
    mlp_free(net);

    /* adam against a float64 model of the same formulas, 5 steps, twice
     * (with a reset between: t starts over) */
    net = one(0.5f, 0.25f);
    for (int round = 0; round < 2; round++) {
        mlp_params(net)[0] = 0.5f;
        mlp_params(net)[1] = 0.25f;
        double w = 0.5, b = 0.25, m[2] = {0, 0}, v[2] = {0, 0};
        for (int t = 1; t <= 5; t++) {
            const double o = w * 2 + b, g[2] = {2 * (o - 1) * 2, 2 * (o - 1)};
            double *pp[2] = {&w, &b};
            for (int k = 0; k < 2; k++) {
                m[k] = 0.9 * m[k] + 0.1 * g[k];
                v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
                const double mh = m[k] / (1 - pow(0.9, t)), vh = v[k] / (1 - pow(0.999, t));
                *pp[k] -= 0.01 * mh / (sqrt(vh) + 1e-8);
            }
            CHECK(mlp_step(net, &loss, X, Y, 1, OPT_ADAM, 0.01f, 0.0f) == MLP_OK, "adam");
            CHECK(NEAR(mlp_params(net)[0], w) && NEAR(mlp_params(net)[1], b),
                  "adam round %d step %d: %.9g %.9g want %.9g %.9g", round, t, mlp_params(net)[0],
                  mlp_params(net)[1], w, b);
        }
        mlp_reset_optimizer(net);
    }
    /* first adam step moves each parameter by about lr (m/sqrt(v) = sign g) */
    mlp_params(net)[0] = 0.5f;
    mlp_params(net)[1] = 0.25f;
    CHECK(mlp_step(net, &loss, X, Y, 1, OPT_ADAM, 0.01f, 0.0f) == MLP_OK, "adam");
    CHECK(NEAR(mlp_params(net)[0], 0.49) && NEAR(mlp_params(net)[1], 0.24), "adam step 1 = lr sign(g)");
    mlp_free(net);
}

/* ---- each optimizer's state is its own ------------------------------------ */
/* A switch starts the new optimizer as if fresh, in every order; so does a
 * switch back. Checked against a network that only ever ran the second one. */
static void test_optimizer_switch(void) {
    const int32_t s[3] = {2, 5, 1};
    float X[16], Y[8], loss;
    for (int i = 0; i < 16; i++) X[i] = urand(-1, 1);
    for (int i = 0; i < 8; i++) Y[i] = urand(-1, 1);
    for (int a = 0; a < OPT_COUNT; a++)
        for (int b = 0; b < OPT_COUNT; b++) {
            if (a == b) continue;
            mlp *net = mlp_create(s, 3, ACT_TANH, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 9);
            mlp *fresh = mlp_create(s, 3, ACT_TANH, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 9);
            const int P = mlp_num_params(net);
            for (int k = 0; k < 5; k++) CHECK(mlp_step(net, &loss, X, Y, 8, a, 0.05f, 0) == MLP_OK, "steps of %d", a);
            CHECK(mlp_set_params(fresh, mlp_params(net)) == MLP_OK, "copy");
            for (int k = 0; k < 3; k++) {
                CHECK(mlp_step(net, &loss, X, Y, 8, b, 0.05f, 0) == MLP_OK, "switched to %d", b);
                CHECK(mlp_step(fresh, &loss, X, Y, 8, b, 0.05f, 0) == MLP_OK, "fresh %d", b);
            }
            CHECK(memcmp(mlp_params(net), mlp_params(fresh), sizeof(float) * (size_t)P) == 0,
                  "optimizer %d then %d: the first %d steps differ from a fresh %d", a, b, b, b);
            /* and switching back is the same: a fresh a */
            CHECK(mlp_set_params(fresh, mlp_params(net)) == MLP_OK, "copy");
            mlp_reset_optimizer(fresh);
            CHECK(mlp_step(net, &loss, X, Y, 8, a, 0.05f, 0) == MLP_OK, "back to %d", a);
            CHECK(mlp_step(fresh, &loss, X, Y, 8, a, 0.05f, 0) == MLP_OK, "fresh %d", a);
            CHECK(memcmp(mlp_params(net), mlp_params(fresh), sizeof(float) * (size_t)P) == 0,
                  "optimizer %d, %d, then %d again: not a fresh %d", a, b, a, a);
            mlp_free(net);
            mlp_free(fresh);
        }
    /* a refused switch leaves the old optimizer's state: momentum, then a
     * refused adam update, then momentum equals momentum throughout */
    const int32_t s2[3] = {2, 4, 1};
    const float X2[6] = {1, 2, 3, 4, -1, 2}, Y2[3] = {10, 20, 30};
    mlp *net = mlp_create(s2, 3, ACT_RELU, OUT_IDENTITY, LOSS_MSE, INIT_HE, 0, 1, 1);
    mlp *twin = mlp_create(s2, 3, ACT_RELU, OUT_IDENTITY, LOSS_MSE, INIT_HE, 0, 1, 1);
    for (int k = 0; k < 2; k++) {
        CHECK(mlp_step(net, &loss, X2, Y2, 3, OPT_MOMENTUM, 1e-3f, 0) == MLP_OK, "momentum");
        CHECK(mlp_step(twin, &loss, X2, Y2, 3, OPT_MOMENTUM, 1e-3f, 0) == MLP_OK, "momentum");
    }
    CHECK(mlp_step(net, &loss, X2, Y2, 3, OPT_SGD, 3e38f, 0) == MLP_ERR_NONFINITE, "refused sgd");
    CHECK(mlp_step(net, &loss, X2, Y2, 3, OPT_MOMENTUM, 1e-3f, 0) == MLP_OK, "momentum again");
    CHECK(mlp_step(twin, &loss, X2, Y2, 3, OPT_MOMENTUM, 1e-3f, 0) == MLP_OK, "momentum again");
    CHECK(memcmp(mlp_params(net), mlp_params(twin), sizeof(float) * (size_t)mlp_num_params(net)) == 0,
          "a refused update of another optimizer reset the momentum");
    mlp_free(net);
    mlp_free(twin);
}

/* ---- trace: one row forward and back, as gradients computes it ------------ */
static void test_trace(void) {
    const int32_t s[3] = {2, 3, 2};
    mlp *net = mlp_create(s, 3, ACT_TANH, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, INIT_XAVIER, 0, 1, 4);
    const int P = mlp_num_params(net), T = mlp_trace_size(net);
    CHECK(T == 2 + 2 + 3 * (3 + 2) + P, "trace size %d", T);
    float *out = malloc(sizeof(float) * (size_t)T), x[2] = {0.5f, -1.5f}, y[1] = {1}, loss = 0;
    float *g0 = malloc(sizeof(float) * (size_t)P), p0[64];
    memcpy(p0, mlp_params(net), sizeof(float) * (size_t)P);
    CHECK(mlp_gradients(net, &loss, x, y, 1) == MLP_OK, "gradients");
    memcpy(g0, mlp_grads(net), sizeof(float) * (size_t)P);
    memset(mlp_grads(net), 0, sizeof(float) * (size_t)P);
    CHECK(mlp_trace(net, out, x, y) == MLP_OK, "trace");
    CHECK(out[0] == loss && out[1] == 2.0f, "loss %g vs %g, L %g", out[0], loss, out[1]);
    CHECK(memcmp(out + T - P, g0, sizeof(float) * (size_t)P) == 0, "dW, db as gradients");
    CHECK(memcmp(p0, mlp_params(net), sizeof(float) * (size_t)P) == 0, "params untouched");
    for (int i = 0; i < P; i++) CHECK(mlp_grads(net)[i] == 0.0f, "grads block untouched");
    const float *W = mlp_params(net), *z = out + 4, *h = z + 5, *dz = h + 5;
    for (int j = 0; j < 3; j++) { /* z_0 = x W_0 + b_0, h_0 = tanh z_0 */
        const float zj = x[0] * W[j] + x[1] * W[3 + j] + W[6 + j];
        CHECK(fabsf(z[j] - zj) <= 1e-6f && fabsf(h[j] - tanhf(zj)) <= 1e-6f, "z_0[%d]", j);
    }
    CHECK(fabsf(h[3] + h[4] - 1.0f) <= 1e-6f, "the prediction is a softmax");
    CHECK(fabsf(dz[3] - h[3]) <= 1e-7f && fabsf(dz[4] - (h[4] - 1.0f)) <= 1e-7f, "dz of the output: o - onehot");
    CHECK(mlp_trace(net, NULL, x, y) == MLP_ERR_ARG, "NULL out");
    y[0] = 2;
    CHECK(mlp_trace(net, out, x, y) == MLP_ERR_LABEL, "label out of range");
    free(out);
    free(g0);
    mlp_free(net);
}

/* ---- an update that overshot is undone, once; set_params ends undoing ------- */
static void test_overshoot(void) {
    const int32_t s[3] = {1, 3, 1};
    const float X[2] = {1, -1}, Y[2] = {1, -1};
    float loss, p0[10], p1[10];
    mlp *net = mlp_create(s, 3, ACT_IDENTITY, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 3);
    const int P = mlp_num_params(net); /* 3 + 3 + 3 + 1 */
    CHECK(P == 10, "P %d", P);
    memcpy(p0, mlp_params(net), sizeof p0);
    /* a new network with an infinite loss (inputs at 1e30 through an identity
     * net squared): nothing to undo, refused */
    const float Xbig[2] = {3e30f, -3e30f};
    CHECK(mlp_step(net, &loss, Xbig, Y, 2, OPT_SGD, 0.1f, 0) == MLP_ERR_NONFINITE && !isfinite(loss), "fresh: refused");
    CHECK(memcmp(p0, mlp_params(net), sizeof p0) == 0, "fresh: unchanged");
    /* a large step: finite params whose loss overflows on the next batch */
    for (int i = 0; i < P; i++) p1[i] = 1e12f;
    CHECK(mlp_step(net, &loss, X, Y, 2, OPT_ADAM, 0.01f, 0) == MLP_OK, "adam");
    memcpy(p0, mlp_params(net), sizeof p0);
    CHECK(mlp_step(net, &loss, X, Y, 2, OPT_SGD, 1e24f, 0) == MLP_OK && isfinite(loss), "the step that overshoots");
    CHECK(mlp_step(net, &loss, X, Y, 2, OPT_SGD, 0.001f, 0) == MLP_ERR_OVERSHOT && !isfinite(loss), "undone");
    CHECK(memcmp(p0, mlp_params(net), sizeof p0) == 0, "the params before the overshooting step are back");
    CHECK(mlp_last_lr(net) == 1e24f, "the rate that overshot: %g", mlp_last_lr(net));
    CHECK(mlp_step(net, &loss, X, Y, 2, OPT_SGD, 0.001f, 0) == MLP_OK && isfinite(loss), "and a sane step goes on");
    /* after set_params there is nothing to undo */
    CHECK(mlp_set_params(net, p1) == MLP_OK, "set");
    CHECK(mlp_step(net, &loss, X, Y, 2, OPT_SGD, 0.001f, 0) == MLP_ERR_NONFINITE, "set params: refused, not undone");
    CHECK(memcmp(p1, mlp_params(net), sizeof p1) == 0, "set params kept");
    CHECK(mlp_set_params(NULL, p1) == MLP_ERR_ARG && mlp_set_params(net, NULL) == MLP_ERR_ARG, "set_params NULL");
    mlp_free(net);
}

/* ---- non-finite: a huge lr diverges, and the failing step changes nothing - */
static void test_nonfinite(void) {
    const int32_t s[3] = {2, 8, 1};
    mlp *net = mlp_create(s, 3, ACT_TANH, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 5);
    const int P = mlp_num_params(net);
    float X[20], Y[10], *before = malloc(sizeof(float) * P), loss = 0;
    for (int i = 0; i < 20; i++) X[i] = urand(-1, 1);
    for (int i = 0; i < 10; i++) Y[i] = urand(-1, 1);
    float *before_prev = malloc(sizeof(float) * P);
    int rc = MLP_OK, steps = 0, finite = 1;
    while (rc == MLP_OK && steps < 20) {
        memcpy(before_prev, before, sizeof(float) * P);
        memcpy(before, mlp_params(net), sizeof(float) * P);
        rc = mlp_step(net, &loss, X, Y, 10, OPT_SGD, 1e30f, 0.0f);
        for (int k = 0; k < P; k++) finite &= isfinite(mlp_params(net)[k]) != 0;
        steps++;
    }
    CHECK(rc == MLP_ERR_NONFINITE || rc == MLP_ERR_OVERSHOT, "huge lr: rc %d after %d steps", rc, steps);
    if (rc == MLP_ERR_NONFINITE) { /* refused: this step changed nothing */
        CHECK(isfinite(loss), "a refused update has a finite loss");
        CHECK(memcmp(before, mlp_params(net), sizeof(float) * P) == 0, "NONFINITE left params unchanged");
    } else { /* the step before overshot: undone */
        CHECK(!isfinite(loss) && steps >= 2, "OVERSHOT: loss %g after %d steps", loss, steps);
        CHECK(memcmp(before_prev, mlp_params(net), sizeof(float) * P) == 0, "OVERSHOT restored the params before the last update");
        CHECK(mlp_last_lr(net) == 1e30f, "the rate of the undone update: %g", mlp_last_lr(net));
    }
    CHECK(finite, "params stayed finite throughout");
    free(before_prev);
    mlp_free(net);

    /* an update that would overflow: lr 1e38 with finite gradients is refused
     * at once, by every optimizer, and leaves the optimizer state alone */
    const int32_t s2[3] = {2, 4, 1};
    const float X2[6] = {1, 2, 3, 4, -1, 2}, Y2[3] = {10, 20, 30};
    for (int opt = 0; opt < OPT_COUNT; opt++) {
        mlp *a = mlp_create(s2, 3, ACT_RELU, OUT_IDENTITY, LOSS_MSE, INIT_HE, 0, 1, 1);
        mlp *b = mlp_create(s2, 3, ACT_RELU, OUT_IDENTITY, LOSS_MSE, INIT_HE, 0, 1, 1);
        const int P2 = mlp_num_params(a);
        float l1, l2;
        CHECK(mlp_step(a, &l1, X2, Y2, 3, opt, 1e38f, 0.0f) == MLP_ERR_NONFINITE, "lr 1e38 opt %d refused", opt);
        CHECK(isfinite(l1), "the loss itself was finite");
        CHECK(memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P2) == 0, "lr 1e38 opt %d: params unchanged", opt);
        CHECK(mlp_step(a, &l1, X2, Y2, 3, opt, 0.01f, 0.0f) == MLP_OK, "then a sane step");
        CHECK(mlp_step(b, &l2, X2, Y2, 3, opt, 0.01f, 0.0f) == MLP_OK, "the same step on a fresh net");
        CHECK(memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P2) == 0,
              "opt %d: a refused step left no trace in the optimizer state", opt);
        CHECK(mlp_train_epoch(a, &l1, X2, Y2, 3, 3, 0, opt, 1e38f, 0.0f) == MLP_ERR_NONFINITE, "epoch lr 1e38");
        int fin = 1;
        for (int k = 0; k < P2; k++) fin &= isfinite(mlp_params(a)[k]) != 0;
        CHECK(fin, "epoch lr 1e38: params finite");
        mlp_free(a);
        mlp_free(b);
    }

    /* a NaN input: the very first step fails, params as created */
    net = mlp_create(s, 3, ACT_TANH, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 5);
    memcpy(before, mlp_params(net), sizeof(float) * P);
    X[3] = NAN;
    CHECK(mlp_step(net, &loss, X, Y, 10, OPT_ADAM, 0.01f, 0.0f) == MLP_ERR_NONFINITE, "NaN input");
    CHECK(memcmp(before, mlp_params(net), sizeof(float) * P) == 0, "NaN input: params unchanged");
    CHECK(mlp_train_epoch(net, &loss, X, Y, 10, 4, 1, OPT_SGD, 0.1f, 0.0f) == MLP_ERR_NONFINITE, "epoch NaN");
    /* an Inf target with finite outputs: gradient Inf */
    X[3] = 0.5f;
    Y[2] = INFINITY;
    memcpy(before, mlp_params(net), sizeof(float) * P);
    CHECK(mlp_step(net, &loss, X, Y, 10, OPT_MOMENTUM, 0.01f, 0.0f) == MLP_ERR_NONFINITE, "Inf target");
    CHECK(memcmp(before, mlp_params(net), sizeof(float) * P) == 0, "Inf target: params unchanged");
    free(before);
    mlp_free(net);
}

/* ---- construction and argument errors ------------------------------------- */
static void test_create_errors(void) {
    const int32_t ok[3] = {2, 8, 1};
    CHECK(mlp_create(NULL, 3, 0, 0, 0, 0, 0, 1, 1) == NULL, "NULL sizes");
    CHECK(mlp_create(ok, 1, 0, 0, 0, 0, 0, 1, 1) == NULL, "n_sizes 1");
    CHECK(mlp_create(ok, 0, 0, 0, 0, 0, 0, 1, 1) == NULL, "n_sizes 0");
    CHECK(mlp_create(ok, -1, 0, 0, 0, 0, 0, 1, 1) == NULL, "n_sizes -1");
    const int32_t w0[3] = {2, 0, 1}, w257[3] = {2, 257, 1}, wneg[3] = {-2, 4, 1}, q0[3] = {2, 4, 0};
    CHECK(mlp_create(w0, 3, 0, 0, 0, 0, 0, 1, 1) == NULL, "width 0");
    CHECK(mlp_create(w257, 3, 0, 0, 0, 0, 0, 1, 1) == NULL, "width 257");
    CHECK(mlp_create(wneg, 3, 0, 0, 0, 0, 0, 1, 1) == NULL, "width -2");
    CHECK(mlp_create(q0, 3, 0, 0, 0, 0, 0, 1, 1) == NULL, "q 0");
    const int32_t h8[10] = {2, 4, 4, 4, 4, 4, 4, 4, 4, 1}, h6[8] = {2, 256, 256, 256, 256, 256, 256, 1};
    CHECK(mlp_create(h8, 10, 0, 0, 0, 0, 0, 1, 1) == NULL, "8 hidden");
    CHECK(mlp_create(h8, 9, 0, 0, 0, 0, 0, 1, 1) == NULL, "7 hidden");
    mlp *big = mlp_create(h6, 8, 0, 0, 0, 0, 0, 1, 1);
    CHECK(big != NULL && mlp_num_params(big) == 2 * 256 + 256 + 5 * (256 * 256 + 256) + 256 + 1, "6 x 256 hidden");
    mlp_free(big);
    CHECK(mlp_create(ok, 3, -1, 0, 0, 0, 0, 1, 1) == NULL, "act -1");
    CHECK(mlp_create(ok, 3, ACT_COUNT, 0, 0, 0, 0, 1, 1) == NULL, "act count");
    CHECK(mlp_create(ok, 3, 0, OUT_COUNT, 0, 0, 0, 1, 1) == NULL, "output count");
    CHECK(mlp_create(ok, 3, 0, 0, LOSS_COUNT, 0, 0, 1, 1) == NULL, "loss count");
    CHECK(mlp_create(ok, 3, 0, 0, 0, INIT_COUNT, 0, 1, 1) == NULL, "init count");
    CHECK(mlp_create(ok, 3, 0, OUT_IDENTITY, LOSS_BCE, 0, 0, 1, 1) == NULL, "identity + bce");
    CHECK(mlp_create(ok, 3, 0, OUT_SIGMOID, LOSS_CROSS_ENTROPY, 0, 0, 1, 1) == NULL, "sigmoid + ce");
    CHECK(mlp_create(ok, 3, 0, OUT_SOFTMAX, LOSS_BCE, 0, 0, 1, 1) == NULL, "softmax + bce");
    CHECK(mlp_create(ok, 3, 0, OUT_IDENTITY, LOSS_CROSS_ENTROPY, 0, 0, 1, 1) == NULL, "identity + ce");
    CHECK(mlp_create(ok, 3, 0, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, 0, 0, 1, 1) == NULL, "softmax with q = 1");
    CHECK(mlp_create(ok, 3, 0, OUT_SOFTMAX, LOSS_MSE, 0, 0, 1, 1) == NULL, "softmax mse with q = 1");
    CHECK(mlp_create(ok, 3, 0, 0, 0, 0, NAN, 1, 1) == NULL, "alpha NaN");
    CHECK(mlp_create(ok, 3, 0, 0, 0, 0, 0, INFINITY, 1) == NULL, "beta Inf");
    mlp_free(NULL); /* a no-op */
    CHECK(mlp_num_layers(NULL) < 0 && mlp_params(NULL) == NULL && mlp_output(NULL) == NULL, "NULL net");

    mlp *net = mlp_create(ok, 3, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 1);
    float X[4] = {0, 1, 1, 0}, Y[2] = {0, 1}, l;
    CHECK(mlp_step(net, &l, X, Y, 2, OPT_COUNT, 0.1f, 0) == MLP_ERR_ARG, "optimizer count");
    CHECK(mlp_step(net, &l, X, Y, 2, -1, 0.1f, 0) == MLP_ERR_ARG, "optimizer -1");
    CHECK(mlp_step(net, &l, X, Y, 2, OPT_SGD, 0.0f, 0) == MLP_ERR_ARG, "lr 0");
    CHECK(mlp_step(net, &l, X, Y, 2, OPT_SGD, NAN, 0) == MLP_ERR_ARG, "lr NaN");
    CHECK(mlp_step(net, &l, X, Y, 2, OPT_SGD, INFINITY, 0) == MLP_ERR_ARG, "lr Inf");
    CHECK(mlp_step(net, &l, X, Y, 2, OPT_SGD, 0.1f, -1e-3f) == MLP_ERR_ARG, "l2 < 0");
    CHECK(mlp_step(net, &l, X, Y, 2, OPT_SGD, 0.1f, NAN) == MLP_ERR_ARG, "l2 NaN");
    CHECK(mlp_step(net, &l, X, Y, 0, OPT_SGD, 0.1f, 0) == MLP_ERR_ARG, "n 0");
    CHECK(mlp_step(net, &l, NULL, Y, 2, OPT_SGD, 0.1f, 0) == MLP_ERR_ARG, "X NULL");
    CHECK(mlp_gradients(net, &l, X, NULL, 2) == MLP_ERR_ARG, "Y NULL");
    CHECK(mlp_evaluate(net, &l, NULL, X, Y, -3) == MLP_ERR_ARG, "evaluate n < 0");
    CHECK(mlp_train_epoch(net, &l, X, Y, 2, 0, 1, OPT_SGD, 0.1f, 0) == MLP_ERR_ARG, "batch 0");
    CHECK(mlp_train_epoch(net, &l, X, Y, 2, 1, 1, OPT_SGD, -0.1f, 0) == MLP_ERR_ARG, "epoch lr < 0");
    mlp_free(net);
}

/* ---- labels: checked before anything is touched --------------------------- */
static void test_labels(void) {
    const int32_t s[3] = {2, 4, 3};
    mlp *net = mlp_create(s, 3, ACT_RELU, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, INIT_HE, 0, 1, 2);
    const int P = mlp_num_params(net);
    float X[8] = {0.1f, 0.2f, -1, 1, 2, -2, 0.5f, 0.5f}, Y[4] = {0, 1, 2, 1}, l;
    int32_t acc;
    CHECK(mlp_gradients(net, &l, X, Y, 4) == MLP_OK, "good labels");
    float *p0 = malloc(sizeof(float) * P), *g0 = malloc(sizeof(float) * P), o0[12];
    memcpy(p0, mlp_params(net), sizeof(float) * P);
    memcpy(g0, mlp_grads(net), sizeof(float) * P);
    memcpy(o0, mlp_output(net), sizeof o0);
    const float bad[] = {3.0f, -1.0f, 1.5f, NAN, INFINITY, -0.5f, 1e9f};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        float Yb[4] = {0, 1, 2, 1};
        Yb[2] = bad[b];
        CHECK(mlp_gradients(net, &l, X, Yb, 4) == MLP_ERR_LABEL, "gradients label %g", bad[b]);
        CHECK(mlp_step(net, &l, X, Yb, 4, OPT_ADAM, 0.1f, 0) == MLP_ERR_LABEL, "step label %g", bad[b]);
        CHECK(mlp_evaluate(net, &l, &acc, X, Yb, 4) == MLP_ERR_LABEL, "evaluate label %g", bad[b]);
        CHECK(mlp_train_epoch(net, &l, X, Yb, 4, 2, 1, OPT_SGD, 0.1f, 0) == MLP_ERR_LABEL, "epoch label %g", bad[b]);
    }
    CHECK(memcmp(p0, mlp_params(net), sizeof(float) * P) == 0, "labels: params untouched");
    CHECK(memcmp(g0, mlp_grads(net), sizeof(float) * P) == 0, "labels: grads untouched");
    CHECK(memcmp(o0, mlp_output(net), sizeof o0) == 0, "labels: output untouched");
    /* -0 is the integer 0 */
    float Yz[4] = {-0.0f, 1, 2, 1};
    CHECK(mlp_evaluate(net, &l, &acc, X, Yz, 4) == MLP_OK, "label -0");
    free(p0);
    free(g0);
    mlp_free(net);
}

/* ---- evaluate: accuracy definitions ---------------------------------------- */
static void test_evaluate(void) {
    /* identity net 1-2 with W = (1, -1), b = 0: outputs (x, -x) */
    const int32_t s[2] = {1, 2};
    float X[4] = {1, -2, 3, 0.25f}, l = 0;
    int32_t acc = 0;
    mlp *net = mlp_create(s, 2, ACT_IDENTITY, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, INIT_XAVIER, 0, 1, 1);
    float *p = mlp_params(net);
    p[0] = 1;
    p[1] = -1;
    p[2] = p[3] = 0;
    float Y[4] = {0, 1, 1, 0}; /* argmax: 0, 1, 0, 0 -> 3 of 4 right */
    CHECK(mlp_evaluate(net, &l, &acc, X, Y, 4) == MLP_OK && acc == 3, "softmax accuracy: %d right of 4", (int)acc);
    float o_eval[8];
    memcpy(o_eval, mlp_output(net), sizeof o_eval);
    CHECK(mlp_forward(net, X, 4) == MLP_OK && memcmp(o_eval, mlp_output(net), sizeof o_eval) == 0,
          "evaluate leaves the outputs as forward does");
    double want = 0; /* -log softmax(x, -x)[y] = log(1 + e^(-2 s x)), s = +1 for 0, -1 for 1 */
    for (int i = 0; i < 4; i++) want += log1p(exp(-2.0 * (Y[i] == 0 ? 1 : -1) * X[i]));
    CHECK(NEAR(l, want / 4), "cross_entropy %g want %g", l, want / 4);
    mlp_free(net);
    /* softmax with mse: the label is the argmax of the target row */
    net = mlp_create(s, 2, ACT_IDENTITY, OUT_SOFTMAX, LOSS_MSE, INIT_XAVIER, 0, 1, 1);
    p = mlp_params(net);
    p[0] = 1;
    p[1] = -1;
    p[2] = p[3] = 0;
    float Yoh[8] = {1, 0, 0, 1, 0, 1, 1, 0}; /* labels 0 1 1 0; predicted 0 1 0 0 */
    CHECK(mlp_evaluate(net, &l, &acc, X, Yoh, 4) == MLP_OK && acc == 3, "softmax mse accuracy: %d right of 4", (int)acc);
    mlp_free(net);
    net = mlp_create(s, 2, ACT_IDENTITY, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 1);
    p = mlp_params(net);
    p[0] = 1;
    p[1] = -1;
    p[2] = p[3] = 0;
    float Y2[8] = {1, 0, 1, 1, 1, 0, 0, 0}; /* o >= .5: (1,0) (0,1) (1,0) (1,0): right 2 + 1 + 2 + 1 = 6 of 8 */
    CHECK(mlp_evaluate(net, &l, &acc, X, Y2, 4) == MLP_OK && acc == 6, "sigmoid accuracy: %d right of 8", (int)acc);
    want = 0; /* bce from logits z = (x, -x) */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++) {
            double z = j ? -X[i] : X[i], y = Y2[2 * i + j];
            want += log1p(exp(-fabs(z))) + (z > 0 ? z : 0) - z * y;
        }
    CHECK(NEAR(l, want / 8), "bce %g want %g", l, want / 8);
    mlp_free(net);
    net = mlp_create(s, 2, ACT_IDENTITY, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, 0, 1, 1);
    p = mlp_params(net);
    p[0] = 1;
    p[1] = -1;
    p[2] = p[3] = 0;
    CHECK(mlp_evaluate(net, &l, &acc, X, Y2, 4) == MLP_OK && acc == -1, "identity accuracy -1");
    want = 0;
    for (int i = 0; i < 4; i++) want += pow(X[i] - Y2[2 * i], 2) + pow(-X[i] - Y2[2 * i + 1], 2);
    CHECK(NEAR(l, want / 8), "mse %g want %g", l, want / 8);
    mlp_free(net);
}

/* ---- determinism ----------------------------------------------------------- */
static uint32_t fnv(const float *p, int n) {
    uint32_t h = 2166136261u;
    const unsigned char *c = (const unsigned char *)p;
    for (size_t i = 0; i < (size_t)n * sizeof(float); i++) h = (h ^ c[i]) * 16777619u;
    return h;
}

static void test_determinism(void) {
    const int32_t s[4] = {2, 8, 8, 1};
    mlp *a = mlp_create(s, 4, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 1);
    mlp *b = mlp_create(s, 4, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 1);
    mlp *c = mlp_create(s, 4, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 2);
    mlp *h = mlp_create(s, 4, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_HE, 0, 1, 1);
    const int P = mlp_num_params(a);
    CHECK(memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P) == 0, "same seed, same params");
    CHECK(memcmp(mlp_params(a), mlp_params(c), sizeof(float) * P) != 0, "another seed, other params");
    /* init bounds: xavier a = sqrt(6 / (fi + fo)), he a = sqrt(6 / fi), biases 0 */
    for (int l = 0; l < 3; l++) {
        const float ax = sqrtf(6.0f / (float)(s[l] + s[l + 1])), ah = sqrtf(6.0f / (float)s[l]);
        float mx = 0, mh = 0;
        for (int k = 0; k < s[l] * s[l + 1]; k++) {
            mx = fmaxf(mx, fabsf(mlp_params(a)[mlp_w_offset(a, l) + k]));
            mh = fmaxf(mh, fabsf(mlp_params(h)[mlp_w_offset(h, l) + k]));
        }
        CHECK(mx <= ax && mx > 0.5f * ax, "xavier layer %d: max |w| %g bound %g", l, mx, ax);
        CHECK(mh <= ah && mh > 0.5f * ah, "he layer %d: max |w| %g bound %g", l, mh, ah);
        for (int j = 0; j < s[l + 1]; j++) CHECK(mlp_params(a)[mlp_b_offset(a, l) + j] == 0.0f, "bias 0");
    }
    /* the bits of seed 1 (2-8-8-1, xavier), the same on every machine and in
     * both WebAssembly builds (tests/dense.test.js checks the same number) */
    const uint32_t h1 = fnv(mlp_params(a), P);
    printf("params fnv1a (2-8-8-1 xavier seed 1): 0x%08x\n", h1);
    CHECK(h1 == 0x4b430989u, "init bits changed: 0x%08x", h1);
    /* training with shuffling: same seed, same bits */
    float X[2 * 64], Y[64], la, lb;
    CHECK(data_make(X, Y, DATA_XOR, 64, 0.1f, 3) == MLP_OK, "data");
    for (int e = 0; e < 5; e++) {
        CHECK(mlp_train_epoch(a, &la, X, Y, 64, 10, 1, OPT_ADAM, 0.01f, 1e-3f) == MLP_OK, "epoch a");
        CHECK(mlp_train_epoch(b, &lb, X, Y, 64, 10, 1, OPT_ADAM, 0.01f, 1e-3f) == MLP_OK, "epoch b");
        CHECK(la == lb, "same losses");
    }
    CHECK(memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P) == 0, "same training, same bits");
    mlp_free(a);
    mlp_free(b);
    mlp_free(c);
    mlp_free(h);
}

/* ---- epochs: batches, shuffle, loss bookkeeping ---------------------------- */
static void test_epoch(void) {
    const int32_t s[3] = {2, 6, 1};
    float X[2 * 23], Y[23], le, l;
    CHECK(data_make(X, Y, DATA_CIRCLE, 23, 0.0f, 4) == MLP_OK, "data");
    /* unshuffled, one batch of all rows == one step */
    mlp *a = mlp_create(s, 3, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 9);
    mlp *b = mlp_create(s, 3, ACT_TANH, OUT_SIGMOID, LOSS_BCE, INIT_XAVIER, 0, 1, 9);
    const int P = mlp_num_params(a);
    CHECK(mlp_train_epoch(a, &le, X, Y, 23, 100, 0, OPT_SGD, 0.5f, 0) == MLP_OK, "epoch");
    CHECK(mlp_step(b, &l, X, Y, 23, OPT_SGD, 0.5f, 0) == MLP_OK, "step");
    CHECK(le == l && memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P) == 0, "epoch(bs >= n) == step");
    /* unshuffled batches of 5 (last of 3) == five steps; loss weighted by batch size */
    double sum = 0;
    for (int start = 0; start < 23; start += 5) {
        const int nb = 23 - start < 5 ? 23 - start : 5;
        CHECK(mlp_step(b, &l, X + 2 * start, Y + start, nb, OPT_MOMENTUM, 0.1f, 0.01f) == MLP_OK, "step");
        sum += (double)l * nb;
    }
    CHECK(mlp_train_epoch(a, &le, X, Y, 23, 5, 0, OPT_MOMENTUM, 0.1f, 0.01f) == MLP_OK, "epoch 5");
    CHECK(memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P) == 0, "epoch == steps");
    CHECK(fabs(le - sum / 23) <= 1e-6 * fabs(sum / 23), "epoch loss %g want %g", le, sum / 23);
    /* shuffled: a different path than unshuffled */
    CHECK(mlp_train_epoch(a, &le, X, Y, 23, 5, 1, OPT_SGD, 0.1f, 0) == MLP_OK, "shuffled");
    CHECK(mlp_train_epoch(b, &le, X, Y, 23, 5, 0, OPT_SGD, 0.1f, 0) == MLP_OK, "unshuffled");
    CHECK(memcmp(mlp_params(a), mlp_params(b), sizeof(float) * P) != 0, "shuffle changes the order");
    mlp_free(a);
    mlp_free(b);
}

/* ---- training reaches good accuracy ---------------------------------------- */
static void train_to(int kind, int q_out, int output, int loss, float want) {
    enum { N = 200 };
    float X[2 * N], Y[N], l, acc = 0;
    int32_t right = 0;
    CHECK(data_make(X, Y, kind, N, 0.0f, 21) == MLP_OK, "data");
    const int32_t s[4] = {2, 8, 8, q_out};
    mlp *net = mlp_create(s, 4, ACT_TANH, output, loss, INIT_XAVIER, 0, 1, 1);
    int e;
    for (e = 0; e < 300; e++) {
        CHECK(mlp_train_epoch(net, &l, X, Y, N, 10, 1, OPT_ADAM, 0.03f, 0) == MLP_OK, "epoch");
        CHECK(mlp_evaluate(net, &l, &right, X, Y, N) == MLP_OK, "evaluate");
        acc = (float)right / (float)(N * (output == OUT_SIGMOID ? q_out : 1));
        if (acc >= want) break;
    }
    printf("data %d: accuracy %.3f after %d epochs (loss %.4f)\n", kind, acc, e + 1, l);
    CHECK(acc >= want, "data set %d: accuracy %g < %g", kind, acc, want);
    mlp_free(net);
}

/* ---- random call sequences: growth, aliasing, bounds (ASan watches) ------- */
static void test_random_sequences(void) {
    enum { NMAX = 70 };
    static float X[NMAX * 20], Y[NMAX * 20], row[20];
    int ok = 1, diverged = 0;
    for (int it = 0; it < 300 && ok; it++) {
        int32_t sizes[8];
        const int ns = 2 + (int)pcg32_below(&trng, 7);
        for (int i = 0; i < ns; i++) sizes[i] = 1 + (int32_t)pcg32_below(&trng, 20);
        const int pair = (int)pcg32_below(&trng, 5);
        static const int po[5] = {OUT_IDENTITY, OUT_SIGMOID, OUT_SOFTMAX, OUT_SIGMOID, OUT_SOFTMAX};
        static const int pl[5] = {LOSS_MSE, LOSS_MSE, LOSS_MSE, LOSS_BCE, LOSS_CROSS_ENTROPY};
        if (po[pair] == OUT_SOFTMAX && sizes[ns - 1] < 2) sizes[ns - 1] = 2;
        const int act = (int)pcg32_below(&trng, ACT_COUNT), d = sizes[0], q = sizes[ns - 1];
        mlp *net = mlp_create(sizes, ns, act, po[pair], pl[pair], (int)pcg32_below(&trng, 2), 0.2f, 1.0f, (uint32_t)it);
        if (!net) {
            ok = 0;
            break;
        }
        for (int i = 0; i < NMAX * d; i++) X[i] = urand(-2, 2);
        fill_targets(Y, NMAX, q, po[pair], pl[pair]);
        for (int op = 0; op < 12 && ok; op++) {
            const int n = 1 + (int)pcg32_below(&trng, NMAX);
            const int opt = (int)pcg32_below(&trng, OPT_COUNT);
            float l = 0;
            int32_t acc = 0;
            int rc;
            switch (pcg32_below(&trng, 5)) {
            case 0: rc = mlp_forward(net, X, n); break;
            case 1: rc = mlp_gradients(net, &l, X, Y, n); break;
            case 2: rc = mlp_step(net, &l, X, Y, n, opt, 0.003f, 1e-4f); break;
            case 3:
                rc = mlp_train_epoch(net, &l, X, Y, n, 1 + (int)pcg32_below(&trng, 16),
                                     (int)pcg32_below(&trng, 2), opt, 0.003f, 0.0f);
                break;
            default: rc = mlp_evaluate(net, &l, &acc, X, Y, n); break;
            }
            if ((rc == MLP_ERR_NONFINITE || rc == MLP_ERR_OVERSHOT) && !isfinite(l)) { /* a real divergence: params finite */
                for (int k = 0; k < mlp_num_params(net); k++) ok &= isfinite(mlp_params(net)[k]) != 0;
                diverged++;
                break;
            }
            if (rc != MLP_OK) {
                fprintf(stderr, "  random sequence %d op %d: rc %d (act %d pair %d ns %d n %d opt %d loss %g)\n",
                        it, op, rc, act, pair, ns, n, opt, l);
                ok = 0;
            }
            /* the output of a batch's row equals that row's output alone */
            if (mlp_forward(net, X, n) != MLP_OK) {
                fprintf(stderr, "  random sequence %d op %d: forward failed\n", it, op);
                ok = 0;
            }
            const float *o = mlp_output(net);
            memcpy(row, o + (size_t)(n - 1) * q, sizeof(float) * q);
            int finite = 1;
            for (int j = 0; j < q; j++) finite &= isfinite(row[j]) != 0;
            if (!finite) { /* diverging (huge but finite params), not an error */
                diverged++;
                break;
            }
            if (mlp_forward(net, X + (size_t)(n - 1) * d, 1) != MLP_OK ||
                memcmp(row, mlp_output(net), sizeof(float) * q) != 0) {
                fprintf(stderr, "  random sequence %d op %d: row %d differs alone\n", it, op, n - 1);
                ok = 0;
            }
            for (int h = 1; h < ns - 1; h++) ok &= mlp_hidden(net, h) != NULL;
        }
        mlp_free(net);
    }
    printf("random call sequences: 300 nets, %d diverged\n", diverged);
    CHECK(ok, "random call sequences");
    CHECK(diverged < 15, "random call sequences: %d of 300 diverged at lr 0.003", diverged);
}

/* ---- 10,000 create/free cycles (ASan's leak check runs at exit) ----------- */
static void test_cycles(void) {
    const int32_t s[4] = {2, 8, 8, 1};
    float X[2 * 16], Y[16], l;
    CHECK(data_make(X, Y, DATA_XOR, 16, 0.2f, 1) == MLP_OK, "data");
    int ok = 1;
    for (int i = 0; i < 10000; i++) {
        mlp *net = mlp_create(s, 4, i % ACT_COUNT, OUT_SIGMOID, LOSS_BCE, i % 2, 0.1f, 1, (uint32_t)i);
        if (!net) {
            ok = 0;
            break;
        }
        if (mlp_forward(net, X, 1 + i % 16) != MLP_OK) ok = 0;
        if (i % 10 == 0 && mlp_train_epoch(net, &l, X, Y, 16, 4, 1, OPT_ADAM, 0.01f, 0) != MLP_OK) ok = 0;
        mlp_free(net);
    }
    CHECK(ok, "10,000 create/free cycles");
}

int main(void) {
    pcg32_seed(&trng, 12345, 999);
    test_pcg32();
    test_dense();
    test_gradients();
    test_forward();
    test_optimizers();
    test_optimizer_switch();
    test_overshoot();
    test_trace();
    test_nonfinite();
    test_create_errors();
    test_labels();
    test_evaluate();
    test_determinism();
    test_epoch();
    train_to(DATA_XOR, 1, OUT_SIGMOID, LOSS_BCE, 0.95f);
    train_to(DATA_CIRCLE, 1, OUT_SIGMOID, LOSS_BCE, 0.95f);
    train_to(DATA_BLOBS, 3, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, 0.95f);
    test_random_sequences();
    test_cycles();
    return check_done("test_mlp");
}
