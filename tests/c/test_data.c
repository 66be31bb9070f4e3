/* test_data.c: the synthetic data sets (data.c), natively under ASan and
 * UBSan (make test-c). Every failed check is printed and the process exits 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mlp_lab.h"


static const char *NAME[DATA_COUNT] = {"circle", "xor", "gaussian", "spiral", "moons", "blobs",
                                       "sin", "abs", "step", "aboveSin", "aboveCubic", "aboveAbs"};

static void test_dims_range(void) {
    static const int want_d[DATA_COUNT] = {2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2};
    static const int want_c[DATA_COUNT] = {2, 2, 2, 2, 2, 3, 0, 0, 0, 2, 2, 2};
    for (int k = 0; k < DATA_COUNT; k++) {
        int32_t d = -1, c = -1;
        float lo = 0, hi = 0;
        CHECK(data_dims(k, &d, &c) == MLP_OK && d == want_d[k] && c == want_c[k], "%s dims %d %d", NAME[k], d, c);
        CHECK(data_range(&lo, &hi, k) == MLP_OK, "%s range", NAME[k]);
        if (d == 2) CHECK(lo == -6.0f && hi == 6.0f, "%s range [%g, %g]", NAME[k], lo, hi);
        else CHECK(fabsf(lo + 3.14159265f) < 1e-6f && fabsf(hi - 3.14159265f) < 1e-6f, "%s range [%g, %g]", NAME[k], lo, hi);
    }
    int32_t d, c;
    float lo, hi;
    CHECK(data_dims(-1, &d, &c) == MLP_ERR_ARG && data_dims(DATA_COUNT, &d, &c) == MLP_ERR_ARG, "dims bad kind");
    CHECK(data_range(&lo, &hi, -1) == MLP_ERR_ARG && data_range(&lo, &hi, DATA_COUNT) == MLP_ERR_ARG, "range bad kind");
}

static void test_bad_args(void) {
    float X[20], y[10];
    CHECK(data_make(NULL, y, DATA_CIRCLE, 10, 0, 1) == MLP_ERR_ARG, "X NULL");
    CHECK(data_make(X, NULL, DATA_CIRCLE, 10, 0, 1) == MLP_ERR_ARG, "y NULL");
    CHECK(data_make(X, y, -1, 10, 0, 1) == MLP_ERR_ARG, "kind -1");
    CHECK(data_make(X, y, DATA_COUNT, 10, 0, 1) == MLP_ERR_ARG, "kind count");
    CHECK(data_make(X, y, DATA_CIRCLE, 0, 0, 1) == MLP_ERR_ARG, "n 0");
    CHECK(data_make(X, y, DATA_CIRCLE, -5, 0, 1) == MLP_ERR_ARG, "n < 0");
    CHECK(data_make(X, y, DATA_CIRCLE, 10000001, 0, 1) == MLP_ERR_ARG, "n > 1e7");
    CHECK(data_make(X, y, DATA_CIRCLE, 10, -0.01f, 1) == MLP_ERR_ARG, "noise < 0");
    CHECK(data_make(X, y, DATA_CIRCLE, 10, 1.01f, 1) == MLP_ERR_ARG, "noise > 1");
    CHECK(data_make(X, y, DATA_CIRCLE, 10, NAN, 1) == MLP_ERR_ARG, "noise NaN");
    CHECK(data_make(X, y, DATA_SIN, 1, 1.0f, 1) == MLP_OK, "n 1, noise 1");
}

/* n rows of every set at several noise levels: finite, in range, labels
 * balanced, the same bits for the same arguments, other bits otherwise */
