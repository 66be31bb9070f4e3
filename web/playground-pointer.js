// Pointer modes on the playground's output: Inspect (the default: a click or
// tap hands the nearest data point to the host's inspectPoint, if it has one),
// Add (a click adds a point of the picked class, a drag paints several; on 1-D
// regression data a drag sets the target curve) and Remove (the nearest point).
// A keyboard cursor: arrow keys move it, Enter or Space acts as a click. The
// drawn points are the 'drawn' data set (drawn.js). Functions and a controller
// of the <mlp-playground> element (pg); this module does not import it.

import { h } from './base.js';
import { Drawn, MAX_DRAWN, MAX_LINK_POINTS, CURVE_Y } from './drawn.js';
import { parsePoints } from './state.js';

const MODES = ['inspect', 'add', 'remove'];
const PAINT_STEP = 0.45; // data units between two points a drag paints (2-D)
const REMOVE_RADIUS = 0.9; // data units (2-D); a remove only takes a point this close
const CURSOR_STEP = 0.25; // data units an arrow key moves the cursor (Shift: 4 times as far)

export class PointerControl {
  constructor(pg) {
    this.pg = pg;
    this.host = pg; // issue 13's inspect panel defines host.inspectPoint
    this.mode = 'inspect';
    this.cls = 1;
    this.drawn = new Drawn('classes');
    this.stroke = null;
    this.cursor = null; // { x, y } in data units while the keyboard drives
    this.pending = 0;
    this.note = { key: null, args: null };
    if (pg.syncHash) this.fromHash(location.hash);
    else if (pg.linked) this.fromHash(location.hash, pg.linkTarget());
  }

  /** The drawn points a hash carries (for target: a link to it); true when they replaced the current ones. */
  fromHash(hash, target = null) {
    const dr = parsePoints(hash, target);
    if (!dr) return false;
    this.drawn = dr;
    return true;
  }

  /** Drawn points from an exported file (Import JSON); an unreadable list leaves none. */
  fromJSON(raw) {
    this.drawn = Drawn.fromJSON(raw) || new Drawn('classes');
  }

  /** After each redraw: the cursor (if the keyboard shows it) and the bar when the data set changed. */
  afterDraw() {
    if (this.cursor) this.drawCursor();
    const key = `${this.pg.s.dataset}:${this.drawn.n}`;
    if (key !== this.barKey) {
      this.barKey = key;
      this.updateBar();
    }
  }

  /** The data set for the Trainer when the drawn set is chosen, else null. */
  dataFor() {
    return this.pg.s.dataset === 'drawn' ? this.drawn.data() : null;
  }

  /** The points for a shared link (null when there are too many: Export JSON keeps them). */
  linkPoints() {
    return this.pg.s.dataset === 'drawn' ? this.drawn.encode() : null;
  }

  // ---- DOM -------------------------------------------------------------------

  /** The bar under the output: mode, class, undo, clear and a message line. */
  bar() {
    const pg = this.pg;
    const modeBtn = (m) => h('button', { type: 'button', class: 'seg', 'data-mode': m, 'aria-pressed': String(m === this.mode), 'data-i18n': `ptr_${m}`, 'data-i18n-title': `ptr_${m}Help` });
    const clsBtn = (c) => {
      const b = h('button', { type: 'button', class: 'seg cls', 'data-cls': c, 'aria-pressed': String(c === this.cls) }, h('span', { class: 'dot', 'aria-hidden': 'true' }), String(c));
      b.querySelector('.dot').style.setProperty('--dot', `var(--c${c})`);
      return b;
    };
    const root = h('div', { class: 'pointer-bar' },
      h('div', { class: 'seg-group modes', role: 'group', 'data-i18n-label': 'ptrMode' }, MODES.map(modeBtn)),
      h('div', { class: 'seg-group classes', role: 'group', 'data-i18n-label': 'ptrClass' }, [0, 1, 2].map(clsBtn)),
      h('button', { type: 'button', name: 'draw-undo', class: 'small-btn', 'data-i18n': 'ptrUndo' }),
      h('button', { type: 'button', name: 'draw-clear', class: 'small-btn', 'data-i18n': 'ptrClear' }),
      h('p', { class: 'pointer-note', role: 'status' }));
    for (const b of root.querySelectorAll('[data-mode]')) b.addEventListener('click', () => this.setMode(b.dataset.mode));
    for (const b of root.querySelectorAll('[data-cls]')) {
      b.addEventListener('click', () => {
        this.cls = Number(b.dataset.cls);
        this.updateBar();
      });
    }
    root.querySelector('[name=draw-undo]').addEventListener('click', () => {
      if (this.drawn.undo()) this.changed();
    });
    root.querySelector('[name=draw-clear]').addEventListener('click', () => {
      this.drawn.clear();
      this.changed();
    });
    this.root = root;
    queueMicrotask(() => this.attach());
    return root;
  }

