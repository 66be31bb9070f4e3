// The base of every mlp-lab custom element: a shadow root with the widget
// stylesheet, language and theme handling, and helpers that only ever look
// inside this element's own shadow root.
//
// The stylesheet is web/widgets.css, imported as text (build/widgets-css.js,
// made by `make`) and adopted by each shadow root as one shared constructable
// stylesheet: no URL for a bundler to move or to turn into a page-wide <link>,
// nothing inline for a strict CSP (style-src 'self') to refuse, and nothing
// that can style the host page.
//
// Importing this module in Node (server-side rendering, a static site build)
// defines nothing that needs a DOM: the class extends a stand-in there.

import { getLab } from './lab.js';
import { translate, resolveLang, formatNumber, languageReady, loadLanguage } from './i18n.js';
import { followPageLang } from './follow-lang.js';
import { reflectAttributes, upgradeProperties } from './props.js';
import css from '../build/widgets-css.js';

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
const HTMLElementOrStandIn = globalThis.HTMLElement ?? class {};

let sheet = null;
/** Put the widgets' stylesheet into a shadow root (one CSSStyleSheet shared by all). */
function adoptStyles(shadow) {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
  } else {
    const style = document.createElement('style'); // older engines; a strict CSP refuses it
    style.textContent = css;
    shadow.append(style);
  }
}

let uid = 0;

// Widgets start (their first computations and draws with the core) one per
// idle period, so that a page of many widgets never holds up the one that
// trains at once (urgent), nor a frame: the first trained step of an
// autoplay link comes before the other widgets' first draws.
const waiting = [];
let turnPending = false;
function nextTurn() {
  turnPending = false;
  waiting.shift()?.();
  if (waiting.length) scheduleTurn();
}
function scheduleTurn() {
  if (turnPending) return;
  turnPending = true;
  if (typeof requestIdleCallback === 'function') requestIdleCallback(nextTurn, { timeout: 250 });
  else setTimeout(nextTurn, 0);
}
function startTurn() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleTurn();
  });
}

// More than that: while an urgent widget is connected and has not trained yet,
// the others wait to render at all (their shadow DOM, and laying it out, took
// ~100 ms before the first trained step of an autoplay link on the teaching
// page). The wait ends at the urgent widget's first trained frame, its
// failure or removal, or after HOLD_MS (a playground with autoplay that is
// off screen trains only once it is scrolled to; the others do not wait for that).
const HOLD_MS = 1000;
let held = null; // { promise, release } while an urgent widget holds the others
function hold() {
  if (held) return held;
  const h = {};
  h.promise = new Promise((resolve) => {
    h.release = () => {
      if (held === h) held = null;
      resolve();
    };
  });
  held = h;
  setTimeout(h.release, HOLD_MS);
  return h;
}

