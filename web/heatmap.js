// Heatmaps: paint a small ImageData (one pixel per grid point) and let CSS
// scale the canvas. Also the data points drawn over a heatmap. No model code.

/** '#rrggbb' | '#rgb' | 'rgb(r, g, b)' -> [r, g, b] (0..255). */
export function parseColor(css) {
  const s = String(css).trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) {
    const v = parseInt(m[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [...m[1]].map((c) => parseInt(c + c, 16));
  m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return [128, 128, 128];
}

/**
 * Grid points over a square [lo, hi]^2, row 0 at the top (y = hi), so the
 * grid maps straight onto an ImageData. Returns a Float32Array (g*g, 2).
 */
export function grid2d(lo, hi, g) {
  const X = new Float32Array(g * g * 2);
  for (let j = 0; j < g; j++) {
    const y = hi - ((j + 0.5) / g) * (hi - lo);
    for (let i = 0; i < g; i++) {
      const x = lo + ((i + 0.5) / g) * (hi - lo);
      X[2 * (j * g + i)] = x;
      X[2 * (j * g + i) + 1] = y;
    }
  }
  return X;
}

function put(img, k, r, g, b) {
  img.data[4 * k] = r;
  img.data[4 * k + 1] = g;
  img.data[4 * k + 2] = b;
  img.data[4 * k + 3] = 255;
}

/** Make sure the canvas is g x g pixels and return a fresh ImageData. */
function imageFor(canvas, g) {
  if (canvas.width !== g || canvas.height !== g) {
    canvas.width = g;
    canvas.height = g;
  }
  const ctx = canvas.getContext('2d');
  return { ctx, img: ctx.createImageData(g, g) };
}

/**
 * Diverging map: t in [-1, 1] -> neg ... mid ... pos.
 * values: length g*g; scale: divide by it (per-unit heatmaps use max |v|).
 * offset: subtract before scaling (0.5 for probabilities -> t = 2p - 1).
 * strength: how far the extremes go toward neg/pos (below 1 keeps points readable).
 */
export function paintDiverging(canvas, values, g, colors, { offset = 0, scale = 1, strength = 1 } = {}) {
  const { ctx, img } = imageFor(canvas, g);
  const neg = parseColor(colors.neg);
  const mid = parseColor(colors.mid);
  const pos = parseColor(colors.pos);
  const n = g * g;
  for (let k = 0; k < n; k++) {
    let t = (values[k] - offset) / scale;
    if (!Number.isFinite(t)) t = 0;
    t = Math.max(-1, Math.min(1, t));
    const c = t >= 0 ? pos : neg;
    const a = Math.abs(t) * strength;
    put(img, k, mid[0] + (c[0] - mid[0]) * a, mid[1] + (c[1] - mid[1]) * a, mid[2] + (c[2] - mid[2]) * a);
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * Class probabilities (g*g, k) as a colour blend: sum_k p_k colour_k, pulled
 * toward mid where the network is unsure (max p near 1/k).
 */
export function paintBlend(canvas, probs, g, k, colors, { strength = 1 } = {}) {
  const { ctx, img } = imageFor(canvas, g);
  const cs = colors.classes.slice(0, k).map(parseColor);
  const mid = parseColor(colors.mid);
  const n = g * g;
  for (let p = 0; p < n; p++) {
    let r = 0;
    let gg = 0;
    let b = 0;
    let mx = 0;
    for (let c = 0; c < k; c++) {
      let v = probs[p * k + c];
      if (!Number.isFinite(v)) v = 1 / k;
      r += v * cs[c][0];
      gg += v * cs[c][1];
      b += v * cs[c][2];
      if (v > mx) mx = v;
    }
    const conf = Math.max(0, Math.min(1, (mx - 1 / k) / (1 - 1 / k)));
    const a = (0.25 + 0.75 * conf) * strength;
    put(img, p, mid[0] + (r - mid[0]) * a, mid[1] + (gg - mid[1]) * a, mid[2] + (b - mid[2]) * a);
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * Data points over a heatmap (ctx in CSS pixels, size w x h).
 * X (n, 2), y (n) labels; colorOf(label) -> css; test points drawn hollow.
 */
export function drawPoints(ctx, w, h, range, X, y, idx, colorOf, { ring, test = false, r = 3.6 }) {
  const [lo, hi] = range;
  const sx = w / (hi - lo);
  const sy = h / (hi - lo);
  ctx.save();
  ctx.lineWidth = test ? 1.6 : 0.9;
  for (const i of idx) {
    const px = (X[2 * i] - lo) * sx;
    const py = (hi - X[2 * i + 1]) * sy;
    ctx.beginPath();
    ctx.arc(px, py, r, 0, Math.PI * 2);
    if (test) {
      ctx.fillStyle = ring;
      ctx.fill();
      ctx.strokeStyle = colorOf(y[i]);
      ctx.lineWidth = 2;
      ctx.stroke();
    } else {
      ctx.fillStyle = colorOf(y[i]);
      ctx.fill();
      ctx.strokeStyle = ring;
      ctx.stroke();
    }
  }
  ctx.restore();
}
