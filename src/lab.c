/* Build facts the JS loader asks the module itself. */
#include "mlp_lab.h"

/* 1 in the -msimd128 build, 0 in the scalar one. */
MLP_API int mlp_lab_simd(void) {
#ifdef __wasm_simd128__
    return 1;
#else
    return 0;
#endif
}
