// The teaching page's stored preferences (language and theme, in
// localStorage), and its language set before any widget renders: page.js
// imports this first, so that the widgets it holds (which speak their
// nearest ancestor's lang) draw their first frame in that language, its
// strings loading meanwhile (web/i18n.js), instead of in English and again.

import { resolveLang, loadLanguage } from './i18n.js';

export const store = {
  get(k) {
    try { return localStorage.getItem(k); } catch { return null; }
  },
  set(k, v) {
    try { localStorage.setItem(k, v); } catch { /* private mode */ }
  },
};

/** The stored choice, else the browser's preferences, else English. */
export const initialLang = resolveLang([store.get('mlp-lab-lang'), ...(navigator.languages || [navigator.language])].filter(Boolean));
document.documentElement.lang = initialLang;
loadLanguage(initialLang);
