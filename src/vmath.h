/* vmath.h: vectorized float32 math for the WASM SIMD128 kernels (act.c,
 * features.c). Everything is static inline and works on 4 lanes at a time; no
 * per-lane libm calls. Only compiled when the target has SIMD128.
 *
 * exp is computed as 2^n * e^r with Cody-Waite range reduction in two steps
 * ("rr2": ln2 = ln2_hi + ln2_lo, ln2_hi with its 9 low bits zero so n * ln2_hi
 * is exact for |n| < 2^15) and a polynomial on r in [-ln2/2, ln2/2]. 2^n is
 * built by the magic-bias trick: adding 1.5 * 2^23 + 127 to z * log2(e)
 * rounds to an integer and leaves n + 127 in the low mantissa bits, which a
 * 23-bit shift moves into the exponent field. This is only valid while
 * n + 127 is in [1, 254]: callers clamp or flush outside that domain.
 *
 * The polynomial coefficients were fitted for this file (Lawson-weighted
 * least squares, i.e. near-minimax in relative error, in float64, then
 * rounded to float32); the fitted relative error in exact arithmetic is
 * 9.5e-8 for the degree-5 exp and 1.7e-8 for the degree-6 expm1.
 */
#ifndef MLP_VMATH_H
#define MLP_VMATH_H

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* 1.5 * 2^23 + 127: ulp(magic) = 1 and magic = 127 (mod 2^22). */
#define VM_MAGIC_BIAS 0x1.8000FEp23f
/* 1.5 * 2^23 + 143: as VM_MAGIC_BIAS but the shifted exponent is n + 16. */
#define VM_MAGIC_BIAS_P16 0x1.80011Ep23f
/* log2(e), rounded to float. */
#define VM_LOG2E 0x1.715476p+0f
/* ln2_hi: ln 2 rounded to float with its 9 low mantissa bits cleared. */
#define VM_LN2_HI 0x1.62E400p-1f
/* ln2_lo = ln 2 - ln2_hi, rounded to float (1.4286068e-6). */
#define VM_LN2_LO 0x1.7F7D1Cp-20f
/* The smallest float z with exp(z) >= 2^-126 (FLT_MIN): -87.336544. */
#define VM_EXP_CUTOFF (-0x1.5D589Ep+6f)

/* exp(r) ~ 1 + r (c1 + r (c2 + r (c3 + r (c4 + r c5)))), |r| <= ln2/2 */
#define VM_EXP_C1 0x1.FFFFF6p-1f /* 0.99999971 */
#define VM_EXP_C2 0x1.FFFDC6p-2f /* 0.49999150 */
#define VM_EXP_C3 0x1.555A6Ap-3f /* 0.16667636 */
#define VM_EXP_C4 0x1.573A54p-5f /* 0.04189793 */
#define VM_EXP_C5 0x1.0FA830p-7f /* 0.00829031 */

/* expm1(r) ~ r + r^2 (c2 + r (c3 + r (c4 + r (c5 + r c6)))), |r| <= ln2/2 */
#define VM_EXPM1_C2 0x1.FFFFFEp-2f  /* 0.49999998 */
#define VM_EXPM1_C3 0x1.5554B0p-3f  /* 0.16666544 */
#define VM_EXPM1_C4 0x1.555674p-5f  /* 0.04166720 */
#define VM_EXPM1_C5 0x1.122768p-7f  /* 0.00836651 */
#define VM_EXPM1_C6 0x1.6BEC04p-10f /* 0.00138825 */

#define VM_SPLAT(c) wasm_f32x4_const_splat(c)
#define VM_SIGN_MASK wasm_i32x4_const_splat((int32_t)0x80000000)

static inline v128_t vm_abs(v128_t x) { return wasm_v128_andnot(x, VM_SIGN_MASK); }
static inline v128_t vm_neg_abs(v128_t x) { return wasm_v128_or(x, VM_SIGN_MASK); }
/* magnitude of m, sign of s */
static inline v128_t vm_copysign(v128_t m, v128_t s) {
    return wasm_v128_bitselect(s, m, VM_SIGN_MASK);
}

