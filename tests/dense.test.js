// The C core's dense layers and network through the raw exports of both
// WebAssembly builds (build/mlp-lab.wasm, scalar references; and
// build/mlp-lab-simd.wasm, the wasm_simd128.h kernels of src/dense.c),
// against each other and against a float64 model written here.
//
// What the kernels promise (src/dense.h): forward, dW and db are bit-identical
// between the builds (same products, same order, no FMA); dinp is summed in
// four lanes by the SIMD kernel, so it agrees to rounding. With identity
// activations nothing else differs between the builds, so the network's
// forward is compared bit for bit and its gradients to 1e-6.
//
// MLP_LAB_BUILD_DIR overrides the directory of the two .wasm files.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const DIR = process.env.MLP_LAB_BUILD_DIR
  ? new URL(`file://${process.env.MLP_LAB_BUILD_DIR.replace(/\/?$/, '/')}`)
  : new URL('../build/', import.meta.url);

// ids from src/mlp_lab.h
const ACT = { relu: 0, prelu: 1, sigmoid: 2, tanh: 3, gelu: 4, swish: 5, identity: 6 };
const OUT = { identity: 0, sigmoid: 1, softmax: 2 };
const LOSS = { mse: 0, bce: 1, cross_entropy: 2 };
const OPT = { sgd: 0, momentum: 1, adam: 2 };
const DATA = ['circle', 'xor', 'gaussian', 'spiral', 'moons', 'blobs', 'sin', 'abs', 'step'];

async function instantiate(file) {
  const bytes = await readFile(new URL(file, DIR));
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { emscripten_notify_memory_growth() {} },
    wasi_snapshot_preview1: new Proxy({}, {
      get: (_, name) => () => { throw new Error(`unexpected WASI call ${String(name)}`); },
    }),
  });
  const e = instance.exports;
  if (e._initialize) e._initialize();
  return e;
}

// A thin wrapper over one instance: copies in, copies out.
function core(e) {
  const f32 = (ptr, len) => new Float32Array(e.memory.buffer, ptr, len);
  const put = (arr) => {
    const p = e.malloc(Math.max(4, arr.length * 4));
    f32(p, arr.length).set(arr);
    return p;
  };
  return {
    e,
    simd: e.mlp_lab_simd(),
    create(sizes, act, out, loss, seed = 1, init = 0) {
      const ps = e.malloc(sizes.length * 4);
      new Int32Array(e.memory.buffer, ps, sizes.length).set(sizes);
      const net = e.mlp_create(ps, sizes.length, ACT[act], OUT[out], LOSS[loss], init, 0.1, 1.5, seed);
      e.free(ps);
      assert.notEqual(net, 0, `mlp_create ${sizes} ${act} ${out} ${loss}`);
      return net;
    },
    params: (net) => f32(e.mlp_params(net), e.mlp_num_params(net)).slice(),
    setParams: (net, p) => f32(e.mlp_params(net), e.mlp_num_params(net)).set(p),
    forward(net, X, n, q) {
      const px = put(X);
      const rc = e.mlp_forward(net, px, n);
      e.free(px);
      assert.equal(rc, 0, 'mlp_forward');
      return f32(e.mlp_output(net), n * q).slice();
    },
    gradients(net, X, Y, n) {
      const px = put(X), py = put(Y), pl = e.malloc(4);
      const rc = e.mlp_gradients(net, pl, px, py, n);
      const loss = f32(pl, 1)[0];
      e.free(px); e.free(py); e.free(pl);
      assert.equal(rc, 0, 'mlp_gradients');
      return { loss, g: f32(e.mlp_grads(net), e.mlp_num_params(net)).slice() };
    },
    step(net, X, Y, n, opt, lr) {
      const px = put(X), py = put(Y), pl = e.malloc(4);
      const rc = e.mlp_step(net, pl, px, py, n, OPT[opt], lr, 0);
      const loss = f32(pl, 1)[0];
      e.free(px); e.free(py); e.free(pl);
      assert.equal(rc, 0, 'mlp_step');
      return loss;
    },
    data(kind, n, noise, seed) {
      const pd = e.malloc(8);
      assert.equal(e.data_dims(kind, pd, pd + 4), 0);
      const d = new Int32Array(e.memory.buffer, pd, 1)[0];
      e.free(pd);
      const px = e.malloc(n * d * 4), py = e.malloc(n * 4);
      assert.equal(e.data_make(px, py, kind, n, noise, seed), 0);
      const out = { X: f32(px, n * d).slice(), y: f32(py, n).slice() };
      e.free(px); e.free(py);
      return out;
    },
    free: (net) => e.mlp_free(net),
  };
}

