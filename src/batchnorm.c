/* batchnorm.c: a nonlinearity over the minibatch (exercise 6), stats.h.
 *
 * Batch normalisation at training time, without its scale and shift: each
 * column j of Z (n, w), one hidden unit's pre-activations over the batch,
 * becomes (z_ij - mean_j) / sqrt(var_j + eps) with the batch's own mean and
 * biased variance. What one row gives depends on every other row of its
 * batch: the point of the exercise.
 *
 * Three passes per column (mean, centred sum of squares, output), all in
 * float64: the two-pass variance never goes negative and loses nothing to
 * cancellation when |mean| >> std. The scalar reference walks one column at a
 * time; the SIMD128 kernel four adjacent columns at once (one v128 load of
 * f32x4 per row, promoted to two f64x2 accumulators), with the columns left
 * over (w mod 4) through the reference. Both do the same float64 operations
 * in the same order (adds in row order, IEEE sqrt and division), so the two
 * builds give the same bits (tests/batchnorm.test.js checks it); against a
 * float64 evaluation of the float32 inputs the only error is the final
 * rounding to float32, |got - ref| <= 2^-24 |ref| (measured max 6.0e-8
 * relative on 10^5 random values, tests/batchnorm.test.js).
 *
 * Domain: finite Z (Inf or NaN is refused before anything is written), eps
 * > 0, so the denominator is never 0: a batch of one has var = 0 and every
 * output exactly 0, whatever the input. Never reads or writes outside
 * [Z, Z + n w) and [out, out + n w); out may alias Z (a column's output is
 * written only after its statistics are read).
 */
#include <math.h>
#include <stddef.h>

#include "stats.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* columns [j0, j1) of Z, one at a time */
static void batchnorm_ref(float *out, double *mean, double *var, const float *Z, int n, int w,
                          int j0, int j1, double eps) {
    for (int j = j0; j < j1; j++) {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += (double)Z[(size_t)i * w + j];
        const double m = s / n;
        double q = 0.0;
        for (int i = 0; i < n; i++) {
            const double d = (double)Z[(size_t)i * w + j] - m;
            q += d * d;
        }
        const double v = q / n, inv = 1.0 / sqrt(v + eps);
        if (mean) mean[j] = m;
        if (var) var[j] = v;
        for (int i = 0; i < n; i++) out[(size_t)i * w + j] = (float)(((double)Z[(size_t)i * w + j] - m) * inv);
    }
}

#ifdef __wasm_simd128__
/* Columns j .. j + 3 (j + 4 <= w): lanes 0, 1 in lo, 2, 3 in hi, float64.
 * Exact promotions; the adds, multiplies, sqrt and division are IEEE double,
 * in the reference's order, so each lane equals batchnorm_ref's result. */
static void batchnorm4_f64acc_wasmsimd(float *out, double *mean, double *var, const float *Z, int n,
                                       int w, int j, double eps) {
    v128_t s_lo = wasm_f64x2_splat(0.0), s_hi = s_lo;
    for (int i = 0; i < n; i++) {
        const v128_t z = wasm_v128_load(Z + (size_t)i * w + j);
        s_lo = wasm_f64x2_add(s_lo, wasm_f64x2_promote_low_f32x4(z));
        s_hi = wasm_f64x2_add(s_hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 2, 3, 0, 1)));
    }
    const v128_t nn = wasm_f64x2_splat((double)n);
    const v128_t m_lo = wasm_f64x2_div(s_lo, nn), m_hi = wasm_f64x2_div(s_hi, nn);
    v128_t q_lo = wasm_f64x2_splat(0.0), q_hi = q_lo;
    for (int i = 0; i < n; i++) {
        const v128_t z = wasm_v128_load(Z + (size_t)i * w + j);
        const v128_t d_lo = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(z), m_lo);
        const v128_t d_hi = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 2, 3, 0, 1)), m_hi);
        q_lo = wasm_f64x2_add(q_lo, wasm_f64x2_mul(d_lo, d_lo));
        q_hi = wasm_f64x2_add(q_hi, wasm_f64x2_mul(d_hi, d_hi));
    }
    const v128_t v_lo = wasm_f64x2_div(q_lo, nn), v_hi = wasm_f64x2_div(q_hi, nn);
    const v128_t one = wasm_f64x2_splat(1.0), e = wasm_f64x2_splat(eps);
    const v128_t inv_lo = wasm_f64x2_div(one, wasm_f64x2_sqrt(wasm_f64x2_add(v_lo, e)));
    const v128_t inv_hi = wasm_f64x2_div(one, wasm_f64x2_sqrt(wasm_f64x2_add(v_hi, e)));
    if (mean) {
        wasm_v128_store(mean + j, m_lo);
        wasm_v128_store(mean + j + 2, m_hi);
    }
    if (var) {
        wasm_v128_store(var + j, v_lo);
        wasm_v128_store(var + j + 2, v_hi);
    }
    for (int i = 0; i < n; i++) {
        float *o = out + (size_t)i * w + j;
        const v128_t z = wasm_v128_load(Z + (size_t)i * w + j);
        const v128_t y_lo = wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(z), m_lo), inv_lo);
        const v128_t y_hi = wasm_f64x2_mul(
            wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 2, 3, 0, 1)), m_hi), inv_hi);
        /* demote: lanes 0, 1 of each hold the floats */
        const v128_t f_lo = wasm_f32x4_demote_f64x2_zero(y_lo), f_hi = wasm_f32x4_demote_f64x2_zero(y_hi);
        wasm_v128_store(o, wasm_i32x4_shuffle(f_lo, f_hi, 0, 1, 4, 5));
    }
}
#endif

MLP_API int batchnorm_forward(float *out, double *mean, double *var, const float *Z, int n, int w,
                              double eps) {
    if (!out || !Z || n < 1 || w < 1 || w > STATS_MAX_UNITS || !(eps > 0.0) || !isfinite(eps))
        return MLP_ERR_ARG;
    for (size_t i = 0; i < (size_t)n * w; i++)
        if (!isfinite(Z[i])) return MLP_ERR_NONFINITE;
    int j = 0;
#ifdef __wasm_simd128__
    for (; j + 4 <= w; j += 4) batchnorm4_f64acc_wasmsimd(out, mean, var, Z, n, w, j, eps);
#endif
    batchnorm_ref(out, mean, var, Z, n, w, j, w, eps);
    return MLP_OK;
}
