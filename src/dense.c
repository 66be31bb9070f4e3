/* dense.c: forward and backward of a fully connected layer (see dense.h).
 *
 * Reference loops first, then the wasm_simd128.h kernels. The reference
 * loops keep the innermost loop over out_dim, elementwise, so they are both
 * naive and fast (a compiler may vectorize them without changing a bit: no
 * reduction is reordered), except dinp, a true dot product.
 */
#include "dense.h"

#include <stddef.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* ---- references ---------------------------------------------------------- */

void dense_forward_ref(float *out, const float *inp, const float *w, const float *b,
                       int n, int in, int out_dim) {
    for (int i = 0; i < n; i++) {
        const float *x = inp + (size_t)i * in; /* (in)      */
        float *o = out + (size_t)i * out_dim;  /* (out_dim) */
        for (int j = 0; j < out_dim; j++) o[j] = b ? b[j] : 0.0f;
        for (int k = 0; k < in; k++) {
            const float xk = x[k];
            const float *wk = w + (size_t)k * out_dim; /* (out_dim) row k of w */
            for (int j = 0; j < out_dim; j++) o[j] += xk * wk[j];
        }
    }
}

void dense_backward_ref(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                        const float *w, int n, int in, int out_dim) {
    for (int i = 0; i < n; i++) {
        const float *g = dout + (size_t)i * out_dim; /* (out_dim) */
        const float *x = inp + (size_t)i * in;       /* (in)      */
        if (dinp) {
            float *dx = dinp + (size_t)i * in; /* (in) */
            for (int k = 0; k < in; k++) {
                const float *wk = w + (size_t)k * out_dim; /* (out_dim) */
                float s = 0.0f;
                for (int j = 0; j < out_dim; j++) s += g[j] * wk[j];
                dx[k] = s;
            }
        }
        for (int k = 0; k < in; k++) {
            const float xk = x[k];
            float *dwk = dw + (size_t)k * out_dim; /* (out_dim) */
            for (int j = 0; j < out_dim; j++) dwk[j] += xk * g[j];
        }
        if (db)
            for (int j = 0; j < out_dim; j++) db[j] += g[j];
    }
}

/* ---- SIMD ---------------------------------------------------------------- */

#ifdef __wasm_simd128__

/* dense_forward_f32_wasmsimd_splat_fma4: for each row, accumulators over
 * out_dim in groups of 16 (four v128), then 4, then a scalar tail; each
 * input x[k] is splatted and multiplied by row k of w. Lane j computes
 * b[j] + x0 w0j + x1 w1j + ... in the reference's order: bit-identical. */
void dense_forward(float *out, const float *inp, const float *w, const float *b,
                   int n, int in, int out_dim) {
    for (int i = 0; i < n; i++) {
        const float *x = inp + (size_t)i * in; /* (in)      */
        float *o = out + (size_t)i * out_dim;  /* (out_dim) */
        int j = 0;
        for (; j + 16 <= out_dim; j += 16) {
            v128_t a0, a1, a2, a3;
            if (b) {
                a0 = wasm_v128_load(b + j);
                a1 = wasm_v128_load(b + j + 4);
                a2 = wasm_v128_load(b + j + 8);
                a3 = wasm_v128_load(b + j + 12);
            } else {
                a0 = a1 = a2 = a3 = wasm_f32x4_splat(0.0f);
            }
            const float *wj = w + j; /* row k of w from column j on, k = 0.. */
            for (int k = 0; k < in; k++, wj += out_dim) {
                const v128_t xk = wasm_f32x4_splat(x[k]);
                a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xk, wasm_v128_load(wj)));
                a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xk, wasm_v128_load(wj + 4)));
                a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xk, wasm_v128_load(wj + 8)));
                a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xk, wasm_v128_load(wj + 12)));
            }
            wasm_v128_store(o + j, a0);
            wasm_v128_store(o + j + 4, a1);
            wasm_v128_store(o + j + 8, a2);
            wasm_v128_store(o + j + 12, a3);
        }
        for (; j + 8 <= out_dim; j += 8) {
            v128_t a0 = b ? wasm_v128_load(b + j) : wasm_f32x4_splat(0.0f);
            v128_t a1 = b ? wasm_v128_load(b + j + 4) : wasm_f32x4_splat(0.0f);
            const float *wj = w + j; /* row k of w from column j on, k = 0.. */
            for (int k = 0; k < in; k++, wj += out_dim) {
                const v128_t xk = wasm_f32x4_splat(x[k]);
                a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xk, wasm_v128_load(wj)));
                a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xk, wasm_v128_load(wj + 4)));
            }
            wasm_v128_store(o + j, a0);
            wasm_v128_store(o + j + 4, a1);
        }
        for (; j + 4 <= out_dim; j += 4) {
            v128_t a0 = b ? wasm_v128_load(b + j) : wasm_f32x4_splat(0.0f);
            const float *wj = w + j; /* row k of w from column j on, k = 0.. */
            for (int k = 0; k < in; k++, wj += out_dim)
                a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_f32x4_splat(x[k]), wasm_v128_load(wj)));
            wasm_v128_store(o + j, a0);
        }
        for (; j < out_dim; j++) { /* scalar tail: out_dim % 4 columns */
            float s = b ? b[j] : 0.0f;
            for (int k = 0; k < in; k++) s += x[k] * w[(size_t)k * out_dim + j];
            o[j] = s;
        }
    }
}