  /** Listen on the output once it is in the shadow root. */
  attach() {
    const pg = this.pg;
    const heat = pg.$('.heat.big');
    const over = pg.$('.heat-over');
    if (!heat || !over || this.attached) return;
    this.attached = true;
    this.cursorCanvas = h('canvas', { class: 'heat-cursor', 'aria-hidden': 'true', 'data-transient': '' });
    heat.append(this.cursorCanvas);
    over.tabIndex = 0;
    over.addEventListener('pointerdown', (e) => this.down(e));
    over.addEventListener('pointermove', (e) => this.move(e));
    over.addEventListener('pointerup', (e) => this.up(e));
    over.addEventListener('pointercancel', () => this.endStroke());
    over.addEventListener('keydown', (e) => this.key(e));
    over.addEventListener('blur', () => {
      this.cursor = null;
      this.drawCursor();
    });
    this.updateBar();
  }

  setMode(m) {
    if (!MODES.includes(m)) return;
    this.mode = m;
    const pg = this.pg;
    if (m !== 'inspect' && (pg.s.dataset !== 'drawn' || pg.custom)) {
      // Drawing makes the drawn points the data set (a curve on 1-D data), also over a loaded CSV.
      const kind = pg.trainer?.data.d === 1 ? 'curve' : 'classes';
      if (this.drawn.kind !== kind) this.drawn = new Drawn(kind);
      const hadCustom = !!pg.custom;
      pg.custom = null;
      if (hadCustom) pg.$('.csv-note').textContent = '';
      pg.apply({ ...pg.s, dataset: 'drawn' }, { forceReset: hadCustom, newData: hadCustom });
    }
    this.updateBar();
  }

  /** Mode and class buttons, counts and the message line, in the language shown. */
  updateBar() {
    const pg = this.pg;
    const r = this.root;
    if (!r) return;
    for (const b of r.querySelectorAll('[data-mode]')) b.setAttribute('aria-pressed', String(b.dataset.mode === this.mode));
    const curve = this.drawn.kind === 'curve' && pg.s.dataset === 'drawn';
    const classes = r.querySelector('.classes');
    classes.hidden = this.mode !== 'add' || curve;
    for (const b of r.querySelectorAll('[data-cls]')) b.setAttribute('aria-pressed', String(Number(b.dataset.cls) === this.cls));
    const drawing = pg.s.dataset === 'drawn';
    r.querySelector('[name=draw-undo]').hidden = !drawing;
    r.querySelector('[name=draw-clear]').hidden = !drawing;
    r.querySelector('[name=draw-undo]').disabled = !this.drawn.undoStack.length;
    r.querySelector('[name=draw-clear]').disabled = !this.drawn.n;
    pg.dataset.pointerMode = this.mode;
    pg.dataset.drawn = String(this.drawn.n);
    let key = this.note.key;
    let args = this.note.args;
    if (!key && drawing) {
      if (this.drawn.n === 0) key = curve ? 'drawnEmptyCurve' : 'drawnEmpty';
      else if (this.drawn.n > MAX_LINK_POINTS) key = 'drawnNotInLink';
      else key = 'drawnCount';
      args = { n: pg.fmt(this.drawn.n, 0), max: pg.fmt(MAX_DRAWN, 0), link: pg.fmt(MAX_LINK_POINTS, 0) };
    }
    const p = r.querySelector('.pointer-note');
    p.classList.toggle('bad', this.note.key === 'drawnFull');
    const text = key ? pg.t(key, args) : '';
    if (p.textContent !== text) p.textContent = text;
  }

  // ---- geometry ----------------------------------------------------------------

  /** A pointer event's position in data units ({ x, y }), or null. */
  toData(e) {
    const pg = this.pg;
    const over = pg.$('.heat-over');
    const box = over.getBoundingClientRect();
    if (!box.width || !box.height) return null;
    return this.pxToData(e.clientX - box.left, e.clientY - box.top, box.width, box.height);
  }

