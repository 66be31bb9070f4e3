/* act.c: the activation functions of the chapter and their derivatives.
 *
 * relu, prelu (alpha), sigmoid, tanh, gelu (exact: x Phi(x)), swish
 * (x sigmoid(beta x)) and identity; forward and derivative side by side.
 *
 * Every function has a scalar reference (act_*_ref, float32 libm; gelu in
 * float64 libm because its argument x^2/2 must not be rounded) and, when
 * built with -msimd128, a WASM SIMD128 kernel with its own vectorized exp
 * (vmath.h). Tails shorter than a vector go through the same kernel on a
 * 4-float stack copy, so every element gets the same bits whatever its
 * position, and nothing outside [x, x + n) or [y, y + n) is ever touched.
 *
 * Conventions (the chapter's): relu'(0) = 0; prelu'(x) = alpha for x <= 0.
 * NaN in gives NaN out for every function and derivative; finite input never
 * gives NaN; the limits are returned at +-Inf (sigmoid(-Inf) = 0,
 * tanh(+-Inf) = +-1, gelu(-Inf) = -0, swish(-Inf) = -0 for beta > 0).
 * prelu with alpha = 0 is relu, swish with beta = 0 is x / 2 (so that the
 * infinities follow the limits too).
 *
 * Accuracy contract (tests/activations.test.js, both builds): against a
 * float64 reference of the float32 input, |got - ref| <= 1e-6 + 1e-5 |ref|.
 * The measured errors are in each kernel's comment (abs = max |got - ref|,
 * rel = max |got - ref| / |ref| over |ref| >= 1e-30; on 10^6 seeded random
 * x in [-30, 30], 10^4 in [-1e-3, 1e-3] and -8..8 step 0.1; alpha = 0.25,
 * beta = 1; V8 in Node 20). The scalar references measure: sigmoid abs 6.9e-8
 * rel 1.7e-7, sigmoid' 3.0e-8 / 2.3e-7, tanh 8.2e-8 / 1.6e-7, tanh' 1.6e-7 /
 * 2.7e-7, gelu 2.4e-7 / 5.9e-8, gelu' 6.0e-8 / 6.0e-8, swish 1.4e-6 / 2.1e-7,
 * swish' 1.1e-7 / 5.1e-3 (at its zero); relu, prelu, identity exact.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "mlp_lab.h"
#include "vmath.h"

/* ===================================================================== */
/* Scalar references                                                      */
/* ===================================================================== */

/* sigmoid(-|x|) = e / (1 + e), e = exp(-|x|): no overflow, no cancellation. */
static float sigmoid_neg_abs(float x, float *e_out) {
    float e = expf(-fabsf(x));
    *e_out = e;
    return e / (1.0f + e);
}

static float sigmoid_ref(float x) {
    float e;
    float f = sigmoid_neg_abs(x, &e);
    return x > 0.0f ? 1.0f - f : f;
}

/* sigmoid'(x) = sigmoid(x) sigmoid(-x) = f (1 - f), f = sigmoid(-|x|). */
static float dsigmoid_ref(float x) {
    float e;
    float f = sigmoid_neg_abs(x, &e);
    return f * (1.0f - f);
}

/* tanh'(x) = 1 - tanh^2 = 4e / (1 + e)^2, e = exp(-2|x|): accurate in the tails. */
static float dtanh_ref(float x) {
    float e = expf(-2.0f * fabsf(x));
    float d = 1.0f + e;
    return 4.0f * e / (d * d);
}

/* Phi(x) in float64: the float32 x is exact in double, so x / sqrt2 and the
 * exp(-x^2 / 2) inside erfc carry only float64 rounding. */
static double phi_cdf(double x) { return 0.5 * erfc(-x * 0.70710678118654752440); }

static float gelu_ref(float x) {
    if (isinf(x)) return x > 0 ? x : -0.0f;
    return (float)((double)x * phi_cdf(x));
}

static float dgelu_ref(float x) {
    if (isinf(x)) return x > 0 ? 1.0f : -0.0f;
    double xd = x;
    double pdf = exp(-0.5 * xd * xd) * 0.39894228040143267794; /* 1 / sqrt(2 pi) */
    return (float)(phi_cdf(xd) + xd * pdf);
}

static float swish_ref(float x, float beta) {
    if (beta == 0.0f) return 0.5f * x;
    float s = sigmoid_ref(beta * x);
    if (s == 0.0f) return copysignf(0.0f, x); /* x -> -Inf (beta > 0) or +Inf (beta < 0) */
    return x * s;
}