/* Sum of each of four vectors, as one vector: lane r = a_r[0] + a_r[1] +
 * a_r[2] + a_r[3] (pairwise: (a_r[0] + a_r[2]) + (a_r[1] + a_r[3])). */
static inline v128_t hsum4_f32x4(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
    const v128_t s01 = wasm_f32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5),
                                      wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
    const v128_t s23 = wasm_f32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5),
                                      wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
    /* s01 = [a0_0+a0_2, a1_0+a1_2, a0_1+a0_3, a1_1+a1_3], s23 likewise */
    return wasm_f32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5),
                          wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

static inline float hsum_f32x4(v128_t a) {
    return (wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 2)) +
           (wasm_f32x4_extract_lane(a, 1) + wasm_f32x4_extract_lane(a, 3));
}

/* Rows of dout per pass of the dw/db loops: a (ROWS, out_dim) slice of dout
 * stays in L1 while every (k, column group) accumulates over it. */
#define DW_ROWS 32

/* dense_backward_f32_wasmsimd_dot4x4_rowacc:
 *  - dinp[i, k] = dot(dout[i, :], w[k, :]): four rows of w at a time, each
 *    summed in four lanes over out_dim, the four partial vectors reduced
 *    together by one 4x4 transpose-add (hsum4_f32x4), then the scalar
 *    out_dim % 4 tail; k % 4 leftover rows one at a time. out_dim == 1 is
 *    a scale of w's column: dinp[i, k..k+3] = dout[i] * w[k..k+3].
 *    Rounding differs from the reference's left-to-right sum: within
 *    2 out_dim 2^-24 sum|terms| (tests/dense.test.js); through a network,
 *    measured at most 3.5e-7 of the largest gradient (widths to 256).
 *    A single product (out_dim == 1) is exact.
 *  - dw[k, j..j+3] and db[j..j+3] accumulate over rows in registers,
 *    DW_ROWS rows per pass, rows in increasing order: each element adds the
 *    same products in the reference's order, so dw and db are bit-identical.
 *    out_dim == 1 runs over k instead (dw[k..k+3] += x[i, k..k+3] dout[i]).
 * Tails (in % 4, out_dim % 4) are scalar: nothing past a buffer is touched. */
