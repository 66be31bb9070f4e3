/* test_stats.c: batch normalisation (batchnorm.c) and principal directions
 * (pca.c), natively under ASan and UBSan: statistics and outputs against a
 * float64 computation, a batch of one, in-place calls, statuses; PCA of a
 * diagonal covariance and the eigen-equation on random data. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "rng.h"
#include "stats.h"

static pcg32 trng;
static double urand(double a, double b) { return a + (b - a) * pcg32_float(&trng); }

static void test_batchnorm(void) {
    for (int w = 1; w <= 9; w++)
        for (int n = 1; n <= 17; n += 4) {
            float *Z = malloc(sizeof(float) * n * w), *out = malloc(sizeof(float) * n * w);
            double *mean = malloc(sizeof(double) * w), *var = malloc(sizeof(double) * w);
            for (int i = 0; i < n * w; i++) Z[i] = (float)urand(-5, 5);
            CHECK(batchnorm_forward(out, mean, var, Z, n, w, 1e-5) == MLP_OK, "status");
            for (int j = 0; j < w; j++) {
                double s = 0, q = 0;
                for (int i = 0; i < n; i++) s += Z[i * w + j];
                const double m = s / n;
                for (int i = 0; i < n; i++) q += (Z[i * w + j] - m) * (Z[i * w + j] - m);
                const double v = q / n;
                CHECK(fabs(mean[j] - m) <= 1e-12 * (1 + fabs(m)), "mean w %d n %d", w, n);
                CHECK(fabs(var[j] - v) <= 1e-12 * (1 + v), "var w %d n %d", w, n);
                for (int i = 0; i < n; i++) {
                    const double want = (Z[i * w + j] - m) / sqrt(v + 1e-5);
                    CHECK(fabs(out[i * w + j] - want) <= 1e-7 * fabs(want) + 1e-12, "out w %d n %d", w, n);
                    if (n == 1) CHECK(out[i * w + j] == 0.0f, "a batch of one gives 0");
                }
            }
            /* in place, without statistics */
            CHECK(batchnorm_forward(Z, NULL, NULL, Z, n, w, 1e-5) == MLP_OK, "in place");
            for (int i = 0; i < n * w; i++) CHECK(Z[i] == out[i], "in place equals out of place");
            free(Z); free(out); free(mean); free(var);
        }
    float z[2] = {1, NAN}, o[2] = {7, 7};
    CHECK(batchnorm_forward(o, NULL, NULL, z, 2, 1, 1e-5) == MLP_ERR_NONFINITE, "NaN refused");
    CHECK(o[0] == 7 && o[1] == 7, "nothing written");
    CHECK(batchnorm_forward(o, NULL, NULL, z, 0, 1, 1e-5) == MLP_ERR_ARG, "n = 0");
    CHECK(batchnorm_forward(o, NULL, NULL, z, 1, 0, 1e-5) == MLP_ERR_ARG, "w = 0");
    CHECK(batchnorm_forward(o, NULL, NULL, z, 1, 257, 1e-5) == MLP_ERR_ARG, "w = 257");
    CHECK(batchnorm_forward(o, NULL, NULL, z, 1, 1, 0.0) == MLP_ERR_ARG, "eps = 0");
    CHECK(batchnorm_forward(NULL, NULL, NULL, z, 1, 1, 1e-5) == MLP_ERR_ARG, "NULL out");
}

static void test_pca(void) {
    /* independent columns of standard deviations 3, 1, 2: directions e1, e3, e2 */
    enum { N = 4000, W = 3 };
    float *H = malloc(sizeof(float) * N * W), *proj = malloc(sizeof(float) * N * 2);
    const double sd[W] = {3, 1, 2};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < W; j++) H[i * W + j] = (float)(sd[j] * urand(-1.7320508, 1.7320508));
    double comp[2 * W], var[2], mean[W];
    CHECK(pca_fit(comp, var, mean, proj, H, N, W, 2) == MLP_OK, "status");
    CHECK(fabs(comp[0]) > 0.99 && comp[0] > 0, "first direction e1: %g %g %g", comp[0], comp[1], comp[2]);
    CHECK(fabs(comp[W + 2]) > 0.99, "second direction e3: %g %g %g", comp[3], comp[4], comp[5]);
    CHECK(fabs(var[0] - 9) < 0.6 && fabs(var[1] - 4) < 0.3, "variances %g %g", var[0], var[1]);
    /* the eigen-equation on random correlated data */
    enum { M = 60, V = 7 };
    float *G = malloc(sizeof(float) * M * V);
    for (int i = 0; i < M; i++) {
        const double t = urand(-1, 1);
        for (int j = 0; j < V; j++) G[i * V + j] = (float)(t * (j + 1) + urand(-0.3, 0.3));
    }
    double c7[V * V], v7[V], m7[V], C[V * V] = {0};
    CHECK(pca_fit(c7, v7, m7, NULL, G, M, V, V) == MLP_OK, "status 7");
    for (int i = 0; i < M; i++)
        for (int a = 0; a < V; a++)
            for (int b = 0; b < V; b++) C[a * V + b] += (G[i * V + a] - m7[a]) * (G[i * V + b] - m7[b]) / (M - 1);
    for (int c = 0; c < V; c++)
        for (int a = 0; a < V; a++) {
            double cv = 0;
            for (int b = 0; b < V; b++) cv += C[a * V + b] * c7[c * V + b];
            CHECK(fabs(cv - v7[c] * c7[c * V + a]) <= 1e-10 * v7[0], "C v = lambda v, component %d", c);
        }
    CHECK(pca_fit(c7, v7, m7, NULL, G, 1, V, 2) == MLP_ERR_ARG, "n = 1");
    CHECK(pca_fit(c7, v7, m7, NULL, G, M, V, V + 1) == MLP_ERR_ARG, "k > w");
    CHECK(pca_fit(c7, v7, m7, NULL, G, M, V, 0) == MLP_ERR_ARG, "k = 0");
    G[3] = INFINITY;
    CHECK(pca_fit(c7, v7, m7, NULL, G, M, V, 2) == MLP_ERR_NONFINITE, "Inf refused");
    free(H); free(proj); free(G);
}

int main(void) {
    pcg32_seed(&trng, 2026, 12);
    test_batchnorm();
    test_pca();
    return check_done("test_stats");
}
