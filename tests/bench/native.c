/* The native-C comparison for the benchmark: our own src/*.c built with
 * cc -O3 -march=native (no -ffast-math), driven from here. run.mjs builds it
 * into build/bench-native and reads the "@@{json}" lines it prints.
 *
 *   bench-native act N
 *       act_forward_ref / act_derivative_ref over N floats in [-8, 8), each
 *       kind; Melem/s and the largest error against libm in double; plus a
 *       memcpy of the same bytes as the memory-speed reference.
 *   bench-native train d,h..,q act out loss n batch lr X.f32 Y.f32 P.f32 grid.f32 min_ms
 *       mlp_create, parameters from P.f32 (W0 b0 W1 b1 ... as the JS side
 *       writes them), loss before, after one epoch and after the timed
 *       epochs (mlp_evaluate), examples/s of mlp_train_epoch without
 *       shuffling, and the time of one mlp_forward over the grid.
 */
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

static void act_work(void *p) {
    act_ctx *c = p;
    int st = c->deriv ? act_derivative_ref(c->y, c->x, c->n, c->kind, ALPHA, BETA)
                      : act_forward_ref(c->y, c->x, c->n, c->kind, ALPHA, BETA);
    c->status |= st;
}

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

static void copy_work(void *p) {
    act_ctx *c = p;
    memcpy(c->y, c->x, (size_t)c->n * sizeof(float));
    __asm__ volatile("" ::: "memory"); /* keep the copy */
}

static int bench_act(int n) {
    float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    if (!x || !y) return 1;
    uint32_t s = 12345u;
    for (int i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = 16.0f * (float)((s >> 8) * (1.0 / 16777216.0)) - 8.0f;
    }
    for (int kind = 0; kind < 6; kind++)
        for (int deriv = 0; deriv < 2; deriv++) {
            act_ctx c = {y, x, n, kind, deriv, 0};
            double ms = time_it(act_work, &c, 25, 9);
            if (c.status != MLP_OK) { fprintf(stderr, "act status %d\n", c.status); return 1; }
            double err = 0;
            for (int i = 0; i < n && i < 65536; i++) {
                double want = ref(kind, deriv, x[i]);
                double d = fabs(y[i] - want) / (fabs(want) > 1 ? fabs(want) : 1);
                if (!(d <= err)) err = isnan(d) ? INFINITY : d;
            }
            printf("@@{\"impl\":\"native\",\"kind\":\"%s\",\"deriv\":%s,\"melem\":%.3f,\"best\":%.3f,\"ms\":%.6f,\"err\":%.3g}\n",
                   ACT_NAMES[kind], deriv ? "true" : "false", n / ms / 1e3, n / g_last_min / 1e3, ms, err);
        }
    for (int kind = 0; kind < 6; kind++)
        for (int deriv = 0; deriv < 2; deriv++) {
            act_ctx c = {y, x, n, kind, deriv, 0};
            double ms = time_it(loop_work, &c, 25, 9);
            double err = 0;
            for (int i = 0; i < n && i < 65536; i++) {
                double want = ref(kind, deriv, x[i]);
                double d = fabs(y[i] - want) / (fabs(want) > 1 ? fabs(want) : 1);
                if (!(d <= err)) err = isnan(d) ? INFINITY : d;
            }
            printf("@@{\"impl\":\"native-loop\",\"kind\":\"%s\",\"deriv\":%s,\"melem\":%.3f,\"best\":%.3f,\"ms\":%.6f,\"err\":%.3g}\n",
                   ACT_NAMES[kind], deriv ? "true" : "false", n / ms / 1e3, n / g_last_min / 1e3, ms, err);
        }
    act_ctx c = {y, x, n, 0, 0, 0};
    double ms = time_it(copy_work, &c, 25, 9);
    printf("@@{\"impl\":\"native\",\"kind\":\"copy\",\"deriv\":false,\"melem\":%.3f,\"best\":%.3f,\"ms\":%.6f,\"err\":0}\n",
           n / ms / 1e3, n / g_last_min / 1e3, ms);
    free(x);
    free(y);
    return 0;
}

/* ---- training ----------------------------------------------------------- */

static float *read_f32(const char *path, long *count) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    float *p = malloc(bytes > 0 ? (size_t)bytes : 1);
    if (p && fread(p, 1, (size_t)bytes, f) != (size_t)bytes) { free(p); p = NULL; }
    fclose(f);
    *count = bytes / 4;
    return p;
}