/* swish' = s + beta x s (1 - s), s = sigmoid(beta x); s (1 - s) as f (1 - f). */
static float dswish_ref(float x, float beta) {
    if (beta == 0.0f) return x == x ? 0.5f : x;
    float bx = beta * x;
    float e;
    float f = sigmoid_neg_abs(bx, &e);
    float s = bx > 0.0f ? 1.0f - f : f;
    float g = f * (1.0f - f);
    if (g == 0.0f) return s; /* |beta x| past the flush: the term is < 1e-36 */
    return s + bx * g;
}

static int check_args(const void *out, const void *in, int n, int kind) {
    if (kind < 0 || kind >= ACT_COUNT || n < 0) return MLP_ERR_ARG;
    if (n > 0 && (out == NULL || in == NULL)) return MLP_ERR_ARG;
    return MLP_OK;
}

int act_forward_ref(float *y, const float *x, int n, int kind, float alpha, float beta) {
    int st = check_args(y, x, n, kind);
    if (st != MLP_OK) return st;
    for (int i = 0; i < n; i++) {
        float v = x[i], r;
        switch (kind) {
        case ACT_RELU: r = v < 0.0f ? 0.0f : v; break; /* NaN stays NaN */
        case ACT_PRELU:
            r = v > 0.0f ? v : (alpha == 0.0f ? (v < 0.0f ? 0.0f : v) : alpha * v);
            break;
        case ACT_SIGMOID: r = sigmoid_ref(v); break;
        case ACT_TANH: r = tanhf(v); break;
        case ACT_GELU: r = gelu_ref(v); break;
        case ACT_SWISH: r = swish_ref(v, beta); break;
        default: r = v; break; /* identity */
        }
        y[i] = r;
    }
    return MLP_OK;
}

int act_derivative_ref(float *dy, const float *x, int n, int kind, float alpha, float beta) {
    int st = check_args(dy, x, n, kind);
    if (st != MLP_OK) return st;
    for (int i = 0; i < n; i++) {
        float v = x[i], r;
        switch (kind) {
        case ACT_RELU: r = v > 0.0f ? 1.0f : (v <= 0.0f ? 0.0f : v); break;
        case ACT_PRELU: r = v > 0.0f ? 1.0f : (v <= 0.0f ? alpha : v); break;
        case ACT_SIGMOID: r = dsigmoid_ref(v); break;
        case ACT_TANH: r = dtanh_ref(v); break;
        case ACT_GELU: r = dgelu_ref(v); break;
        case ACT_SWISH: r = dswish_ref(v, beta); break;
        default: r = v == v ? 1.0f : v; break; /* identity */
        }
        dy[i] = r;
    }
    return MLP_OK;
}

#ifndef __wasm_simd128__

int act_forward(float *y, const float *x, int n, int kind, float alpha, float beta) {
    return act_forward_ref(y, x, n, kind, alpha, beta);
}

int act_derivative(float *dy, const float *x, int n, int kind, float alpha, float beta) {
    return act_derivative_ref(dy, x, n, kind, alpha, beta);
}

#else /* __wasm_simd128__ */

/* ===================================================================== */
/* WASM SIMD128 kernels                                                   */
/* ===================================================================== */

/* Each kernel maps 4 lanes of x to 4 lanes of the result; va and vb are
 * alpha and beta splatted. The loops below apply them 2 vectors at a time. */

#define V_ZERO wasm_f32x4_const_splat(0.0f)
#define V_ONE wasm_f32x4_const_splat(1.0f)
#define V_NEG_ZERO wasm_f32x4_const_splat(-0.0f)

/* relu_f32_wasmsimd_select: y = x < 0 ? 0 : x (bit mask, no arithmetic).
 * Exact. -0 -> -0, NaN -> NaN (a NaN is not < 0). */
static inline v128_t relu_f32_wasmsimd_select(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    return wasm_v128_andnot(x, wasm_f32x4_lt(x, V_ZERO));
}

/* drelu_f32_wasmsimd_select: 1 for x > 0, 0 for x <= 0 (relu'(0) = 0), NaN
 * for NaN. Exact. */
static inline v128_t drelu_f32_wasmsimd_select(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t d = wasm_v128_and(V_ONE, wasm_f32x4_gt(x, V_ZERO));
    return wasm_v128_bitselect(x, d, wasm_f32x4_ne(x, x));
}

