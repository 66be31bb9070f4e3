/* The native-C comparison for the benchmark: our own C (src/) built with
 * cc -O3 -march=native (no -ffast-math), driven from here. run.mjs builds it
 * into build/bench-native and reads the "@@{json}" lines it prints.
 *
 *   bench-native act N
 *       act_forward_ref / act_derivative_ref over N floats in [-8, 8), each
 *       kind; Melem/s and the largest error against libm in double; the
 *       plain C loops of native.h ("native-loop", the same flags); plus a
 *       memcpy of the same bytes as the memory-speed reference.
 *   bench-native train d,h..,q act out loss n batch lr X.f32 Y.f32 P.f32 grid.f32 min_ms
 *       mlp_create, parameters from P.f32 (W0 b0 W1 b1 ... as the JS side
 *       writes them), loss before, after one epoch and after the timed
 *       epochs (mlp_evaluate), examples/s of mlp_train_epoch without
 *       shuffling, and the time of one mlp_forward over the grid.
 */
#include "native.h"

static void act_work(void *p) {
    act_ctx *c = p;
    int st = c->deriv ? act_derivative_ref(c->y, c->x, c->n, c->kind, ALPHA, BETA)
                      : act_forward_ref(c->y, c->x, c->n, c->kind, ALPHA, BETA);
    c->status |= st;
}

static void copy_work(void *p) {
    act_ctx *c = p;
    memcpy(c->y, c->x, (size_t)c->n * sizeof(float));
    __asm__ volatile("" ::: "memory"); /* keep the copy */
}

static int bench_act(int n) {
    float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    if (!x || !y) return 1;
    act_input(x, n);
    if (act_report("native", act_work, y, x, n) != MLP_OK) { fprintf(stderr, "act status\n"); return 1; }
    act_report("native-loop", loop_work, y, x, n);
    act_ctx c = {y, x, n, 0, 0, 0};
    double ms = time_it(copy_work, &c, 25, 9);
    printf("@@{\"impl\":\"native\",\"kind\":\"copy\",\"deriv\":false,\"melem\":%.3f,\"best\":%.3f,\"ms\":%.6f,\"err\":0}\n",
           n / ms / 1e3, n / g_last_min / 1e3, ms);
    free(x);
    free(y);
    return 0;
}

/* ---- training ----------------------------------------------------------- */

static float *read_f32(const char *path, long *count) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    float *p = malloc(bytes > 0 ? (size_t)bytes : 1);
    if (p && fread(p, 1, (size_t)bytes, f) != (size_t)bytes) { free(p); p = NULL; }
    fclose(f);
    *count = bytes / 4;
    return p;
}

static int lookup(const char *s, const char *const *names, int k) {
    for (int i = 0; i < k; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

typedef struct { mlp *net; const float *X, *Y; int n, batch, status; float lr, loss; } train_ctx;

static void train_work(void *p) {
    train_ctx *c = p;
    c->status |= mlp_train_epoch(c->net, &c->loss, c->X, c->Y, c->n, c->batch, 0, OPT_SGD, c->lr, 0);
}

typedef struct { mlp *net; const float *G; int n, status; } fwd_ctx;

static void fwd_work(void *p) {
    fwd_ctx *c = p;
    c->status |= mlp_forward(c->net, c->G, c->n);
}

static int bench_train(char **argv) {
    int32_t sizes[MLP_MAX_HIDDEN + 2];
    int ns = 0;
    for (char *tok = strtok(argv[0], ","); tok && ns < MLP_MAX_HIDDEN + 2; tok = strtok(NULL, ","))
        sizes[ns++] = atoi(tok);
    static const char *const acts[] = {"relu", "prelu", "sigmoid", "tanh", "gelu", "swish", "identity"};
    static const char *const outs[] = {"identity", "sigmoid", "softmax"};
    static const char *const losses[] = {"mse", "bce", "cross_entropy"};
    int act = lookup(argv[1], acts, 7), out = lookup(argv[2], outs, 3), loss = lookup(argv[3], losses, 3);
    int n = atoi(argv[4]), batch = atoi(argv[5]);
    float lr = (float)atof(argv[6]);
    double min_ms = atof(argv[11]);
    long nx, ny, np, ng;
    float *X = read_f32(argv[7], &nx), *Y = read_f32(argv[8], &ny), *P = read_f32(argv[9], &np),
          *G = read_f32(argv[10], &ng);
    if (!X || !Y || !P || !G || act < 0 || out < 0 || loss < 0) return 1;
    mlp *net = mlp_create(sizes, ns, act, out, loss, INIT_XAVIER, ALPHA, BETA, 1);
    if (!net) { fprintf(stderr, "mlp_create failed\n"); return 1; }
    if (np != mlp_num_params(net)) { fprintf(stderr, "params %ld != %d\n", np, mlp_num_params(net)); return 1; }
    /* P is W0 b0 W1 b1 ...; place each by the network's own offsets. */
    float *params = mlp_params(net);
    long at = 0;
    for (int l = 0; l < ns - 1; l++) {
        long w = (long)sizes[l] * sizes[l + 1];
        memcpy(params + mlp_w_offset(net, l), P + at, (size_t)w * 4);
        at += w;
        memcpy(params + mlp_b_offset(net, l), P + at, (size_t)sizes[l + 1] * 4);
        at += sizes[l + 1];
    }
    float loss0, loss1, lossN;
    int32_t right;
    if (mlp_evaluate(net, &loss0, &right, X, Y, n) != MLP_OK) return 1;
    train_ctx c = {net, X, Y, n, batch, 0, lr, 0};
    train_work(&c);
    if (mlp_evaluate(net, &loss1, &right, X, Y, n) != MLP_OK) return 1;
    double ms = time_it(train_work, &c, min_ms, 9), ms_min = g_last_min;
    if (c.status != MLP_OK) { fprintf(stderr, "train status %d\n", c.status); return 1; }
    if (mlp_evaluate(net, &lossN, &right, X, Y, n) != MLP_OK) return 1;
    double grid_ms = -1, grid_min = -1;
    if (sizes[0] == 2) {
        fwd_ctx f = {net, G, (int)(ng / 2), 0};
        grid_ms = time_it(fwd_work, &f, 25, 9);
        grid_min = g_last_min;
        if (f.status != MLP_OK) return 1;
    }
    printf("@@{\"impl\":\"native\",\"ms_epoch\":%.6f,\"ms_min\":%.6f,\"eps\":%.1f,\"loss0\":%.6g,\"loss1\":%.6g,"
           "\"lossN\":%.6g,\"acc\":%.4g,\"grid_ms\":%.6f,\"grid_min\":%.6f}\n",
           ms, ms_min, n / ms * 1e3, loss0, loss1, lossN, (double)right / n, grid_ms, grid_min);
    mlp_free(net);
    free(X); free(Y); free(P); free(G);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "act") == 0) return bench_act(atoi(argv[2]));
    if (argc >= 13 && strcmp(argv[1], "train") == 0) return bench_train(argv + 2);
    fprintf(stderr, "usage: bench-native act N | train sizes act out loss n batch lr X Y P grid min_ms\n");
    return 2;
}