  pxToData(px, py, w, hgt) {
    const tr = this.pg.trainer;
    if (!tr) return null;
    if (tr.data.d === 2) {
      const [lo, hi] = tr.data.range;
      return { x: lo + (px / w) * (hi - lo), y: hi - (py / hgt) * (hi - lo) };
    }
    const fr = this.pg.regFrame;
    if (!fr) return null;
    const x = fr.invX(px);
    const y = fr.y[0] + ((fr.bottom - py) / (fr.bottom - fr.top)) * (fr.y[1] - fr.y[0]);
    return { x, y };
  }

  dataToPx(x, y, w, hgt) {
    const tr = this.pg.trainer;
    if (tr.data.d === 2) {
      const [lo, hi] = tr.data.range;
      return { px: ((x - lo) / (hi - lo)) * w, py: ((hi - y) / (hi - lo)) * hgt };
    }
    const fr = this.pg.regFrame;
    return fr ? { px: fr.px(x), py: fr.py(y) } : { px: 0, py: 0 };
  }

  // ---- pointer -------------------------------------------------------------------

  down(e) {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    const p = this.toData(e);
    if (!p) return;
    this.cursor = null;
    this.drawCursor();
    if (this.mode === 'inspect') {
      this.inspectAt(p);
      return;
    }
    if (this.pg.s.dataset !== 'drawn') return;
    e.preventDefault();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    this.drawn.snapshot();
    this.stroke = { last: null };
    this.act(p);
  }

  move(e) {
    if (!this.stroke) return;
    const p = this.toData(e);
    if (p) this.act(p);
  }

  up() {
    this.endStroke();
  }

  endStroke() {
    if (!this.stroke) return;
    if (!this.stroke.changed) this.drawn.undoStack.pop(); // nothing happened: nothing to undo
    this.stroke = null;
    this.flush();
  }

  /** What one pointer position does in the current mode (a stroke is under way). */
  act(p) {
    const dr = this.drawn;
    const st = this.stroke;
    if (this.mode === 'remove') {
      const near = dr.kind === 'curve' ? this.nearestCurveIndex(p) : -1;
      const gone = dr.kind === 'curve' ? (near >= 0 ? dr.points.splice(near, 1)[0] : null) : dr.removeNearest(p.x, p.y, REMOVE_RADIUS);
      if (gone) {
        st.changed = true;
        this.schedule();
      }
      return;
    }
    if (dr.kind === 'curve') {
      // Sweep from the last position so a fast drag leaves no gaps.
      const [lo, hi] = dr.range;
      const half = (hi - lo) / 160;
      const from = st.last || p;
      const steps = Math.max(1, Math.ceil(Math.abs(p.x - from.x) / (2 * half)));
      for (let s = 1; s <= steps; s++) {
        const t = s / steps;
        const x = from.x + (p.x - from.x) * t;
        const y = Math.max(CURVE_Y[0], Math.min(CURVE_Y[1], from.y + (p.y - from.y) * t));
        if (x < lo || x > hi) continue;
        if (!dr.setCurve(x, y, half)) return this.full();
        st.changed = true;
      }
      st.last = p;
      this.schedule();
      return;
    }
    if (st.last && Math.hypot(p.x - st.last.x, p.y - st.last.y) < PAINT_STEP) return;
    const [lo, hi] = dr.range;
    if (p.x < lo || p.x > hi || p.y < lo || p.y > hi) return;
    if (!dr.add(p.x, p.y, this.cls)) return this.full();
    st.changed = true;
    st.last = p;
    this.schedule();
  }