/* prelu_f32_wasmsimd_select: x > 0 ? x : alpha x. Exact (one rounding of
 * alpha x). NaN -> NaN. alpha = 0 is dispatched to relu (so -Inf -> 0). */
static inline v128_t prelu_f32_wasmsimd_select(v128_t x, v128_t va, v128_t vb) {
    (void)vb;
    return wasm_v128_bitselect(x, wasm_f32x4_mul(va, x), wasm_f32x4_gt(x, V_ZERO));
}

/* dprelu_f32_wasmsimd_select: 1 for x > 0, alpha for x <= 0, NaN for NaN. */
static inline v128_t dprelu_f32_wasmsimd_select(v128_t x, v128_t va, v128_t vb) {
    (void)vb;
    v128_t d = wasm_v128_bitselect(V_ONE, va, wasm_f32x4_gt(x, V_ZERO));
    return wasm_v128_bitselect(x, d, wasm_f32x4_ne(x, x));
}

/* identity: y = x is a memmove; didentity_f32_wasmsimd_one: y' = 1 (NaN for NaN). */
static inline v128_t didentity_f32_wasmsimd_one(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    return wasm_v128_bitselect(x, V_ONE, wasm_f32x4_ne(x, x));
}

/* Shared core of sigmoid and swish: f = sigmoid(-|z|) = e / (1 + e),
 * e = exp(-|z|) (rr2_p5), flushed to 0 where -|z| < -87.336544 (there
 * sigmoid(-|z|) < FLT_MIN). NaN -> NaN. */
static inline v128_t vm_sigmoid_neg_abs(v128_t z) {
    v128_t e = vm_exp_flush(vm_neg_abs(z));
    return wasm_f32x4_div(e, wasm_f32x4_add(e, V_ONE));
}

/* sigmoid_f32_wasmsimd_rr2_p5_div
 * Algorithm: z = -|x|; e = exp(z) by Cody-Waite rr2 reduction and a degree-5
 * polynomial (vmath.h); f = e / (1 + e) (one division); y = x > 0 ? 1 - f : f.
 * Domain: all floats. Saturation: e is flushed to 0 for z < -87.336544, so
 * y = 0 for x < -87.336544 (true value < FLT_MIN) and 1 for large x (1 - f
 * rounds to 1 from x > 17.33 on). +Inf -> 1, -Inf -> 0, +-0 -> 0.5,
 * NaN -> NaN.
 * Measured max error vs float64: abs 8.7e-8, rel 2.7e-7. */
static inline v128_t sigmoid_f32_wasmsimd_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t f = vm_sigmoid_neg_abs(x);
    return wasm_v128_bitselect(wasm_f32x4_sub(V_ONE, f), f, wasm_f32x4_gt(x, V_ZERO));
}

/* dsigmoid_f32_wasmsimd_rr2_p5_div
 * Algorithm: sigmoid'(x) = sigmoid(x) sigmoid(-x) = f (1 - f) with f =
 * sigmoid(-|x|) as in the forward kernel: no 1 - sigmoid cancellation, so
 * the tails keep their relative accuracy. Saturation: 0 for |x| > 87.336544.
 * +-Inf -> 0, +-0 -> 0.25, NaN -> NaN.
 * Measured max error vs float64: abs 3.6e-8, rel 3.0e-7. */
static inline v128_t dsigmoid_f32_wasmsimd_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t f = vm_sigmoid_neg_abs(x);
    return wasm_f32x4_mul(f, wasm_f32x4_sub(V_ONE, f));
}

/* Clamp of -2|x| for tanh: below it tanh rounds to 1 (|x| >= 9.125 > 9.01). */
#define TANH_ZMIN (-0x1.24p+4f) /* -18.25 */

/* tanh_f32_wasmsimd_expm1minus_rr2_p6_div
 * Algorithm: z = max(-2|x|, -18.25); m = expm1(z) = 2^n expm1(r) + (2^n - 1)
 * with rr2 reduction and a degree-6 expm1 polynomial (relative accuracy
 * near 0); tanh|x| = -m / (2 + m); the sign of x copied onto the result.
 * Domain: all floats. Saturation: |x| >= 9.125 gives exactly +-1 (the true
 * value rounds to +-1 from 9.01 on). +-Inf -> +-1, +-0 -> +-0, NaN -> NaN
 * (the clamp keeps NaN: pmax(NaN, c) = NaN).
 * Measured max error vs float64: abs 1.5e-7, rel 1.6e-7. */