// ---- a float64 model of the same network ------------------------------------
const F64 = {
  relu: [(z) => Math.max(z, 0), (z) => (z > 0 ? 1 : 0)],
  tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2],
  identity: [(z) => z, () => 1],
};

function offsets(sizes) {
  const w = [], b = [];
  let p = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    w.push(p); p += sizes[l] * sizes[l + 1];
    b.push(p); p += sizes[l + 1];
  }
  return { w, b, P: p };
}

// Loss and gradients (a Float64Array in the params layout) in float64.
function reference(sizes, act, out, loss, P, X, Y, n) {
  const L = sizes.length - 1, off = offsets(sizes), [f, df] = F64[act];
  const Zs = [], Hs = [X];
  for (let l = 0; l < L; l++) {
    const fi = sizes[l], fo = sizes[l + 1], H = Hs[l];
    const Z = new Float64Array(n * fo);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < fo; j++) {
        let s = P[off.b[l] + j];
        for (let k = 0; k < fi; k++) s += H[i * fi + k] * P[off.w[l] + k * fo + j];
        Z[i * fo + j] = s;
      }
    }
    Zs.push(Z);
    Hs.push(l < L - 1 ? Z.map(f) : Z);
  }
  const q = sizes[L], Z = Zs[L - 1], dz = new Float64Array(n * q);
  let total = 0;
  if (out === 'identity') { // mse
    for (let e = 0; e < n * q; e++) { const d = Z[e] - Y[e]; total += d * d; dz[e] = 2 * d / (n * q); }
    total /= n * q;
  } else if (out === 'sigmoid') { // bce
    for (let e = 0; e < n * q; e++) {
      const z = Z[e];
      total += Math.max(z, 0) - z * Y[e] + Math.log1p(Math.exp(-Math.abs(z)));
      dz[e] = (1 / (1 + Math.exp(-z)) - Y[e]) / (n * q);
    }
    total /= n * q;
  } else { // softmax, cross_entropy
    for (let i = 0; i < n; i++) {
      const row = Z.subarray(i * q, i * q + q), mx = Math.max(...row);
      let s = 0;
      for (const z of row) s += Math.exp(z - mx);
      total += mx + Math.log(s) - row[Y[i]];
      for (let j = 0; j < q; j++) dz[i * q + j] = (Math.exp(row[j] - mx) / s - (j === Y[i] ? 1 : 0)) / n;
    }
    total /= n;
  }
  const g = new Float64Array(off.P);
  let d = dz;
  for (let l = L - 1; l >= 0; l--) {
    const fi = sizes[l], fo = sizes[l + 1], H = Hs[l];
    const dh = new Float64Array(n * fi);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < fo; j++) {
        const dij = d[i * fo + j];
        g[off.b[l] + j] += dij;
        for (let k = 0; k < fi; k++) {
          g[off.w[l] + k * fo + j] += H[i * fi + k] * dij;
          dh[i * fi + k] += dij * P[off.w[l] + k * fo + j];
        }
      }
    }
    if (l > 0) for (let e = 0; e < dh.length; e++) dh[e] *= df(Zs[l - 1][e]);
    d = dh;
  }
  return { loss: total, g };
}

// A small deterministic generator for the tests' inputs.
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function maxRelErr(got, want, floor = 1e-3) {
  let worst = 0, at = -1;
  for (let k = 0; k < want.length; k++) {
    const e = Math.abs(got[k] - want[k]) / Math.max(Math.abs(want[k]), floor);
    if (!(e <= worst)) { worst = e; at = k; }
  }
  return { worst, at };
}

function sameBits(a, b) {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return -2;
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return k;
  return -1;
}

function fnv1a(f32) {
  const u8 = new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
  let h = 2166136261;
  for (const c of u8) h = Math.imul(h ^ c, 16777619) >>> 0;
  return h;
}

