/* The 4-lane native reference for the activation benchmark: the plain C
 * loops of native.h (expf, tanhf, erff; not our code) built with
 *   cc -O3 -ffast-math -march=x86-64-v2
 * so that gcc vectorizes them 4 floats at a time (SSE4.2, the width of
 * WASM SIMD128) and calls glibc's vector libm (libmvec: _ZGVbN4v_expf,
 * _ZGVbN4v_tanhf, _ZGVbN4v_erff). run.mjs builds it into
 * build/bench-native-vec4, checks that the binary calls libmvec, and compares
 * the SIMD kernels against it.
 *
 *   bench-native-vec4 act N
 */
#include "native.h"

int main(int argc, char **argv) {
    if (argc < 3 || strcmp(argv[1], "act") != 0) {
        fprintf(stderr, "usage: bench-native-vec4 act N\n");
        return 2;
    }
    int n = atoi(argv[2]);
    float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    if (!x || !y) return 1;
    act_input(x, n);
    act_report("native-vec4", loop_work, y, x, n);
    free(x);
    free(y);
    return 0;
}
