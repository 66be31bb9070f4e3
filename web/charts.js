// Small charts of the playground: loss curves (log scale) and the fitted
// curve of a 1-D regression. Drawing only.

import { fitCanvas, Frame } from './plot.js';

/** Train (solid) and test (dashed) loss against epoch, log-scaled. */
export function drawLossChart(canvas, history, col) {
  const { ctx, w, h } = fitCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  const { epoch, train, test } = history;
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of [train, test]) {
    for (const v of a) {
      if (v > 0 && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(lo < Infinity)) {
    lo = 0.01;
    hi = 1;
  }
  lo = Math.pow(10, Math.floor(Math.log10(lo) - 0.05));
  hi = Math.pow(10, Math.ceil(Math.log10(hi) + 0.05));
  if (hi / lo < 10) hi = lo * 10;
  const maxE = Math.max(10, epoch.length ? epoch[epoch.length - 1] : 10);
  const fr = new Frame(ctx, w, h, { x: [0, maxE], y: [lo, hi], logY: true, pad: { l: 38, r: 16, t: 6, b: 20 } });
  fr.axes(col, { xTicks: w < 300 ? 3 : 5, yTicks: 4 });
  if (epoch.length) {
    fr.line(epoch, train, { color: col.train, width: 2 });
    fr.line(epoch, test, { color: col.test, width: 2, dash: [5, 3] });
  }
}

/** Data points (x, y) and the network's curve over xs; returns the plot's Frame. */
export function drawRegression(canvas, data, idxTrain, idxTest, showTest, xs, ys, col) {
  const { ctx, w, h } = fitCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = col.mid;
  ctx.fillRect(0, 0, w, h);
  const { X, y, range } = data;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of y) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo <= hi)) [lo, hi] = [-1.5, 1.5]; // no points yet (a curve still to be drawn)
  if (data.drawn) [lo, hi] = [Math.min(lo, -1.5), Math.max(hi, 1.5)]; // a curve being drawn: the axes hold still
  const pad = Math.max(0.1, (hi - lo) * 0.15);
  const fr = new Frame(ctx, w, h, { x: range, y: [lo - pad, hi + pad], pad: { l: 30, r: 8, t: 8, b: 20 } });
  fr.axes(col, { xTicks: 6, yTicks: 5 });
  const dot = (i, test) => {
    ctx.beginPath();
    ctx.arc(fr.px(X[i]), fr.py(y[i]), 3, 0, Math.PI * 2);
    if (test) {
      ctx.fillStyle = col.ring;
      ctx.fill();
      ctx.strokeStyle = col.c0;
      ctx.lineWidth = 1.8;
      ctx.stroke();
    } else {
      ctx.fillStyle = col.c1;
      ctx.fill();
    }
  };
  fr.clipped(() => {
    for (const i of idxTrain) dot(i, false);
    if (showTest) for (const i of idxTest) dot(i, true);
  });
  if (xs) fr.line(xs, ys, { color: col.fg, width: 2.5 });
  return fr; // a pointer on the plot maps back to data through it
}

/** A tiny curve for one hidden unit of a 1-D network (no axes). */
export function drawUnitCurve(canvas, xs, values, stride, offset, col) {
  const { ctx, w, h } = fitCanvas(canvas);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = col.mid;
  ctx.fillRect(0, 0, w, h);
  let lo = Infinity;
  let hi = -Infinity;
  const n = xs.length;
  for (let i = 0; i < n; i++) {
    const v = values[i * stride + offset];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    hi = lo + 1;
    lo -= 1;
  }
  ctx.strokeStyle = col.fg;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const px = (i / (n - 1)) * w;
    const py = h - 2 - ((values[i * stride + offset] - lo) / (hi - lo)) * (h - 4);
    if (i) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
  }
  ctx.stroke();
}
