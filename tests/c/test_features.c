/* test_features.c: input features (features.c) and networks that expand
 * their inputs (mlp_set_features), natively under ASan and UBSan (make
 * test-c). Every failed check is printed and the process exits 1.
 *
 * - features_check / features_make refuse bad ids, duplicates, x2 on 1-D
 *   data, bad k, d, n and NULLs, writing nothing;
 * - every feature against double libm: x exact, products = the double
 *   product rounded, sin within 1e-6 + 1e-5 |ref| on random, huge and edge
 *   inputs (the reduction for |x| >= 2^25 too);
 * - a network with features computes the bits of a plain network fed the
 *   expanded inputs: forward, hidden, gradients, step, train_epoch (shuffled
 *   mini-batches), evaluate; mlp_set_features refuses bad lists leaving the
 *   network working, and k = 0 goes back to raw inputs.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mlp_lab.h"

static uint32_t lcg = 12345u;
static float uniform(float lo, float hi) {
    lcg = lcg * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)(lcg >> 8) * 0x1p-24f;
}
static float any_float(void) { /* a random finite float of any magnitude */
    for (;;) {
        lcg = lcg * 1664525u + 1013904223u;
        uint32_t u = lcg ^ (lcg >> 16) * 2654435761u;
        float f;
        memcpy(&f, &u, sizeof f);
        if (isfinite(f)) return f;
    }
}

static void test_bad_lists(void) {
    float X[4] = {1, 2, 3, 4}, out[16];
    const int32_t ok[2] = {FEAT_X1SQ, FEAT_SIN2};
    CHECK(features_check(ok, 2, 2) == MLP_OK, "a good list");
    const int32_t dup[3] = {FEAT_X1, FEAT_SIN1, FEAT_X1}, bad[2] = {FEAT_X1, FEAT_COUNT}, neg[1] = {-1};
    const int32_t all[FEAT_COUNT + 1] = {0, 1, 2, 3, 4, 5, 6, 0};
    CHECK(features_check(dup, 3, 2) == MLP_ERR_ARG, "duplicate");
    CHECK(features_check(bad, 2, 2) == MLP_ERR_ARG && features_check(neg, 1, 2) == MLP_ERR_ARG, "bad id");
    CHECK(features_check(all, FEAT_COUNT, 2) == MLP_OK, "all seven");
    CHECK(features_check(all, FEAT_COUNT + 1, 2) == MLP_ERR_ARG, "eight");
    CHECK(features_check(ok, 0, 2) == MLP_ERR_ARG && features_check(NULL, 1, 2) == MLP_ERR_ARG, "k 0, NULL");
    CHECK(features_check(ok, 2, 0) == MLP_ERR_ARG && features_check(ok, 2, 3) == MLP_ERR_ARG, "d 0, 3");
    for (int id = 0; id < FEAT_COUNT; id++) {
        const int32_t one[1] = {id};
        const int x2 = id == FEAT_X2 || id == FEAT_X2SQ || id == FEAT_X1X2 || id == FEAT_SIN2;
        CHECK(features_check(one, 1, 1) == (x2 ? MLP_ERR_ARG : MLP_OK), "feature %d on 1-D data", id);
    }
    for (int i = 0; i < 16; i++) out[i] = -7.0f;
    CHECK(features_make(out, X, 2, 2, dup, 3) == MLP_ERR_ARG, "make: duplicate");
    CHECK(features_make(out, X, -1, 2, ok, 2) == MLP_ERR_ARG, "make: n < 0");
    CHECK(features_make(NULL, X, 2, 2, ok, 2) == MLP_ERR_ARG && features_make(out, NULL, 2, 2, ok, 2) == MLP_ERR_ARG,
          "make: NULL");
    CHECK(features_make_ref(out, X, 2, 1, ok, 2) == MLP_ERR_ARG, "make_ref: sin2 on 1-D data");
    int untouched = 1;
    for (int i = 0; i < 16; i++) untouched &= out[i] == -7.0f;
    CHECK(untouched, "refused calls wrote nothing");
    CHECK(features_make(NULL, NULL, 0, 2, ok, 2) == MLP_OK, "n = 0 is nothing to do");
}

/* x exact, products the double product rounded, sin to the allclose bound
 * against double libm; the kernel and the reference agree bit for bit
 * natively (both are the reference) and on 1-D data. */
