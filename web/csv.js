// "Load your own data": a small CSV reader for the playground. Pure (no DOM).
//
// Accepted: one row per point, comma, semicolon or tab separated, an optional
// header row. Three columns x1, x2, label (label an integer class 0, 1 or 2)
// make a classification set; two columns x, y a 1-D regression set. At most
// MAX_ROWS rows; every value must be a number that float32 holds as finite
// (the network computes in float32: 1e39 would become Infinity), and a
// regression target must stay below 1e18 in size (its square must too).

export const MAX_ROWS = 5000;
// Regression targets train on a squared loss: past ~1.8e19 the square overflows
// float32 and the package refuses them; keep a margin.
const MAX_TARGET = 1e18;
const MAX_BYTES = 2_000_000;

export class CsvError extends Error {
  /** key: an i18n key for the message; detail: the row (1-based) or count. */
  constructor(key, detail) {
    super(`${key}${detail !== undefined ? ` (${detail})` : ''}`);
    this.name = 'CsvError';
    this.key = key;
    this.detail = detail;
  }
}

export function parseCSV(text) {
  if (typeof text !== 'string' || text.length === 0) throw new CsvError('csvEmpty');
  if (text.length > MAX_BYTES) throw new CsvError('csvTooBig', MAX_BYTES);
  const lines = text.split(/\r\n|\n|\r/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) throw new CsvError('csvEmpty');
  const split = (l) => l.split(/[,;\t]/).map((c) => c.trim());
  let rows = lines.map(split);
  const numeric = (cells) => cells.every((c) => c !== '' && Number.isFinite(Math.fround(Number(c))));
  if (!numeric(rows[0])) rows = rows.slice(1); // a header
  if (rows.length < 4) throw new CsvError('csvTooFew', rows.length);
  if (rows.length > MAX_ROWS) throw new CsvError('csvTooMany', MAX_ROWS);
  const width = rows[0].length;
  if (width !== 2 && width !== 3) throw new CsvError('csvColumns', width);
  const n = rows.length;
  const d = width === 3 ? 2 : 1;
  const X = new Float32Array(n * d);
  const y = new Float32Array(n);
  let classes = 0;
  rows.forEach((cells, i) => {
    if (cells.length !== width || !numeric(cells)) throw new CsvError('csvBadRow', i + 1);
    for (let k = 0; k < d; k++) X[i * d + k] = Number(cells[k]);
    const v = Number(cells[d]);
    if (d === 2) {
      if (!Number.isInteger(v) || v < 0 || v > 2) throw new CsvError('csvBadLabel', i + 1);
      classes = Math.max(classes, v + 1);
    } else if (!(Math.abs(v) < MAX_TARGET)) {
      throw new CsvError('csvBigTarget', i + 1);
    }
    y[i] = v;
  });
  if (d === 2) classes = Math.max(2, classes);
  // One square range for both inputs (the heatmap is square), padded by 5%.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of X) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.05;
  return { X, y, n, d, classes, range: [lo - pad, hi + pad], custom: true };
}
