/* rng.h: the one pseudo-random generator of mlp-lab, header-only.
 *
 * PCG32 (M. E. O'Neill, "PCG: A Family of Simple Fast Space-Efficient
 * Statistically Good Algorithms for Random Number Generation", 2014; the
 * pcg32_random_r / pcg32_srandom_r of the minimal C library): a 64-bit LCG
 * state with an XSH-RR output permutation, 32 bits per call. The 32-bit user
 * seed is spread over the 64-bit initial state by splitmix64 (Steele, Lea,
 * Flood 2014), and `stream` picks one of 2^63 independent sequences, so the
 * network and the data sets never share a stream even with equal seeds.
 *
 * Integer arithmetic only, so a seed gives the same sequence on every
 * machine and in both WebAssembly builds. Floats come from the top 24 bits
 * (exact in a float's 24-bit significand). Each object that needs
 * randomness owns its pcg32; there is no global state.
 */
#ifndef MLP_RNG_H
#define MLP_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
    uint64_t inc; /* always odd: selects the stream */
} pcg32;

static inline uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static inline uint32_t pcg32_next(pcg32 *r) {
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

static inline void pcg32_seed(pcg32 *r, uint32_t seed, uint64_t stream) {
    r->state = 0;
    r->inc = (stream << 1) | 1u;
    (void)pcg32_next(r);
    r->state += splitmix64(seed);
    (void)pcg32_next(r);
}

/* Uniform in [0, 1): the top 24 bits times 2^-24 (exact). */
static inline float pcg32_float(pcg32 *r) {
    return (float)(pcg32_next(r) >> 8) * 0x1p-24f;
}

/* Uniform in (0, 1]: never 0, for logarithms. */
static inline float pcg32_float_open0(pcg32 *r) {
    return (float)((pcg32_next(r) >> 8) + 1u) * 0x1p-24f;
}

/* Uniform integer in [0, bound), bound >= 1, without modulo bias
 * (D. Lemire, "Fast Random Integer Generation in an Interval", 2019). */
static inline uint32_t pcg32_below(pcg32 *r, uint32_t bound) {
    uint64_t m = (uint64_t)pcg32_next(r) * bound;
    uint32_t l = (uint32_t)m;
    if (l < bound) {
        uint32_t t = (0u - bound) % bound;
        while (l < t) {
            m = (uint64_t)pcg32_next(r) * bound;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

#endif
