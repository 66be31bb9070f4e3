// A widget without its own lang attribute speaks its page's language (the
// nearest ancestor's lang, as base.js resolves it). This keeps it speaking it
// when the page switches language later by changing that ancestor's lang
// (web/page.js sets <html lang>): a MutationObserver on the ancestor calls
// the widget's localize(). Used through base.js's watchPage() by the exercise widgets.

/** Start following; returns a function that stops. */
export function followPageLang(el) {
  if (typeof MutationObserver !== 'function') return () => {};
  const target = el.parentElement?.closest('[lang]') || document.documentElement;
  let last = el.wantedLanguage;
  const mo = new MutationObserver(() => {
    if (el.hasAttribute('lang')) return; // its own lang wins (attributeChangedCallback handles it)
    const now = el.wantedLanguage;
    if (now !== last) {
      last = now;
      el.localize();
    }
  });
  mo.observe(target, { attributes: true, attributeFilter: ['lang'] });
  // the language may have changed between render and now
  if (!el.hasAttribute('lang') && el.root && el.root.lang !== el.wantedLanguage) el.localize();
  return () => mo.disconnect();
}
