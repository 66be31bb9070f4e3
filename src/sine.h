/* sine.h: our own sine, in double, for the data sets (data.c) and the
 * scalar sin features (features.c). libm's sin and sinf pull about 12 KB of
 * range-reduction tables into the module; these need 24 bytes of 1/pi.
 *
 * sine_d(x), for |x| < 2^25: reduce to [-pi, pi] by the nearest multiple of
 * 2 pi (k 2pi with 2 pi rounded to double, then its 2.4e-16 rest: the
 * rounding of k * two_pi_hi leaves at most 0.5 ulp(|x|) in double, 3.7e-9
 * at |x| = 2^25, 1e-15 for the data sets' |x| <= 8 pi), fold to
 * [-pi/2, pi/2], then Taylor to x^17 (truncation < (pi/2)^19 / 19! = 4e-13).
 *
 * sine_f32(x), for every float: sine_d below 2^25; above, Payne-Hanek: x is
 * M 2^e with M a 24-bit integer and e >= 2, so x / pi = M 2^(e-1) (2/pi)
 * needs, modulo 2, only the 64 bits of 2/pi from weight 2^-(e-1) on; their
 * product with M (mod 2^64) gives the parity of round(x / pi) and the
 * fraction f in [-1/2, 1/2], and sin x = (-1)^k sin(pi f). The bits of 2/pi
 * left out change f by less than 2^24 2^-63 = 2^-39 (pi f by < 6e-12).
 * sine_f32: NaN and +-Inf give NaN, +-0 gives +-0.
 */
#ifndef MLP_SINE_H
#define MLP_SINE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* sin r for |r| <= pi/2: Taylor to r^17. */
static inline double sine_taylor_d(double r) {
    double r2 = r * r, term = r, sum = r;
    for (int i = 1; i <= 8; i++) { /* r^3/3! ... r^17/17! */
        term *= -r2 / ((2.0 * i) * (2.0 * i + 1.0));
        sum += term;
    }
    return sum;
}

/* sin x for |x| < 2^25 (see above). */
static inline double sine_d(double x) {
    const double two_pi_hi = 6.28318530717958623200; /* 2 pi rounded to double */
    const double two_pi_lo = 2.44929359829470635e-16; /* 2 pi - two_pi_hi     */
    const double pi = 3.14159265358979311600, half_pi = 1.57079632679489655800;
    double k = floor(x / two_pi_hi + 0.5);
    double r = (x - k * two_pi_hi) - k * two_pi_lo; /* [-pi, pi] */
    if (r > half_pi) r = pi - r;
    else if (r < -half_pi) r = -pi - r;
    return sine_taylor_d(r);
}

/* sin x for |x| >= 2^25 (finite) by Payne-Hanek. */
static inline double sine_large_d(float x) {
    /* 2/pi = 0.A2F9836E 4E441529 FC2757D1 F534DDC0 DB629599 3C439041 ... (hex):
     * 192 bits, enough for windows up to bit 166 (e - 1 <= 103). */
    static const uint32_t TWO_OVER_PI[6] = {0xA2F9836Eu, 0x4E441529u, 0xFC2757D1u,
                                            0xF534DDC0u, 0xDB629599u, 0x3C439041u};
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    const uint64_t M = (u & 0x7FFFFFu) | 0x800000u; /* |x| = M 2^e */
    const int e = (int)((u >> 23) & 0xFFu) - 127 - 23; /* 2..104 here */
    /* bits j0 .. j0+63 of 2/pi (bit 1 is the first after the point), j0 = e - 1 */
    const int p = e - 2, w = p / 32, sh = p % 32;
    uint64_t W = ((uint64_t)TWO_OVER_PI[w] << 32) | TWO_OVER_PI[w + 1];
    if (sh) W = (W << sh) | (TWO_OVER_PI[w + 2] >> (32 - sh));
    /* x / pi mod 2 = (M W mod 2^64) 2^-63 */
    const uint64_t lo = M * (W & 0xFFFFFFFFu), hi = M * (W >> 32);
    const uint64_t prod = (hi << 32) + lo;
    int odd = (int)(prod >> 63);
    double f = (double)(prod & 0x7FFFFFFFFFFFFFFFull) * 0x1p-63; /* [0, 1) */
    if (f >= 0.5) {
        f -= 1.0;
        odd ^= 1;
    }
    const double s = sine_taylor_d(f * 3.14159265358979323846);
    return (odd ? -s : s) * (x < 0.0f ? -1.0 : 1.0);
}

/* sin x of a float, correctly reduced for every float. */
static inline double sine_f32(float x) {
    if (x == 0.0f) return x;                      /* +-0, sign kept */
    if (!(fabsf(x) >= 0x1p25f)) return sine_d(x); /* NaN too: NaN */
    if (isinf(x)) return x - x;                   /* NaN */
    return sine_large_d(x);
}

#endif
