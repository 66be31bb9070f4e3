/* dense.h: the fully connected layer, in the shape of karpathy/llm.c.
 *
 * Row-major float32, the book's notation: a batch inp (n, in), weights
 * w (in, out_dim), bias b (out_dim), out = inp w + b (n, out_dim).
 *
 * The unsuffixed kernels run hand-written wasm_simd128.h loops when built
 * with -msimd128 (__wasm_simd128__) and the _ref kernels otherwise. The _ref
 * kernels are the naive loops the SIMD ones are tested against.
 *
 * Bit-for-bit: forward, dw and db add the same products in the same order
 * in both versions (each output lane is b + x0 w0 + x1 w1 + ..., with no
 * fused multiply-add in WebAssembly), so they agree exactly. dinp is a dot
 * product over out_dim that the SIMD kernel sums in four lanes and then
 * across them, so it agrees to rounding only (relative ~1e-6 per element).
 *
 * No kernel reads or writes past the sizes it is given: vector loops stop
 * at the last whole group of 4 and a scalar loop does the tail.
 */
#ifndef MLP_DENSE_H
#define MLP_DENSE_H

#include "mlp_lab.h" /* MLP_API: the kernels are exported so that the Node
                        tests can run them on buffers at the end of memory */

/* out (n, out_dim) = inp (n, in) w (in, out_dim) + b (out_dim).
 * b may be NULL (no bias). out must not alias inp, w or b. */
MLP_API void dense_forward(float *out, const float *inp, const float *w, const float *b,
                           int n, int in, int out_dim);
MLP_API void dense_forward_ref(float *out, const float *inp, const float *w, const float *b,
                               int n, int in, int out_dim);

/* Given dout (n, out_dim) = dL/dout:
 *   dinp (n, in)      = dout w^T    WRITTEN (not accumulated); may be NULL,
 *                                   as for the first layer, whose input is data;
 *   dw   (in, out_dim) += inp^T dout  ACCUMULATED;
 *   db   (out_dim)     += column sums of dout  ACCUMULATED; may be NULL.
 * Zero dw and db first for a fresh gradient. No output may alias an input. */
MLP_API void dense_backward(float *dinp, float *dw, float *db, const float *dout,
                            const float *inp, const float *w, int n, int in, int out_dim);
MLP_API void dense_backward_ref(float *dinp, float *dw, float *db, const float *dout,
                                const float *inp, const float *w, int n, int in, int out_dim);

#endif