static void test_values(void) {
    enum { N = 200003 };
    float *X = malloc(sizeof(float) * 2 * N), *out = malloc(sizeof(float) * FEAT_COUNT * N);
    float *ref = malloc(sizeof(float) * FEAT_COUNT * N);
    static const float EDGE[] = {0.0f, -0.0f, 1e-45f, FLT_MIN, 1e-7f, 1.5707964f, 3.1415927f, 8192.0f, 8192.0005f,
                                 33554432.0f, 33554430.0f, 1e10f, 1e19f, 1e30f, FLT_MAX, -FLT_MAX};
    const int n_edge = (int)(sizeof EDGE / sizeof EDGE[0]);
    for (int i = 0; i < N; i++) {
        for (int c = 0; c < 2; c++) {
            float v = i < 2 * n_edge ? EDGE[(i + c) % n_edge] * (i % 2 ? -1.0f : 1.0f)
                      : i % 3 == 0 ? any_float() : i % 3 == 1 ? uniform(-10, 10) : uniform(-1e4f, 1e4f);
            X[2 * i + c] = v;
        }
    }
    const int32_t ids[FEAT_COUNT] = {FEAT_SIN2, FEAT_X1, FEAT_X1X2, FEAT_X2, FEAT_X1SQ, FEAT_SIN1, FEAT_X2SQ};
    CHECK(features_make(out, X, N, 2, ids, FEAT_COUNT) == MLP_OK, "make");
    CHECK(features_make_ref(ref, X, N, 2, ids, FEAT_COUNT) == MLP_OK, "make_ref");
    CHECK(memcmp(out, ref, sizeof(float) * FEAT_COUNT * N) == 0, "kernel == reference");
    int bad = 0;
    double worst = 0;
    for (int i = 0; i < N; i++) {
        const double a = X[2 * i], b = X[2 * i + 1];
        for (int j = 0; j < FEAT_COUNT; j++) {
            const float g = out[i * FEAT_COUNT + j];
            double want;
            switch (ids[j]) {
            case FEAT_X1: want = a; break;
            case FEAT_X2: want = b; break;
            case FEAT_X1SQ: want = (float)(a * a); break;
            case FEAT_X2SQ: want = (float)(b * b); break;
            case FEAT_X1X2: want = (float)(a * b); break;
            case FEAT_SIN1: want = sin(a); break;
            default: want = sin(b); break;
            }
            const int is_sin = ids[j] == FEAT_SIN1 || ids[j] == FEAT_SIN2;
            const int ok = is_sin ? fabs(g - want) <= 1e-6 + 1e-5 * fabs(want) : (g == want || (isinf(g) && isinf(want)));
            if (is_sin && fabs(g - want) > worst) worst = fabs(g - want);
            if (!ok && bad++ < 5) fprintf(stderr, "feature %d of (%.9g, %.9g): %.9g, want %.17g\n", ids[j], a, b, g, want);
        }
    }
    CHECK(bad == 0, "%d values off", bad);
    CHECK(worst > 0 && worst < 1e-6, "sin: worst error %g", worst);
    /* signs of zero */
    const float z[2] = {-0.0f, 0.0f};
    const int32_t s[2] = {FEAT_SIN1, FEAT_SIN2};
    float zo[2];
    features_make(zo, z, 1, 2, s, 2);
    CHECK(signbit(zo[0]) && zo[0] == 0.0f && !signbit(zo[1]) && zo[1] == 0.0f, "sin(-0) = -0, sin(0) = 0");
    /* 1-D data: the first column of the 2-D rows */
    float *x1 = malloc(sizeof(float) * N);
    for (int i = 0; i < N; i++) x1[i] = X[2 * i];
    const int32_t one[3] = {FEAT_SIN1, FEAT_X1SQ, FEAT_X1};
    CHECK(features_make(out, x1, N, 1, one, 3) == MLP_OK, "make 1-D");
    int same = 1;
    for (int i = 0; i < N && same; i++)
        same = memcmp(out + 3 * i, (float[3]){ref[i * FEAT_COUNT + 5], ref[i * FEAT_COUNT + 4], ref[i * FEAT_COUNT + 1]},
                      sizeof(float) * 3) == 0;
    CHECK(same, "1-D rows give the same features as the 2-D rows' x1");
    free(x1);
    free(X);
    free(out);
    free(ref);
}

/* ---- networks ----------------------------------------------------------------- */

static mlp *make(int d0, uint32_t seed) {
    const int32_t sizes[4] = {d0, 6, 5, 3};
    return mlp_create(sizes, 4, ACT_TANH, OUT_SOFTMAX, LOSS_CROSS_ENTROPY, INIT_XAVIER, 0.25f, 1.0f, seed);
}

static int same_floats(const float *a, const float *b, int n) { return memcmp(a, b, sizeof(float) * (size_t)n) == 0; }