/* Range reduction shared by the exp variants: n = round(z / ln2), returns
 * s = 2^n and r = z - n ln2 (|r| <= ln2/2 + tiny). Needs n in [-126, 127]. */
static inline v128_t vm_reduce(v128_t z, v128_t *s) {
    v128_t n = wasm_f32x4_add(wasm_f32x4_mul(z, VM_SPLAT(VM_LOG2E)), VM_SPLAT(VM_MAGIC_BIAS));
    *s = wasm_i32x4_shl(n, 23);
    n = wasm_f32x4_sub(n, VM_SPLAT(VM_MAGIC_BIAS));
    v128_t r = wasm_f32x4_sub(z, wasm_f32x4_mul(n, VM_SPLAT(VM_LN2_HI)));
    return wasm_f32x4_sub(r, wasm_f32x4_mul(n, VM_SPLAT(VM_LN2_LO)));
}

/* e^r for |r| <= ln2/2, times s: s + (s r) p(r). */
static inline v128_t vm_exp_poly(v128_t r, v128_t s) {
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(VM_SPLAT(VM_EXP_C5), r), VM_SPLAT(VM_EXP_C4));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), VM_SPLAT(VM_EXP_C3));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), VM_SPLAT(VM_EXP_C2));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), VM_SPLAT(VM_EXP_C1));
    return wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_mul(r, s), p));
}

/* exp(z), rr2_p5 (polynomial error 9.5e-8 plus a few roundings). Valid for z in
 * [VM_EXP_CUTOFF, 88.0] (n <= 127); the caller flushes or clamps outside.
 * NaN -> NaN. */
static inline v128_t vm_exp(v128_t z) {
    v128_t s;
    v128_t r = vm_reduce(z, &s);
    return vm_exp_poly(r, s);
}

/* exp(z) with z < VM_EXP_CUTOFF (including -Inf) flushed to +0. NaN -> NaN. */
static inline v128_t vm_exp_flush(v128_t z) {
    v128_t e = vm_exp(z);
    return wasm_v128_andnot(e, wasm_f32x4_lt(z, VM_SPLAT(VM_EXP_CUTOFF)));
}

/* exp(-a^2/2) times 2^k (magic = 1.5 * 2^23 + 127 + k) for a >= 0, with
 * no rounding of a^2: ah = a with its low 12 bits cleared, so hi = ah^2 is
 * exact (24 bits) and lo = (a - ah)(a + ah) is the rest (exact but for its
 * own rounding, ~2^-24 of a 2^-11 part); n = round(-(hi + lo)/2 log2 e) and
 * exp(-a^2/2) = 2^n e^r with r = -rho/2, rho = (hi + n 2ln2_hi) + lo +
 * n 2ln2_lo: n 2ln2_hi is exact and hi + n 2ln2_hi is exact by Sterbenz, so
 * the rounding of hi + lo never reaches r. The degree-5 exp polynomial is
 * evaluated in rho directly (coefficients c_i (-1/2)^i, exact rescalings).
 * Valid while n + 127 + k is in [1, 254]. */
static inline v128_t vm_exp_neg_half_square_scaled(v128_t a, v128_t magic) {
    v128_t ah = wasm_v128_and(a, wasm_i32x4_const_splat((int32_t)0xFFFFF000));
    v128_t hi = wasm_f32x4_mul(ah, ah);
    v128_t lo = wasm_f32x4_mul(wasm_f32x4_sub(a, ah), wasm_f32x4_add(a, ah));
    v128_t n = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_add(hi, lo), VM_SPLAT(-0.5f * VM_LOG2E)), magic);
    v128_t s = wasm_i32x4_shl(n, 23);
    n = wasm_f32x4_sub(n, magic);
    v128_t rho = wasm_f32x4_add(wasm_f32x4_add(hi, wasm_f32x4_mul(n, VM_SPLAT(2.0f * VM_LN2_HI))), lo);
    rho = wasm_f32x4_add(rho, wasm_f32x4_mul(n, VM_SPLAT(2.0f * VM_LN2_LO)));
    /* e^(-rho/2) = 1 + rho p(rho), p = sum c_i (-1/2)^i rho^(i-1) */
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(VM_SPLAT(-0x1p-5f * VM_EXP_C5), rho), VM_SPLAT(0x1p-4f * VM_EXP_C4));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, rho), VM_SPLAT(-0x1p-3f * VM_EXP_C3));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, rho), VM_SPLAT(0x1p-2f * VM_EXP_C2));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, rho), VM_SPLAT(-0.5f * VM_EXP_C1));
    return wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_mul(rho, s), p));
}