export class MlpElement extends HTMLElementOrStandIn {
  static get observedAttributes() {
    return ['lang', 'theme'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.uid = `m${++uid}`;
    this.lab = null;
    this._built = false;
    this._onScheme = () => {
      this._applyScheme();
      this.redraw();
    };
  }

  /** The colour scheme it draws in, on the host as data-scheme (widgets.css
   *  has the dark colours once, for that): its theme attribute, else the system's. */
  _applyScheme() {
    const theme = this.getAttribute('theme');
    const scheme = theme === 'dark' || (theme !== 'light' && darkQuery?.matches) ? 'dark' : 'light';
    if (this.dataset.scheme !== scheme) this.dataset.scheme = scheme;
  }

  connectedCallback() {
    upgradeProperties(this);
    this._applyScheme();
    darkQuery?.addEventListener?.('change', this._onScheme);
    if (!this._built) {
      this._built = true;
      this._build();
    } else if (this.root) {
      if (this._watch) this._watchPage();
      this.onConnect?.();
    }
  }

  disconnectedCallback() {
    darkQuery?.removeEventListener?.('change', this._onScheme);
    this.releaseOthers();
    this._unwatchPage();
    if (this.root) this.onDisconnect?.();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (name === 'theme' && this.isConnected) this._applyScheme();
    // (Before render, the attributes are read when it comes.)
    if (!this.root || oldValue === newValue) return;
    // A lang attribute that names the language already shown (a page setting
    // lang="en" on widgets it built in English) changes nothing: no re-render.
    if (name === 'lang') { if (this.root.lang !== this.wantedLanguage) this.localize(); }
    else if (name === 'theme') requestAnimationFrame(() => this.redraw());
    else this.onAttribute?.(name, oldValue, newValue);
  }

  /** The language asked for: own lang attribute, an ancestor's, the browser's. */
  get wantedLanguage() {
    const own = this.getAttribute('lang');
    if (own) return resolveLang([own]);
    const up = this.parentElement?.closest('[lang]')?.getAttribute('lang');
    return resolveLang(up ? [up] : globalThis.navigator?.languages || []);
  }

  /** The language it speaks: the one asked for, once its strings are here
   *  (until then, the one it spoke before; see localize()). */
  get language() {
    return this._lang ?? this.wantedLanguage;
  }

  t(key, vars) {
    return translate(this.language, key, vars);
  }

  fmt(v, digits = 3) {
    return formatNumber(this.language, v, digits);
  }

  $(sel) {
    return this.shadowRoot.querySelector(sel);
  }

  $$(sel) {
    return [...this.shadowRoot.querySelectorAll(sel)];
  }

  /** A new draw (the shuffle and restart buttons): the seed after this.seedValue,
   *  wrapping within the seed attribute's 0..99999. */
  nextSeed() {
    this.seedValue = (this.seedValue + 1) % 100000;
  }

  /** This animation frame's training slice for a widget that trains in frames:
   *  `budget` ms, or a quarter of it when the page is already late for its
   *  frames (over 50 ms since this widget's last one: other widgets training,
   *  a slow machine). `now` is the frame's timestamp. */
  frameBudget(now, budget) {
    const late = this.lastTick !== undefined && now - this.lastTick > 50;
    this.lastTick = now;
    return late ? budget / 4 : budget;
  }

  /** For a widget that lives in its page (the exercise widgets), from its
   *  start() on: while connected, it speaks the page's language as the page
   *  switches it (follow-lang.js), redraws when `box` changes size, and,
   *  given onView, knows whether it is on screen (this.visible; onView() at
   *  each change). Taken down on disconnection, set up again on reconnection. */
  watchPage(box, onView) {
    this._watch = { box, onView };
    this._watchPage();
  }

  _watchPage() {
    if (this._watching) return;
    const { box, onView } = this._watch;
    const resizer = new ResizeObserver(() => this.redraw());
    resizer.observe(box);
    this._watching = [followPageLang(this), () => resizer.disconnect()];
    if (onView) {
      const io = new IntersectionObserver((entries) => {
        for (const e of entries) this.visible = e.isIntersecting;
        onView();
      });
      io.observe(this);
      this._watching.push(() => io.disconnect());
    }
  }

  _unwatchPage() {
    for (const stop of this._watching || []) stop();
    this._watching = null;
  }

  /** An urgent widget, once it has trained (or cannot): the others may render now. */
  releaseOthers() {
    this._holding?.release();
    this._holding = null;
  }

  async _build() {
    if (held && !this.urgent) await held.promise;
    // The module is fetched and compiled while the element renders, not after.
    const lab = getLab();
    lab.catch(() => {}); // handled below (or not at all if render throws)
    // Its first drawing in its language: a language other than English
    // loads its strings first (web/i18n.js).
    if (!languageReady(this.wantedLanguage)) await loadLanguage(this.wantedLanguage);
    adoptStyles(this.shadowRoot);
    const root = document.createElement('div');
    root.className = 'root';
    this.shadowRoot.append(root);
    this.root = root;
    this.render(root);
    this._wireInfo();
    this.localize();
    if (this.urgent) this._holding = hold(); // (after render: a playground knows it is linked only then)
    try {
      this.lab = await lab;
    } catch (e) {
      this.fail(e);
      return;
    }
    if (!this.urgent) await startTurn();
    this.dataset.simd = this.lab.simd ? 'simd' : 'scalar';
    try {
      this.start();
    } catch (e) {
      this.fail(e, 'runError');
      return;
    }
    this.toggleAttribute('data-ready', true);
    this.dispatchEvent(new CustomEvent('mlp-ready', { bubbles: true, composed: true }));
  }

  /** Show a load or runtime failure inside the widget (text only). */
  fail(error, key = 'loadError') {
    this.releaseOthers();
    const box = document.createElement('p');
    box.className = 'error';
    box.setAttribute('role', 'alert');
    box.textContent = `${this.t(key)} ${error && error.message ? error.message : String(error)}`;
    this.root.prepend(box);
    this.toggleAttribute('data-error', true);
    globalThis.console?.error?.(error);
  }

  /** Fill every [data-i18n] text, [data-i18n-label] aria-label and [data-i18n-title]. */
  localize() {
    const lang = this.wantedLanguage;
    if (!languageReady(lang)) {
      // Its strings first: until they are here it goes on speaking the
      // language it spoke (not English, not a mix), then it switches at once.
      loadLanguage(lang).then(() => { if (this.root) this.localize(); });
      return;
    }
    this._lang = lang;
    // The language on the shadow root's top element too, for :lang() in widgets.css and for
    // screen readers, also when it came from the browser's preferences rather than an attribute.
    this.root.lang = lang;
    for (const el of this.$$('[data-i18n]')) el.textContent = this.t(el.dataset.i18n);
    for (const el of this.$$('[data-i18n-label]')) el.setAttribute('aria-label', this.t(el.dataset.i18nLabel));
    for (const el of this.$$('[data-i18n-title]')) el.title = this.t(el.dataset.i18nTitle);
    // "?" buttons name their topic: "What is drawn here? Loss curves".
    for (const el of this.$$('button.info[data-topic]')) {
      const label = `${this.t('whatIsThis')} ${this.t(el.dataset.topic)}`;
      el.setAttribute('aria-label', label);
      el.title = label;
    }
    this.onLocalize?.();
    if (this.lab) this.redraw();
  }

  /** "?" buttons toggle the explanation they control. */
  _wireInfo() {
    for (const btn of this.$$('button.info')) {
      const target = this.shadowRoot.getElementById(btn.getAttribute('aria-controls'));
      if (!target) continue;
      btn.setAttribute('aria-expanded', 'false');
      target.hidden = true;
      btn.addEventListener('click', () => {
        const open = btn.getAttribute('aria-expanded') !== 'true';
        btn.setAttribute('aria-expanded', String(open));
        target.hidden = !open;
      });
    }
  }

  /** True for an element that should start before the others (a playground that trains at once). */
  get urgent() { return false; }

  /** Subclasses: build DOM (render), then use the lab (start), and repaint (redraw). */
  render() {}
  start() {}
  redraw() {}

  /** A matrix as a table (caption name, rows x cols), each cell with its exact value in data-value. */
  matrix(name, values, rows, cols, role) {
    const table = h('table', { class: 'mat', 'data-matrix': role },
      h('caption', {}, name, h('span', { class: 'dims' }, ` (${rows}×${cols})`)));
    const body = h('tbody');
    for (let r = 0; r < rows; r++) {
      const tr = h('tr');
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        tr.append(h('td', { 'data-value': String(v), class: v < 0 ? 'neg' : 'pos' }, this.fmt(v, 3)));
      }
      body.append(tr);
    }
    table.append(body);
    return table;
  }
}

reflectAttributes(MlpElement, { values: ['theme'] });

/** Build an element: h('div', {class: 'x', 'data-i18n': 'k'}, child...). Text children become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A labelled <select name=name>, its id from the widget's uid; label: an
 *  i18n key; options: [value, i18n key] pairs, or [value, null, fixed text]. */
export function selectField(host, name, label, options) {
  const id = `${host.uid}-${name}`;
  return h('label', { class: 'field', for: id },
    h('span', { 'data-i18n': label }),
    h('select', { id, name }, options.map(([v, key, text]) => h('option', { value: v, 'data-i18n': key || null }, text || ''))));
}

/** A "?" button and the explanation it reveals; topic: an i18n key naming what it explains. */
export function infoPair(host, key, topic, label = 'whatIsThis') {
  const id = `${host.uid}-info-${key}`;
  const btn = topic
    ? h('button', { type: 'button', class: 'info', 'aria-controls': id, 'data-topic': topic }, '?')
    : h('button', { type: 'button', class: 'info', 'aria-controls': id, 'data-i18n-label': label, 'data-i18n-title': label }, '?');
  const text = h('p', { class: 'explain', id, 'data-i18n': key });
  return [btn, text];
}
