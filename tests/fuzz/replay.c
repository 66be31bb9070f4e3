/* replay.c: runs fuzz_mlp.c's LLVMFuzzerTestOneInput without libFuzzer, so
 * the same inputs and invariants reach the WebAssembly builds (above all the
 * SIMD kernels, which a native build never compiles). tests/fuzz.test.js
 * builds it with emcc (-sNODERAWFS, with and without -msimd128) and runs:
 *
 *   node replay.js [-r COUNT SEED] FILE...
 *
 * Each FILE is one input; -r adds COUNT inputs of random bytes (1..600 of
 * them) from a xorshift generator seeded by SEED. Before each input its name
 * is printed, so the last line before a trap names the culprit. A broken
 * invariant is __builtin_trap: a WebAssembly RuntimeError, exit code != 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t xorshift32(uint32_t *s) {
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

int main(int argc, char **argv) {
    long files = 0, randoms = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "-r") == 0 && a + 2 < argc) {
            const long count = strtol(argv[a + 1], NULL, 10);
            uint32_t seed = (uint32_t)strtoul(argv[a + 2], NULL, 10) | 1u;
            a += 2;
            uint8_t buf[600];
            for (long i = 0; i < count; i++) {
                const size_t len = 1 + xorshift32(&seed) % sizeof buf;
                for (size_t k = 0; k < len; k++) buf[k] = (uint8_t)xorshift32(&seed);
                printf("random %ld\n", i);
                LLVMFuzzerTestOneInput(buf, len);
                randoms++;
            }
            continue;
        }
        FILE *f = fopen(argv[a], "rb");
        if (!f) {
            fprintf(stderr, "replay: cannot open %s\n", argv[a]);
            return 2;
        }
        uint8_t *data = malloc(1 << 20);
        const size_t size = fread(data, 1, 1 << 20, f);
        fclose(f);
        printf("file %s\n", argv[a]);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        files++;
    }
    printf("replayed %ld files and %ld random inputs\n", files, randoms);
    return 0;
}
