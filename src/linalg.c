/* linalg.c: singular values and numerical rank (mlp_lab.h, linalg_rank),
 * for exercise 1b: the rank of a collapsed linear network.
 *
 * One-sided Jacobi SVD (Hestenes 1958; the convergence test and the
 * rotation of Demmel & Veselic, "Jacobi's method is more accurate than QR",
 * 1992): the k = min(m, n) columns of A (of A^T when m < n), scaled by the
 * largest |a_ij|, are rotated in pairs until every pair is orthogonal to
 * working precision, |a_p . a_q| <= EPS ||a_p|| ||a_q||; the singular values
 * are then the columns' norms. Each sweep visits every pair once; it
 * converges quadratically, and a sweep with no rotation ends it (at most
 * MAX_SWEEPS). Float64 throughout; the columns are stored contiguously.
 * Singular values are accurate to about 1e-15 of the largest (a backward-
 * stable method), far below the rank threshold callers use (1e-5).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "mlp_lab.h"

#define EPS 1e-15       /* columns this orthogonal (relatively) are left alone */
#define MAX_SWEEPS 60   /* quadratic convergence takes ~10 for n = 256          */
#define MAX_DIM 4096

MLP_COLD static double dot(const double *x, const double *y, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

/* Singular values of the k columns of U (k, len), in place: U's columns
 * become orthogonal; sv (k) their norms, unsorted. */
MLP_COLD static void jacobi_svd_values(double *sv, double *U, int k, int len) {
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        int rotated = 0;
        for (int p = 0; p < k - 1; p++) {
            double *up = U + (size_t)p * len; /* (len) column p */
            for (int q = p + 1; q < k; q++) {
                double *uq = U + (size_t)q * len; /* (len) column q */
                const double alpha = dot(up, up, len), beta = dot(uq, uq, len);
                const double gamma = dot(up, uq, len);
                if (fabs(gamma) <= EPS * sqrt(alpha) * sqrt(beta)) continue; /* also gamma == 0 */
                rotated = 1;
                /* the rotation that zeroes the (p, q) entry of U^T U */
                const double zeta = (beta - alpha) / (2.0 * gamma);
                const double t = (zeta >= 0.0 ? 1.0 : -1.0) / (fabs(zeta) + sqrt(1.0 + zeta * zeta));
                const double c = 1.0 / sqrt(1.0 + t * t), s = c * t;
                for (int r = 0; r < len; r++) {
                    const double x = up[r], y = uq[r];
                    up[r] = c * x - s * y;
                    uq[r] = s * x + c * y;
                }
            }
        }
        if (!rotated) break;
    }
    for (int c = 0; c < k; c++) sv[c] = sqrt(dot(U + (size_t)c * len, U + (size_t)c * len, len));
}

MLP_COLD int linalg_rank(double *sv, const double *A, int m, int n, double rtol) {
    if (!A || m < 1 || n < 1 || m > MAX_DIM || n > MAX_DIM || !(rtol >= 0.0 && rtol < 1.0))
        return MLP_ERR_ARG;
    double amax = 0.0;
    for (size_t i = 0; i < (size_t)m * n; i++) {
        if (!isfinite(A[i])) return MLP_ERR_NONFINITE;
        amax = fmax(amax, fabs(A[i]));
    }
    const int k = m < n ? m : n, len = m < n ? n : m;
    if (amax == 0.0) {
        if (sv)
            for (int c = 0; c < k; c++) sv[c] = 0.0;
        return 0;
    }
    double *U = malloc(((size_t)k * len + (size_t)k) * sizeof(double)); /* (k, len) then (k) */
    if (!U) return MLP_ERR_NOMEM;
    double *s = U + (size_t)k * len; /* (k) */
    /* column c of A (m >= n), or row c of A as a column of A^T (m < n), over
     * amax (a division: 1 / amax overflows for a subnormal amax) */
    for (int c = 0; c < k; c++)
        for (int r = 0; r < len; r++)
            U[(size_t)c * len + r] = (m >= n ? A[(size_t)r * n + c] : A[(size_t)c * n + r]) / amax;
    jacobi_svd_values(s, U, k, len);
    for (int i = 1; i < k; i++) { /* insertion sort, decreasing */
        const double v = s[i];
        int j = i - 1;
        for (; j >= 0 && s[j] < v; j--) s[j + 1] = s[j];
        s[j + 1] = v;
    }
    int rank = 0;
    for (int c = 0; c < k; c++) rank += s[c] > rtol * s[0];
    if (sv)
        for (int c = 0; c < k; c++) sv[c] = s[c] * amax;
    free(U);
    return rank;
}
