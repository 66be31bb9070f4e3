/* regions.c: the linear regions of a ReLU or pReLU network (exercise 4 of
 * the chapter: such a network is a continuous piecewise linear function;
 * mlp_lab.h, regions_1d and regions_2d).
 *
 * A region is a set of inputs on which every hidden unit keeps its on/off
 * state (z > 0 or not): there each unit is one linear function, so the whole
 * network is one affine map. The pattern of an input is the vector of those
 * bits over every hidden unit whose activation has a kink. Layer l's bits
 * start at bit_off[l], a multiple of 4, so that four lanes' bits never
 * straddle a 32-bit word.
 *
 * 1 input, exactly: on an interval where the patterns of layers < l are
 * fixed, Z_l = a x + c is affine (vectors a, c over the layer's units, in
 * float64). Each unit's zero -c_j / a_j inside the interval splits it; on
 * each part the layer's bits are read at the midpoint, H_l = slope * Z_l
 * (slope 1 or alpha per unit) is affine too, and Z_{l+1} = H_l W + b is
 * carried down, depth first, left to right. The leaves come out in
 * increasing x with their full patterns; a breakpoint is the left end of a
 * leaf whose pattern differs from the previous leaf's. A zero strictly
 * inside an interval where z_j = a_j x + c_j, a_j != 0, is a change of
 * sign, so a unit that only touches 0 (the same sign on both sides) does so
 * at an end of such an interval and splits nothing; zeros of two units at
 * one x are one split. In exact arithmetic every split changes the pattern;
 * the comparison guards against rounding (a sign read at a midpoint).
 *
 * 2 inputs, on a grid: the grid's centres go through the hidden layers in
 * chunks of CHUNK points with dense_forward and act_forward (the SIMD
 * kernels in the SIMD build: the same bits as mlp_forward), the signs of
 * each layer's Z packed into the points' patterns (pack_signs), and each
 * pattern looked up in an open-addressing hash table of the distinct
 * patterns seen so far (ids in order of first appearance).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dense.h"
#include "layout.h"
#include "mlp_lab.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define CHUNK 1024      /* grid points per forward pass                        */
#define MERGE_TOL 1e-11 /* zeros closer than this times max(|from|, |to|) are one */

/* The hidden units' bit layout. Returns the pattern's 32-bit words (0 when no
 * unit has a kink), or -1 for an activation without linear regions. */
static int pattern_layout(int *bit_off, const int32_t *sizes, int L, int act, float alpha) {
    if (L == 1) return 0; /* no hidden layer: one affine map, any activation */
    if (act == ACT_IDENTITY || (act == ACT_PRELU && alpha == 1.0f)) return 0;
    if (act != ACT_RELU && act != ACT_PRELU) return -1;
    int bits = 0;
    for (int l = 0; l < L - 1; l++) {
        bit_off[l] = bits;
        bits += (sizes[l + 1] + 3) & ~3;
    }
    return (bits + 31) / 32;
}

static inline void set_bit(uint32_t *pat, int g) { pat[g >> 5] |= 1u << (g & 31); }

/* ---- 1 input -------------------------------------------------------------- */

typedef struct {
    const float *params;
    const int32_t *sizes;
    int L;
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS], bit_off[LAYOUT_MAX_LAYERS];
    double alpha; /* the slope of an off unit: 0 for relu */
    double *a[LAYOUT_MAX_LAYERS], *c[LAYOUT_MAX_LAYERS]; /* (sizes[l+1]) Z_l = a x + c here */
    double *zero[LAYOUT_MAX_LAYERS];                     /* (sizes[l+1]) zeros inside     */
    double *ha, *hc;        /* (MLP_MAX_WIDTH) H_l = ha x + hc on one part */
    uint32_t *pat, *prev;   /* (words) the current leaf's pattern, the last leaf's */
    int words, have_prev;
    double *out;            /* (cap) breakpoints */
    int cap, count, pieces;
    double tol;
} walk1d;

MLP_COLD static void leaf(walk1d *w, double u) {
    if (w->have_prev && memcmp(w->pat, w->prev, (size_t)w->words * sizeof(uint32_t)) != 0) {
        if (w->count < w->cap) w->out[w->count] = u;
        w->count++;
    }
    memcpy(w->prev, w->pat, (size_t)w->words * sizeof(uint32_t));
    w->have_prev = 1;
}