static void test_networks(void) {
    enum { N = 41 };
    const int32_t ids[4] = {FEAT_X1X2, FEAT_SIN1, FEAT_X2SQ, FEAT_X1};
    const int k = 4;
    static float X[2 * N], F[4 * N], Y[N];
    for (int i = 0; i < N; i++) {
        X[2 * i] = uniform(-3, 3);
        X[2 * i + 1] = uniform(-3, 3);
        Y[i] = (float)(i % 3);
    }
    features_make_ref(F, X, N, 2, ids, k);
    mlp *a = make(k, 7), *b = make(k, 7);
    CHECK(a && b, "create");
    CHECK(mlp_set_features(a, ids, k, 2) == MLP_OK, "set features");
    const int P = mlp_num_params(a);
    CHECK(mlp_forward(a, X, N) == MLP_OK && mlp_forward(b, F, N) == MLP_OK, "forward");
    CHECK(same_floats(mlp_output(a), mlp_output(b), 3 * N), "forward: same outputs");
    CHECK(same_floats(mlp_hidden(a, 1), mlp_hidden(b, 1), 6 * N), "forward: same hidden layer");
    float la, lb;
    CHECK(mlp_gradients(a, &la, X, Y, N) == MLP_OK && mlp_gradients(b, &lb, F, Y, N) == MLP_OK, "gradients");
    CHECK(la == lb && same_floats(mlp_grads(a), mlp_grads(b), P), "gradients: same loss and bits");
    for (int s = 0; s < 3; s++) {
        CHECK(mlp_step(a, &la, X, Y, N, OPT_ADAM, 0.05f, 1e-3f) == MLP_OK && mlp_step(b, &lb, F, Y, N, OPT_ADAM, 0.05f, 1e-3f) == MLP_OK,
              "step");
        CHECK(la == lb && same_floats(mlp_params(a), mlp_params(b), P), "step %d: same parameters", s);
    }
    for (int e = 0; e < 4; e++) { /* shuffled batches of 6: gathered raw, expanded in C */
        CHECK(mlp_train_epoch(a, &la, X, Y, N, 6, 1, OPT_MOMENTUM, 0.02f, 0.0f) == MLP_OK &&
                  mlp_train_epoch(b, &lb, F, Y, N, 6, 1, OPT_MOMENTUM, 0.02f, 0.0f) == MLP_OK,
              "epoch");
        CHECK(la == lb && same_floats(mlp_params(a), mlp_params(b), P), "epoch %d: same parameters", e);
    }
    int32_t ca, cb;
    CHECK(mlp_evaluate(a, &la, &ca, X, Y, N) == MLP_OK && mlp_evaluate(b, &lb, &cb, F, Y, N) == MLP_OK, "evaluate");
    CHECK(la == lb && ca == cb, "evaluate: same loss and count");
    /* a larger batch grows the activations block, F with it */
    enum { M = 700 };
    static float XM[2 * M], FM[4 * M];
    for (int i = 0; i < 2 * M; i++) XM[i] = uniform(-6, 6);
    features_make_ref(FM, XM, M, 2, ids, k);
    CHECK(mlp_forward(a, XM, M) == MLP_OK && mlp_forward(b, FM, M) == MLP_OK &&
              same_floats(mlp_output(a), mlp_output(b), 3 * M),
          "a larger batch");

    /* refused lists leave the network as it was */
    const int32_t dup[4] = {FEAT_X1, FEAT_X1, FEAT_X2, FEAT_SIN1}, three[3] = {FEAT_X1, FEAT_X2, FEAT_SIN1};
    CHECK(mlp_set_features(a, dup, 4, 2) == MLP_ERR_ARG, "duplicate refused");
    CHECK(mlp_set_features(a, three, 3, 2) == MLP_ERR_ARG, "k != sizes[0] refused");
    CHECK(mlp_set_features(a, ids, 4, 1) == MLP_ERR_ARG, "x2 features on 1-D data refused");
    CHECK(mlp_set_features(NULL, ids, 4, 2) == MLP_ERR_ARG, "NULL network");
    CHECK(mlp_forward(a, X, N) == MLP_OK && mlp_forward(b, F, N) == MLP_OK &&
              same_floats(mlp_output(a), mlp_output(b), 3 * N),
          "still the same network after refused lists");
    /* k = 0: raw inputs again (sizes[0] = 4 columns) */
    CHECK(mlp_set_features(a, NULL, 0, 0) == MLP_OK, "back to raw inputs");
    CHECK(mlp_output(a) == NULL, "the last forward is forgotten");
    CHECK(mlp_forward(a, F, N) == MLP_OK && mlp_forward(b, F, N) == MLP_OK &&
              same_floats(mlp_output(a), mlp_output(b), 3 * N),
          "raw inputs after k = 0");
    mlp_free(a);
    mlp_free(b);

    /* 1-D: inputs d = 1, features x1, x1^2, sin x1 */
    const int32_t ids1[3] = {FEAT_X1, FEAT_X1SQ, FEAT_SIN1};
    float x[N], F1[3 * N];
    for (int i = 0; i < N; i++) x[i] = X[2 * i];
    features_make_ref(F1, x, N, 1, ids1, 3);
    mlp *c = make(3, 9), *e = make(3, 9);
    CHECK(mlp_set_features(c, ids1, 3, 1) == MLP_OK, "1-D features");
    CHECK(mlp_train_epoch(c, &la, x, Y, N, 8, 1, OPT_SGD, 0.1f, 0.0f) == MLP_OK &&
              mlp_train_epoch(e, &lb, F1, Y, N, 8, 1, OPT_SGD, 0.1f, 0.0f) == MLP_OK &&
              la == lb && same_floats(mlp_params(c), mlp_params(e), mlp_num_params(c)),
          "1-D: the same epoch");
    mlp_free(c);
    mlp_free(e);
}

int main(void) {
    test_bad_lists();
    test_values();
    test_networks();
    return check_done("test_features");
}
