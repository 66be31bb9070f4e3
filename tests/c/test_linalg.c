/* test_linalg.c: the affine product of a layer stack (affine.c) and the
 * singular values and rank (linalg.c), natively under ASan and UBSan.
 *
 * Singular values are checked against what they must be: known ones for
 * built matrices (diagonal, orthogonal times diagonal times orthogonal, outer
 * products), and for random ones the invariants sum s_i^2 = ||A||_F^2 and
 * (square A) prod s_i = |det A| (by Gaussian elimination in float64).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout.h"
#include "mlp_lab.h"
#include "rng.h"

static pcg32 trng;
static double urand(double a, double b) { return a + (b - a) * pcg32_float(&trng); }

static int rank_of(double *sv, const double *A, int m, int n) { return linalg_rank(sv, A, m, n, 1e-5); }

/* A random orthogonal (n, n): Gram-Schmidt of random columns, twice. */
static void orthogonal(double *Q, int n) {
    for (int i = 0; i < n * n; i++) Q[i] = urand(-1, 1);
    for (int pass = 0; pass < 2; pass++)
        for (int c = 0; c < n; c++) {
            for (int p = 0; p < c; p++) {
                double d = 0;
                for (int r = 0; r < n; r++) d += Q[r * n + c] * Q[r * n + p];
                for (int r = 0; r < n; r++) Q[r * n + c] -= d * Q[r * n + p];
            }
            double s = 0;
            for (int r = 0; r < n; r++) s += Q[r * n + c] * Q[r * n + c];
            for (int r = 0; r < n; r++) Q[r * n + c] /= sqrt(s);
        }
}

/* A (m, n) = U (m, m) diag(s) V^T (n, n), s (min(m, n)). */
static void with_singular_values(double *A, const double *s, int m, int n) {
    double *U = malloc(sizeof(double) * m * m), *V = malloc(sizeof(double) * n * n);
    orthogonal(U, m);
    orthogonal(V, n);
    const int k = m < n ? m : n;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double a = 0;
            for (int t = 0; t < k; t++) a += U[i * m + t] * s[t] * V[j * n + t];
            A[i * n + j] = a;
        }
    free(U);
    free(V);
}

static double det_abs(const double *A0, int n) {
    double *A = malloc(sizeof(double) * n * n);
    memcpy(A, A0, sizeof(double) * n * n);
    double det = 1;
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(A[r * n + c]) > fabs(A[p * n + c])) p = r;
        if (A[p * n + c] == 0) { free(A); return 0; }
        for (int j = 0; j < n; j++) { const double t = A[c * n + j]; A[c * n + j] = A[p * n + j]; A[p * n + j] = t; }
        det *= A[c * n + c];
        for (int r = c + 1; r < n; r++) {
            const double f = A[r * n + c] / A[c * n + c];
            for (int j = c; j < n; j++) A[r * n + j] -= f * A[c * n + j];
        }
    }
    free(A);
    return fabs(det);
}

static void test_known(void) {
    double sv[8];
    /* diagonal, shuffled: sorted singular values, rank by the 1e-5 threshold */
    double D[9] = {0, 0, 2e-6, 0, 3, 0, -1, 0, 0};
    CHECK(rank_of(sv, D, 3, 3) == 2, "diag(3, 1, 2e-6): rank %d", rank_of(sv, D, 3, 3));
    CHECK(fabs(sv[0] - 3) < 1e-15 && fabs(sv[1] - 1) < 1e-15 && fabs(sv[2] - 2e-6) < 1e-20, "diag: %g %g %g", sv[0], sv[1], sv[2]);
    D[2] = 4e-5; /* above 1e-5 of the largest */
    CHECK(rank_of(sv, D, 3, 3) == 3, "diag(3, 1, 4e-5): rank 3");
    /* zero: rank 0, singular values 0 */
    double Z[6] = {0};
    sv[0] = sv[1] = 7;
    CHECK(rank_of(sv, Z, 2, 3) == 0 && sv[0] == 0 && sv[1] == 0, "zero: rank 0");
    /* the 2-1-3 bottleneck: an outer product u v^T, rank 1, s = |u| |v| */
    double O[6] = {3, -1, 2, 6, -2, 4};
    CHECK(rank_of(sv, O, 2, 3) == 1, "outer product 2 x 3: rank 1");
    CHECK(fabs(sv[0] - sqrt(5.0) * sqrt(14.0)) < 1e-14 && sv[1] < 1e-14, "outer product: s = %.17g, %g", sv[0], sv[1]);
    double OT[6] = {3, 6, -1, -2, 2, 4}; /* its transpose: the tall path */
    CHECK(rank_of(sv, OT, 3, 2) == 1 && fabs(sv[0] - sqrt(70.0)) < 1e-14, "outer product 3 x 2");
    /* 1 x 1, 1 x n, n x 1 */
    double one[1] = {-2.5};
    CHECK(rank_of(sv, one, 1, 1) == 1 && sv[0] == 2.5, "1 x 1");
    double row[4] = {1, 2, 2, 4};
    CHECK(rank_of(sv, row, 1, 4) == 1 && fabs(sv[0] - 5) < 1e-15, "1 x 4: s %g", sv[0]);
    CHECK(rank_of(sv, row, 4, 1) == 1 && fabs(sv[0] - 5) < 1e-15, "4 x 1");
    /* scale does not matter: subnormal and huge entries */
    double tiny[4] = {1e-310, 0, 0, 3e-310}, huge[4] = {1e300, 0, 0, -1e300};
    CHECK(rank_of(sv, tiny, 2, 2) == 2 && fabs(sv[0] / 3e-310 - 1) < 1e-6, "subnormal: rank 2, s0 %g", sv[0]);
    CHECK(rank_of(sv, huge, 2, 2) == 2 && fabs(sv[0] / 1e300 - 1) < 1e-15, "1e300: rank 2");
    /* sv may be NULL */
    CHECK(rank_of(NULL, O, 2, 3) == 1, "NULL sv");
}

