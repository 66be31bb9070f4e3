// Points a person draws on the playground's output: a data set like the
// others (X, y, n, d, classes, range), with add, remove-nearest, undo and
// clear, a limit of MAX_DRAWN points and a compact text form for a link.
// Pure: no DOM, no model code. Two kinds: 'classes' (2-D points with a class
// 0, 1 or 2) and 'curve' (1-D regression: a target y at each x).

export const MAX_DRAWN = 2000;
export const MAX_LINK_POINTS = 200; // at most this many go into a shared link
export const CLASSES_RANGE = Object.freeze([-6, 6]);
export const CURVE_RANGE = Object.freeze([-Math.PI, Math.PI]);
export const CURVE_Y = Object.freeze([-8, 8]); // target values a curve may take
const UNDO_MAX = 64;
// Base64url digits: two per coordinate (4,096 levels), URL-safe without escaping.
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LEVELS = 4096;

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function enc(v, [lo, hi]) {
  const q = clamp(Math.round(((v - lo) / (hi - lo)) * (LEVELS - 1)), 0, LEVELS - 1);
  return DIGITS[q >> 6] + DIGITS[q & 63];
}

function dec(s, i, [lo, hi]) {
  const a = DIGITS.indexOf(s[i]);
  const b = DIGITS.indexOf(s[i + 1]);
  if (a < 0 || b < 0) return NaN;
  return lo + (((a << 6) | b) / (LEVELS - 1)) * (hi - lo);
}

export class Drawn {
  /** kind: 'classes' | 'curve' */
  constructor(kind = 'classes') {
    if (kind !== 'classes' && kind !== 'curve') throw new RangeError(`kind: expected 'classes' or 'curve', got ${String(kind)}`);
    this.kind = kind;
    this.range = kind === 'curve' ? CURVE_RANGE : CLASSES_RANGE;
    this.points = []; // { x, y, c, id }: c is the class (classes) or 0 (curve); id: in the order drawn
    this.undoStack = [];
    this.nextId = 0;
  }

  get n() {
    return this.points.length;
  }

  get full() {
    return this.points.length >= MAX_DRAWN;
  }

  /** Remember the points before a change (a stroke is one change). */
  snapshot() {
    this.undoStack.push(this.points.slice());
    if (this.undoStack.length > UNDO_MAX) this.undoStack.shift();
  }

  /** Add a point inside the range; false when MAX_DRAWN points are there (nothing added). */
  add(x, y, c = 0) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    if (this.full) return false;
    const [lo, hi] = this.range;
    const [ylo, yhi] = this.kind === 'curve' ? CURVE_Y : this.range;
    const cls = this.kind === 'curve' ? 0 : clamp(Math.round(c) || 0, 0, 2);
    this.points.push({ x: clamp(x, lo, hi), y: clamp(y, ylo, yhi), c: cls, id: this.nextId++ });
    return true;
  }

  /** Curve: the target at x becomes y (points within halfWidth of x are replaced). */
  setCurve(x, y, halfWidth) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    this.points = this.points.filter((p) => Math.abs(p.x - x) > halfWidth);
    return this.add(x, y, 0);
  }

  /** Remove the point nearest (x, y) within maxDist (data units); returns it or null. */
  removeNearest(x, y, maxDist = Infinity) {
    let best = -1;
    let bestD = maxDist * maxDist;
    this.points.forEach((p, i) => {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    return best < 0 ? null : this.points.splice(best, 1)[0];
  }

  undo() {
    if (!this.undoStack.length) return false;
    this.points = this.undoStack.pop();
    return true;
  }

  clear() {
    if (this.points.length) this.snapshot();
    this.points = [];
  }

  /** A data set in the shape of lab.datasets[name](...). */
  data() {
    const n = this.points.length;
    const d = this.kind === 'curve' ? 1 : 2;
    const pts = this.kind === 'curve' ? [...this.points].sort((a, b) => a.x - b.x) : this.points;
    const X = new Float32Array(n * d);
    const y = new Float32Array(n);
    const ids = new Uint32Array(n); // a point keeps its id (and so its train/test side) while others come and go
    let classes = 0;
    pts.forEach((p, i) => {
      ids[i] = p.id;
      X[i * d] = p.x;
      if (d === 2) X[i * d + 1] = p.y;
      y[i] = d === 2 ? p.c : p.y;
      if (d === 2) classes = Math.max(classes, p.c + 1);
    });
    if (d === 2) classes = Math.max(2, classes);
    return { X, y, n, d, classes, range: [...this.range], drawn: true, ids };
  }

  /** 'c' + 5 characters a point (x, y, class), or 'r' + 4 (x, y); null when too many for a link. */
  encode() {
    if (this.points.length > MAX_LINK_POINTS) return null;
    if (this.kind === 'curve') return `r${this.points.map((p) => enc(p.x, this.range) + enc(p.y, CURVE_Y)).join('')}`;
    return `c${this.points.map((p) => enc(p.x, this.range) + enc(p.y, this.range) + String(p.c)).join('')}`;
  }

  /** The points of a string made by encode(), or null when it is not one (never throws). */
  static decode(raw) {
    if (typeof raw !== 'string' || raw.length < 1 || raw.length > 1 + 5 * MAX_LINK_POINTS) return null;
    const kind = raw[0] === 'c' ? 'classes' : raw[0] === 'r' ? 'curve' : null;
    if (!kind) return null;
    const per = kind === 'curve' ? 4 : 5;
    const body = raw.slice(1);
    if (body.length % per !== 0) return null;
    const dr = new Drawn(kind);
    for (let i = 0; i < body.length; i += per) {
      const x = dec(body, i, dr.range);
      const y = dec(body, i + 2, kind === 'curve' ? CURVE_Y : dr.range);
      const c = kind === 'curve' ? 0 : '012'.indexOf(body[i + 4]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || c < 0) return null;
      dr.add(x, y, c);
    }
    return dr;
  }

  /** For Export JSON: plain numbers. */
  toJSON() {
    return { kind: this.kind, points: this.points.map((p) => (this.kind === 'curve' ? [p.x, p.y] : [p.x, p.y, p.c])) };
  }

  /** From an exported object (own properties only); null when it is not one. */
  static fromJSON(raw) {
    if (!raw || typeof raw !== 'object') return null;
    const kind = Object.hasOwn(raw, 'kind') ? raw.kind : null;
    const pts = Object.hasOwn(raw, 'points') ? raw.points : null;
    if ((kind !== 'classes' && kind !== 'curve') || !Array.isArray(pts) || pts.length > MAX_DRAWN) return null;
    const dr = new Drawn(kind);
    for (const p of pts) {
      if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 3).every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
      dr.add(p[0], p[1], p[2] ?? 0);
    }
    return dr;
  }
}