  /** The 2,001st point: refused, and said so. */
  full() {
    this.note = { key: 'drawnFull', args: { max: this.pg.fmt(MAX_DRAWN, 0) } };
    this.updateBar();
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => {
      this.note = { key: null, args: null };
      this.updateBar();
    }, 6000);
  }

  nearestCurveIndex(p) {
    let best = -1;
    let bestD = Infinity;
    const [lo, hi] = this.drawn.range;
    this.drawn.points.forEach((q, i) => {
      const d = Math.abs(q.x - p.x);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return bestD <= (hi - lo) / 40 ? best : -1;
  }

  /** Apply drawn changes at most once a frame while a drag goes on. */
  schedule() {
    this.dirty = true;
    if (!this.pending) this.pending = requestAnimationFrame(() => this.flush());
  }

  flush() {
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
    if (!this.dirty) return;
    this.dirty = false;
    this.changed();
  }

  /** The drawn points changed: new data for the trainer, the same network when its shape allows. */
  changed() {
    const pg = this.pg;
    this.dirty = false;
    if (this.note.key === 'drawnFull' && !this.drawn.full) this.note = { key: null, args: null };
    if (pg.s.dataset === 'drawn' && pg.trainer) {
      const tr = pg.trainer;
      const data = this.drawn.data();
      const same = tr.data.drawn && tr.data.d === data.d && tr.data.classes === data.classes && tr.train.n > 0 && data.n > 0;
      if (same) {
        tr.custom = data;
        tr.makeData();
        tr.stepState = null;
        tr.evaluate();
        pg.updateStatus();
      } else {
        pg.rebuild({ data: true });
      }
      pg.draw();
      pg.writeHash();
    }
    this.updateBar();
  }

  // ---- keyboard ------------------------------------------------------------------

  key(e) {
    const tr = this.pg.trainer;
    if (!tr) return;
    const [lo, hi] = tr.data.range;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (moves[e.key]) {
      e.preventDefault();
      const c = this.cursor || { x: (lo + hi) / 2, y: tr.data.d === 2 ? (lo + hi) / 2 : 0 };
      const step = (e.shiftKey ? 4 : 1) * CURSOR_STEP * (tr.data.d === 2 ? 1 : (hi - lo) / 12);
      const [dx, dy] = moves[e.key];
      const ylo = tr.data.d === 2 ? lo : CURVE_Y[0];
      const yhi = tr.data.d === 2 ? hi : CURVE_Y[1];
      this.cursor = { x: Math.max(lo, Math.min(hi, c.x + dx * step)), y: Math.max(ylo, Math.min(yhi, c.y + dy * step)) };
      this.drawCursor();
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && this.cursor) {
      e.preventDefault();
      const p = { ...this.cursor };
      if (this.mode === 'inspect') {
        this.inspectAt(p);
        return;
      }
      if (this.pg.s.dataset !== 'drawn') return;
      this.drawn.snapshot();
      this.stroke = { last: null };
      this.act(p);
      this.endStroke();
    }
  }

  /** The keyboard cursor: a ring with a cross, on its own canvas over the output. */
  drawCursor() {
    const c = this.cursorCanvas;
    if (!c) return;
    const box = c.getBoundingClientRect();
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(box.width * dpr));
    const hgt = Math.max(1, Math.round(box.height * dpr));
    if (c.width !== w || c.height !== hgt) {
      c.width = w;
      c.height = hgt;
    }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, box.width, box.height);
    this.pg.dataset.cursor = this.cursor ? `${this.cursor.x.toFixed(2)},${this.cursor.y.toFixed(2)}` : '';
    if (!this.cursor || !this.pg.trainer) return;
    const { px, py } = this.dataToPx(this.cursor.x, this.cursor.y, box.width, box.height);
    ctx.strokeStyle = getComputedStyle(this.pg).getPropertyValue('--fg') || '#111';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(px, py, 7, 0, Math.PI * 2);
    ctx.moveTo(px - 11, py);
    ctx.lineTo(px + 11, py);
    ctx.moveTo(px, py - 11);
    ctx.lineTo(px, py + 11);
    ctx.stroke();
  }

  // ---- inspect (issue 13's contract) -------------------------------------------

  /** Hand the data point nearest p (train, or test when shown) to host.inspectPoint, if the host has one. */
  inspectAt(p) {
    const pg = this.pg;
    const tr = pg.trainer;
    if (!tr || typeof pg.inspectPoint !== 'function') return;
    const { X, y, d } = tr.data;
    const box = pg.$('.heat-over').getBoundingClientRect();
    const at = this.dataToPx(p.x, p.y, box.width, box.height);
    let best = null;
    let bestD = Infinity;
    const scan = (idx, set) => idx.forEach((i, row) => {
      const px = d === 2 ? this.dataToPx(X[2 * i], X[2 * i + 1], box.width, box.height) : this.dataToPx(X[i], y[i], box.width, box.height);
      const dist = (px.px - at.px) ** 2 + (px.py - at.py) ** 2;
      if (dist < bestD) {
        bestD = dist;
        best = { set, index: row, x: X[d * i], y: d === 2 ? X[2 * i + 1] : y[i] };
      }
    });
    scan(tr.trainIdx, 'train');
    if (pg.s.test) scan(tr.testIdx, 'test');
    if (best) this.host.inspectPoint?.(best);
  }
}