/* The interval [s, e], on which Z_l = a[l] x + c[l] for hidden layer l. */
MLP_COLD static int visit(walk1d *w, int l, double s, double e) {
    const int n = w->sizes[l + 1];
    const double *a = w->a[l], *c = w->c[l]; /* (n) */
    double *t = w->zero[l];                  /* (n) */
    int m = 0;
    for (int j = 0; j < n; j++) {
        if (a[j] == 0.0) continue;
        const double x = -c[j] / a[j] + 0.0; /* + 0.0: -0 becomes 0 */
        if (x > s + w->tol && x < e - w->tol) t[m++] = x;
    }
    for (int i = 1; i < m; i++) { /* insertion sort: m <= 256 */
        const double v = t[i];
        int j = i - 1;
        for (; j >= 0 && t[j] > v; j--) t[j + 1] = t[j];
        t[j + 1] = v;
    }
    int kept = 0; /* zeros within tol of the one before are one */
    for (int i = 0; i < m; i++)
        if (t[i] > (kept ? t[kept - 1] : s) + w->tol) t[kept++] = t[i];
    uint32_t *pat = w->pat;
    const int g0 = w->bit_off[l];
    double u = s;
    for (int i = 0; i <= kept; i++) {
        const double v = i < kept ? t[i] : e;
        if (++w->pieces > REGIONS_MAX_PIECES) return MLP_ERR_LIMIT;
        const double mid = u + 0.5 * (v - u);
        for (int j = 0; j < n; j++) pat[(g0 + j) >> 5] &= ~(1u << ((g0 + j) & 31));
        for (int j = 0; j < n; j++) {
            const double z = a[j] * mid + c[j];
            if (!isfinite(z)) return MLP_ERR_NONFINITE;
            const double k = z > 0.0 ? 1.0 : w->alpha;
            if (z > 0.0) set_bit(pat, g0 + j);
            w->ha[j] = k * a[j];
            w->hc[j] = k * c[j];
        }
        if (l + 1 == w->L - 1) {
            leaf(w, u);
        } else { /* Z_{l+1} = H_l W_{l+1} + b_{l+1} on [u, v] */
            const int fo = w->sizes[l + 2];
            const float *W = w->params + w->w_off[l + 1]; /* (n, fo) */
            const float *b = w->params + w->b_off[l + 1]; /* (fo) */
            double *a2 = w->a[l + 1], *c2 = w->c[l + 1];  /* (fo) */
            for (int j = 0; j < fo; j++) {
                a2[j] = 0.0;
                c2[j] = b[j];
            }
            for (int k = 0; k < n; k++) {
                const float *wk = W + (size_t)k * fo; /* (fo) row k */
                for (int j = 0; j < fo; j++) {
                    a2[j] += w->ha[k] * wk[j];
                    c2[j] += w->hc[k] * wk[j];
                }
            }
            const int rc = visit(w, l + 1, u, v);
            if (rc != MLP_OK) return rc;
        }
        u = v;
    }
    return MLP_OK;
}

MLP_COLD int regions_1d(double *breakpoints, int32_t *count, int cap, const float *params,
               const int32_t *sizes, int n_sizes, int act, float alpha, double from, double to) {
    walk1d w = {0};
    w.L = layout_offsets(w.w_off, w.b_off, sizes, n_sizes);
    if (!w.L || !count || !params || cap < 0 || (cap > 0 && !breakpoints)) return MLP_ERR_ARG;
    if (sizes[0] != 1 || !isfinite(alpha) || !isfinite(from) || !isfinite(to) || !(from < to))
        return MLP_ERR_ARG;
    w.words = pattern_layout(w.bit_off, sizes, w.L, act, alpha);
    if (w.words < 0) return MLP_ERR_ARG;
    *count = 0;
    if (w.words == 0) return MLP_OK; /* linear: one piece */
    w.params = params;
    w.sizes = sizes;
    w.alpha = act == ACT_RELU ? 0.0 : alpha;
    w.out = breakpoints;
    w.cap = cap;
    w.tol = MERGE_TOL * fmax(fabs(from), fabs(to));
    size_t doubles = 2 * (size_t)MLP_MAX_WIDTH, words = 2 * (size_t)w.words;
    for (int l = 0; l < w.L - 1; l++) doubles += 3 * (size_t)sizes[l + 1];
    double *block = malloc(doubles * sizeof(double) + words * sizeof(uint32_t));
    if (!block) return MLP_ERR_NOMEM;
    double *p = block;
    w.ha = p;
    w.hc = p + MLP_MAX_WIDTH;
    p += 2 * MLP_MAX_WIDTH;
    for (int l = 0; l < w.L - 1; l++) {
        w.a[l] = p;
        w.c[l] = p + sizes[l + 1];
        w.zero[l] = p + 2 * sizes[l + 1];
        p += 3 * sizes[l + 1];
    }
    w.pat = (uint32_t *)p;
    w.prev = w.pat + w.words;
    memset(w.pat, 0, words * sizeof(uint32_t));
    for (int j = 0; j < sizes[1]; j++) { /* Z_0 = x W_0 + b_0, W_0 (1, sizes[1]) */
        w.a[0][j] = params[w.w_off[0] + j];
        w.c[0][j] = params[w.b_off[0] + j];
    }
    const int rc = visit(&w, 0, from, to);
    free(block);
    if (rc != MLP_OK) return rc;
    *count = w.count;
    return MLP_OK;
}

