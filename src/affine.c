/* affine.c: the one affine map a stack of layers is without activations
 * (exercise 1 of the chapter; mlp_lab.h, affine_product).
 *
 * Row i of W is the unit row e_i carried through the layers, v <- v W_l;
 * b is b_0 carried the same way with each bias added, v <- v W_l + b_l.
 * Each element sums its products over k in increasing order, starting from
 * 0 (W) or b_l (b), as the package's affineProduct (src/affine.js) does, so
 * the two agree bit for bit (float64, no fused multiply-add in wasm).
 */
#include <math.h>
#include <stddef.h>

#include "layout.h"
#include "mlp_lab.h"

MLP_COLD int affine_product(double *W, double *b, const float *params, const int32_t *sizes,
                            int n_sizes) {
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
    const int L = layout_offsets(w_off, b_off, sizes, n_sizes);
    if (!L || !W || !b || !params) return MLP_ERR_ARG;
    const int d = sizes[0], q = sizes[L];
    double buf[2][MLP_MAX_WIDTH]; /* (width) the row being carried, and the next */
    int finite = 1;
    for (int i = 0; i <= d; i++) { /* rows of W_0, then (i == d) b_0 */
        const int bias = i == d;
        const float *r0 = bias ? params + b_off[0] : params + w_off[0] + (size_t)i * sizes[1];
        double *v = buf[0], *u = buf[1];
        for (int j = 0; j < sizes[1]; j++) v[j] = r0[j];
        for (int l = 1; l < L; l++) {
            const int fi = sizes[l], fo = sizes[l + 1];
            const float *Wl = params + w_off[l]; /* (fi, fo) */
            const float *bl = params + b_off[l]; /* (fo) */
            for (int j = 0; j < fo; j++) u[j] = bias ? (double)bl[j] : 0.0;
            for (int k = 0; k < fi; k++) {
                const double vk = v[k];
                const float *wk = Wl + (size_t)k * fo; /* (fo) row k of W_l */
                for (int j = 0; j < fo; j++) u[j] += vk * wk[j];
            }
            double *t = v;
            v = u;
            u = t;
        }
        double *dst = bias ? b : W + (size_t)i * q; /* (q) */
        for (int j = 0; j < q; j++) {
            dst[j] = v[j];
            finite &= isfinite(v[j]) != 0;
        }
    }
    return finite ? MLP_OK : MLP_ERR_NONFINITE;
}