static inline v128_t tanh_f32_wasmsimd_expm1minus_rr2_p6_div(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t z = wasm_f32x4_mul(vm_abs(x), wasm_f32x4_const_splat(-2.0f));
    z = wasm_f32x4_pmax(z, wasm_f32x4_const_splat(TANH_ZMIN)); /* z < c ? c : z */
    v128_t m = vm_expm1_neg(z);
    v128_t t = wasm_f32x4_div(wasm_f32x4_neg(m), wasm_f32x4_add(m, wasm_f32x4_const_splat(2.0f)));
    return vm_copysign(t, x);
}

/* dtanh_f32_wasmsimd_rr2_p5_div
 * Algorithm: tanh'(x) = 1 / cosh^2 x = 4e / (1 + e)^2, e = exp(-2|x|) (rr2_p5,
 * flushed below -87.336544): no 1 - tanh^2 cancellation in the tails.
 * Saturation: 0 for |x| > 43.67 (true value < 4.7e-38). +-Inf -> 0,
 * +-0 -> 1, NaN -> NaN.
 * Measured max error vs float64: abs 1.8e-7, rel 3.5e-7. */
static inline v128_t dtanh_f32_wasmsimd_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t e = vm_exp_flush(wasm_f32x4_mul(vm_abs(x), wasm_f32x4_const_splat(-2.0f)));
    v128_t d = wasm_f32x4_add(e, V_ONE);
    return wasm_f32x4_div(wasm_f32x4_mul(e, wasm_f32x4_const_splat(4.0f)), wasm_f32x4_mul(d, d));
}

/* GELU, both kernels: Q = Phi(-|x|) = exp(-x^2/2) tau S(tau), tau =
 * 1/(3.27 + |x|), S a degree-7 polynomial (vm_mills_tau_poly, vmath.h), and
 * Phi(x) = Q for x < 0, 1 - Q for x >= 0, so neither side cancels. The
 * exp(-x^2/2) is computed times 2^32 with x^2 split exactly
 * (vm_exp_neg_half_square_scaled): no rounding of x^2 reaches the exponent,
 * and outputs far into the subnormal range are rounded, not flushed; the
 * 2^-32 is folded into S's coefficients.
 * Cut-off: |x| is clamped to 14.75 (the scaled exp is valid down to
 * -x^2/2 = -108.8), where Q = 2.5e-49 and x phi(x) = 3.3e-47, both below
 * half the smallest subnormal: below -14.75 gelu rounds to -0 and gelu' to
 * +-0, above 14.75 gelu to x and gelu' to 1, with no select. */
#define GELU_XMAX 0x1.D8p+3f          /* 14.75 */
#define GELU_MAGIC_P32 0x1.80013Ep23f /* 1.5 * 2^23 + 127 + 32: exp times 2^32 */
#define GELU_UNSCALE 0x1p-32f         /* undoes the 2^32 */
#define GELU_RSQRT2PI_UNSCALE 0x1.988454p-34f /* 2^-32 / sqrt(2 pi) */

/* a = min(|x|, 14.75) (NaN stays NaN); returns Q(a) and sets *e to
 * 2^32 exp(-a^2/2). */
static inline v128_t gelu_tail(v128_t x, v128_t *e) {
    v128_t a = wasm_f32x4_pmin(vm_abs(x), wasm_f32x4_const_splat(GELU_XMAX)); /* 14.75 < a ? 14.75 : a */
    *e = vm_exp_neg_half_square_scaled(a, wasm_f32x4_const_splat(GELU_MAGIC_P32));
    return wasm_f32x4_mul(*e, vm_mills_tau_poly(a, GELU_UNSCALE));
}

/* Phi(x) from q = Q(|x|): |step(x) - q| with step = 1 for x >= 0 (also -0),
 * 0 for x < 0: 1 - q on the right, q (exactly) on the left. */
static inline v128_t gelu_cdf(v128_t x, v128_t q) {
    v128_t step = wasm_v128_and(V_ONE, wasm_f32x4_ge(x, V_ZERO));
    return vm_abs(wasm_f32x4_sub(step, q));
}