static void test_random(void) {
    static const int shapes[][2] = {{2, 2}, {3, 5}, {5, 3}, {8, 8}, {17, 4}, {4, 17}, {32, 32}, {64, 48}};
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        const int m = shapes[t][0], n = shapes[t][1], k = m < n ? m : n;
        double *A = malloc(sizeof(double) * m * n), *sv = malloc(sizeof(double) * k), *s = malloc(sizeof(double) * k);
        /* known singular values, some 1e-9 or 0 (below 1e-5 of the largest,
         * at least 0.5): rank = how many are not */
        for (int r = 1; r <= k; r += (k > 4 ? k / 4 : 1)) {
            for (int i = 0; i < k; i++) s[i] = i < r ? urand(0.5, 4) : (i % 2 ? 0.0 : 1e-9);
            for (int i = 0; i < k; i++) /* decreasing */
                for (int j = i + 1; j < k; j++)
                    if (s[j] > s[i]) { const double x = s[i]; s[i] = s[j]; s[j] = x; }
            with_singular_values(A, s, m, n);
            const int got = rank_of(sv, A, m, n);
            CHECK(got == r, "%dx%d with %d singular values above 0: rank %d", m, n, r, got);
            for (int i = 0; i < k; i++)
                CHECK(fabs(sv[i] - s[i]) <= 1e-13 * (s[0] + 1), "%dx%d: s[%d] = %.17g, want %.17g", m, n, i, sv[i], s[i]);
        }
        /* random entries: Frobenius norm, determinant */
        for (int i = 0; i < m * n; i++) A[i] = urand(-1, 1);
        CHECK(rank_of(sv, A, m, n) == k, "random %dx%d: full rank", m, n);
        double fro = 0, ss = 0, prod = 1;
        for (int i = 0; i < m * n; i++) fro += A[i] * A[i];
        for (int i = 0; i < k; i++) {
            ss += sv[i] * sv[i];
            prod *= sv[i];
            if (i) CHECK(sv[i] <= sv[i - 1], "decreasing");
        }
        CHECK(fabs(ss - fro) <= 1e-13 * fro, "%dx%d: sum s^2 %.17g, ||A||_F^2 %.17g", m, n, ss, fro);
        if (m == n) {
            const double det = det_abs(A, n);
            CHECK(fabs(prod - det) <= 1e-11 * det, "%dx%d: prod s %.17g, |det| %.17g", m, n, prod, det);
        }
        free(A); free(sv); free(s);
    }
}

static void test_rank_errors(void) {
    double A[4] = {1, 2, 3, 4}, sv[2];
    CHECK(linalg_rank(sv, NULL, 2, 2, 1e-5) == MLP_ERR_ARG, "NULL A");
    CHECK(linalg_rank(sv, A, 0, 2, 1e-5) == MLP_ERR_ARG, "m 0");
    CHECK(linalg_rank(sv, A, 2, -1, 1e-5) == MLP_ERR_ARG, "n -1");
    CHECK(linalg_rank(sv, A, 4097, 1, 1e-5) == MLP_ERR_ARG, "m 4097");
    CHECK(linalg_rank(sv, A, 2, 2, -1e-5) == MLP_ERR_ARG, "rtol < 0");
    CHECK(linalg_rank(sv, A, 2, 2, 1.0) == MLP_ERR_ARG, "rtol 1");
    CHECK(linalg_rank(sv, A, 2, 2, NAN) == MLP_ERR_ARG, "rtol NaN");
    A[3] = NAN;
    CHECK(linalg_rank(sv, A, 2, 2, 1e-5) == MLP_ERR_NONFINITE, "NaN in A");
    A[3] = INFINITY;
    CHECK(linalg_rank(sv, A, 2, 2, 1e-5) == MLP_ERR_NONFINITE, "Inf in A");
}

