// The teaching page: built from the same custom elements a course page
// embeds. This script only does page-level things: language, theme, the
// SIMD badge and in-page navigation.

import { store, initialLang } from './page-prefs.js'; // first: the language is set before the widgets render
import './page-core.js'; // then the core, compiled before the widgets ask for it
import './mlp-lab-widgets.js';
import './exercises-page.js';
import { getLab } from './lab.js';
import { LANGUAGES, resolveLang, translate, languageReady, loadLanguage } from './i18n.js';

const WIDGETS = 'mlp-activation-plot, mlp-collapse, mlp-convert, mlp-playground, mlp-graph';

let lang = initialLang;
let simd = null;

function t(key, vars) {
  return translate(lang, key, vars);
}

/** Switch to next once its strings are here (at once when they are); the
 *  page and its widgets then change together. */
function setLanguage(next) {
  lang = next;
  if (languageReady(next)) applyLanguage();
  else {
    loadLanguage(next).then(() => {
      if (lang !== next) return;
      applyLanguage();
      // The header's new height now, not at the next frame's resize notice:
      // an autoplay link's playground scrolls below it at that frame.
      measureHeader();
    });
  }
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  document.title = `mlp-lab · ${t('heroTitle')}`;
  for (const w of document.querySelectorAll(WIDGETS)) w.setAttribute('lang', lang);
  document.querySelector('#lang-select').value = lang;
  updateBadge();
}

function updateBadge() {
  const badge = document.querySelector('#simd-badge');
  const text = badge.querySelector('.badge-text');
  if (simd === null) return;
  badge.dataset.simd = simd ? 'simd' : 'scalar';
  text.textContent = t(simd ? 'badgeSimd' : 'badgeScalar');
  badge.title = t(simd ? 'badgeTitleSimd' : 'badgeTitleScalar');
  badge.removeAttribute('data-i18n-title');
  text.removeAttribute('data-i18n');
}

// ---- theme: stored choice, else the system's ------------------------------
const darkQuery = matchMedia('(prefers-color-scheme: dark)');
function currentTheme() {
  const s = store.get('mlp-lab-theme');
  return s === 'dark' || s === 'light' ? s : darkQuery.matches ? 'dark' : 'light';
}
function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  document.querySelector('#theme-toggle').setAttribute('aria-pressed', String(theme === 'dark'));
  for (const w of document.querySelectorAll(WIDGETS)) w.setAttribute('theme', theme);
}

// Anchors, and a linked playground, scroll to just below the sticky header,
// whose height follows the width and the language (57 to 102 px): the page's CSS's
// scroll padding (76 px) until the script measures it. scroll-padding is not
// inherited, so setting it restyles the root alone. The first measure is at
// the next frame, before an autoplay link's playground scrolls there (its
// frame callback is asked for after this one).
function measureHeader() {
  const header = document.querySelector('header.top');
  document.documentElement.style.scrollPaddingTop = `${Math.ceil(header.getBoundingClientRect().height) + 8}px`;
}
function followHeader() {
  requestAnimationFrame(measureHeader);
  new ResizeObserver(measureHeader).observe(document.querySelector('header.top'));
}

function setup() {
  followHeader();
  const sel = document.querySelector('#lang-select');
  for (const { code, name } of LANGUAGES) {
    const o = document.createElement('option');
    o.value = code;
    o.lang = code;
    o.textContent = name;
    sel.append(o);
  }
  sel.addEventListener('change', () => {
    const next = resolveLang([sel.value]);
    store.set('mlp-lab-lang', next);
    setLanguage(next);
  });

  applyTheme(currentTheme());
  document.querySelector('#theme-toggle').addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    store.set('mlp-lab-theme', next);
    applyTheme(next);
  });
  darkQuery.addEventListener('change', () => applyTheme(currentTheme()));

  // Section links scroll without touching the hash: the hash holds the
  // playground's settings.
  for (const a of document.querySelectorAll('a[data-scroll]')) {
    a.addEventListener('click', (e) => {
      const target = document.getElementById(a.dataset.scroll);
      if (!target) return;
      e.preventDefault();
      target.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      const heading = target.querySelector('h1, h2');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    });
  }
  document.querySelector('a.skip').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.querySelector('#main');
    main.focus();
    main.scrollIntoView();
  });
  // Exercise links set the hash (the playground follows it) and scroll there.
  for (const a of document.querySelectorAll('a.try')) {
    a.addEventListener('click', () => {
      requestAnimationFrame(() => document.querySelector('#playground').scrollIntoView({ behavior: 'smooth' }));
    });
  }

  setLanguage(lang);
  getLab().then(
    (lab) => {
      simd = lab.simd;
      updateBadge();
    },
    (e) => {
      const text = document.querySelector('#simd-badge .badge-text');
      text.removeAttribute('data-i18n');
      text.textContent = 'WASM ✗';
      document.querySelector('#simd-badge').dataset.simd = 'error';
      console.error(e);
    },
  );
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
else setup();
