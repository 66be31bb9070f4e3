// Every string of the page and the widgets, in the chapter's languages:
// English, German, Vietnamese, Chinese, French and Korean. A value is a
// string with {placeholders} or a function of the placeholders (plurals).
// Strings are only ever set with textContent, never parsed as HTML.
// The strings themselves are in web/strings/<code>.js, one module a language.

import en from './strings/en.js';
import de from './strings/de.js';
import vi from './strings/vi.js';
import zh from './strings/zh.js';
import fr from './strings/fr.js';
import ko from './strings/ko.js';
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

export const STRINGS = { en, de, vi, zh, fr, ko };

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
  const table = STRINGS[lang] || en;
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
