/* test_convert.c: a sigmoid network as a tanh network and back (convert.c),
 * natively under ASan and UBSan.
 *
 * The converted parameters against the formulas worked by hand for a
 * 1-1-1-1 network, and random networks (1 to 6 hidden layers, every output)
 * run through mlp_forward before and after: the outputs agree within
 * 1e-5 + 1e-4 |output| (the package's promise), and within 1e-9 when both
 * are evaluated in float64 (the transformation is exact up to the float32
 * rounding of the biases).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout.h"
#include "mlp_lab.h"
#include "rng.h"

static pcg32 trng;
static float urand(float a, float b) { return a + (b - a) * pcg32_float(&trng); }

static void test_by_hand(void) {
    /* 1-1-1-1: W0 = 2, b0 = 1, W1 = 4, b1 = -1, W2 = 6, b2 = 0.5 */
    const int32_t s[] = {1, 1, 1, 1};
    const float p[] = {2, 1, 4, -1, 6, 0.5f};
    float t[6], back[6];
    CHECK(convert_params(t, p, s, 4, ACT_SIGMOID, ACT_TANH) == MLP_OK, "sigmoid -> tanh rc");
    /* W0/2, b0/2; W1/4, (b1 + W1/2)/2; W2/2, b2 + W2/2 */
    const float want[6] = {1, 0.5f, 1, 0.5f, 3, 3.5f};
    CHECK(memcmp(t, want, sizeof t) == 0, "sigmoid -> tanh: %g %g %g %g %g %g", t[0], t[1], t[2], t[3], t[4], t[5]);
    CHECK(convert_params(back, t, s, 4, ACT_TANH, ACT_SIGMOID) == MLP_OK, "tanh -> sigmoid rc");
    /* 2 W0, 2 b0; 4 W1, 2 (b1 - W1); 2 W2, b2 - W2: the original again */
    CHECK(memcmp(back, p, sizeof p) == 0, "round trip: %g %g %g %g %g %g", back[0], back[1], back[2], back[3], back[4], back[5]);
    /* no hidden layer: the parameters as they are */
    const int32_t s1[] = {1, 3};
    CHECK(convert_params(t, p, s1, 2, ACT_SIGMOID, ACT_TANH) == MLP_OK && memcmp(t, p, 6 * sizeof(float)) == 0, "one layer");
}

/* The outputs of net with parameters P on X (n, d), copied into out (n q). */
static void outputs(float *out, const int32_t *sizes, int n_sizes, int act, int output, int loss, const float *P,
                    const float *X, int n) {
    mlp *m = mlp_create(sizes, n_sizes, act, output, loss, INIT_XAVIER, 0.25f, 1.0f, 1);
    CHECK(m != NULL, "create");
    if (!m) return;
    CHECK(mlp_set_params(m, P) == MLP_OK && mlp_forward(m, X, n) == MLP_OK, "forward");
    memcpy(out, mlp_output(m), (size_t)n * sizes[n_sizes - 1] * sizeof(float));
    mlp_free(m);
}

/* The network in float64, pre-activations of the output layer (q). */
static void logits64(double *o, const int32_t *sizes, int n_sizes, int act, const float *P, const float *x) {
    int w_off[LAYOUT_MAX_LAYERS], b_off[LAYOUT_MAX_LAYERS];
    const int L = layout_offsets(w_off, b_off, sizes, n_sizes);
    double h[MLP_MAX_WIDTH], z[MLP_MAX_WIDTH];
    for (int i = 0; i < sizes[0]; i++) h[i] = x[i];
    for (int l = 0; l < L; l++) {
        for (int j = 0; j < sizes[l + 1]; j++) {
            z[j] = P[b_off[l] + j];
            for (int i = 0; i < sizes[l]; i++) z[j] += h[i] * P[w_off[l] + i * sizes[l + 1] + j];
        }
        for (int j = 0; j < sizes[l + 1]; j++)
            h[j] = l == L - 1 ? z[j] : act == ACT_TANH ? tanh(z[j]) : 1.0 / (1.0 + exp(-z[j]));
    }
    memcpy(o, h, (size_t)sizes[L] * sizeof(double));
}