/* gelu_f32_wasmsimd_mills_p7_rr2_p5_div
 * Algorithm: gelu(x) = x Phi(x) (exact GELU, not the tanh form), Phi as
 * above: a Mills-ratio polynomial of degree 7 in tau = 1/(3.27 + |x|) (one
 * division) times exp(-x^2/2) by rr2 reduction of the exact split square and
 * the degree-5 exp polynomial (vmath.h); y = max(x, -14.75) Phi(x).
 * Domain: all floats. Saturation: |x| clamped to 14.75 inside Phi, and x to
 * -14.75 in the product, so y rounds to -0 for x < -14.75 (true values
 * < 4e-48) and -Inf -> -0; +Inf -> +Inf, +-0 -> +-0, NaN -> NaN.
 * Measured max error vs float64: abs 3.8e-7 (0.8 ulp of y ~ 4.9),
 * rel 5.4e-7 (anywhere, down to the subnormal tail). */
static inline v128_t gelu_f32_wasmsimd_mills_p7_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t e;
    v128_t q = gelu_tail(x, &e);
    v128_t xc = wasm_f32x4_pmax(x, wasm_f32x4_const_splat(-GELU_XMAX)); /* x < -14.75 ? -14.75 : x */
    return wasm_f32x4_mul(xc, gelu_cdf(x, q));
}

/* dgelu_f32_wasmsimd_mills_p7_rr2_p5_div
 * Algorithm: gelu'(x) = Phi(x) + x phi(x) with Phi as in the forward kernel
 * and phi(x) = exp(-x^2/2) / sqrt(2 pi) from the same exp: one exp, one
 * division. x is clamped to [-14.75, 14.75] in x phi(x).
 * Domain: all floats. Saturation: x > 14.75 -> 1, x < -14.75 -> +-0 (true
 * value in (-4e-47, 0)). +Inf -> 1, -Inf -> +-0, +-0 -> 0.5, NaN -> NaN.
 * Measured max error vs float64: abs 2.7e-7; rel 8.3e-4 at the zero of
 * gelu' (x = -0.7518, where Phi(x) and x phi(x) cancel and only the absolute
 * error is meaningful), 5.6e-5 where |gelu'| >= 1e-3. */
static inline v128_t dgelu_f32_wasmsimd_mills_p7_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    v128_t e;
    v128_t q = gelu_tail(x, &e);
    v128_t xc = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_const_splat(-GELU_XMAX)),
                                wasm_f32x4_const_splat(GELU_XMAX));
    v128_t xphi = wasm_f32x4_mul(wasm_f32x4_mul(xc, e), wasm_f32x4_const_splat(GELU_RSQRT2PI_UNSCALE));
    return wasm_f32x4_add(gelu_cdf(x, q), xphi);
}

/* swish_f32_wasmsimd_rr2_p5_div
 * Algorithm: y = x s, s = sigmoid(beta x) from f = sigmoid(-|beta x|) as in
 * the sigmoid kernel (rr2_p5 exp, one division).
 * Domain: all floats, beta != 0 (beta = 0 is dispatched to y = x / 2).
 * Saturation: s = 0 where beta x < -87.336544; there y = +-0 with the sign
 * of x (so swish(-Inf) = -0 for beta > 0, not NaN). The true |y| there is
 * < |x| 1.2e-38, i.e. < 1e-6 unless |beta| < 1e-30 and |x| > 8e31.
 * NaN -> NaN, +-0 -> +-0.
 * Measured max error vs float64: abs 1.4e-6 (0.7 ulp of y ~ 17),
 * rel 3.0e-7. */
static inline v128_t swish_f32_wasmsimd_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va;
    v128_t bx = wasm_f32x4_mul(vb, x);
    v128_t f = vm_sigmoid_neg_abs(bx);
    v128_t s = wasm_v128_bitselect(wasm_f32x4_sub(V_ONE, f), f, wasm_f32x4_gt(bx, V_ZERO));
    v128_t y = wasm_f32x4_mul(x, s);
    return wasm_v128_bitselect(wasm_v128_and(x, VM_SIGN_MASK), y, wasm_f32x4_eq(s, V_ZERO));
}

/* dswish_f32_wasmsimd_rr2_p5_div
 * Algorithm: swish'(x) = s + beta x s (1 - s) with s (1 - s) = f (1 - f),
 * f = sigmoid(-|beta x|) (no cancellation in the tails).
 * Saturation: the second term is dropped where f is flushed (|beta x| >
 * 87.34, term < 1.1e-36): -> s, so +Inf -> 1, -Inf -> 0 (beta > 0).
 * +-0 -> 0.5, NaN -> NaN.
 * Measured max error vs float64: abs 1.2e-7; rel 5.1e-3 at the zero of
 * swish' (beta x = -1.2785, s + beta x s (1 - s) cancels), 2.4e-5 where
 * |swish'| >= 1e-3. */