// The buffers of one dense layer in wasm memory (malloc), filled from rnd,
// with host copies; reset() restores dw/db (which backward accumulates into)
// and clears out/dinp.
function kernelBuffers(e, n, inD, outD, rnd) {
  const sizes = { out: n * outD, inp: n * inD, w: inD * outD, b: outD, dinp: n * inD, dw: inD * outD, db: outD, dout: n * outD };
  const host = {}, ptr = {};
  for (const [name, len] of Object.entries(sizes)) {
    host[name] = Float32Array.from({ length: len }, () => 2 * rnd() - 1);
    ptr[name] = e.malloc(4 * len);
  }
  const bufs = {
    ...ptr,
    host,
    read: (name) => new Float32Array(e.memory.buffer, bufs[name], sizes[name]).slice(),
    reset() {
      for (const name of Object.keys(sizes)) new Float32Array(e.memory.buffer, ptr[name], sizes[name]).set(host[name]);
    },
    free() { for (const p of Object.values(ptr)) e.free(p); },
  };
  bufs.reset();
  return bufs;
}

// Shapes that hit every path of the kernels: widths below 4, the tails
// (out % 4 = 1, 2, 3), the 8- and 16-wide blocks, and the 256 limit.
const SHAPES = [
  [1, 1], [2, 8, 8, 1], [3, 5, 7, 2], [13, 17, 19, 3], [4, 33, 16, 9], [2, 256, 3], [6, 4, 256, 2],
  [2, 12, 20, 6, 11],
];

