/* data.c: the synthetic data sets of mlp-lab (API in mlp_lab.h).
 *
 * 2-D classification sets live on about [-6, 6]^2, as in TensorFlow
 * Playground (its points fill [-5, 5]^2 and it draws [-6, 6]^2); 1-D
 * regression sets have x in [-pi, pi]. Every coordinate is clamped to the
 * data_range, so each point can be drawn.
 *
 * Balance: row i has class i % classes (classes interleaved), so each class
 * has floor(n / classes) or one more rows. For 2-class sets the labels are
 * 0 and 1, for blobs 0, 1, 2; y holds them as floats.
 *
 * noise in [0, 1] (0 clean; Playground's 0..50% slider is 0..0.5 here).
 * U(a, b) is uniform, N(0, 1) a standard normal (Box-Muller). Definitions,
 * for class c of row i:
 *   circle    c = 1 inside: r ~ U(0, 2.5); c = 0 a ring: r ~ U(3.5, 5);
 *             angle ~ U(0, 2 pi); point (r sin, r cos) + U(-5, 5)^2 noise
 *             (Playground's circle, with the noise moving points rather
 *             than relabelling them).
 *   xor       c = 1 where x1 x2 > 0, else 0: a sign pair chosen uniformly
 *             among the class's two quadrants, |x| ~ U(0.3, 5.3) per axis
 *             (Playground's 0.3 padding), + U(-5, 5)^2 noise.
 *   gaussian  c = 1 around (2, 2), c = 0 around (-2, -2), each coordinate
 *             + N(0, 1) s with s = 0.5 + 7 noise (Playground's 0.5 at no
 *             noise and 4 at 50%).
 *   spiral    two arms, c = 0 and c = 1 rotated by pi: for the j-th of m
 *             points of the class, r = 5 j / m, t = 1.75 * 2 pi j / m + c pi,
 *             (r sin t, r cos t) + U(-1, 1)^2 noise (Playground's spiral).
 *   moons     scikit-learn's two moons in units of 3, centred:
 *             c = 0: (cos t, sin t), c = 1: (1 - cos t, 0.5 - sin t),
 *             t ~ U(0, pi), minus (0.5, 0.25), times 3, + N(0, 1)^2 1.5 noise
 *             (sklearn's noise = 0.5 noise in moon units).
 *   blobs     3 classes around the points at radius 4 and angles 90, 210,
 *             330 degrees, + N(0, 1)^2 s with s = 0.5 + 3 noise.
 *   sin       x ~ U(-pi, pi), y = sin x + 0.5 noise N(0, 1).
 *   abs       x ~ U(-pi, pi), y = |x| + 0.5 noise N(0, 1).
 *   step      x ~ U(-pi, pi), y = 1 if x >= 0 else 0, + 0.5 noise N(0, 1).
 *   aboveSin, aboveCubic, aboveAbs: points above or below a curve x2 = f(x1),
 *             f = 3 sin x, x^3 / 20 and |x| - 3: (x1, x2) ~ U(-6, 6)^2 and
 *             c = 1 exactly where x2 + e > f(x1), e = U(-5, 5) noise (so at
 *             noise 0 the label is x2 > f(x1), and noise flips labels within
 *             5 noise of the curve, the more often the nearer, as circle's
 *             and xor's U(-5, 5) noise moves points across their boundary).
 *             Each row draws points until one has its class i % 2 (about two
 *             draws): every curve halves the square (f odd, or for |x| - 3
 *             because f(x1) and x2 + e are both symmetric about 0), so the
 *             points stay uniform in the square. The comparison is in double,
 *             f by sine_d (sine.h), so the label is exact for the float point.
 *
 * Each set draws from its own PCG32 stream (rng.h) seeded by seed, so the
 * same (kind, n, noise, seed) gives the same bits in one build; uniform
 * draws are bit-identical across builds, the normal ones use libm's logf and
 * so may differ in the last bit between libms. Sine and cosine are our own
 * (sine_d, sine.h): libm's pull about 12 KB of range-reduction tables into
 * the module for arguments that never exceed a few multiples of pi here.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "mlp_lab.h"
#include "rng.h"
#include "sine.h"

#define DATA_STREAM 0x64617461000ULL /* "data", plus the kind */
#define PI_F 3.14159265358979f

