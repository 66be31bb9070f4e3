// The teaching page's Exercises section (issue 12): links that load an
// experiment into a widget already on the page, e.g.
//   <a href="#collapse" data-load="#collapse mlp-collapse" data-attrs="preset=bottleneck">
// sets those attributes on that widget (which parses them defensively, as any
// attribute) and scrolls to it, without touching the hash (it holds the
// playground's settings). Links to the playground are plain hash links.

function loadInto(a) {
  const target = document.querySelector(a.dataset.load);
  if (!target) return false;
  for (const [k, v] of new URLSearchParams(a.dataset.attrs || '')) {
    if (/^[a-z][a-z0-9-]*$/.test(k)) target.setAttribute(k, v);
  }
  const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
  target.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' });
  return true;
}

function setup() {
  for (const a of document.querySelectorAll('a[data-load]')) {
    a.addEventListener('click', (e) => {
      if (loadInto(a)) e.preventDefault();
    });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
else setup();