/* ---- affine_product ----------------------------------------------------------- */

static void test_affine(void) {
    /* 2-1-3 by hand: W0 = [1; 2], b0 = 0.5, W1 = [3 -1 2], b1 = [1 2 3] */
    const int32_t s[] = {2, 1, 3};
    const float p[] = {1, 2, 0.5f, 3, -1, 2, 1, 2, 3};
    double W[6], b[3];
    CHECK(affine_product(W, b, p, s, 3) == MLP_OK, "2-1-3 rc");
    const double wantW[6] = {3, -1, 2, 6, -2, 4}, wantb[3] = {2.5, 1.5, 4};
    CHECK(memcmp(W, wantW, sizeof W) == 0 && memcmp(b, wantb, sizeof b) == 0, "2-1-3: W %g %g %g %g %g %g, b %g %g %g",
          W[0], W[1], W[2], W[3], W[4], W[5], b[0], b[1], b[2]);
    double sv[2];
    CHECK(rank_of(sv, W, 2, 3) == 1, "2-1-3 collapsed: rank 1");
    /* no hidden layer: W_0 and b_0 themselves */
    const int32_t s1[] = {2, 3};
    CHECK(affine_product(W, b, p, s1, 2) == MLP_OK && W[0] == 1 && W[5] == 2 && b[0] == 1 && b[2] == 3, "one layer");
    /* random stacks against a float64 evaluation: x W + b = the layers applied to x */
    static const int32_t nets[][6] = {{3, 5, 4, 2}, {1, 7, 1}, {4, 4, 4, 4, 4, 4}, {2, 16, 1, 16, 3}};
    static const int ns[] = {4, 3, 6, 5};
    for (int t = 0; t < 4; t++) {
        const int32_t *sz = nets[t];
        const int n = ns[t], d = sz[0], q = sz[n - 1], P = layout_count(sz, n);
        float *pr = malloc(sizeof(float) * P);
        for (int i = 0; i < P; i++) pr[i] = (float)urand(-1, 1);
        double *Wc = malloc(sizeof(double) * d * q), *bc = malloc(sizeof(double) * q);
        CHECK(affine_product(Wc, bc, pr, sz, n) == MLP_OK, "net %d rc", t);
        int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
        layout_offsets(w_off, b_off, sz, n);
        for (int trial = 0; trial < 5; trial++) {
            double h[32], z[32];
            for (int i = 0; i < d; i++) h[i] = urand(-2, 2);
            double want[16];
            for (int j = 0; j < q; j++) {
                want[j] = bc[j];
                for (int i = 0; i < d; i++) want[j] += h[i] * Wc[i * q + j];
            }
            for (int l = 0; l < n - 1; l++) {
                for (int j = 0; j < sz[l + 1]; j++) {
                    z[j] = pr[b_off[l] + j];
                    for (int i = 0; i < sz[l]; i++) z[j] += h[i] * pr[w_off[l] + i * sz[l + 1] + j];
                }
                memcpy(h, z, sizeof(double) * sz[l + 1]);
            }
            for (int j = 0; j < q; j++) CHECK(fabs(h[j] - want[j]) <= 1e-13 * (1 + fabs(want[j])), "net %d: layers %.17g, x W + b %.17g", t, h[j], want[j]);
        }
        free(pr); free(Wc); free(bc);
    }
    /* errors */
    const int32_t bad[] = {2, 0, 3};
    CHECK(affine_product(W, b, p, bad, 3) == MLP_ERR_ARG, "width 0");
    CHECK(affine_product(NULL, b, p, s, 3) == MLP_ERR_ARG, "NULL W");
    CHECK(affine_product(W, NULL, p, s, 3) == MLP_ERR_ARG, "NULL b");
    CHECK(affine_product(W, b, NULL, s, 3) == MLP_ERR_ARG, "NULL params");
    /* finite float32 parameters cannot overflow float64 (|W| <= (256 FLT_MAX)^7);
     * an infinite one (only a C caller can pass one) is reported */
    const int32_t deep[] = {1, 1, 1, 1, 1, 1, 1, 1};
    float big[14];
    for (int i = 0; i < 14; i++) big[i] = FLT_MAX;
    double Wd[1], bd[1];
    CHECK(affine_product(Wd, bd, big, deep, 8) == MLP_OK && Wd[0] > 1e269, "FLT_MAX^7 = %g", Wd[0]);
    big[5] = INFINITY;
    CHECK(affine_product(Wd, bd, big, deep, 8) == MLP_ERR_NONFINITE, "an Inf parameter");
}

int main(void) {
    pcg32_seed(&trng, 2718, 31);
    test_known();
    test_random();
    test_rank_errors();
    test_affine();
    return check_done("test_linalg");
}
