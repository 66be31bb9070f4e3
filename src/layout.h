/* layout.h: the parameter block's layout (mlp_lab.h), for the functions that
 * read a network's parameters without its struct (affine.c, convert.c,
 * regions.c): for each layer l = 0..L-1, W_l (sizes[l], sizes[l+1]) row-major
 * then b_l (sizes[l+1]), one layer after the other. Header-only.
 */
#ifndef MLP_LAYOUT_H
#define MLP_LAYOUT_H

#include <stdint.h>

#include "mlp_lab.h"

#define LAYOUT_MAX_SIZES (MLP_MAX_HIDDEN + 2)
#define LAYOUT_MAX_LAYERS (MLP_MAX_HIDDEN + 1)

/* The weight layers L = n_sizes - 1 and the float offsets of each W_l and
 * b_l, or 0 when the sizes are not those of a network mlp_create accepts
 * (n_sizes in 2..MLP_MAX_HIDDEN+2, every width in 1..MLP_MAX_WIDTH). */
static inline int layout_offsets(int *w_off, int *b_off, const int32_t *sizes, int n_sizes) {
    if (!sizes || n_sizes < 2 || n_sizes > LAYOUT_MAX_SIZES) return 0;
    for (int i = 0; i < n_sizes; i++)
        if (sizes[i] < 1 || sizes[i] > MLP_MAX_WIDTH) return 0;
    int p = 0;
    for (int l = 0; l < n_sizes - 1; l++) {
        w_off[l] = p;
        p += sizes[l] * sizes[l + 1];
        b_off[l] = p;
        p += sizes[l + 1];
    }
    return n_sizes - 1;
}

/* Floats in the block: the offset just past b_{L-1}. */
static inline int layout_count(const int32_t *sizes, int n_sizes) {
    int p = 0;
    for (int l = 0; l < n_sizes - 1; l++) p += (sizes[l] + 1) * sizes[l + 1];
    return p;
}

#endif
