// Linear regions of a ReLU / pReLU network in float64, by another method than
// src/regions.c (which carries affine pieces through the layers): here every
// hidden unit's pre-activation is evaluated by a plain forward pass, the sign
// changes are found on a dense grid of x and each is refined by bisection.
//
// params: { W, b } as net.params() gives (W[l] (fan_in, fan_out) row-major);
// layers: the widths; act 'relu' | 'prelu' | 'identity'; alpha pReLU's slope.
// A unit is on where z > 0; units of identity (or pReLU with alpha = 1)
// layers have no kink and take no part, as README says.

// Every hidden unit's pre-activation at the input x (an array of d numbers).
export function preactivations(params, layers, act, alpha, x) {
  const z = [];
  let h = Array.from(x);
  for (let l = 0; l < layers.length - 2; l++) {
    const fi = layers[l], fo = layers[l + 1], W = params.W[l], b = params.b[l];
    const next = new Array(fo);
    for (let j = 0; j < fo; j++) {
      let s = b[j];
      for (let i = 0; i < fi; i++) s += h[i] * W[i * fo + j];
      z.push(s);
      next[j] = act === 'identity' || s > 0 ? s : (act === 'relu' ? 0 : alpha * s);
    }
    h = next;
  }
  return z;
}

const kinked = (layers, act, alpha) => layers.length > 2 && (act === 'relu' || (act === 'prelu' && alpha !== 1));

/**
 * The x in (from, to) where some unit's sign changes: each unit's sign on
 * `samples` evenly spaced points, every change bisected to 1e-14 of the
 * interval's scale, the crossings of all units merged when closer than
 * `merge` times the scale. Misses a unit that changes sign twice between two
 * samples (the tests keep the nets small enough that this does not happen).
 */
export function breakpoints64(params, layers, act, alpha, from, to, { samples = 20000, merge = 1e-9 } = {}) {
  if (!kinked(layers, act, alpha)) return [];
  const zAt = (x) => preactivations(params, layers, act, alpha, [x]);
  const xs = Array.from({ length: samples + 1 }, (_, i) => from + ((to - from) * i) / samples);
  const found = [];
  let prev = zAt(xs[0]);
  for (let i = 1; i <= samples; i++) {
    const cur = zAt(xs[i]);
    for (let u = 0; u < cur.length; u++) {
      if ((prev[u] > 0) === (cur[u] > 0)) continue;
      let lo = xs[i - 1], hi = xs[i];
      const onLo = prev[u] > 0;
      for (let it = 0; it < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(lo)); it++) {
        const mid = lo + (hi - lo) / 2;
        if ((zAt(mid)[u] > 0) === onLo) lo = mid; else hi = mid;
      }
      found.push(lo + (hi - lo) / 2);
    }
    prev = cur;
  }
  found.sort((a, b) => a - b);
  const scale = Math.max(Math.abs(from), Math.abs(to), 1);
  const out = [];
  for (const x of found) { // a sign change at from or to (within merge) is not inside
    if (x <= from + merge * scale || x >= to - merge * scale) continue;
    if (out.length && x - out[out.length - 1] <= merge * scale) continue;
    out.push(x);
  }
  return out;
}

/**
 * The pattern of every cell centre of the k x k grid over [lo, hi]^2 (row 0
 * at the top, x2 = hi - (i + 1/2)(hi - lo)/k; x1 = lo + (j + 1/2)(hi - lo)/k,
 * rounded to float32 as the core does), in float64: { ids (region ids in
 * order of first appearance), regions, margin (per cell, the smallest |z|
 * over the units, relative to the largest |z| there) }.
 */
export function patterns64(params, layers, act, alpha, lo, hi, k) {
  const ids = new Uint32Array(k * k), margin = new Float64Array(k * k);
  const seen = new Map();
  const on = kinked(layers, act, alpha);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const x1 = Math.fround(lo + ((j + 0.5) / k) * (hi - lo));
      const x2 = Math.fround(hi - ((i + 0.5) / k) * (hi - lo));
      const z = on ? preactivations(params, layers, act, alpha, [x1, x2]) : [];
      const key = z.map((v) => (v > 0 ? '1' : '0')).join('');
      if (!seen.has(key)) seen.set(key, seen.size);
      ids[i * k + j] = seen.get(key);
      let small = Infinity, big = 1;
      for (const v of z) { small = Math.min(small, Math.abs(v)); big = Math.max(big, Math.abs(v)); }
      margin[i * k + j] = small / big;
    }
  }
  return { ids, regions: seen.size, margin };
}
