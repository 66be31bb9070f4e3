// The boundary a "y > f(x)" data set is defined by (lab.datasets.aboveSin,
// aboveCubic, aboveAbs: label 1 where x2 > f(x1)), drawn faintly over the
// output so students see the curve the network has to find. f is the data
// set's definition sampled for drawing only; no model number comes from here.

export const REFERENCE = Object.freeze({
  aboveSin: (x) => 3 * Math.sin(x),
  aboveCubic: (x) => (x * x * x) / 20,
  aboveAbs: (x) => Math.abs(x) - 3,
});

/** Draw f of the data set `name` (if it has one) on ctx (CSS pixels w x h) over range^2. */
export function drawReference(ctx, w, h, range, name, { color = '#111', samples = 241 } = {}) {
  const f = Object.hasOwn(REFERENCE, name) ? REFERENCE[name] : null;
  if (!f) return false;
  const [lo, hi] = range;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, w, h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.45;
  ctx.lineWidth = 1.6;
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  for (let i = 0; i < samples; i++) {
    const x = lo + (i / (samples - 1)) * (hi - lo);
    const y = Math.max(lo - 1, Math.min(hi + 1, f(x))); // off the plot: keep the line's slope, not its length
    const px = ((x - lo) / (hi - lo)) * w;
    const py = ((hi - y) / (hi - lo)) * h;
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
  ctx.restore();
  return true;
}
