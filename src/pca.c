/* pca.c: the principal directions of a batch of hidden activations (stats.h),
 * for the view of a hidden layer wider than 3 units by its first two.
 *
 * The sample covariance C = (H - mean)^T (H - mean) / (n - 1), (w, w), in
 * float64, then its eigen-decomposition by the cyclic Jacobi method (Jacobi
 * 1846; the rotation of Rutishauser, Numerical Recipes 11.1): each sweep
 * visits every off-diagonal pair (p, q) and rotates rows and columns p, q
 * by the angle that zeroes C_pq, accumulating the rotations in V. Pairs with
 * |C_pq| <= 1e-15 sqrt(|C_pp C_qq|) (or exactly 0) are skipped; a sweep that
 * rotates nothing ends it (quadratic convergence: 12 sweeps for w = 256
 * with clustered eigenvalues, at most MAX_SWEEPS). Eigenvectors are
 * orthonormal to about 1e-15 and C v = lambda v holds to ~1e-14 of the
 * largest eigenvalue (measured, tests/batchnorm.test.js; a backward-stable
 * method). Cost O(n w^2) for C plus about 6 w^3 per sweep: measured in Node
 * 20 on this 2-core machine, n = 400: w = 16 3-6 ms, w = 64 60-180 ms,
 * w = 256 3.5-5 s in wasm (0.56 s natively), so interactive views should
 * stay at a few dozen units (the warp widget's layers have at most 16).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "stats.h"

#define EPS 1e-15
#define MAX_SWEEPS 60

/* Eigenvalues (diagonal of A on return) and eigenvectors (rows of Vt) of the
 * symmetric A (w, w), in place. Each rotation updates rows p and q of A
 * (contiguous), sets the 2 x 2 block in closed form (a_pp - t a_pq,
 * a_qq + t a_pq, 0) and mirrors the rows into columns p and q: A stays
 * exactly symmetric. Vt (w, w) accumulates the rotations row-wise. */
/* The rotations of one sweep for the pairs (p, q > p); returns how many.
 * A function of its own (not inlined): V8 compiles a wasm function with its
 * baseline compiler first and swaps in optimized code only for later calls,
 * so a single long loop would run unoptimized to the end. */
__attribute__((noinline)) static int jacobi_row(double *A, double *Vt, int w, int p) {
    int rotated = 0;
    double *ap = A + (size_t)p * w, *vp = Vt + (size_t)p * w; /* (w) rows p */
    for (int q = p + 1; q < w; q++) {
        double *aq = A + (size_t)q * w, *vq = Vt + (size_t)q * w; /* (w) rows q */
        const double apq = ap[q], app = ap[p], aqq = aq[q];
        if (apq == 0.0 || fabs(apq) <= EPS * sqrt(fabs(app * aqq))) continue;
        rotated++;
        const double theta = (aqq - app) / (2.0 * apq);
        const double t = (theta >= 0.0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
        const double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
        for (int k = 0; k < w; k++) {
            const double x = ap[k], y = aq[k];
            ap[k] = c * x - s * y;
            aq[k] = s * x + c * y;
        }
        ap[p] = app - t * apq;
        aq[q] = aqq + t * apq;
        ap[q] = aq[p] = 0.0;
        for (int k = 0; k < w; k++) {
            if (k == p || k == q) continue;
            A[(size_t)k * w + p] = ap[k];
            A[(size_t)k * w + q] = aq[k];
        }
        for (int k = 0; k < w; k++) {
            const double x = vp[k], y = vq[k];
            vp[k] = c * x - s * y;
            vq[k] = s * x + c * y;
        }
    }
    return rotated;
}

static void jacobi_eigen(double *A, double *Vt, int w) {
    for (int i = 0; i < w; i++)
        for (int j = 0; j < w; j++) Vt[(size_t)i * w + j] = i == j;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        int rotated = 0;
        for (int p = 0; p < w - 1; p++) rotated += jacobi_row(A, Vt, w, p);
        if (!rotated) break;
    }
}

MLP_API int pca_fit(double *components, double *variance, double *mean, float *projected,
                             const float *H, int n, int w, int k) {
    if (!components || !variance || !mean || !H || n < 2 || w < 1 || w > STATS_MAX_UNITS || k < 1 || k > w)
        return MLP_ERR_ARG;
    for (size_t i = 0; i < (size_t)n * w; i++)
        if (!isfinite(H[i])) return MLP_ERR_NONFINITE;
    /* C (w, w), then V (w, w), then order (w) */
    double *C = malloc(((size_t)2 * w * w + w) * sizeof(double));
    if (!C) return MLP_ERR_NOMEM;
    double *V = C + (size_t)w * w;
    int *order = (int *)(V + (size_t)w * w);
    for (int j = 0; j < w; j++) {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += H[(size_t)i * w + j];
        mean[j] = s / n;
    }
    for (size_t e = 0; e < (size_t)w * w; e++) C[e] = 0.0;
    for (int i = 0; i < n; i++) {
        const float *h = H + (size_t)i * w; /* (w) */
        for (int a = 0; a < w; a++) {
            const double da = h[a] - mean[a];
            for (int b = a; b < w; b++) C[(size_t)a * w + b] += da * (h[b] - mean[b]);
        }
    }
    for (int a = 0; a < w; a++)
        for (int b = a; b < w; b++) C[(size_t)b * w + a] = C[(size_t)a * w + b] /= (n - 1);
    jacobi_eigen(C, V, w);
    for (int j = 0; j < w; j++) order[j] = j;
    for (int i = 1; i < w; i++) { /* insertion sort by eigenvalue, decreasing */
        const int o = order[i];
        int j = i - 1;
        for (; j >= 0 && C[(size_t)order[j] * w + order[j]] < C[(size_t)o * w + o]; j--) order[j + 1] = order[j];
        order[j + 1] = o;
    }
    for (int c = 0; c < k; c++) {
        const int col = order[c];
        double *u = components + (size_t)c * w; /* (w) */
        int big = 0;
        for (int r = 0; r < w; r++) {
            u[r] = V[(size_t)col * w + r];
            if (fabs(u[r]) > fabs(u[big])) big = r;
        }
        if (u[big] < 0)
            for (int r = 0; r < w; r++) u[r] = -u[r];
        /* a covariance is positive semi-definite: -1e-17 is rounding */
        variance[c] = fmax(0.0, C[(size_t)col * w + col]);
    }
    if (projected)
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) {
                double s = 0.0;
                for (int r = 0; r < w; r++) s += (H[(size_t)i * w + r] - mean[r]) * components[(size_t)c * w + r];
                projected[(size_t)i * k + c] = (float)s;
            }
    free(C);
    return MLP_OK;
}
