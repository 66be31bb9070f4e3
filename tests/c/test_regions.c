/* test_regions.c: the linear regions of ReLU / pReLU networks (regions.c),
 * natively under ASan and UBSan (make test-c).
 *
 * 1-D: hand-built networks with known breakpoints, and random ones checked
 * against the definition with an independent float64 forward pass: the
 * pattern differs on the two sides of every breakpoint, is constant inside
 * every piece, and no two of 20,000 sorted sample points with different
 * patterns lie in one piece. 2-D: a hand-built net (the orientation of the
 * grid), and random nets against the network's own forward pass (mlp.c's
 * hidden activations: z > 0 exactly where relu(z) > 0), ids assigned in
 * order of first appearance after sorting the cells by pattern.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout.h"
#include "mlp_lab.h"
#include "rng.h"

static pcg32 trng;
static float urand(float a, float b) { return a + (b - a) * pcg32_float(&trng); }

typedef struct {
    int32_t sizes[LAYOUT_MAX_SIZES];
    int n_sizes, act;
    float alpha;
    float *params;
} net;

static net random_net(const int32_t *sizes, int n_sizes, int act, float alpha, float bias) {
    net n = {{0}, n_sizes, act, alpha, NULL};
    memcpy(n.sizes, sizes, (size_t)n_sizes * sizeof(int32_t));
    const int P = layout_count(sizes, n_sizes);
    n.params = malloc((size_t)P * sizeof(float));
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
    layout_offsets(w_off, b_off, sizes, n_sizes);
    for (int l = 0; l < n_sizes - 1; l++) {
        const int fi = sizes[l], fo = sizes[l + 1];
        for (int i = 0; i < fi * fo; i++) n.params[w_off[l] + i] = urand(-1.0f, 1.0f) * 1.7f / sqrtf((float)fi);
        for (int j = 0; j < fo; j++) n.params[b_off[l] + j] = urand(-bias, bias);
    }
    return n;
}

/* The pattern at x (d inputs) in float64, one byte per hidden unit: z > 0. */
static int pattern64(unsigned char *pat, const net *n, const double *x) {
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
    const int L = layout_offsets(w_off, b_off, n->sizes, n->n_sizes);
    double h[MLP_MAX_WIDTH], z[MLP_MAX_WIDTH];
    for (int i = 0; i < n->sizes[0]; i++) h[i] = x[i];
    const double off = n->act == ACT_RELU ? 0.0 : n->alpha;
    int u = 0;
    for (int l = 0; l < L - 1; l++) {
        const int fi = n->sizes[l], fo = n->sizes[l + 1];
        for (int j = 0; j < fo; j++) {
            double s = n->params[b_off[l] + j];
            for (int k = 0; k < fi; k++) s += h[k] * n->params[w_off[l] + k * fo + j];
            z[j] = s;
        }
        for (int j = 0; j < fo; j++) {
            pat[u++] = z[j] > 0.0;
            h[j] = z[j] > 0.0 ? z[j] : off * z[j];
        }
    }
    return u;
}

static int pattern_at(unsigned char *pat, const net *n, double x) { return pattern64(pat, n, &x); }

static int32_t breakpoints(double *out, int cap, const net *n, double from, double to, int *rc) {
    int32_t count = -1;
    *rc = regions_1d(out, &count, cap, n->params, n->sizes, n->n_sizes, n->act, n->alpha, from, to);
    return count;
}

/* ---- 1-D: hand-built ---------------------------------------------------------- */

/* A zigzag 1-Z-Z-1: f(x) = relu(x) - 2 relu(x - 1) + 2 relu(x - 2) - ... over
 * layer 1's Z units (kinks at 0..Z-1) goes 0, 1, 0, 1, ... at the integers;
 * layer 2's unit k is f(x) - (k + 0.5) / (Z + 1), which crosses 0 once in
 * each (j, j + 1) for j < Z - 1. The parameters are malloc'd: free n.params. */