void dense_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                    const float *w, int n, int in, int out_dim) {
    const int out4 = out_dim & ~3, in4 = in & ~3;
    if (dinp) {
        for (int i = 0; i < n; i++) {
            const float *g = dout + (size_t)i * out_dim; /* (out_dim) */
            float *dx = dinp + (size_t)i * in;           /* (in)      */
            int k = 0;
            if (out_dim == 1) {
                const v128_t gi = wasm_f32x4_splat(g[0]);
                for (; k < in4; k += 4) wasm_v128_store(dx + k, wasm_f32x4_mul(gi, wasm_v128_load(w + k)));
                for (; k < in; k++) dx[k] = g[0] * w[k];
                continue;
            }
            for (; k < in4 && out4; k += 4) {
                const float *w0 = w + (size_t)k * out_dim, *w1 = w0 + out_dim; /* rows k, k+1 of w */
                const float *w2 = w1 + out_dim, *w3 = w2 + out_dim;             /* rows k+2, k+3   */
                v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
                for (int j = 0; j < out4; j += 4) {
                    const v128_t gj = wasm_v128_load(g + j);
                    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(gj, wasm_v128_load(w0 + j)));
                    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(gj, wasm_v128_load(w1 + j)));
                    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(gj, wasm_v128_load(w2 + j)));
                    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(gj, wasm_v128_load(w3 + j)));
                }
                v128_t s = hsum4_f32x4(a0, a1, a2, a3);
                if (out4 < out_dim) { /* scalar column tail, per row of w */
                    float t0 = 0.0f, t1 = 0.0f, t2 = 0.0f, t3 = 0.0f;
                    for (int j = out4; j < out_dim; j++) {
                        t0 += g[j] * w0[j];
                        t1 += g[j] * w1[j];
                        t2 += g[j] * w2[j];
                        t3 += g[j] * w3[j];
                    }
                    s = wasm_f32x4_add(s, wasm_f32x4_make(t0, t1, t2, t3));
                }
                wasm_v128_store(dx + k, s);
            }
            for (; k < in; k++) { /* leftover rows of w (and out_dim < 4) */
                const float *wk = w + (size_t)k * out_dim; /* (out_dim) */
                float t = 0.0f;
                if (out4) {
                    v128_t a = wasm_f32x4_mul(wasm_v128_load(g), wasm_v128_load(wk));
                    for (int j = 4; j < out4; j += 4)
                        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(g + j), wasm_v128_load(wk + j)));
                    t = hsum_f32x4(a);
                }
                for (int j = out4; j < out_dim; j++) t += g[j] * wk[j];
                dx[k] = t;
            }
        }
    }

    if (out_dim == 1) { /* dw (in, 1), db (1): accumulate over rows, vectors over k */
        for (int i = 0; i < n; i++) {
            const float *x = inp + (size_t)i * in; /* (in) */
            const float gi = dout[i];
            const v128_t gv = wasm_f32x4_splat(gi);
            int k = 0;
            for (; k < in4; k += 4)
                wasm_v128_store(dw + k, wasm_f32x4_add(wasm_v128_load(dw + k),
                                                       wasm_f32x4_mul(wasm_v128_load(x + k), gv)));
            for (; k < in; k++) dw[k] += x[k] * gi;
            if (db) db[0] += gi;
        }
        return;
    }

    for (int i0 = 0; i0 < n; i0 += DW_ROWS) {
        const int i1 = n - i0 < DW_ROWS ? n : i0 + DW_ROWS;
        for (int k = 0; k < in; k++) {
            float *dwk = dw + (size_t)k * out_dim; /* (out_dim) row k of dw */
            int j = 0;
            for (; j + 16 <= out_dim; j += 16) {
                v128_t a0 = wasm_v128_load(dwk + j), a1 = wasm_v128_load(dwk + j + 4);
                v128_t a2 = wasm_v128_load(dwk + j + 8), a3 = wasm_v128_load(dwk + j + 12);
                for (int i = i0; i < i1; i++) {
                    const v128_t xk = wasm_f32x4_splat(inp[(size_t)i * in + k]);
                    const float *g = dout + (size_t)i * out_dim + j; /* (16) */
                    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xk, wasm_v128_load(g)));
                    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xk, wasm_v128_load(g + 4)));
                    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xk, wasm_v128_load(g + 8)));
                    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xk, wasm_v128_load(g + 12)));
                }
                wasm_v128_store(dwk + j, a0);
                wasm_v128_store(dwk + j + 4, a1);
                wasm_v128_store(dwk + j + 8, a2);
                wasm_v128_store(dwk + j + 12, a3);
            }
            for (; j + 4 <= out_dim; j += 4) {
                v128_t a0 = wasm_v128_load(dwk + j);
                for (int i = i0; i < i1; i++)
                    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_f32x4_splat(inp[(size_t)i * in + k]),
                                                           wasm_v128_load(dout + (size_t)i * out_dim + j)));
                wasm_v128_store(dwk + j, a0);
            }
            for (; j < out_dim; j++) { /* scalar column tail */
                float a = dwk[j];
                for (int i = i0; i < i1; i++) a += inp[(size_t)i * in + k] * dout[(size_t)i * out_dim + j];
                dwk[j] = a;
            }
        }
        if (db) {
            int j = 0;
            for (; j < out4; j += 4) {
                v128_t a = wasm_v128_load(db + j);
                for (int i = i0; i < i1; i++) a = wasm_f32x4_add(a, wasm_v128_load(dout + (size_t)i * out_dim + j));
                wasm_v128_store(db + j, a);
            }
            for (; j < out_dim; j++) {
                float a = db[j];
                for (int i = i0; i < i1; i++) a += dout[(size_t)i * out_dim + j];
                db[j] = a;
            }
        }
    }
}

#else /* scalar build: the references are the kernels */

void dense_forward(float *out, const float *inp, const float *w, const float *b,
                   int n, int in, int out_dim) {
    dense_forward_ref(out, inp, w, b, n, in, out_dim);
}

void dense_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                    const float *w, int n, int in, int out_dim) {
    dense_backward_ref(dinp, dw, db, dout, inp, w, n, in, out_dim);
}

#endif
