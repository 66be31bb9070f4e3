// mulberry32: the tests' and the benchmark's one small seeded PRNG, the same
// stream on every run and machine. rng(seed)() is uniform in [0, 1).
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.uniform = (lo, hi) => lo + (hi - lo) * next();
  next.int = (k) => Math.floor(next() * k); // [0, k)
  next.between = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // [lo, hi]
  next.pick = (list) => list[Math.floor(next() * list.length)];
  next.chance = (p) => next() < p;
  next.normal = () => { // Box-Muller
    const u = 1 - next(), v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return next;
}