static net zigzag(int Z) {
    net n = {{1, Z, Z, 1}, 4, ACT_RELU, 0.0f, NULL};
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
    layout_offsets(w_off, b_off, n.sizes, 4);
    n.params = calloc((size_t)layout_count(n.sizes, 4), sizeof(float));
    for (int j = 0; j < Z; j++) {
        n.params[w_off[0] + j] = 1.0f;
        n.params[b_off[0] + j] = (float)-j;
        for (int k = 0; k < Z; k++) n.params[w_off[1] + j * Z + k] = j == 0 ? 1.0f : (j % 2 ? -2.0f : 2.0f);
        n.params[b_off[1] + j] = -(j + 0.5f) / (float)(Z + 1); /* unit j of layer 2 */
        n.params[w_off[2] + j] = 1.0f;
    }
    return n;
}

static void expect_1d(const net *n, double from, double to, const double *want, int nw, const char *what) {
    double got[512];
    int rc;
    const int32_t c = breakpoints(got, 512, n, from, to, &rc);
    CHECK(rc == MLP_OK, "%s: rc %d", what, rc);
    CHECK(c == nw, "%s: %d breakpoints, want %d", what, c, nw);
    for (int i = 0; i < nw && i < c; i++)
        CHECK(fabs(got[i] - want[i]) <= 1e-12 * (1 + fabs(want[i])), "%s: breakpoint %d at %.17g, want %.17g",
              what, i, got[i], want[i]);
}

static void test_1d_hand(void) {
    /* 1-3-1: z = x - 0.5, 2x + 1, -x + 0.25: kinks at 0.5, -0.5, 0.25 */
    float p1[] = {1, 2, -1, -0.5f, 1, 0.25f, 1, 1, 1, 0};
    net n = {{1, 3, 1}, 3, ACT_RELU, 0.0f, p1};
    expect_1d(&n, -2, 2, (double[]){-0.5, 0.25, 0.5}, 3, "1-3-1 on (-2, 2)");
    expect_1d(&n, 0, 1, (double[]){0.25, 0.5}, 2, "1-3-1 on (0, 1)");
    expect_1d(&n, 0.5, 1, NULL, 0, "1-3-1 on (0.5, 1): the kink at from is not inside");
    expect_1d(&n, -1, 0.5, (double[]){-0.5, 0.25}, 2, "1-3-1 on (-1, 0.5)");
    n.act = ACT_PRELU, n.alpha = 0.25f;
    expect_1d(&n, -2, 2, (double[]){-0.5, 0.25, 0.5}, 3, "prelu 0.25");
    n.alpha = -1.0f; /* |z|: still a kink */
    expect_1d(&n, -2, 2, (double[]){-0.5, 0.25, 0.5}, 3, "prelu -1");
    n.alpha = 1.0f; /* linear */
    expect_1d(&n, -2, 2, NULL, 0, "prelu 1 (linear)");
    n.act = ACT_IDENTITY;
    expect_1d(&n, -2, 2, NULL, 0, "identity");

    /* two units with one kink (x - 0.5 and 2x - 1) are one breakpoint */
    float p2[] = {1, 2, -0.5f, -1, 1, 1, 0};
    net d = {{1, 2, 1}, 3, ACT_RELU, 0.0f, p2};
    expect_1d(&d, -2, 2, (double[]){0.5}, 1, "a shared kink");

    /* a kink of layer 2 alone: relu(x + 10) - 10.5 crosses at x = 0.5 */
    float p3[] = {1, 10, 1, -10.5f, 1, 0};
    net k2 = {{1, 1, 1, 1}, 4, ACT_RELU, 0.0f, p3};
    expect_1d(&k2, -1, 1, (double[]){0.5}, 1, "layer 2's kink");
    expect_1d(&k2, -20, 1, (double[]){-10, 0.5}, 2, "both layers' kinks");

    /* |x - 1| = relu(x - 1) + relu(1 - x) into a unit that touches 0 at x = 1
     * without changing sign: the one breakpoint is layer 1's */
    float p4[] = {1, -1, -1, 1, 1, 1, 0, 1, 0};
    net t = {{1, 2, 1, 1}, 4, ACT_RELU, 0.0f, p4};
    expect_1d(&t, -3, 3, (double[]){1}, 1, "a touching zero");

    /* the zigzag on (0, 15): 14 integer kinks and 16 x 15 crossings */
    enum { Z = 16 };
    net zz = zigzag(Z);
    double want[14 + Z * 15];
    int nw = 0;
    for (int j = 0; j < 15; j++) {
        if (j > 0) want[nw++] = j;
        double lv[Z];
        for (int k = 0; k < Z; k++) {
            const double v = (double)(float)((k + 0.5f) / 17.0f); /* the float32 bias */
            lv[k] = j % 2 ? j + 1 - v : j + v;                     /* f rises on even j, falls on odd */
        }
        for (int k = 0; k < Z; k++) /* increasing x: sort this interval's crossings */
            for (int m = k + 1; m < Z; m++)
                if (lv[m] < lv[k]) { const double s = lv[k]; lv[k] = lv[m]; lv[m] = s; }
        for (int k = 0; k < Z; k++) want[nw++] = lv[k];
    }
    expect_1d(&zz, 0, 15, want, nw, "zigzag");
    free(zz.params);
}