static int lookup(const char *s, const char *const *names, int k) {
    for (int i = 0; i < k; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

typedef struct { mlp *net; const float *X, *Y; int n, batch, status; float lr, loss; } train_ctx;

static void train_work(void *p) {
    train_ctx *c = p;
    c->status |= mlp_train_epoch(c->net, &c->loss, c->X, c->Y, c->n, c->batch, 0, OPT_SGD, c->lr, 0);
}

typedef struct { mlp *net; const float *G; int n, status; } fwd_ctx;

static void fwd_work(void *p) {
    fwd_ctx *c = p;
    c->status |= mlp_forward(c->net, c->G, c->n);
}

static int bench_train(char **argv) {
    int32_t sizes[MLP_MAX_HIDDEN + 2];
    int ns = 0;
    for (char *tok = strtok(argv[0], ","); tok && ns < MLP_MAX_HIDDEN + 2; tok = strtok(NULL, ","))
        sizes[ns++] = atoi(tok);
    static const char *const acts[] = {"relu", "prelu", "sigmoid", "tanh", "gelu", "swish", "identity"};
    static const char *const outs[] = {"identity", "sigmoid", "softmax"};
    static const char *const losses[] = {"mse", "bce", "cross_entropy"};
    int act = lookup(argv[1], acts, 7), out = lookup(argv[2], outs, 3), loss = lookup(argv[3], losses, 3);
    int n = atoi(argv[4]), batch = atoi(argv[5]);
    float lr = (float)atof(argv[6]);
    double min_ms = atof(argv[11]);
    long nx, ny, np, ng;
    float *X = read_f32(argv[7], &nx), *Y = read_f32(argv[8], &ny), *P = read_f32(argv[9], &np),
          *G = read_f32(argv[10], &ng);
    if (!X || !Y || !P || !G || act < 0 || out < 0 || loss < 0) return 1;
    mlp *net = mlp_create(sizes, ns, act, out, loss, INIT_XAVIER, ALPHA, BETA, 1);
    if (!net) { fprintf(stderr, "mlp_create failed\n"); return 1; }
    if (np != mlp_num_params(net)) { fprintf(stderr, "params %ld != %d\n", np, mlp_num_params(net)); return 1; }
    /* P is W0 b0 W1 b1 ...; place each by the network's own offsets. */
    float *params = mlp_params(net);
    long at = 0;
    for (int l = 0; l < ns - 1; l++) {
        long w = (long)sizes[l] * sizes[l + 1];
        memcpy(params + mlp_w_offset(net, l), P + at, (size_t)w * 4);
        at += w;
        memcpy(params + mlp_b_offset(net, l), P + at, (size_t)sizes[l + 1] * 4);
        at += sizes[l + 1];
    }
    float loss0, loss1, lossN;
    int32_t right;
    if (mlp_evaluate(net, &loss0, &right, X, Y, n) != MLP_OK) return 1;
    train_ctx c = {net, X, Y, n, batch, 0, lr, 0};
    train_work(&c);
    if (mlp_evaluate(net, &loss1, &right, X, Y, n) != MLP_OK) return 1;
    double ms = time_it(train_work, &c, min_ms, 9), ms_min = g_last_min;
    if (c.status != MLP_OK) { fprintf(stderr, "train status %d\n", c.status); return 1; }
    if (mlp_evaluate(net, &lossN, &right, X, Y, n) != MLP_OK) return 1;
    double grid_ms = -1, grid_min = -1;
    if (sizes[0] == 2) {
        fwd_ctx f = {net, G, (int)(ng / 2), 0};
        grid_ms = time_it(fwd_work, &f, 25, 9);
        grid_min = g_last_min;
        if (f.status != MLP_OK) return 1;
    }
    printf("@@{\"impl\":\"native\",\"ms_epoch\":%.6f,\"ms_min\":%.6f,\"eps\":%.1f,\"loss0\":%.6g,\"loss1\":%.6g,"
           "\"lossN\":%.6g,\"acc\":%.4g,\"grid_ms\":%.6f,\"grid_min\":%.6f}\n",
           ms, ms_min, n / ms * 1e3, loss0, loss1, lossN, acc, grid_ms, grid_min);
    mlp_free(net);
    free(X); free(Y); free(P); free(G);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "act") == 0) return bench_act(atoi(argv[2]));
    if (argc >= 13 && strcmp(argv[1], "train") == 0) return bench_train(argv + 2);
    fprintf(stderr, "usage: bench-native act N | train sizes act out loss n batch lr X Y P grid min_ms\n");
    return 2;
}