static void test_sets(void) {
    enum { N = 1001 };
    static float X[2 * N], y[N], X2[2 * N], y2[N];
    const float noises[3] = {0.0f, 0.3f, 1.0f};
    for (int k = 0; k < DATA_COUNT; k++) {
        int32_t d, c;
        float lo, hi;
        data_dims(k, &d, &c);
        data_range(&lo, &hi, k);
        for (int ni = 0; ni < 3; ni++) {
            const float noise = noises[ni];
            memset(X, 0xff, sizeof X); /* NaN: any row left unwritten shows */
            memset(y, 0xff, sizeof y);
            CHECK(data_make(X, y, k, N, noise, 42) == MLP_OK, "%s make", NAME[k]);
            int in_range = 1, finite = 1, labels_ok = 1;
            int count[3] = {0, 0, 0};
            for (int i = 0; i < N * d; i++) {
                if (!isfinite(X[i])) finite = 0;
                if (!(X[i] >= lo && X[i] <= hi)) in_range = 0;
            }
            for (int i = 0; i < N; i++) {
                if (!isfinite(y[i])) finite = 0;
                if (c > 0) {
                    if (!(y[i] == 0.0f || y[i] == 1.0f || (c == 3 && y[i] == 2.0f))) labels_ok = 0;
                    else count[(int)y[i]]++;
                }
            }
            CHECK(finite, "%s noise %g: finite", NAME[k], noise);
            CHECK(in_range, "%s noise %g: in [%g, %g]", NAME[k], noise, lo, hi);
            CHECK(labels_ok, "%s noise %g: labels in [0, %d)", NAME[k], noise, c);
            for (int j = 0; j < c; j++)
                CHECK(count[j] == N / c || count[j] == N / c + 1, "%s: class %d has %d of %d", NAME[k], j, count[j], N);
            /* determinism, and the seed matters */
            CHECK(data_make(X2, y2, k, N, noise, 42) == MLP_OK, "%s make again", NAME[k]);
            CHECK(memcmp(X, X2, sizeof(float) * N * d) == 0 && memcmp(y, y2, sizeof(float) * N) == 0,
                  "%s noise %g: same seed, same bits", NAME[k], noise);
            CHECK(data_make(X2, y2, k, N, noise, 43) == MLP_OK, "%s make seed 43", NAME[k]);
            if (!(k == DATA_SPIRAL && noise == 0.0f)) /* the clean spiral has no randomness */
                CHECK(memcmp(X, X2, sizeof(float) * N * d) != 0, "%s noise %g: another seed, other points", NAME[k], noise);
            /* a 1-row set: finite and in range */
            CHECK(data_make(X2, y2, k, 1, noise, 42) == MLP_OK && isfinite(X2[0]) && X2[0] >= lo && X2[0] <= hi,
                  "%s n = 1", NAME[k]);
        }
        /* noise moves points: the clean and the noisy set differ */
        CHECK(data_make(X, y, k, N, 0.0f, 5) == MLP_OK && data_make(X2, y2, k, N, 0.5f, 5) == MLP_OK,
              "%s make", NAME[k]);
        int differ = memcmp(X, X2, sizeof(float) * N * d) != 0 || memcmp(y, y2, sizeof(float) * N) != 0;
        CHECK(differ, "%s: noise 0.5 changes the set", NAME[k]);
    }
}