/* The answer in slices: a cap below the count still counts; cap 0 with NULL counts only. */
static void test_1d_cap(void) {
    float p1[] = {1, 2, -1, -0.5f, 1, 0.25f, 1, 1, 1, 0};
    net n = {{1, 3, 1}, 3, ACT_RELU, 0.0f, p1};
    double two[2] = {7, 7};
    int rc;
    CHECK(breakpoints(two, 1, &n, -2, 2, &rc) == 3 && rc == MLP_OK, "cap 1: count 3");
    CHECK(two[0] == -0.5 && two[1] == 7, "cap 1 writes one: %g %g", two[0], two[1]);
    CHECK(breakpoints(NULL, 0, &n, -2, 2, &rc) == 3 && rc == MLP_OK, "cap 0, NULL: count 3");
}

/* ---- 1-D: random nets against the definition ------------------------------------ */

static void check_1d(const net *n, double from, double to, const char *what) {
    enum { MAXB = 8192, SAMPLES = 20000 };
    double *b = malloc(MAXB * sizeof(double));
    int rc;
    const int32_t c = breakpoints(b, MAXB, n, from, to, &rc);
    CHECK(rc == MLP_OK && c >= 0 && c <= MAXB, "%s: rc %d count %d", what, rc, c);
    if (rc != MLP_OK || c > MAXB) {
        free(b);
        return;
    }
    unsigned char p0[6 * MLP_MAX_WIDTH], p1[6 * MLP_MAX_WIDTH];
    for (int i = 0; i < c; i++) {
        CHECK(b[i] > from && b[i] < to && (i == 0 || b[i] > b[i - 1]), "%s: breakpoint %d = %.17g not increasing in (%g, %g)",
              what, i, b[i], from, to);
        /* the two sides differ */
        const double lo = i ? b[i - 1] : from, hi = i + 1 < c ? b[i + 1] : to;
        const double dl = fmin(1e-7, (b[i] - lo) / 4), dr = fmin(1e-7, (hi - b[i]) / 4);
        const int u = pattern_at(p0, n, b[i] - dl);
        pattern_at(p1, n, b[i] + dr);
        CHECK(memcmp(p0, p1, (size_t)u) != 0, "%s: the pattern does not change at breakpoint %d (%.17g)", what, i, b[i]);
    }
    /* constant inside each piece */
    for (int i = 0; i <= c; i++) {
        const double lo = i ? b[i - 1] : from, hi = i < c ? b[i] : to;
        const int u = pattern_at(p0, n, lo + 0.5 * (hi - lo));
        for (int s = 1; s < 16; s++) {
            const double x = lo + (hi - lo) * (0.001 + 0.998 * s / 16.0);
            pattern_at(p1, n, x);
            CHECK(memcmp(p0, p1, (size_t)u) == 0, "%s: the pattern changes inside piece %d (%.17g, %.17g) at %.17g", what,
                  i, lo, hi, x);
        }
    }
    /* nothing missed: two samples with different patterns have a breakpoint between them */
    int piece = 0;
    double prev_x = from;
    int u = pattern_at(p0, n, from + 1e-9 * (to - from));
    for (int s = 0; s < SAMPLES; s++) {
        const double x = from + (to - from) * (s + 0.5) / SAMPLES;
        pattern_at(p1, n, x);
        while (piece < c && b[piece] < x) piece++;
        if (memcmp(p0, p1, (size_t)u) != 0) {
            CHECK(piece > 0 && b[piece - 1] >= prev_x, "%s: patterns differ at %.17g and %.17g with no breakpoint between",
                  what, prev_x, x);
            memcpy(p0, p1, (size_t)u);
        }
        prev_x = x;
    }
    free(b);
}

