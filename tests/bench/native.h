/* native.h: shared by the benchmark's native drivers (native.c: our C built
 * with cc -O3 -march=native; native_vec.c: plain loops over glibc's 4-lane
 * vector libm, -ffast-math). Timing, the float64 reference, the input, the
 * plain per-kind C loops and the "@@{json}" report of one activation run.
 * Needs ACT_* from mlp_lab.h (only its enums: nothing is linked from src/). */
#ifndef MLP_BENCH_NATIVE_H
#define MLP_BENCH_NATIVE_H
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mlp_lab.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef void (*work_fn)(void *ctx);

/* ms per call: warm-up, an inner count so one sample lasts >= min_ms, then
 * the median of `samples` samples (as lib.mjs timeIt). */
static double g_last_min; /* the fastest sample of the last time_it (this driver is single-threaded) */

static double time_it(work_fn fn, void *ctx, double min_ms, int samples) {
    for (int i = 0; i < 3; i++) fn(ctx);
    long inner = 1;
    for (;;) {
        double t0 = now_ms();
        for (long i = 0; i < inner; i++) fn(ctx);
        double dt = now_ms() - t0;
        if (dt >= min_ms || inner >= (1L << 24)) break;
        long next = (long)ceil(inner * min_ms * 1.2 / (dt > 1e-3 ? dt : 1e-3));
        inner = next > 2 * inner ? next : 2 * inner;
    }
    double per[32];
    if (samples > 32) samples = 32;
    for (int s = 0; s < samples; s++) {
        double t0 = now_ms();
        for (long i = 0; i < inner; i++) fn(ctx);
        per[s] = (now_ms() - t0) / inner;
    }
    qsort(per, samples, sizeof per[0], cmp_double);
    g_last_min = per[0];
    return per[samples / 2];
}

/* ---- activations ------------------------------------------------------- */

static const char *ACT_NAMES[] = {"relu", "prelu", "sigmoid", "tanh", "gelu", "swish"};
#define ALPHA 0.1f
#define BETA 1.0f

static double ref(int kind, int deriv, double v) {
    double s, t;
    switch (kind) {
    case ACT_RELU: return deriv ? (v > 0) : (v > 0 ? v : 0);
    case ACT_PRELU: return deriv ? (v > 0 ? 1 : ALPHA) : (v > 0 ? v : ALPHA * v);
    case ACT_SIGMOID: s = 1 / (1 + exp(-v)); return deriv ? s * (1 - s) : s;
    case ACT_TANH: t = tanh(v); return deriv ? 1 - t * t : t;
    case ACT_GELU:
        return deriv ? 0.5 * (1 + erf(v / sqrt(2))) + v * exp(-0.5 * v * v) / sqrt(2 * 3.14159265358979323846)
                     : 0.5 * v * (1 + erf(v / sqrt(2)));
    case ACT_SWISH: s = 1 / (1 + exp(-BETA * v)); return deriv ? s + BETA * v * s * (1 - s) : v * s;
    }
    return NAN;
}

typedef struct { float *y, *x; int n, kind, deriv, status; } act_ctx;

/* Plain C loops, one per kind with the switch outside the loop, in float
 * with libm's expf / tanhf / erff: what a C programmer would write for speed
 * without -ffast-math (gcc vectorizes the relu/prelu ones; libm calls stay
 * scalar). Context for the references above, which are written for
 * correctness (a switch per element, some double arithmetic). */
static void loop_forward(float *restrict y, const float *restrict x, int n, int kind) {
    switch (kind) {
    case ACT_RELU: for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0; break;
    case ACT_PRELU: for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : ALPHA * x[i]; break;
    case ACT_SIGMOID: for (int i = 0; i < n; i++) y[i] = 1 / (1 + expf(-x[i])); break;
    case ACT_TANH: for (int i = 0; i < n; i++) y[i] = tanhf(x[i]); break;
    case ACT_GELU: for (int i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1 + erff(x[i] * 0.70710678f)); break;
    case ACT_SWISH: for (int i = 0; i < n; i++) y[i] = x[i] / (1 + expf(-BETA * x[i])); break;
    }
}

static void loop_derivative(float *restrict y, const float *restrict x, int n, int kind) {
    switch (kind) {
    case ACT_RELU: for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? 1.0f : 0.0f; break;
    case ACT_PRELU: for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? 1.0f : ALPHA; break;
    case ACT_SIGMOID:
        for (int i = 0; i < n; i++) { float s = 1 / (1 + expf(-x[i])); y[i] = s * (1 - s); }
        break;
    case ACT_TANH: for (int i = 0; i < n; i++) { float t = tanhf(x[i]); y[i] = 1 - t * t; } break;
    case ACT_GELU:
        for (int i = 0; i < n; i++)
            y[i] = 0.5f * (1 + erff(x[i] * 0.70710678f)) + x[i] * 0.39894228f * expf(-0.5f * x[i] * x[i]);
        break;
    case ACT_SWISH:
        for (int i = 0; i < n; i++) { float s = 1 / (1 + expf(-BETA * x[i])); y[i] = s + BETA * x[i] * s * (1 - s); }
        break;
    }
}

static void loop_work(void *p) {
    act_ctx *c = p;
    if (c->deriv) loop_derivative(c->y, c->x, c->n, c->kind);
    else loop_forward(c->y, c->x, c->n, c->kind);
}

/* n floats in [-8, 8) from a fixed LCG (the same input for every driver). */
static void act_input(float *x, int n) {
    uint32_t s = 12345u;
    for (int i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = 16.0f * (float)((s >> 8) * (1.0 / 16777216.0)) - 8.0f;
    }
}

/* Time fn over c (all kinds, forward and derivative) and print one line per
 * run: Melem/s of the median and the fastest sample, and the largest error
 * against ref() over the first 65,536 outputs. Returns the OR of statuses. */
static int act_report(const char *impl, work_fn fn, float *y, float *x, int n) {
    int status = 0;
    for (int kind = 0; kind < 6; kind++)
        for (int deriv = 0; deriv < 2; deriv++) {
            act_ctx c = {y, x, n, kind, deriv, 0};
            double ms = time_it(fn, &c, 25, 9);
            status |= c.status;
            double err = 0;
            for (int i = 0; i < n && i < 65536; i++) {
                double want = ref(kind, deriv, x[i]);
                double d = fabs(y[i] - want) / (fabs(want) > 1 ? fabs(want) : 1);
                if (!(d <= err)) err = isnan(d) ? INFINITY : d;
            }
            printf("@@{\"impl\":\"%s\",\"kind\":\"%s\",\"deriv\":%s,\"melem\":%.3f,\"best\":%.3f,\"ms\":%.6f,\"err\":%.3g}\n",
                   impl, ACT_NAMES[kind], deriv ? "true" : "false", n / ms / 1e3, n / g_last_min / 1e3, ms, err);
        }
    return status;
}

#endif /* MLP_BENCH_NATIVE_H */
