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
 *   bench-native-vec4 serve N
 *       for tests/bench/interleave.mjs: reads lines "kind deriv reps" on
 *       stdin and answers each with the fastest of reps runs over N floats,
 *       in ms, so that its runs interleave with the wasm ones.
 */
#include "native.h"

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "act") != 0 && strcmp(argv[1], "serve") != 0)) {
        fprintf(stderr, "usage: bench-native-vec4 act N | serve N\n");
        return 2;
    }
    int n = atoi(argv[2]);
    float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    if (!x || !y) return 1;
    act_input(x, n);
    if (argv[1][0] == 'a') {
        act_report("native-vec4", loop_work, y, x, n);
    } else {
        int kind, deriv, reps;
        while (scanf("%d %d %d", &kind, &deriv, &reps) == 3) {
            act_ctx c = {y, x, n, kind, deriv, 0};
            double best = INFINITY;
            for (int r = 0; r < reps; r++) {
                double t0 = now_ms();
                loop_work(&c);
                double t = now_ms() - t0;
                if (t < best) best = t;
            }
            printf("%.6f\n", best);
            fflush(stdout);
        }
    }
    free(x);
    free(y);
    return 0;
}