/* ---- 2 inputs ------------------------------------------------------------- */

/* pat (n, words) |= the bits z > 0 of Z (n, w), unit j at bit bit0 + j;
 * bit0 is a multiple of 4. NaN is off. (Unused in the SIMD build, where
 * tests/regions.test.js checks the kernel by the builds' equal ids.) */
__attribute__((unused)) static void pack_signs_ref(uint32_t *pat, const float *Z, int n, int w, int words, int bit0) {
    for (int i = 0; i < n; i++) {
        const float *z = Z + (size_t)i * w;    /* (w)     */
        uint32_t *p = pat + (size_t)i * words; /* (words) */
        for (int j = 0; j < w; j++)
            if (z[j] > 0.0f) set_bit(p, bit0 + j);
    }
}

#ifdef __wasm_simd128__
/* pack_signs_u32_wasmsimd_bitmask: four lanes at a time, f32x4.gt against 0
 * (false for NaN) and i32x4.bitmask give the four bits, shifted into place
 * (bit0 + j is a multiple of 4, so they stay inside one word); the w % 4
 * tail lane by lane. Exactly the reference's bits. */
static void pack_signs(uint32_t *pat, const float *Z, int n, int w, int words, int bit0) {
    const v128_t zero = wasm_f32x4_splat(0.0f);
    for (int i = 0; i < n; i++) {
        const float *z = Z + (size_t)i * w;    /* (w)     */
        uint32_t *p = pat + (size_t)i * words; /* (words) */
        int j = 0;
        for (; j + 4 <= w; j += 4) {
            const uint32_t m = (uint32_t)wasm_i32x4_bitmask(wasm_f32x4_gt(wasm_v128_load(z + j), zero));
            const int g = bit0 + j;
            p[g >> 5] |= m << (g & 31);
        }
        for (; j < w; j++)
            if (z[j] > 0.0f) set_bit(p, bit0 + j);
    }
}
#else
static void pack_signs(uint32_t *pat, const float *Z, int n, int w, int words, int bit0) {
    pack_signs_ref(pat, Z, n, w, words, bit0);
}
#endif

/* The distinct patterns seen so far: pats (n, words) in order of first
 * appearance, their hashes, and slots (mask + 1) of indices into them
 * (-1: empty), kept at most half full. */
typedef struct {
    uint32_t *pats, *hash;
    int32_t *slots;
    int n, cap, mask, words;
} pattern_set;

static uint32_t hash_words(const uint32_t *p, int words) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < words; i++) {
        h = (h ^ p[i]) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return (uint32_t)(h ^ (h >> 29));
}

MLP_COLD static int set_grow_slots(pattern_set *s) {
    const int size = (s->mask + 1) * 2;
    int32_t *slots = malloc((size_t)size * sizeof(int32_t));
    if (!slots) return MLP_ERR_NOMEM;
    for (int i = 0; i < size; i++) slots[i] = -1;
    for (int r = 0; r < s->n; r++) {
        uint32_t i = s->hash[r] & (uint32_t)(size - 1);
        while (slots[i] >= 0) i = (i + 1) & (uint32_t)(size - 1);
        slots[i] = r;
    }
    free(s->slots);
    s->slots = slots;
    s->mask = size - 1;
    return MLP_OK;
}

/* The id of pattern p, a new one when it is new; or a negative status. */
static int set_id(pattern_set *s, const uint32_t *p) {
    const size_t bytes = (size_t)s->words * sizeof(uint32_t);
    const uint32_t h = hash_words(p, s->words);
    uint32_t i = h & (uint32_t)s->mask;
    for (; s->slots[i] >= 0; i = (i + 1) & (uint32_t)s->mask) {
        const int r = s->slots[i];
        if (s->hash[r] == h && memcmp(s->pats + (size_t)r * s->words, p, bytes) == 0) return r;
    }
    if (s->n == s->cap) {
        const int cap = s->cap * 2;
        uint32_t *pats = realloc(s->pats, (size_t)cap * bytes);
        if (!pats) return MLP_ERR_NOMEM;
        s->pats = pats;
        uint32_t *hash = realloc(s->hash, (size_t)cap * sizeof(uint32_t));
        if (!hash) return MLP_ERR_NOMEM;
        s->hash = hash;
        s->cap = cap;
    }
    const int r = s->n++;
    memcpy(s->pats + (size_t)r * s->words, p, bytes);
    s->hash[r] = h;
    s->slots[i] = r;
    if (2 * s->n > s->mask + 1) {
        const int rc = set_grow_slots(s);
        if (rc != MLP_OK) return rc;
    }
    return r;
}