describe('dense kernels and network, scalar vs SIMD build', () => {
  let S, V; // scalar, vector
  before(async () => {
    S = core(await instantiate('mlp-lab.wasm'));
    V = core(await instantiate('mlp-lab-simd.wasm'));
    assert.equal(S.simd, 0, 'mlp-lab.wasm is the scalar build');
    assert.equal(V.simd, 1, 'mlp-lab-simd.wasm is the SIMD build');
  });

  it('initializes the same bits in both builds (and as natively: tests/c/test_mlp.c)', () => {
    for (const b of [S, V]) {
      const net = b.create([2, 8, 8, 1], 'tanh', 'sigmoid', 'bce', 1);
      assert.equal(fnv1a(b.params(net)).toString(16), '4b430989');
      b.free(net);
    }
    for (const [sizes, seed, init] of [[[3, 17, 5], 7, 0], [[2, 256, 256, 3], 99, 1], [[1, 1], 0, 0]]) {
      const a = S.create(sizes, 'relu', 'identity', 'mse', seed, init);
      const c = V.create(sizes, 'relu', 'identity', 'mse', seed, init);
      assert.equal(sameBits(S.params(a), V.params(c)), -1, `params of ${sizes} seed ${seed}`);
      S.free(a); V.free(c);
    }
  });

  it('identity networks: forward bit-identical, gradients within 1e-6 of their scale, both near float64', () => {
    const rnd = lcg(5);
    for (const sizes of SHAPES) {
      for (const n of [1, 3, 10, 37]) {
        const d = sizes[0], q = sizes.at(-1);
        const X = Float32Array.from({ length: n * d }, () => 4 * rnd() - 2);
        const Y = Float32Array.from({ length: n * q }, () => 2 * rnd() - 1);
        const a = S.create(sizes, 'identity', 'identity', 'mse', n);
        const c = V.create(sizes, 'identity', 'identity', 'mse', n);
        const P = S.params(a).map(() => 2 * rnd() - 1); // biases too
        S.setParams(a, P); V.setParams(c, P);
        const what = `sizes ${sizes}, n ${n}`;
        const oS = S.forward(a, X, n, q), oV = V.forward(c, X, n, q);
        assert.equal(sameBits(oS, oV), -1, `forward bits, ${what}`);
        const gS = S.gradients(a, X, Y, n), gV = V.gradients(c, X, Y, n);
        assert.equal(gS.loss, gV.loss, `loss, ${what}`);
        // the last layer's dW and db see no dinp: bit-identical
        const off = offsets(sizes), last = off.w.at(-1);
        assert.equal(sameBits(gS.g.subarray(last), gV.g.subarray(last)), -1, `last layer grads bits, ${what}`);
        let scale = 0;
        for (const v of gS.g) scale = Math.max(scale, Math.abs(v));
        // dinp rounding, carried down: within 1e-6 of the largest gradient
        const r = maxRelErr(gV.g, gS.g, scale);
        if (process.env.SHOWERR) console.log(what, r.worst);
        assert.ok(r.worst <= 1e-6, `SIMD vs scalar grads, ${what}: ${r.worst} at ${r.at}`);
        const ref = reference(sizes, 'identity', 'identity', 'mse', P, X, Y, n);
        assert.ok(Math.abs(gS.loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss), `loss vs float64, ${what}`);
        for (const g of [gS.g, gV.g]) {
          const e = maxRelErr(g, ref.g, 1e-2 * scale);
          assert.ok(e.worst <= 1e-4, `grads vs float64, ${what}: ${e.worst} at ${e.at}: ${g[e.at]} vs ${ref.g[e.at]}`);
        }
        S.free(a); V.free(c);
      }
    }
  });

  it('relu and tanh networks with bce and cross_entropy match float64 in both builds', () => {
    const rnd = lcg(11);
    const cases = [
      [[2, 8, 8, 1], 'tanh', 'sigmoid', 'bce'],
      [[2, 8, 8, 1], 'relu', 'sigmoid', 'bce'],
      [[3, 16, 7, 4], 'tanh', 'softmax', 'cross_entropy'],
      [[5, 9, 3], 'relu', 'softmax', 'cross_entropy'],
      [[2, 20, 20, 20, 2], 'tanh', 'identity', 'mse'],
    ];
    for (const [sizes, act, out, loss] of cases) {
      const n = 10, d = sizes[0], q = sizes.at(-1);
      const X = Float32Array.from({ length: n * d }, () => 4 * rnd() - 2);
      const Y = loss === 'cross_entropy'
        ? Float32Array.from({ length: n }, () => Math.floor(rnd() * q))
        : Float32Array.from({ length: n * q }, () => (out === 'sigmoid' ? (rnd() < 0.5 ? 0 : 1) : rnd()));
      for (const b of [S, V]) {
        const net = b.create(sizes, act, out, loss, 3);
        const P = b.params(net);
        for (const o of offsets(sizes).b) for (let j = o; j < o + 1; j++) P[j] = 0.1; // a nonzero bias
        b.setParams(net, P);
        const got = b.gradients(net, X, Y, n);
        const ref = reference(sizes, act, out, loss, b.params(net), X, Y, n);
        let scale = 0;
        for (const v of ref.g) scale = Math.max(scale, Math.abs(v));
        assert.ok(scale > 1e-3, 'a gradient that is not all zero');
        const e = maxRelErr(got.g, ref.g, 1e-2 * scale);
        const what = `${b.simd ? 'SIMD' : 'scalar'} ${sizes} ${act} ${out} ${loss}`;
        assert.ok(Math.abs(got.loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss), `loss ${what}: ${got.loss} vs ${ref.loss}`);
        assert.ok(e.worst <= 1e-3, `grads ${what}: ${e.worst} at ${e.at}: ${got.g[e.at]} vs ${ref.g[e.at]}`);
        b.free(net);
      }
    }
  });

  it('trains identically in both builds where the kernels are bit-exact (identity hidden, relu-free)', () => {
    // Identity hidden layers and identity output: every op but dinp is
    // bit-identical, so SGD trajectories agree to rounding over 50 steps.
    const rnd = lcg(3), n = 10, sizes = [2, 8, 8, 1];
    const X = Float32Array.from({ length: n * 2 }, () => 2 * rnd() - 1);
    const Y = Float32Array.from({ length: n }, () => rnd());
    const a = S.create(sizes, 'identity', 'identity', 'mse', 4), c = V.create(sizes, 'identity', 'identity', 'mse', 4);
    for (let t = 0; t < 50; t++) {
      const lS = S.step(a, X, Y, n, 'adam', 0.01), lV = V.step(c, X, Y, n, 'adam', 0.01);
      assert.ok(Math.abs(lS - lV) <= 1e-5 * Math.max(lS, 1e-3), `step ${t}: ${lS} vs ${lV}`);
    }
    S.free(a); V.free(c);
  });

  it('kernels equal their references (bits; dinp to rounding) on shapes that hit every tail', () => {
    const rnd = lcg(21);
    for (const B of [S, V]) {
      const e = B.e;
      for (const n of [1, 3, 33]) for (const inD of [1, 3, 4, 6, 17]) for (const outD of [1, 2, 3, 4, 5, 8, 13, 16, 19, 36]) {
        const what = `${B.simd ? 'SIMD' : 'scalar'} n ${n} in ${inD} out ${outD}`;
        const bufs = kernelBuffers(e, n, inD, outD, rnd);
        const run = (fwd, bwd) => {
          const o = {};
          fwd(bufs.out, bufs.inp, bufs.w, bufs.b, n, inD, outD);
          o.out = bufs.read('out');
          bufs.reset();
          bwd(bufs.dinp, bufs.dw, bufs.db, bufs.dout, bufs.inp, bufs.w, n, inD, outD);
          o.dinp = bufs.read('dinp'); o.dw = bufs.read('dw'); o.db = bufs.read('db');
          bufs.reset();
          return o;
        };
        const k = run(e.dense_forward, e.dense_backward);
        const r = run(e.dense_forward_ref, e.dense_backward_ref);
        assert.equal(sameBits(k.out, r.out), -1, `forward, ${what}`);
        assert.equal(sameBits(k.dw, r.dw), -1, `dw, ${what}`);
        assert.equal(sameBits(k.db, r.db), -1, `db, ${what}`);
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < inD; c++) {
            let abs = 0; // the sum of |terms| bounds the rounding of any order
            for (let j = 0; j < outD; j++) abs += Math.abs(bufs.host.dout[i * outD + j] * bufs.host.w[c * outD + j]);
            const x = i * inD + c;
            assert.ok(Math.abs(k.dinp[x] - r.dinp[x]) <= 2 * outD * 2 ** -24 * abs, `dinp[${x}], ${what}: ${k.dinp[x]} vs ${r.dinp[x]}`);
          }
        }
        bufs.free();
      }
    }
  });

  it('kernels touch nothing past a buffer: each buffer in turn ends at the end of memory', () => {
    const rnd = lcg(22);
    for (const B of [S, V]) {
      const e = B.e;
      for (const [n, inD, outD] of [[1, 1, 1], [3, 2, 8], [10, 8, 1], [5, 3, 5], [33, 6, 19], [2, 17, 36], [7, 5, 16], [1, 9, 3]]) {
        const what = `${B.simd ? 'SIMD' : 'scalar'} n ${n} in ${inD} out ${outD}`;
        const bufs = kernelBuffers(e, n, inD, outD, rnd);
        e.dense_forward(bufs.out, bufs.inp, bufs.w, bufs.b, n, inD, outD);
        const want = { out: bufs.read('out') };
        bufs.reset();
        e.dense_backward(bufs.dinp, bufs.dw, bufs.db, bufs.dout, bufs.inp, bufs.w, n, inD, outD);
        for (const name of ['dinp', 'dw', 'db']) want[name] = bufs.read(name);
        bufs.reset();
        // a fresh page that malloc has not handed out: reading or writing one
        // float past its end traps ("memory access out of bounds")
        e.memory.grow(1);
        const end = e.memory.buffer.byteLength;
        const atEnd = (name) => {
          const len = bufs.host[name].length, p = end - 4 * len;
          new Float32Array(e.memory.buffer, p, len).set(bufs.host[name]);
          return { ...bufs, [name]: p, ptr: p };
        };
        for (const name of ['out', 'inp', 'w', 'b']) {
          const a = atEnd(name);
          e.dense_forward(a.out, a.inp, a.w, a.b, n, inD, outD);
          const got = new Float32Array(e.memory.buffer, a.out, n * outD).slice();
          assert.equal(sameBits(got, want.out), -1, `forward with ${name} at the end, ${what}`);
        }
        for (const name of ['dinp', 'dw', 'db', 'dout', 'inp', 'w']) {
          bufs.reset();
          const a = atEnd(name);
          e.dense_backward(a.dinp, a.dw, a.db, a.dout, a.inp, a.w, n, inD, outD);
          for (const o of ['dinp', 'dw', 'db']) {
            const got = new Float32Array(e.memory.buffer, a[o], bufs.host[o].length).slice();
            assert.equal(sameBits(got, want[o]), -1, `backward ${o} with ${name} at the end, ${what}`);
          }
        }
        bufs.free();
      }
    }
  });

  it('makes the same data sets in both builds', () => {
    for (let kind = 0; kind < DATA.length; kind++) {
      for (const noise of [0, 0.25, 1]) {
        const a = S.data(kind, 301, noise, 17), b = V.data(kind, 301, noise, 17);
        assert.equal(sameBits(a.X, b.X), -1, `${DATA[kind]} X, noise ${noise}`);
        assert.equal(sameBits(a.y, b.y), -1, `${DATA[kind]} y, noise ${noise}`);
      }
    }
  });
});