static void test_1d_random(void) {
    int nets = 0;
    for (int trial = 0; trial < 60; trial++) {
        const int hidden = 1 + trial % 3;
        int32_t sizes[LAYOUT_MAX_SIZES] = {1};
        for (int l = 1; l <= hidden; l++) sizes[l] = 1 + (int32_t)pcg32_below(&trng, 12);
        sizes[hidden + 1] = 1 + (int32_t)pcg32_below(&trng, 3);
        const int act = trial % 2 ? ACT_PRELU : ACT_RELU;
        const float alpha = act == ACT_PRELU ? urand(-0.5f, 0.9f) : 0.0f;
        net n = random_net(sizes, hidden + 2, act, alpha, 1.5f);
        char what[64];
        snprintf(what, sizeof what, "random %s net %d (%d hidden)", act == ACT_RELU ? "relu" : "prelu", trial, hidden);
        check_1d(&n, -3.0, 3.0, what);
        check_1d(&n, 0.25, 0.5, what);
        free(n.params);
        nets++;
    }
    CHECK(nets == 60, "nets %d", nets);
}

/* A zigzag as wide as allowed needs more than REGIONS_MAX_PIECES intervals. */
static void test_1d_limit(void) {
    net zz = zigzag(256);
    int rc;
    breakpoints(NULL, 0, &zz, -1, 257, &rc);
    CHECK(rc == MLP_ERR_LIMIT, "a 256-wide zigzag: rc %d, want MLP_ERR_LIMIT", rc);
    /* a narrower interval of the same network is within the limit */
    const int32_t c = breakpoints(NULL, 0, &zz, 10.25, 20.25, &rc);
    CHECK(rc == MLP_OK && c == 10 + 256 * 10, "the zigzag on (10.25, 20.25): rc %d, %d breakpoints", rc, c);
    free(zz.params);
}

