/* features.c: TensorFlow Playground's seven input features, computed from
 * the raw inputs (API in mlp_lab.h): x1, x2, x1^2, x2^2, x1 x2, sin x1,
 * sin x2. lab.features() calls features_make; a network with features
 * (mlp_set_features) calls it inside every forward pass.
 *
 * The scalar reference (features_make_ref) computes one row at a time: the
 * products in float32 (one rounding: exact to 0.5 ulp), sin through
 * sine_f32 (sine.h: our own range reduction, correct for every float, in
 * double) rounded once to float. With -msimd128, features_make runs
 * features_f32_wasmsimd_rr2_p9: four rows per step, x1 and x2 deinterleaved
 * by one shuffle each, the products as vector multiplies (the same bits as
 * the reference) and sin by vm_sin (vmath.h: Cody-Waite reduction modulo pi
 * in two steps, degree-9 odd polynomial), for |x| <= 8192; lanes beyond
 * (and only when a vector holds one) take sine_f32. Each sine is computed
 * once per row however many features use it. Rows that do not fill a vector
 * go through a zero-padded stack copy: nothing outside X (n, d) and
 * out (n, k) is read or written.
 *
 * Accuracy contract (tests/features.test.js, both builds): against a
 * float64 formula of the float32 inputs, |got - ref| <= 1e-6 + 1e-5 |ref|
 * (and got == ref rounded to float32 for the products). Measured on 10^6
 * seeded random x in [-10, 10], 10^5 in [-1e4, 1e4], 10^5 of every
 * magnitude up to FLT_MAX, multiples of pi/2 and the edges of the vector
 * domain (V8 in Node 20): sin, SIMD: abs 1.2e-7 (near |sin| = 1: the
 * reduction's second subtraction and the final rounding), rel 1.4e-6 where
 * |sin| >= 1e-3 (near its zeros at |x| ~ 1e4, the 3.3e-13 |k| of pi's
 * two-part split; only the absolute error means much there); sin, scalar:
 * abs 3.1e-8 (the rounding to float), rel 4.8e-7 where |sin| >= 1e-3 (at
 * |x| ~ 2e7, sine_d's reduction); the products 0 ulp from float64 rounded to
 * float32 (relative 6.0e-8, that rounding), x1 and x2 exact. NaN gives NaN,
 * +-Inf gives NaN (sin) or +Inf (squares).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mlp_lab.h"
#include "sine.h"
#include "vmath.h"

/* The features that read x2. */
static int needs_x2(int id) {
    return id == FEAT_X2 || id == FEAT_X2SQ || id == FEAT_X1X2 || id == FEAT_SIN2;
}

int features_check(const int32_t *ids, int k, int d) {
    if (!ids || k < 1 || k > FEAT_COUNT || d < 1 || d > 2) return MLP_ERR_ARG;
    unsigned seen = 0;
#ifdef __clang__ /* k <= 7 lets -O3 unroll it fully (and wasm-opt inline it): 1 KB for a check */
#pragma clang loop unroll(disable)
#endif
    for (int j = 0; j < k; j++) {
        const int32_t id = ids[j];
        if (id < 0 || id >= FEAT_COUNT || (seen >> id & 1u)) return MLP_ERR_ARG;
        if (d == 1 && needs_x2(id)) return MLP_ERR_ARG;
        seen |= 1u << id;
    }
    return MLP_OK;
}

static int check_make(float *out, const float *X, int n, int d, const int32_t *ids, int k) {
    if (n < 0 || features_check(ids, k, d) != MLP_OK) return MLP_ERR_ARG;
    if (n > 0 && (!out || !X)) return MLP_ERR_ARG;
    return MLP_OK;
}

/* sin x rounded to float, for every float (one copy of sine.h's code). */
__attribute__((noinline)) static float sin_ref(float x) { return (float)sine_f32(x); }

static float feature_ref(int id, float x1, float x2) {
    switch (id) {
    case FEAT_X1: return x1;
    case FEAT_X2: return x2;
    case FEAT_X1SQ: return x1 * x1;
    case FEAT_X2SQ: return x2 * x2;
    case FEAT_X1X2: return x1 * x2;
    case FEAT_SIN1: return sin_ref(x1);
    default: return sin_ref(x2); /* FEAT_SIN2 */
    }
}

int features_make_ref(float *out, const float *X, int n, int d, const int32_t *ids, int k) {
    const int rc = check_make(out, X, n, d, ids, k);
    if (rc != MLP_OK) return rc;
    for (int i = 0; i < n; i++) {
        const float *x = X + (size_t)i * d; /* (d) */
        float *o = out + (size_t)i * k;     /* (k) */
        const float x1 = x[0], x2 = d == 2 ? x[1] : 0.0f;
        for (int j = 0; j < k; j++) o[j] = feature_ref(ids[j], x1, x2);
    }
    return MLP_OK;
}