static inline v128_t dswish_f32_wasmsimd_rr2_p5_div(v128_t x, v128_t va, v128_t vb) {
    (void)va;
    v128_t bx = wasm_f32x4_mul(vb, x);
    v128_t f = vm_sigmoid_neg_abs(bx);
    v128_t s = wasm_v128_bitselect(wasm_f32x4_sub(V_ONE, f), f, wasm_f32x4_gt(bx, V_ZERO));
    v128_t g = wasm_f32x4_mul(f, wasm_f32x4_sub(V_ONE, f));
    v128_t term = wasm_v128_andnot(wasm_f32x4_mul(bx, g), wasm_f32x4_eq(g, V_ZERO));
    return wasm_f32x4_add(s, term);
}

/* swish with beta = 0: y = x / 2, y' = 1/2 (NaN for NaN). Exact. */
static inline v128_t half_f32_wasmsimd(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    return wasm_f32x4_mul(x, wasm_f32x4_const_splat(0.5f));
}
static inline v128_t dhalf_f32_wasmsimd(v128_t x, v128_t va, v128_t vb) {
    (void)va, (void)vb;
    return wasm_v128_bitselect(x, wasm_f32x4_const_splat(0.5f), wasm_f32x4_ne(x, x));
}

/* ---- loops ---------------------------------------------------------------
 * y[i] = K(x[i]) for i < n: U vectors per iteration (U = 2 or 4, chosen per
 * kernel by measurement in V8: 4 helps the long gelu and tanh kernels, 2 is
 * faster for sigmoid, whose 4-way body spills), then one vector at a time,
 * the last partial vector through a zero-padded stack copy (one instance of
 * the kernel serves both, which keeps the module small): loads and stores never
 * leave [x, x + n) / [y, y + n). Every load of an iteration happens before
 * its stores, so y may alias x exactly. */
#define ACT_TAIL(K, y, x, n, va, vb, i_)                                              \
    do {                                                                              \
        for (; i_ < (n); i_ += 4) {                                                   \
            float b_[4] = {0.0f, 0.0f, 0.0f, 0.0f};                                   \
            const float *src_ = (x) + i_;                                             \
            int part_ = (n) - i_ < 4;                                                 \
            size_t m_ = part_ ? (size_t)((n) - i_) * sizeof(float) : sizeof b_;       \
            if (part_) src_ = memcpy(b_, src_, m_);                                   \
            v128_t r_ = K(wasm_v128_load(src_), va, vb);                              \
            if (part_) {                                                              \
                wasm_v128_store(b_, r_);                                              \
                memcpy((y) + i_, b_, m_);                                             \
            } else {                                                                  \
                wasm_v128_store((y) + i_, r_);                                        \
            }                                                                         \
        }                                                                             \
    } while (0)

#define ACT_MAP2(K, y, x, n, va, vb)                                                  \
    do {                                                                              \
        int i_ = 0;                                                                   \
        for (; i_ + 8 <= (n); i_ += 8) {                                              \
            v128_t x0_ = wasm_v128_load((x) + i_), x1_ = wasm_v128_load((x) + i_ + 4); \
            wasm_v128_store((y) + i_, K(x0_, va, vb));                                \
            wasm_v128_store((y) + i_ + 4, K(x1_, va, vb));                            \
        }                                                                             \
        ACT_TAIL(K, y, x, n, va, vb, i_);                                             \
    } while (0)

#define ACT_MAP4(K, y, x, n, va, vb)                                                  \
    do {                                                                              \
        int i_ = 0;                                                                   \
        for (; i_ + 16 <= (n); i_ += 16) {                                            \
            v128_t x0_ = wasm_v128_load((x) + i_), x1_ = wasm_v128_load((x) + i_ + 4); \
            v128_t x2_ = wasm_v128_load((x) + i_ + 8);                                \
            v128_t x3_ = wasm_v128_load((x) + i_ + 12);                               \
            wasm_v128_store((y) + i_, K(x0_, va, vb));                                \
            wasm_v128_store((y) + i_ + 4, K(x1_, va, vb));                            \
            wasm_v128_store((y) + i_ + 8, K(x2_, va, vb));                            \
            wasm_v128_store((y) + i_ + 12, K(x3_, va, vb));                           \
        }                                                                             \
        ACT_TAIL(K, y, x, n, va, vb, i_);                                             \
    } while (0)