static void test_1d_errors(void) {
    float p1[] = {1, 2, -1, -0.5f, 1, 0.25f, 1, 1, 1, 0};
    net n = {{1, 3, 1}, 3, ACT_RELU, 0.0f, p1};
    double out[4];
    int32_t count = 0;
#define RC(...) regions_1d(__VA_ARGS__)
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_SIGMOID, 0, -1, 1) == MLP_ERR_ARG, "sigmoid");
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_COUNT, 0, -1, 1) == MLP_ERR_ARG, "bad act");
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_RELU, 0, 1, 1) == MLP_ERR_ARG, "from == to");
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_RELU, 0, 2, 1) == MLP_ERR_ARG, "from > to");
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_RELU, 0, NAN, 1) == MLP_ERR_ARG, "NaN from");
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_RELU, 0, -1, INFINITY) == MLP_ERR_ARG, "Inf to");
    CHECK(RC(out, &count, 4, p1, n.sizes, 3, ACT_PRELU, NAN, -1, 1) == MLP_ERR_ARG, "NaN alpha");
    CHECK(RC(out, &count, -1, p1, n.sizes, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "cap < 0");
    CHECK(RC(NULL, &count, 4, p1, n.sizes, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "NULL out, cap 4");
    CHECK(RC(out, NULL, 4, p1, n.sizes, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "NULL count");
    CHECK(RC(out, &count, 4, NULL, n.sizes, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "NULL params");
    CHECK(RC(out, &count, 4, p1, NULL, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "NULL sizes");
    CHECK(RC(out, &count, 4, p1, n.sizes, 1, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "n_sizes 1");
    const int32_t two[] = {2, 3, 1}, wide[] = {1, 257, 1};
    CHECK(RC(out, &count, 4, p1, two, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "2 inputs");
    CHECK(RC(out, &count, 4, p1, wide, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_ARG, "width 257");
    /* no hidden layer: one piece, whatever the activation */
    const int32_t lin[] = {1, 2};
    count = -1;
    CHECK(RC(out, &count, 4, p1, lin, 2, ACT_SIGMOID, 0, -1, 1) == MLP_OK && count == 0, "no hidden layer");
    /* a NaN parameter (only a C caller can pass one) */
    float pn[10];
    memcpy(pn, p1, sizeof pn);
    pn[4] = NAN;
    CHECK(RC(out, &count, 4, pn, n.sizes, 3, ACT_RELU, 0, -1, 1) == MLP_ERR_NONFINITE, "NaN bias");
#undef RC
}

/* ---- 2-D ---------------------------------------------------------------------- */

/* The grid's centres, as regions_2d documents them. */
static void grid(float *X, double lo, double hi, int k) {
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            X[2 * (i * k + j)] = (float)(lo + ((j + 0.5) / k) * (hi - lo));
            X[2 * (i * k + j) + 1] = (float)(hi - ((i + 0.5) / k) * (hi - lo));
        }
}

static void test_2d_hand(void) {
    /* z1 = x1, z2 = x2 - 0.5: four regions, row 0 (the top, x2 = 0.75) alone
     * above x2 = 0.5 */
    float p[] = {1, 0, 0, 1, 0, -0.5f, 1, 1, 0};
    const int32_t s[] = {2, 2, 1};
    uint32_t ids[16];
    int32_t count = 0;
    CHECK(regions_2d(ids, &count, p, s, 3, ACT_RELU, 0, -1, 1, 4) == MLP_OK, "x1 = 0, x2 = 0.5 rc");
    static const uint32_t want[16] = {0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3, 2, 2, 3, 3};
    CHECK(count == 4, "x1 = 0, x2 = 0.5: %d regions", count);
    CHECK(memcmp(ids, want, sizeof want) == 0, "x1 = 0, x2 = 0.5: ids %u %u %u %u / %u %u %u %u / ...", ids[0], ids[1], ids[2],
          ids[3], ids[4], ids[5], ids[6], ids[7]);
    /* linear networks: one region */
    for (int v = 0; v < 3; v++) {
        const int act = v == 0 ? ACT_IDENTITY : ACT_PRELU;
        const float alpha = 1.0f;
        memset(ids, 0xff, sizeof ids);
        count = 0;
        const int32_t lin[] = {2, 1};
        CHECK(regions_2d(ids, &count, p, v == 2 ? lin : s, v == 2 ? 2 : 3, v == 2 ? ACT_TANH : act, alpha, -1, 1, 4) ==
                  MLP_OK, "linear %d rc", v);
        int zeros = 0;
        for (int c = 0; c < 16; c++) zeros += ids[c] == 0;
        CHECK(count == 1 && zeros == 16, "linear %d: %d regions, %d zeros", v, count, zeros);
    }
}

/* ids (cells) of the patterns pat (cells, units) in order of first appearance,
 * by sorting the cells by (pattern, index): returns the number of patterns. */
static const unsigned char *sort_pat;
static int sort_units;
static int by_pattern(const void *a, const void *b) {
    const int i = *(const int *)a, j = *(const int *)b;
    const int c = memcmp(sort_pat + (size_t)i * sort_units, sort_pat + (size_t)j * sort_units, (size_t)sort_units);
    return c ? c : (i > j) - (i < j);
}
static int by_value(const void *a, const void *b) {
    const int i = *(const int *)a, j = *(const int *)b;
    return (i > j) - (i < j);
}
static int first_appearance(uint32_t *ids, const unsigned char *pat, int cells, int units) {
    int *order = malloc((size_t)cells * sizeof(int)), *firsts = malloc((size_t)cells * sizeof(int));
    int *group = malloc((size_t)cells * sizeof(int)); /* the first cell of each cell's pattern */
    for (int c = 0; c < cells; c++) order[c] = c;
    sort_pat = pat, sort_units = units;
    qsort(order, (size_t)cells, sizeof(int), by_pattern);
    int nd = 0;
    for (int r = 0; r < cells; r++) {
        const int c = order[r];
        if (r == 0 || memcmp(pat + (size_t)order[r - 1] * units, pat + (size_t)c * units, (size_t)units) != 0)
            firsts[nd++] = c;
        group[c] = firsts[nd - 1];
    }
    qsort(firsts, (size_t)nd, sizeof(int), by_value);
    for (int c = 0; c < cells; c++) {
        int lo = 0, hi = nd - 1; /* the rank of group[c] among the firsts */
        while (lo < hi) {
            const int mid = (lo + hi) / 2;
            if (firsts[mid] < group[c]) lo = mid + 1;
            else hi = mid;
        }
        ids[c] = (uint32_t)lo;
    }
    free(order); free(firsts); free(group);
    return nd;
}

/* Against the network itself: ids from mlp_hidden's signs, by first appearance. */
static void check_2d(const int32_t *sizes, int n_sizes, int act, float alpha, int k, double lo, double hi) {
    net n = random_net(sizes, n_sizes, act, alpha, 1.0f);
    mlp *m = mlp_create(sizes, n_sizes, act, OUT_IDENTITY, LOSS_MSE, INIT_XAVIER, alpha, 1.0f, 1);
    CHECK(m && mlp_set_params(m, n.params) == MLP_OK, "create");
    const int cells = k * k, L = n_sizes - 1;
    float *X = malloc((size_t)cells * 2 * sizeof(float));
    grid(X, lo, hi, k);
    CHECK(mlp_forward(m, X, cells) == MLP_OK, "forward");
    int units = 0;
    for (int l = 1; l < L; l++) units += sizes[l];
    unsigned char *pat = malloc((size_t)cells * units);
    for (int l = 1, u0 = 0; l < L; l++) {
        const float *H = mlp_hidden(m, l); /* (cells, sizes[l]) */
        for (int c = 0; c < cells; c++)
            for (int j = 0; j < sizes[l]; j++) pat[(size_t)c * units + u0 + j] = H[(size_t)c * sizes[l] + j] > 0.0f;
        u0 += sizes[l];
    }
    uint32_t *want = malloc((size_t)cells * sizeof(uint32_t)), *ids = malloc((size_t)cells * sizeof(uint32_t));
    const int nd = first_appearance(want, pat, cells, units);
    int32_t count = -1;
    const int rc = regions_2d(ids, &count, n.params, sizes, n_sizes, act, alpha, lo, hi, k);
    CHECK(rc == MLP_OK, "regions_2d rc %d", rc);
    CHECK(count == nd, "net %d-%d-...: %d regions, want %d", sizes[0], sizes[1], count, nd);
    CHECK(memcmp(ids, want, (size_t)cells * sizeof(uint32_t)) == 0, "net %d-%d-... k %d: ids differ", sizes[0], sizes[1], k);
    free(X); free(pat); free(want); free(ids); free(n.params);
    mlp_free(m);
}

static void test_2d_random(void) {
    static const int32_t nets[][5] = {{2, 8, 8, 1}, {2, 5, 1}, {2, 3, 7, 2}, {2, 13, 6, 9, 1}, {2, 1, 1}, {2, 33, 2}};
    static const int n_sizes[] = {4, 3, 4, 5, 3, 3};
    static const int ks[] = {2, 7, 33, 64, 96};
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 5; j++) {
            check_2d(nets[i], n_sizes[i], ACT_RELU, 0.0f, ks[j], -6.0, 6.0);
            check_2d(nets[i], n_sizes[i], ACT_PRELU, 0.25f, ks[(j + 1) % 5], -1.5, 2.5);
        }
    /* the widest patterns (6 x 256 bits = 48 words), and more regions than cells
     * could share: every cell its own region */
    const int32_t widest[] = {2, 256, 256, 256, 256, 256, 256, 1};
    check_2d(widest, 8, ACT_RELU, 0.0f, 3, -6.0, 6.0);
    const int32_t wide[] = {2, 200, 1};
    check_2d(wide, 3, ACT_RELU, 0.0f, 128, -40.0, 40.0);
}

static void test_2d_errors(void) {
    float p[] = {1, 0, 0, 1, 0, 0, 1, 1, 0};
    const int32_t s[] = {2, 2, 1}, one[] = {1, 2, 1};
    uint32_t *ids = malloc(513 * 513 * sizeof(uint32_t));
    int32_t count;
#define RC(...) regions_2d(__VA_ARGS__)
    CHECK(RC(ids, &count, p, s, 3, ACT_RELU, 0, -1, 1, 1) == MLP_ERR_ARG, "k 1");
    CHECK(RC(ids, &count, p, s, 3, ACT_RELU, 0, -1, 1, 513) == MLP_ERR_ARG, "k 513");
    CHECK(RC(ids, &count, p, s, 3, ACT_RELU, 0, -1, 1, 512) == MLP_OK && count == 4, "k 512");
    CHECK(RC(ids, &count, p, s, 3, ACT_RELU, 0, 1, 1, 4) == MLP_ERR_ARG, "lo == hi");
    CHECK(RC(ids, &count, p, s, 3, ACT_RELU, 0, NAN, 1, 4) == MLP_ERR_ARG, "NaN lo");
    CHECK(RC(ids, &count, p, s, 3, ACT_RELU, 0, -DBL_MAX, DBL_MAX, 4) == MLP_ERR_ARG, "hi - lo overflows");
    CHECK(RC(ids, &count, p, s, 3, ACT_GELU, 0, -1, 1, 4) == MLP_ERR_ARG, "gelu");
    CHECK(RC(ids, &count, p, s, 3, -1, 0, -1, 1, 4) == MLP_ERR_ARG, "act -1");
    CHECK(RC(ids, &count, p, one, 3, ACT_RELU, 0, -1, 1, 4) == MLP_ERR_ARG, "1 input");
    CHECK(RC(NULL, &count, p, s, 3, ACT_RELU, 0, -1, 1, 4) == MLP_ERR_ARG, "NULL ids");
    CHECK(RC(ids, NULL, p, s, 3, ACT_RELU, 0, -1, 1, 4) == MLP_ERR_ARG, "NULL count");
    CHECK(RC(ids, &count, NULL, s, 3, ACT_RELU, 0, -1, 1, 4) == MLP_ERR_ARG, "NULL params");
    CHECK(RC(ids, &count, p, s, 9, ACT_RELU, 0, -1, 1, 4) == MLP_ERR_ARG, "n_sizes 9");
#undef RC
    free(ids);
}

int main(void) {
    pcg32_seed(&trng, 4242, 77);
    test_1d_hand();
    test_1d_cap();
    test_1d_random();
    test_1d_limit();
    test_1d_errors();
    test_2d_hand();
    test_2d_random();
    test_2d_errors();
    return check_done("test_regions");
}