static const float LO2 = -6.0f, HI2 = 6.0f;  /* 2-D sets: [-6, 6]^2  */
static const float LO1 = -PI_F, HI1 = PI_F;  /* 1-D sets: [-pi, pi]  */

static float uniform(pcg32 *r, float a, float b) { return a + (b - a) * pcg32_float(r); }

static double cos_d(double x) { return sine_d(x + 1.57079632679489661923); }
static float sin_f(float x) { return (float)sine_d(x); }
static float cos_f(float x) { return (float)cos_d(x); }

/* One N(0, 1) draw (Box-Muller; the second value is dropped to keep the
 * stream simple). */
static float normal(pcg32 *r) {
    const float u1 = pcg32_float_open0(r); /* (0, 1] */
    const float u2 = pcg32_float(r);       /* [0, 1) */
    /* logf, not log: musl's double log brings a 4 KB table into the module */
    return sqrtf(-2.0f * logf(u1)) * (float)cos_d(2.0 * 3.14159265358979323846 * u2);
}

static float clampf(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }

/* The curve x2 = f(x1) of the above* sets, in double. */
static double curve(int kind, float x1) {
    if (kind == DATA_ABOVE_SIN) return 3.0 * sine_d(x1);
    if (kind == DATA_ABOVE_CUBIC) return (double)x1 * x1 * x1 / 20.0;
    return fabs((double)x1) - 3.0; /* DATA_ABOVE_ABS */
}

int data_dims(int kind, int32_t *d, int32_t *classes) {
    if (kind < 0 || kind >= DATA_COUNT) return MLP_ERR_ARG;
    const int one_d = kind == DATA_SIN || kind == DATA_ABS || kind == DATA_STEP;
    if (d) *d = one_d ? 1 : 2;
    if (classes) *classes = one_d ? 0 : kind == DATA_BLOBS ? 3 : 2;
    return MLP_OK;
}

int data_range(float *lo, float *hi, int kind) {
    if (kind < 0 || kind >= DATA_COUNT) return MLP_ERR_ARG;
    int32_t d;
    data_dims(kind, &d, NULL);
    if (lo) *lo = d == 1 ? LO1 : LO2;
    if (hi) *hi = d == 1 ? HI1 : HI2;
    return MLP_OK;
}

