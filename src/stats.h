/* stats.h: statistics over a batch of hidden activations, for the chapter's
 * exercise 6 (batchnorm.c) and for the view of a hidden layer by its
 * principal directions (pca.c). Kept apart from mlp_lab.h so that these two
 * exercises add a file rather than lines; the conventions are mlp_lab.h's
 * (outputs first, const inputs next, sizes last; an int status). */
#ifndef MLP_STATS_H
#define MLP_STATS_H

#include "mlp_lab.h"

#define STATS_MAX_UNITS 256 /* columns: 1..256 (MLP_MAX_WIDTH)  */

/* Exercise 6: normalise each column of a minibatch Z (n, w) row-major by
 * the batch's own statistics, out = (Z - mean) / sqrt(var + eps), the
 * training-time rule of batch normalisation (no scale or shift). mean (w)
 * and var (w), the biased variance (1/n: a batch of one has variance 0 and
 * every output 0), are written when not NULL. Accumulated in float64. out
 * may alias Z. MLP_ERR_ARG: n < 1, w not in 1..STATS_MAX_UNITS, !(eps > 0);
 * MLP_ERR_NONFINITE: Z holds Inf or NaN (nothing is written then). */
MLP_API int batchnorm_forward(float *out, double *mean, double *var, const float *Z, int n, int w,
                              double eps);

/* The first k principal directions of the rows of H (n, w): the unit
 * eigenvectors of the sample covariance (1/(n - 1)) of the largest k
 * eigenvalues, by the cyclic Jacobi method in float64. components (k, w)
 * row-major, each row's entry of largest magnitude positive (a sign fixed
 * for animations and tests); variance (k) the eigenvalues, decreasing;
 * mean (w); projected (n, k) = (H - mean) components^T, if not NULL.
 * MLP_ERR_ARG: n < 2, w not in 1..STATS_MAX_UNITS, k not in 1..w;
 * MLP_ERR_NONFINITE: H holds Inf or NaN; MLP_ERR_NOMEM. */
MLP_API int pca_fit(double *components, double *variance, double *mean, float *projected,
                    const float *H, int n, int w, int k);

#endif