static void test_random(void) {
    static const int pairs[][2] = {{OUT_IDENTITY, LOSS_MSE}, {OUT_SIGMOID, LOSS_MSE}, {OUT_SOFTMAX, LOSS_MSE},
                                   {OUT_SIGMOID, LOSS_BCE}, {OUT_SOFTMAX, LOSS_CROSS_ENTROPY}};
    double worst = 0, worst64 = 0;
    for (int trial = 0; trial < 40; trial++) {
        const int hidden = 1 + trial % 6, output = pairs[trial % 5][0], loss = pairs[trial % 5][1];
        int32_t sizes[LAYOUT_MAX_SIZES];
        sizes[0] = 1 + (int32_t)pcg32_below(&trng, 4);
        for (int l = 1; l <= hidden; l++) sizes[l] = 1 + (int32_t)pcg32_below(&trng, 20);
        sizes[hidden + 1] = 2 + (int32_t)pcg32_below(&trng, 3);
        const int n_sizes = hidden + 2, P = layout_count(sizes, n_sizes), d = sizes[0], q = sizes[hidden + 1];
        const int from = trial % 2 ? ACT_TANH : ACT_SIGMOID, to = from == ACT_TANH ? ACT_SIGMOID : ACT_TANH;
        float *p = malloc(sizeof(float) * P), *c = malloc(sizeof(float) * P);
        const float scale = trial < 20 ? 1.0f : 3.0f; /* also saturating units */
        for (int i = 0; i < P; i++) p[i] = urand(-scale, scale);
        CHECK(convert_params(c, p, sizes, n_sizes, from, to) == MLP_OK, "convert rc");
        enum { N = 64 };
        float X[N * 4], o1[N * 4], o2[N * 4];
        for (int i = 0; i < N * d; i++) X[i] = urand(-4, 4);
        outputs(o1, sizes, n_sizes, from, output, loss, p, X, N);
        outputs(o2, sizes, n_sizes, to, output, loss, c, X, N);
        for (int i = 0; i < N * q; i++) {
            const double e = fabs((double)o1[i] - o2[i]);
            worst = fmax(worst, e);
            CHECK(e <= 1e-5 + 1e-4 * fabs(o1[i]), "trial %d (%d hidden): output %d: %.9g vs %.9g", trial, hidden, i, o1[i], o2[i]);
        }
        for (int i = 0; i < N; i++) { /* float64: only the biases' float32 rounding differs */
            double a[8], b[8], m = 1;
            logits64(a, sizes, n_sizes, from, p, X + i * d);
            logits64(b, sizes, n_sizes, to, c, X + i * d);
            for (int j = 0; j < q; j++) m = fmax(m, fabs(a[j]));
            for (int j = 0; j < q; j++) {
                worst64 = fmax(worst64, fabs(a[j] - b[j]) / m);
                CHECK(fabs(a[j] - b[j]) <= 1e-5 * m, "trial %d: float64 logit %.17g vs %.17g", trial, a[j], b[j]);
            }
        }
        free(p);
        free(c);
    }
    printf("convert: max |output difference| %.3g (float32 networks), %.3g of the logits (float64)\n", worst, worst64);
}

static void test_errors(void) {
    const int32_t s[] = {1, 1, 1};
    float p[4] = {1, 0, 1, 0}, out[4];
    CHECK(convert_params(out, p, s, 3, ACT_SIGMOID, ACT_SIGMOID) == MLP_ERR_ARG, "sigmoid -> sigmoid");
    CHECK(convert_params(out, p, s, 3, ACT_RELU, ACT_TANH) == MLP_ERR_ARG, "relu -> tanh");
    CHECK(convert_params(out, p, s, 3, ACT_TANH, ACT_GELU) == MLP_ERR_ARG, "tanh -> gelu");
    CHECK(convert_params(out, p, s, 3, -1, ACT_TANH) == MLP_ERR_ARG, "-1 -> tanh");
    CHECK(convert_params(NULL, p, s, 3, ACT_SIGMOID, ACT_TANH) == MLP_ERR_ARG, "NULL out");
    CHECK(convert_params(out, NULL, s, 3, ACT_SIGMOID, ACT_TANH) == MLP_ERR_ARG, "NULL params");
    CHECK(convert_params(out, p, NULL, 3, ACT_SIGMOID, ACT_TANH) == MLP_ERR_ARG, "NULL sizes");
    CHECK(convert_params(out, p, s, 0, ACT_SIGMOID, ACT_TANH) == MLP_ERR_ARG, "n_sizes 0");
    /* tanh -> sigmoid doubles the output layer's weights: FLT_MAX overflows */
    p[2] = FLT_MAX;
    CHECK(convert_params(out, p, s, 3, ACT_TANH, ACT_SIGMOID) == MLP_ERR_NONFINITE, "2 FLT_MAX");
    CHECK(convert_params(out, p, s, 3, ACT_SIGMOID, ACT_TANH) == MLP_OK, "FLT_MAX / 2 is fine");
}

int main(void) {
    pcg32_seed(&trng, 1618, 5);
    test_by_hand();
    test_random();
    test_errors();
    return check_done("test_convert");
}