int data_make(float *X, float *y, int kind, int n, float noise, uint32_t seed) {
    if (kind < 0 || kind >= DATA_COUNT || !X || !y || n < 1 || n > 10000000) return MLP_ERR_ARG;
    if (!(noise >= 0.0f && noise <= 1.0f)) return MLP_ERR_ARG; /* NaN too */
    int32_t d, classes;
    data_dims(kind, &d, &classes);
    pcg32 rng;
    pcg32_seed(&rng, seed, DATA_STREAM + (uint64_t)kind);
    pcg32 *r = &rng;

    if (d == 1) {
        for (int i = 0; i < n; i++) {
            const float x = uniform(r, LO1, HI1);
            float t = kind == DATA_SIN ? sin_f(x) : kind == DATA_ABS ? fabsf(x) : (x >= 0.0f ? 1.0f : 0.0f);
            if (noise > 0.0f) t += 0.5f * noise * normal(r);
            X[i] = x; /* (n, 1) */
            y[i] = t; /* (n)    */
        }
        return MLP_OK;
    }

    for (int i = 0; i < n; i++) {
        const int c = i % classes;
        float x1 = 0.0f, x2 = 0.0f;
        switch (kind) {
        case DATA_CIRCLE: {
            const float rad = c == 1 ? uniform(r, 0.0f, 2.5f) : uniform(r, 3.5f, 5.0f);
            const float ang = uniform(r, 0.0f, 2.0f * PI_F);
            x1 = rad * sin_f(ang) + uniform(r, -5.0f, 5.0f) * noise;
            x2 = rad * cos_f(ang) + uniform(r, -5.0f, 5.0f) * noise;
            break;
        }
        case DATA_XOR: {
            /* c = 1: signs (+,+) or (-,-); c = 0: (+,-) or (-,+) */
            const float s1 = (pcg32_next(r) >> 31) ? 1.0f : -1.0f;
            const float s2 = c == 1 ? s1 : -s1;
            x1 = s1 * uniform(r, 0.3f, 5.3f) + uniform(r, -5.0f, 5.0f) * noise;
            x2 = s2 * uniform(r, 0.3f, 5.3f) + uniform(r, -5.0f, 5.0f) * noise;
            break;
        }
        case DATA_GAUSSIAN: {
            const float s = 0.5f + 7.0f * noise, m = c == 1 ? 2.0f : -2.0f;
            x1 = m + s * normal(r);
            x2 = m + s * normal(r);
            break;
        }
        case DATA_SPIRAL: {
            const int j = i / classes;                        /* index within the class */
            const int m = (n - c + classes - 1) / classes;     /* rows of class c */
            const float f = (float)j / (float)m;
            const float rad = 5.0f * f;
            const float t = 1.75f * 2.0f * PI_F * f + (c == 1 ? PI_F : 0.0f);
            x1 = rad * sin_f(t) + uniform(r, -1.0f, 1.0f) * noise;
            x2 = rad * cos_f(t) + uniform(r, -1.0f, 1.0f) * noise;
            break;
        }
        case DATA_MOONS: {
            const float t = uniform(r, 0.0f, PI_F);
            const float mx = c == 0 ? cos_f(t) : 1.0f - cos_f(t);
            const float my = c == 0 ? sin_f(t) : 0.5f - sin_f(t);
            x1 = 3.0f * (mx - 0.5f);
            x2 = 3.0f * (my - 0.25f);
            if (noise > 0.0f) {
                x1 += 1.5f * noise * normal(r);
                x2 += 1.5f * noise * normal(r);
            }
            break;
        }
        case DATA_ABOVE_SIN:
        case DATA_ABOVE_CUBIC:
        case DATA_ABOVE_ABS: {
            /* A draw has its class with probability 1/2: 64 misses in a row
             * come once in 2^64 rows; then the last point keeps its own label. */
            int label = -1;
            for (int tries = 0; tries < 64 && label != c; tries++) {
                x1 = uniform(r, LO2, HI2);
                x2 = uniform(r, LO2, HI2);
                const double e = noise > 0.0f ? (double)(uniform(r, -5.0f, 5.0f) * noise) : 0.0;
                label = (double)x2 + e > curve(kind, x1);
            }
            X[2 * (size_t)i] = x1; /* (n, 2), inside [-6, 6]^2 already */
            X[2 * (size_t)i + 1] = x2;
            y[i] = (float)label;
            continue;
        }
        default: { /* DATA_BLOBS */
            static const float cx[3] = {0.0f, -3.46410162f, 3.46410162f}; /* 4 cos(90, 210, 330 deg) */
            static const float cy[3] = {4.0f, -2.0f, -2.0f};              /* 4 sin(...) */
            const float s = 0.5f + 3.0f * noise;
            x1 = cx[c] + s * normal(r);
            x2 = cy[c] + s * normal(r);
            break;
        }
        }
        X[2 * (size_t)i] = clampf(x1, LO2, HI2);     /* (n, 2) */
        X[2 * (size_t)i + 1] = clampf(x2, LO2, HI2);
        y[i] = (float)c; /* (n) */
    }
    return MLP_OK;
}