/* Each clean set has the shape its comment in data.c promises. */
static void test_definitions(void) {
    enum { N = 2000 };
    static float X[2 * N], y[N];
    /* circle: class 1 within radius 2.5, class 0 in the ring [3.5, 5] */
    data_make(X, y, DATA_CIRCLE, N, 0.0f, 1);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        const float r = hypotf(X[2 * i], X[2 * i + 1]);
        if (y[i] == 1.0f ? !(r <= 2.5f + 1e-5f) : !(r >= 3.5f - 1e-5f && r <= 5.0f + 1e-5f)) ok = 0;
    }
    CHECK(ok, "circle radii");
    /* xor: class = (x1 x2 > 0), |x| >= 0.3 */
    data_make(X, y, DATA_XOR, N, 0.0f, 1);
    ok = 1;
    for (int i = 0; i < N; i++) {
        const float a = X[2 * i], b = X[2 * i + 1];
        if ((a * b > 0) != (y[i] == 1.0f) || fabsf(a) < 0.3f - 1e-6f || fabsf(b) < 0.3f - 1e-6f) ok = 0;
    }
    CHECK(ok, "xor quadrants");
    /* gaussian: class means near (2, 2) and (-2, -2), sd near 0.5 */
    data_make(X, y, DATA_GAUSSIAN, N, 0.0f, 1);
    double m[2][2] = {{0, 0}, {0, 0}}, ss = 0;
    for (int i = 0; i < N; i++) {
        const int c = (int)y[i];
        m[c][0] += X[2 * i] / (N / 2.0);
        m[c][1] += X[2 * i + 1] / (N / 2.0);
    }
    for (int i = 0; i < N; i++) {
        const double cx = y[i] == 1.0f ? 2.0 : -2.0;
        ss += (X[2 * i] - cx) * (X[2 * i] - cx) + (X[2 * i + 1] - cx) * (X[2 * i + 1] - cx);
    }
    const double sd = sqrt(ss / (2.0 * N));
    CHECK(fabs(m[1][0] - 2) < 0.1 && fabs(m[1][1] - 2) < 0.1 && fabs(m[0][0] + 2) < 0.1 && fabs(m[0][1] + 2) < 0.1,
          "gaussian means (%g %g) (%g %g)", m[0][0], m[0][1], m[1][0], m[1][1]);
    CHECK(fabs(sd - 0.5) < 0.05, "gaussian sd %g", sd);
    /* spiral: radius grows along each arm to 5; arms are point reflections */
    data_make(X, y, DATA_SPIRAL, N, 0.0f, 1);
    ok = 1;
    for (int i = 0; i + 1 < N; i += 2) {
        if (fabsf(X[2 * i] + X[2 * i + 2]) > 1e-4f || fabsf(X[2 * i + 1] + X[2 * i + 3]) > 1e-4f) ok = 0;
        if (i >= 2 && hypotf(X[2 * i], X[2 * i + 1]) <= hypotf(X[2 * i - 4], X[2 * i - 3])) ok = 0;
    }
    CHECK(ok, "spiral arms");
    /* moons: each point on its (scaled) unit half circle */
    data_make(X, y, DATA_MOONS, N, 0.0f, 1);
    ok = 1;
    for (int i = 0; i < N; i++) {
        const float u = X[2 * i] / 3.0f + 0.5f, v = X[2 * i + 1] / 3.0f + 0.25f;
        const float r = y[i] == 0.0f ? hypotf(u, v) : hypotf(1.0f - u, 0.5f - v);
        const float up = y[i] == 0.0f ? v : 0.5f - v; /* the outer moon is the upper half */
        if (fabsf(r - 1.0f) > 1e-4f || up < -1e-5f) ok = 0;
    }
    CHECK(ok, "moons half circles");
    /* blobs: the nearest centre is the class's (clean sd 0.5, centres 6.9 apart) */
    data_make(X, y, DATA_BLOBS, N, 0.0f, 1);
    static const float cx[3] = {0.0f, -3.4641f, 3.4641f}, cy[3] = {4.0f, -2.0f, -2.0f};
    int near = 0;
    for (int i = 0; i < N; i++) {
        int best = 0;
        for (int j = 1; j < 3; j++)
            if (hypotf(X[2 * i] - cx[j], X[2 * i + 1] - cy[j]) < hypotf(X[2 * i] - cx[best], X[2 * i + 1] - cy[best]))
                best = j;
        near += best == (int)y[i];
    }
    CHECK(near >= N - 2, "blobs: %d of %d nearest their centre", near, N);
    /* regression: exact functions when clean, noise of the documented size */
    for (int k = DATA_SIN; k <= DATA_STEP; k++) {
        data_make(X, y, k, N, 0.0f, 1);
        ok = 1;
        double mean = 0;
        for (int i = 0; i < N; i++) {
            const float x = X[i], want = k == DATA_SIN ? sinf(x) : k == DATA_ABS ? fabsf(x) : (x >= 0 ? 1.0f : 0.0f);
            /* sin within one float32 ulp of libm's (data.c has its own sine) */
            if (k == DATA_SIN ? !(fabsf(y[i] - want) <= 6e-8f) : y[i] != want) ok = 0;
            mean += x / N;
        }
        CHECK(ok, "%s: y = f(x) when clean", NAME[k]);
        CHECK(fabs(mean) < 0.15, "%s: x centred (mean %g)", NAME[k], mean);
        data_make(X, y, k, N, 1.0f, 1);
        double ss2 = 0;
        for (int i = 0; i < N; i++) {
            const float x = X[i], f = k == DATA_SIN ? sinf(x) : k == DATA_ABS ? fabsf(x) : (x >= 0 ? 1.0f : 0.0f);
            ss2 += (double)(y[i] - f) * (y[i] - f);
        }
        CHECK(fabs(sqrt(ss2 / N) - 0.5) < 0.05, "%s: noise 1 has sd 0.5 (got %g)", NAME[k], sqrt(ss2 / N));
    }
}