#ifndef __wasm_simd128__

int features_make(float *out, const float *X, int n, int d, const int32_t *ids, int k) {
    return features_make_ref(out, X, n, d, ids, k);
}

#else /* __wasm_simd128__ */

/* sin of 4 lanes: vm_sin, with lanes beyond its domain from sine_f32. */
__attribute__((noinline)) static v128_t sin_f32_wasmsimd_rr2_p9(v128_t x) {
    v128_t y = vm_sin(x);
    v128_t big = wasm_f32x4_gt(vm_abs(x), wasm_f32x4_const_splat(VM_SIN_XMAX)); /* NaN: no */
    if (wasm_v128_any_true(big)) {
        float xs[4], ys[4];
        wasm_v128_store(xs, x);
        wasm_v128_store(ys, y);
        for (int l = 0; l < 4; l++)
            if (fabsf(xs[l]) > VM_SIN_XMAX) ys[l] = sin_ref(xs[l]);
        y = wasm_v128_load(ys);
    }
    return y;
}

/* features_f32_wasmsimd_rr2_p9
 * Algorithm: per 4 rows, x1 and x2 as vectors (d = 2: two loads and a
 * deinterleaving shuffle each); x1^2, x2^2, x1 x2 one multiply (exact to
 * 0.5 ulp, the reference's bits); sin x1, sin x2 by sin_f32_wasmsimd_rr2_p9
 * (computed once per block when a feature needs it); the k results per row
 * stored through a (k, 4) block on the stack, transposed into out.
 * Domain: all floats; the vector sine covers |x| <= 8192, larger lanes use
 * the scalar reduction. NaN -> NaN, +-0 -> +-0 for x and sin, squares of
 * +-Inf -> +Inf, sin(+-Inf) -> NaN.
 * Measured max error vs float64: sin abs 1.2e-7 (see the file's header).
 * Built for size (minsize): 0.9 KB of code instead of 2.3 KB at -O3 (which
 * unswitches the loop per d and per sine), at the same speed within the
 * noise of a shared machine (2 features ~4.5 ns a row, all 7 ~22 ns, V8
 * --no-liftoff): its cost is small beside the first dense layer's. */
__attribute__((minsize)) int features_make(float *out, const float *X, int n, int d, const int32_t *ids, int k) {
    const int rc = check_make(out, X, n, d, ids, k);
    if (rc != MLP_OK) return rc;
    int want1 = 0, want2 = 0; /* sin x1, sin x2 needed */
    for (int j = 0; j < k; j++) {
        want1 |= ids[j] == FEAT_SIN1;
        want2 |= ids[j] == FEAT_SIN2;
    }
    float blk[FEAT_COUNT][4]; /* (k, 4) the block's features, by feature */
    for (int i = 0; i < n; i += 4) {
        const int m = n - i < 4 ? n - i : 4; /* rows in this block */
        const float *src = X + (size_t)i * d;
        float pad[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}; /* (4, d) */
        if (m < 4) src = memcpy(pad, src, (size_t)m * d * sizeof(float));
        v128_t x1, x2 = wasm_f32x4_const_splat(0.0f);
        if (d == 2) {
            const v128_t a = wasm_v128_load(src), b = wasm_v128_load(src + 4);
            x1 = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6);
            x2 = wasm_i32x4_shuffle(a, b, 1, 3, 5, 7);
        } else {
            x1 = wasm_v128_load(src);
        }
        const v128_t s1 = want1 ? sin_f32_wasmsimd_rr2_p9(x1) : x1;
        const v128_t s2 = want2 ? sin_f32_wasmsimd_rr2_p9(x2) : x2;
        for (int j = 0; j < k; j++) {
            v128_t v;
            switch (ids[j]) {
            case FEAT_X1: v = x1; break;
            case FEAT_X2: v = x2; break;
            case FEAT_X1SQ: v = wasm_f32x4_mul(x1, x1); break;
            case FEAT_X2SQ: v = wasm_f32x4_mul(x2, x2); break;
            case FEAT_X1X2: v = wasm_f32x4_mul(x1, x2); break;
            case FEAT_SIN1: v = s1; break;
            default: v = s2; break; /* FEAT_SIN2 */
            }
            wasm_v128_store(blk[j], v);
        }
        float *o = out + (size_t)i * k; /* (m, k) */
        for (int r = 0; r < m; r++)
            for (int j = 0; j < k; j++) o[(size_t)r * k + j] = blk[j][r];
    }
    return MLP_OK;
}

#endif /* __wasm_simd128__ */
