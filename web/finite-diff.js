// Exercises 2 and 3 on the activation plot: check the analytic derivative
// f′ (lab.derivative) against the central difference (f(x + h) − f(x − h)) / 2h
// of the core's own f (lab.activate). The inputs x ± h are float32, so the
// difference divides by their exact distance rather than by 2h. No DOM.

/** Functions with a kink at 0 (no derivative there; a difference across it averages the slopes). */
export const KINKED = Object.freeze(['relu', 'prelu']);

/**
 * For each name: { fd: Float64Array (central differences at xs), maxDiff: the largest
 * |fd − f′| on the grid, skipping points whose interval [x − h, x + h] holds a kink, at: its x }.
 * d: { name: f′ at xs } from lab.derivative; opts: { alpha, beta }.
 */
export function centralDifferences(lab, names, xs, d, step, opts) {
  const n = xs.length;
  const xp = new Float32Array(n);
  const xm = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xp[i] = xs[i] + step;
    xm[i] = xs[i] - step;
  }
  const out = {};
  for (const name of names) {
    const fp = lab.activate(name, xp, opts);
    const fm = lab.activate(name, xm, opts);
    const fd = new Float64Array(n);
    let maxDiff = 0;
    let at = xs[0];
    const kinked = KINKED.includes(name);
    for (let i = 0; i < n; i++) {
      fd[i] = (fp[i] - fm[i]) / (xp[i] - xm[i]);
      if (kinked && xm[i] <= 0 && xp[i] >= 0) continue;
      const diff = Math.abs(fd[i] - d[name][i]);
      if (diff > maxDiff) {
        maxDiff = diff;
        at = xs[i];
      }
    }
    out[name] = { fd, maxDiff, at };
  }
  return out;
}