/* The above* sets: f in double from libm (data.c has its own sine). */
static double curve(int k, double x) {
    return k == DATA_ABOVE_SIN ? 3.0 * sin(x) : k == DATA_ABOVE_CUBIC ? x * x * x / 20.0 : fabs(x) - 3.0;
}

/* Clean: label 1 exactly where x2 > f(x1), classes alternate (row i has
 * class i % 2), the points fill the square evenly (each quarter of it holds
 * about a quarter of them). Noisy: only labels within 5 noise of the curve
 * (vertically) differ from the clean rule, and some do. */
static void test_above(void) {
    enum { N = 4000 };
    static float X[2 * N], y[N];
    for (int k = DATA_ABOVE_SIN; k <= DATA_ABOVE_ABS; k++) {
        data_make(X, y, k, N, 0.0f, 3);
        int wrong = 0, order = 0, quarter[4] = {0, 0, 0, 0};
        for (int i = 0; i < N; i++) {
            const double x1 = X[2 * i], x2 = X[2 * i + 1];
            wrong += (x2 > curve(k, x1)) != (y[i] == 1.0f);
            order += y[i] != (float)(i % 2);
            quarter[(x1 >= 0) + 2 * (x2 >= 0)]++;
            CHECK(x1 >= -6 && x1 <= 6 && x2 >= -6 && x2 <= 6, "%s: point %d (%g, %g) outside the square", NAME[k], i, x1, x2);
        }
        CHECK(wrong == 0, "%s: %d of %d clean labels are not x2 > f(x1)", NAME[k], wrong, N);
        CHECK(order == 0, "%s: %d rows without class i %% 2", NAME[k], order);
        for (int q = 0; q < 4; q++)
            CHECK(abs(quarter[q] - N / 4) < N / 20, "%s: quarter %d holds %d of %d points", NAME[k], q, quarter[q], N);
        const float noise = 0.5f;
        data_make(X, y, k, N, noise, 3);
        int flipped = 0, far = 0;
        for (int i = 0; i < N; i++) {
            const double x1 = X[2 * i], x2 = X[2 * i + 1];
            if ((x2 > curve(k, x1)) != (y[i] == 1.0f)) {
                flipped++;
                far += fabs(x2 - curve(k, x1)) > 5.0 * noise;
            }
        }
        CHECK(flipped > N / 50 && far == 0, "%s at noise %g: %d labels flipped, %d of them farther than %g from the curve",
              NAME[k], noise, flipped, far, 5.0 * noise);
    }
}

int main(void) {
    test_dims_range();
    test_bad_args();
    test_sets();
    test_definitions();
    test_above();
    return check_done("test_data");
}
