/* convert.c: a sigmoid network as a tanh network and back (exercise 5.2 of
 * the chapter; mlp_lab.h, convert_params).
 *
 * sigmoid(z) = (1 + tanh(z / 2)) / 2, and tanh(z) = 2 sigmoid(2 z) - 1. In
 * both directions a hidden value of the old network is an affine function
 * of the new one's, h_old = p h_new + r, and the new pre-activation is a
 * multiple of the old one, z_new = s z_old:
 *   sigmoid -> tanh: h_sig = (1 + t) / 2      p = 1/2, r = 1/2, s = 1/2;
 *   tanh -> sigmoid: t = 2 h_sig - 1          p = 2,   r = -1,  s = 2.
 * Layer l computes z_old = h_old,prev W + b = h_new,prev (p W) + (b + r 1^T W)
 * when its input is a hidden layer (p = 1, r = 0 for the input x), and the
 * new layer must give s z_old when its output is a hidden layer (s = 1 for
 * the output layer, whose function does not change):
 *   W' = s p W,   b' = s (b + r 1^T W)   (1^T W: the column sums of W).
 * Scaling by 1/4, 1/2, 2 or 4 is exact in float32 (short of overflow or the
 * subnormal range); b' is summed in float64 and rounded once.
 */
#include <math.h>
#include <stddef.h>

#include "layout.h"
#include "mlp_lab.h"

MLP_COLD int convert_params(float *out, const float *params, const int32_t *sizes, int n_sizes,
                            int from, int to) {
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
    const int L = layout_offsets(w_off, b_off, sizes, n_sizes);
    if (!L || !out || !params) return MLP_ERR_ARG;
    double p, r, s;
    if (from == ACT_SIGMOID && to == ACT_TANH) {
        p = 0.5, r = 0.5, s = 0.5;
    } else if (from == ACT_TANH && to == ACT_SIGMOID) {
        p = 2.0, r = -1.0, s = 2.0;
    } else {
        return MLP_ERR_ARG;
    }
    int finite = 1;
    for (int l = 0; l < L; l++) {
        const int fi = sizes[l], fo = sizes[l + 1];
        const double pin = l > 0 ? p : 1.0, rin = l > 0 ? r : 0.0;
        const double sout = l < L - 1 ? s : 1.0;
        const float *W = params + w_off[l], *b = params + b_off[l]; /* (fi, fo), (fo) */
        float *W2 = out + w_off[l], *b2 = out + b_off[l];           /* (fi, fo), (fo) */
        for (int j = 0; j < fo; j++) {
            double colsum = 0.0;
            for (int k = 0; k < fi; k++) colsum += W[(size_t)k * fo + j];
            b2[j] = (float)(sout * (b[j] + rin * colsum));
            finite &= isfinite(b2[j]) != 0;
        }
        for (size_t e = 0; e < (size_t)fi * fo; e++) {
            W2[e] = (float)(sout * pin * W[e]);
            finite &= isfinite(W2[e]) != 0;
        }
    }
    return finite ? MLP_OK : MLP_ERR_NONFINITE;
}