/* expm1(z) for z in [-87.3, 0] (callers clamp), rr2_p6:
 * expm1(z) = 2^n expm1(r) + (2^n - 1), relative error ~1e-7 also near 0
 * (n = 0 gives expm1(r) itself). */
static inline v128_t vm_expm1_neg(v128_t z) {
    v128_t s;
    v128_t r = vm_reduce(z, &s);
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(VM_SPLAT(VM_EXPM1_C6), r), VM_SPLAT(VM_EXPM1_C5));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), VM_SPLAT(VM_EXPM1_C4));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), VM_SPLAT(VM_EXPM1_C3));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r), VM_SPLAT(VM_EXPM1_C2));
    p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r); /* expm1(r) */
    return wasm_f32x4_add(wasm_f32x4_mul(s, p), wasm_f32x4_sub(s, VM_SPLAT(1.0f)));
}

/* The upper tail of the standard normal, Q(a) = Phi(-a) = 1 - Phi(a), a >= 0,
 * through the Mills ratio: Q(a) = exp(-a^2/2) tau S(tau), tau = 1 / (K + a),
 * S of degree 7 (tau S(tau) tends to 1/sqrt(2 pi) / a, the Mills ratio's own
 * limit, so a polynomial in tau keeps its relative accuracy in the tail). S
 * was fitted for this file on a in [0, 14.75] to the relative error of
 * tau S(tau) against Q(a) exp(a^2/2) computed with mpmath (Lawson-weighted
 * least squares with tau rounded as float32 computes it; coefficients rounded
 * to float32 one at a time, the rest refitted): 3.5e-7 evaluated in float32
 * (Horner), including the rounding of tau; K = 3.27 minimised it. At a = 0
 * it gives Q(0) = 0.5 exactly. vm_mills_tau_poly returns scale tau S(tau)
 * (= scale Q(a) exp(a^2/2); scale a power of 2, folded into the
 * coefficients at compile time); the caller supplies the exp. */
#define VM_MILLS_K 0x1.A28F5Cp+1f   /* 3.27 */
#define VM_MILLS_S0 0x1.986876p-2f  /* 0.398835987 (~1/sqrt(2 pi)) */
#define VM_MILLS_S1 0x1.4FE3CAp+0f  /* 1.31206954 */
#define VM_MILLS_S2 0x1.D2821Ep+1f  /* 3.64459586 */
#define VM_MILLS_S3 0x1.B35A30p+3f  /* 13.6047592 */
#define VM_MILLS_S4 (-0x1.958F40p+3f) /* -12.6737366 */
#define VM_MILLS_S5 0x1.B9A9A8p+7f  /* 220.83136 */
#define VM_MILLS_S6 (-0x1.2E4B62p+9f) /* -604.588928 */
#define VM_MILLS_S7 0x1.DE9082p+8f  /* 478.564484 */

static inline v128_t vm_mills_tau_poly(v128_t a, float scale) {
    v128_t t = wasm_f32x4_div(VM_SPLAT(1.0f), wasm_f32x4_add(a, VM_SPLAT(VM_MILLS_K)));
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(VM_MILLS_S7 * scale), t), wasm_f32x4_splat(VM_MILLS_S6 * scale));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(VM_MILLS_S5 * scale));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(VM_MILLS_S4 * scale));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(VM_MILLS_S3 * scale));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(VM_MILLS_S2 * scale));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(VM_MILLS_S1 * scale));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(VM_MILLS_S0 * scale));
    return wasm_f32x4_mul(t, p);
}

