/* check.h: the C unit tests' one assertion. A failed CHECK is counted and
 * printed (the first 20 of them), the run goes on, and check_done() prints the
 * summary and gives the exit status: 1 on any failure. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int checks, failures;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        checks++;                                                     \
        if (!(cond)) {                                                \
            failures++;                                               \
            if (failures <= 20) {                                     \
                fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);  \
                fprintf(stderr, __VA_ARGS__);                         \
                fputc('\n', stderr);                                  \
            }                                                         \
        }                                                             \
    } while (0)

static int check_done(const char *name) {
    printf("%s: %d checks, %d failed\n", name, checks, failures);
    return failures ? 1 : 0;
}

#endif