MLP_COLD int regions_2d(uint32_t *ids, int32_t *count, const float *params, const int32_t *sizes,
               int n_sizes, int act, float alpha, double lo, double hi, int k) {
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS], bit_off[LAYOUT_MAX_LAYERS];
    const int L = layout_offsets(w_off, b_off, sizes, n_sizes);
    if (!L || !ids || !count || !params || sizes[0] != 2) return MLP_ERR_ARG;
    if (k < 2 || k > REGIONS_MAX_RES || !isfinite(alpha)) return MLP_ERR_ARG;
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi) || !isfinite(hi - lo)) return MLP_ERR_ARG;
    const int words = pattern_layout(bit_off, sizes, L, act, alpha);
    if (words < 0) return MLP_ERR_ARG;
    const int cells = k * k;
    if (words == 0) { /* linear: one region */
        memset(ids, 0, (size_t)cells * sizeof(uint32_t));
        *count = 1;
        return MLP_OK;
    }
    int maxw = 0;
    for (int l = 1; l < L; l++) maxw = sizes[l] > maxw ? sizes[l] : maxw;
    /* X (CHUNK, 2), two (CHUNK, maxw) activation buffers, patterns (CHUNK, words),
     * the columns' x1 (k) and the rows' x2 (k) */
    float *X = malloc(((size_t)CHUNK * (2 + 2 * (size_t)maxw) + 2 * (size_t)k) * sizeof(float) +
                      (size_t)CHUNK * words * sizeof(uint32_t));
    pattern_set set = {NULL, NULL, NULL, 0, 64, 63, words};
    set.pats = malloc((size_t)set.cap * words * sizeof(uint32_t));
    set.hash = malloc((size_t)set.cap * sizeof(uint32_t));
    set.slots = malloc((size_t)(set.mask + 1) * sizeof(int32_t));
    int rc = X && set.pats && set.hash && set.slots ? MLP_OK : MLP_ERR_NOMEM;
    if (rc == MLP_OK) {
        for (int i = 0; i <= set.mask; i++) set.slots[i] = -1;
        float *buf[2] = {X + 2 * CHUNK, X + 2 * CHUNK + (size_t)CHUNK * maxw}; /* (CHUNK, maxw) */
        uint32_t *pat = (uint32_t *)(buf[1] + (size_t)CHUNK * maxw);             /* (CHUNK, words) */
        float *x1 = (float *)(pat + (size_t)CHUNK * words), *x2 = x1 + k; /* (k) each */
        for (int j = 0; j < k; j++) { /* the expressions of web/heatmap.js grid2d */
            x1[j] = (float)(lo + ((j + 0.5) / k) * (hi - lo));
            x2[j] = (float)(hi - ((j + 0.5) / k) * (hi - lo));
        }
        int last = -1; /* the id of the cell before: neighbours often share one */
        for (int p0 = 0; p0 < cells && rc == MLP_OK; p0 += CHUNK) {
            const int n = cells - p0 < CHUNK ? cells - p0 : CHUNK;
            for (int i = 0, row = p0 / k, col = p0 % k; i < n; i++) {
                X[2 * i] = x1[col];
                X[2 * i + 1] = x2[row];
                if (++col == k) col = 0, row++;
            }
            memset(pat, 0, (size_t)n * words * sizeof(uint32_t));
            const float *in = X; /* (n, sizes[l]) */
            for (int l = 0; l < L - 1; l++) {
                const int w = sizes[l + 1];
                float *z = buf[l & 1]; /* (n, w) */
                dense_forward(z, in, params + w_off[l], params + b_off[l], n, sizes[l], w);
                pack_signs(pat, z, n, w, words, bit_off[l]);
                if (l + 1 < L - 1) act_forward(z, z, n * w, act, alpha, 0.0f);
                in = z;
            }
            for (int i = 0; i < n; i++) {
                const uint32_t *pi = pat + (size_t)i * words;
                if (last < 0 || memcmp(set.pats + (size_t)last * words, pi, (size_t)words * sizeof(uint32_t)) != 0)
                    last = set_id(&set, pi);
                if (last < 0) {
                    rc = last;
                    break;
                }
                ids[p0 + i] = (uint32_t)last;
            }
        }
    }
    if (rc == MLP_OK) *count = set.n;
    free(X);
    free(set.pats);
    free(set.hash);
    free(set.slots);
    return rc;
}