/* sin x, rr2_p9: k = round(x / pi) by the magic-bias trick (1.5 * 2^23 has
 * ulp 1, so the low mantissa bit of x/pi + magic is k's parity); Cody-Waite
 * r = (x - k pi_hi) - k pi_lo in [-pi/2, pi/2], where pi_hi has 12
 * significant bits, so k pi_hi and x - k pi_hi are exact for |k| < 2^12;
 * sin x = (-1)^k sin r, sin r ~ r + r^3 (c3 + r^2 (c5 + r^2 (c7 + r^2 c9))).
 * Domain: |x| <= VM_SIN_XMAX (|k| <= 2608); the caller computes larger
 * lanes otherwise. Error of r: pi - pi_hi - pi_lo = -3.3e-13 times |k| <=
 * 8.6e-10, plus the rounding of the second subtraction (<= 6e-8); the
 * polynomial (fitted for this file on |r| <= 1.5718, Lawson-weighted least
 * squares on the relative error, float64, then rounded to float32) is off by
 * 1.0e-8 relative in exact arithmetic. +-0 -> +-0 (selected: r = x - k pi_hi
 * - 0 pi_lo would turn -0 into +0), +-Inf and NaN -> NaN. */
#define VM_SIN_XMAX 0x1p13f             /* 8192 */
#define VM_INV_PI 0x1.45F306p-2f        /* 1 / pi, rounded to float */
#define VM_ROUND_MAGIC 0x1.8p23f        /* 1.5 * 2^23: adding it rounds to an integer */
#define VM_PI_HI 0x1.922p+1f            /* 3.1416015625: pi to 12 significant bits */
#define VM_PI_LO (-0x1.2AEEF4p-17f)     /* pi - VM_PI_HI, rounded to float (-8.9089e-6) */
#define VM_SIN_C3 (-0x1.55554Cp-3f)     /* -0.166666597 */
#define VM_SIN_C5 0x1.110ED2p-7f        /*  0.00833306555 */
#define VM_SIN_C7 (-0x1.9F6F8Ep-13f)    /* -0.000198095207 */
#define VM_SIN_C9 0x1.5DB75Cp-19f       /*  2.60558909e-06 */

static inline v128_t vm_sin(v128_t x) {
    v128_t n = wasm_f32x4_add(wasm_f32x4_mul(x, VM_SPLAT(VM_INV_PI)), VM_SPLAT(VM_ROUND_MAGIC));
    v128_t odd = wasm_i32x4_shl(n, 31); /* the sign bit where k is odd */
    v128_t k = wasm_f32x4_sub(n, VM_SPLAT(VM_ROUND_MAGIC));
    v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(k, VM_SPLAT(VM_PI_HI)));
    r = wasm_f32x4_sub(r, wasm_f32x4_mul(k, VM_SPLAT(VM_PI_LO)));
    v128_t r2 = wasm_f32x4_mul(r, r);
    v128_t p = wasm_f32x4_add(wasm_f32x4_mul(VM_SPLAT(VM_SIN_C9), r2), VM_SPLAT(VM_SIN_C7));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r2), VM_SPLAT(VM_SIN_C5));
    p = wasm_f32x4_add(wasm_f32x4_mul(p, r2), VM_SPLAT(VM_SIN_C3));
    v128_t y = wasm_v128_xor(wasm_f32x4_add(r, wasm_f32x4_mul(wasm_f32x4_mul(r, r2), p)), odd);
    return wasm_v128_bitselect(x, y, wasm_f32x4_eq(x, wasm_f32x4_const_splat(0.0f))); /* +-0 kept */
}

#endif /* __wasm_simd128__ */
#endif /* MLP_VMATH_H */
