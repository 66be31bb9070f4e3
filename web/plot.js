// Canvas line plots: axes, curves, marks and a cursor. No model code here;
// callers hand in typed arrays and colours. Pure drawing on one canvas.

/** Size a canvas's backing store to its CSS box times devicePixelRatio. */
export function fitCanvas(canvas) {
  const dpr = Math.min(3, globalThis.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(canvas.clientWidth));
  const h = Math.max(1, Math.round(canvas.clientHeight));
  const bw = Math.round(w * dpr);
  const bh = Math.round(h * dpr);
  if (canvas.width !== bw || canvas.height !== bh) {
    canvas.width = bw;
    canvas.height = bh;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h, dpr };
}

/** Read a CSS custom property from an element (trimmed), with a fallback. */
export function cssVar(el, name, fallback = '#888') {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

/** "Nice" tick step for a span. */
export function niceStep(span, target = 5) {
  const raw = span / Math.max(1, target);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
}

function fmtTick(v, step) {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const s = v.toFixed(Math.min(6, digits));
  return s === '-0' ? '0' : s;
}

/**
 * A plot frame: maps data to pixels and draws the axes.
 * opts: { x: [lo, hi], y: [lo, hi], pad: {l, r, t, b}, logY }
 */
export class Frame {
  constructor(ctx, w, h, opts) {
    this.ctx = ctx;
    this.w = w;
    this.h = h;
    this.pad = { l: 34, r: 8, t: 8, b: 20, ...(opts.pad || {}) };
    this.x = opts.x;
    this.y = opts.y;
    this.logY = !!opts.logY;
  }
  get left() { return this.pad.l; }
  get right() { return this.w - this.pad.r; }
  get top() { return this.pad.t; }
  get bottom() { return this.h - this.pad.b; }
  px(x) {
    return this.left + ((x - this.x[0]) / (this.x[1] - this.x[0])) * (this.right - this.left);
  }
  py(y) {
    let v = y;
    let lo = this.y[0];
    let hi = this.y[1];
    if (this.logY) {
      v = Math.log10(Math.max(y, 1e-30));
      lo = Math.log10(lo);
      hi = Math.log10(hi);
    }
    return this.bottom - ((v - lo) / (hi - lo)) * (this.bottom - this.top);
  }
  invX(px) {
    return this.x[0] + ((px - this.left) / (this.right - this.left)) * (this.x[1] - this.x[0]);
  }

  /** Grid, zero lines and tick labels. colors: { grid, axis, text } */
  axes(colors, { xTicks = 8, yTicks = 5, font = '11px system-ui, sans-serif' } = {}) {
    const { ctx } = this;
    ctx.save();
    ctx.font = font;
    ctx.lineWidth = 1;
    ctx.fillStyle = colors.text;
    // x ticks
    const xs = niceStep(this.x[1] - this.x[0], xTicks);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let v = Math.ceil(this.x[0] / xs) * xs; v <= this.x[1] + 1e-9; v += xs) {
      const p = Math.round(this.px(v)) + 0.5;
      ctx.strokeStyle = Math.abs(v) < xs * 1e-6 ? colors.axis : colors.grid;
      ctx.beginPath();
      ctx.moveTo(p, this.top);
      ctx.lineTo(p, this.bottom);
      ctx.stroke();
      ctx.fillText(fmtTick(v, xs), p, this.bottom + 4);
    }
    // y ticks
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    if (this.logY) {
      const lo = Math.floor(Math.log10(this.y[0]));
      const hi = Math.ceil(Math.log10(this.y[1]));
      const every = Math.max(1, Math.ceil((hi - lo) / yTicks));
      for (let e = lo; e <= hi; e += every) {
        const v = Math.pow(10, e);
        if (v < this.y[0] * 0.999 || v > this.y[1] * 1.001) continue;
        const p = Math.round(this.py(v)) + 0.5;
        ctx.strokeStyle = colors.grid;
        ctx.beginPath();
        ctx.moveTo(this.left, p);
        ctx.lineTo(this.right, p);
        ctx.stroke();
        ctx.fillText(e === 0 ? '1' : `1e${e}`, this.left - 4, p);
      }
    } else {
      const ys = niceStep(this.y[1] - this.y[0], yTicks);
      for (let v = Math.ceil(this.y[0] / ys) * ys; v <= this.y[1] + 1e-9; v += ys) {
        const p = Math.round(this.py(v)) + 0.5;
        ctx.strokeStyle = Math.abs(v) < ys * 1e-6 ? colors.axis : colors.grid;
        ctx.beginPath();
        ctx.moveTo(this.left, p);
        ctx.lineTo(this.right, p);
        ctx.stroke();
        ctx.fillText(fmtTick(v, ys), this.left - 4, p);
      }
    }
    ctx.restore();
  }

  /** Clip to the plot area for the callback. */
  clipped(fn) {
    const { ctx } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.left, this.top, this.right - this.left, this.bottom - this.top);
    ctx.clip();
    fn();
    ctx.restore();
  }

  /** A polyline through (xs[i], ys[i]); non-finite points break the line. */
  line(xs, ys, { color, width = 2, dash = null, alpha = 1 }) {
    const { ctx } = this;
    this.clipped(() => {
      ctx.strokeStyle = color;
      ctx.globalAlpha = alpha;
      ctx.lineWidth = width;
      ctx.lineJoin = 'round';
      ctx.lineCap = 'round';
      ctx.setLineDash(dash || []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < xs.length; i++) {
        const y = ys[i];
        if (!Number.isFinite(y)) {
          pen = false;
          continue;
        }
        // keep far-off values finite for the canvas
        const py = Math.max(-1e4, Math.min(1e4, this.py(y)));
        const px = this.px(xs[i]);
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    });
  }

  /** A dot at a data point; hollow draws a ring in the background colour. */
  dot(x, y, { color, r = 4, hollow = false, bg = '#fff' }) {
    const { ctx } = this;
    ctx.save();
    ctx.beginPath();
    ctx.arc(this.px(x), this.py(y), r, 0, Math.PI * 2);
    ctx.fillStyle = hollow ? bg : color;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.restore();
  }

  /** A label near a data point, with a halo in the background colour. */
  label(x, y, text, { color, bg, dx = 8, dy = -8, align = 'left', font = '12px system-ui, sans-serif' }) {
    const { ctx } = this;
    ctx.save();
    ctx.font = font;
    ctx.textAlign = align;
    ctx.textBaseline = 'bottom';
    const px = Math.min(this.right - 2, Math.max(this.left + 2, this.px(x) + dx));
    const py = Math.max(this.top + 14, this.py(y) + dy);
    ctx.lineWidth = 4;
    ctx.strokeStyle = bg;
    ctx.lineJoin = 'round';
    ctx.strokeText(text, px, py);
    ctx.fillStyle = color;
    ctx.fillText(text, px, py);
    ctx.restore();
  }

  /** A vertical cursor line at x. */
  cursor(x, color) {
    const { ctx } = this;
    const p = Math.round(this.px(x)) + 0.5;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(p, this.top);
    ctx.lineTo(p, this.bottom);
    ctx.stroke();
    ctx.restore();
  }
}

/** The two classes' colours of a diverging heatmap, its middle, and the ring drawn round points. */
export function classColors(el) {
  return {
    neg: cssVar(el, '--c0', '#f59322'),
    pos: cssVar(el, '--c1', '#0877bd'),
    mid: cssVar(el, '--heat-mid', '#f4f4f4'),
    ring: cssVar(el, '--surface', '#fff'),
  };
}

/** The colours the axes need, read from the element's custom properties. */
export function axisColors(el) {
  return {
    grid: cssVar(el, '--grid', '#e5e7eb'),
    axis: cssVar(el, '--axis', '#9ca3af'),
    text: cssVar(el, '--muted', '#6b7280'),
    fg: cssVar(el, '--fg', '#111'),
    bg: cssVar(el, '--surface', '#fff'),
  };
}
