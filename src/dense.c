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
            const float *wj = w + j;
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
            const float *wj = w + j;
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
            const float *wj = w + j;
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

/* dense_backward_f32_wasmsimd_dot4: per row i,
 *  - dinp[i,k] = dot(dout[i,:], w[k,:]) in four lanes over out_dim, then a
 *    horizontal sum, then the scalar tail (rounding differs from the
 *    reference's left-to-right sum: agreement to ~1e-6 relative);
 *  - dw[k, j..j+3] += x[k] * dout[i, j..j+3] and db[j..j+3] += dout[i, j..j+3]
 *    lane-wise with a scalar tail, the reference's order: bit-identical. */
void dense_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                    const float *w, int n, int in, int out_dim) {
    const int out4 = out_dim & ~3; /* columns done four at a time */
    for (int i = 0; i < n; i++) {
        const float *g = dout + (size_t)i * out_dim; /* (out_dim) */
        const float *x = inp + (size_t)i * in;       /* (in)      */
        if (dinp) {
            float *dx = dinp + (size_t)i * in; /* (in) */
            for (int k = 0; k < in; k++) {
                const float *wk = w + (size_t)k * out_dim; /* (out_dim) */
                float s = 0.0f;
                if (out4) {
                    v128_t acc = wasm_f32x4_mul(wasm_v128_load(g), wasm_v128_load(wk));
                    for (int j = 4; j < out4; j += 4)
                        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(g + j),
                                                                 wasm_v128_load(wk + j)));
                    s = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
                        (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
                }
                for (int j = out4; j < out_dim; j++) s += g[j] * wk[j];
                dx[k] = s;
            }
        }
        for (int k = 0; k < in; k++) {
            const v128_t xk = wasm_f32x4_splat(x[k]);
            float *dwk = dw + (size_t)k * out_dim; /* (out_dim) */
            for (int j = 0; j < out4; j += 4)
                wasm_v128_store(dwk + j, wasm_f32x4_add(wasm_v128_load(dwk + j),
                                                        wasm_f32x4_mul(xk, wasm_v128_load(g + j))));
            for (int j = out4; j < out_dim; j++) dwk[j] += x[k] * g[j];
        }
        if (db) {
            for (int j = 0; j < out4; j += 4)
                wasm_v128_store(db + j, wasm_f32x4_add(wasm_v128_load(db + j), wasm_v128_load(g + j)));
            for (int j = out4; j < out_dim; j++) db[j] += g[j];
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
