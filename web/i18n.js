// Every string of the page and the widgets, in the chapter's languages:
// English, German, Vietnamese, Chinese, French and Korean. A value is a
// string with {placeholders} or a function of the placeholders (plurals).
// Strings are only ever set with textContent, never parsed as HTML.
// The strings themselves are in web/strings/<code>.js, one module a language.
// English is always there (the fallback of every key); the other five load
// when a page or a widget first asks for them (loadLanguage): a course page in
// English fetches none of them, and the teaching page's script is 375 KB
// instead of 590 (the five tables were 216 KB of it; tools/bundle-page.mjs
// makes each a chunk of its own).

import en from './strings/en.js';
import { formatDecimal } from './numbers.js';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'vi', name: 'Tiếng Việt' },
  { code: 'zh', name: '中文' },
  { code: 'fr', name: 'Français' },
  { code: 'ko', name: '한국어' },
];
const CODES = LANGUAGES.map((l) => l.code);

// Static specifiers, so that bundlers (esbuild, Vite, webpack) see each file.
const LOADERS = {
  de: () => import('./strings/de.js'),
  vi: () => import('./strings/vi.js'),
  zh: () => import('./strings/zh.js'),
  fr: () => import('./strings/fr.js'),
  ko: () => import('./strings/ko.js'),
};

/** The string tables loaded so far, by language code. */
export const STRINGS = { en };
const pending = new Map(); // code -> promise of its table
const settled = new Set(['en']); // loaded, or failed to (then shown in English)

/** Whether lang's strings are here (or failed to load: English stands in). */
export function languageReady(lang) {
  return settled.has(lang);
}

/** Load lang's strings once; resolves when translate() speaks it. A table
 *  that cannot be fetched (a network error, a file left out of a copy)
 *  is reported on the console and English stands in: it never rejects. */
export function loadLanguage(lang) {
  if (!CODES.includes(lang)) throw new RangeError(`loadLanguage: lang must be one of ${CODES.join(', ')}; got ${String(lang).slice(0, 40)}`);
  if (settled.has(lang)) return Promise.resolve();
  if (!pending.has(lang)) {
    pending.set(lang, LOADERS[lang]().then(
      (m) => { STRINGS[lang] = m.default; },
      (e) => { globalThis.console?.error?.(`mlp-lab: the ${lang} strings could not be loaded; English stands in.`, e); },
    ).then(() => {
      settled.add(lang);
      pending.delete(lang);
    }));
  }
  return pending.get(lang);
}

/** The first supported language in a preference list ('fr-CA' -> 'fr'), else 'en'. */
export function resolveLang(prefs) {
  for (const p of prefs || []) {
    if (typeof p !== 'string') continue;
    const base = p.slice(0, 16).toLowerCase().split(/[-_]/)[0];
    if (CODES.includes(base)) return base;
  }
  return 'en';
}

/** The string for key in lang (falling back to English), with {vars} filled in. */
export function translate(lang, key, vars = {}) {
  const table = Object.hasOwn(STRINGS, lang) ? STRINGS[lang] : en;
  let v = table[key] ?? en[key];
  if (v === undefined) return key;
  if (typeof v === 'function') return v(vars);
  return v.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A number in the language's notation with at most `digits` fraction digits. */
export function formatNumber(lang, v, digits = 3) {
  if (v == null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return formatDecimal(lang, v, digits);
}