int act_forward(float *y, const float *x, int n, int kind, float alpha, float beta) {
    int st = check_args(y, x, n, kind);
    if (st != MLP_OK) return st;
    v128_t va = wasm_f32x4_splat(alpha), vb = wasm_f32x4_splat(beta);
    switch (kind) {
    case ACT_RELU: ACT_MAP2(relu_f32_wasmsimd_select, y, x, n, va, vb); break;
    case ACT_PRELU:
        if (alpha == 0.0f) ACT_MAP2(relu_f32_wasmsimd_select, y, x, n, va, vb);
        else ACT_MAP2(prelu_f32_wasmsimd_select, y, x, n, va, vb);
        break;
    case ACT_SIGMOID: ACT_MAP2(sigmoid_f32_wasmsimd_rr2_p5_div, y, x, n, va, vb); break;
    case ACT_TANH: ACT_MAP4(tanh_f32_wasmsimd_expm1minus_rr2_p6_div, y, x, n, va, vb); break;
    case ACT_GELU: ACT_MAP4(gelu_f32_wasmsimd_mills_p7_rr2_p5_div, y, x, n, va, vb); break;
    case ACT_SWISH:
        if (beta == 0.0f) ACT_MAP2(half_f32_wasmsimd, y, x, n, va, vb);
        else ACT_MAP2(swish_f32_wasmsimd_rr2_p5_div, y, x, n, va, vb);
        break;
    default:
        if (y != x && n > 0) memmove(y, x, (size_t)n * sizeof(float));
        break;
    }
    return MLP_OK;
}

int act_derivative(float *dy, const float *x, int n, int kind, float alpha, float beta) {
    int st = check_args(dy, x, n, kind);
    if (st != MLP_OK) return st;
    v128_t va = wasm_f32x4_splat(alpha), vb = wasm_f32x4_splat(beta);
    switch (kind) {
    case ACT_RELU: ACT_MAP2(drelu_f32_wasmsimd_select, dy, x, n, va, vb); break;
    case ACT_PRELU: ACT_MAP2(dprelu_f32_wasmsimd_select, dy, x, n, va, vb); break;
    case ACT_SIGMOID: ACT_MAP4(dsigmoid_f32_wasmsimd_rr2_p5_div, dy, x, n, va, vb); break;
    case ACT_TANH: ACT_MAP2(dtanh_f32_wasmsimd_rr2_p5_div, dy, x, n, va, vb); break;
    case ACT_GELU: ACT_MAP4(dgelu_f32_wasmsimd_mills_p7_rr2_p5_div, dy, x, n, va, vb); break;
    case ACT_SWISH:
        if (beta == 0.0f) ACT_MAP2(dhalf_f32_wasmsimd, dy, x, n, va, vb);
        else ACT_MAP4(dswish_f32_wasmsimd_rr2_p5_div, dy, x, n, va, vb);
        break;
    default: ACT_MAP2(didentity_f32_wasmsimd_one, dy, x, n, va, vb); break;
    }
    return MLP_OK;
}

#endif /* __wasm_simd128__ */

/* dx = dy * f'(x), in both builds: f'(x) by act_derivative in chunks on the
 * stack, then one multiply. f' comes from x, not y = f(x): y (1 - y) would
 * lose sigmoid's tails. One derivative kernel serves both calls, which keeps
 * the module small; the extra pass is over a chunk that stays in L1. dx may
 * alias dy. */
int act_backward(float *dx, const float *dy, const float *x, const float *y, int n, int kind,
                 float alpha, float beta) {
    int st = check_args(dx, x, n, kind);
    if (st != MLP_OK) return st;
    if (n > 0 && (dy == NULL || y == NULL)) return MLP_ERR_ARG;
    float d[256]; /* (m,) f'(x) of one chunk */
    for (int i = 0; i < n; i += 256) {
        int m = n - i < 256 ? n - i : 256;
        act_derivative(d, x + i, m, kind, alpha, beta);
        for (int j = 0; j < m; j++) dx[i + j] = dy[i + j] * d[j];
    }
    return MLP_OK;
}
