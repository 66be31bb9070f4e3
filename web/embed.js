// web/embed.html?widget=playground&dataset=xor&hidden=4,4 (or the same after
// '#'): one widget for an <iframe>. Only known attribute names are copied,
// values are capped, and nothing is ever parsed as HTML.
//
// The page tells its parent how tall it is, whenever that changes, so the
// parent can size the iframe (README, "An iframe"):
//   parent.postMessage({ type: 'mlp-lab:height', height, widget }, '*')
// height in CSS pixels; nothing else is sent. The playground keeps its
// settings in this page's hash, so "Copy link" gives this page with the run.

import { ELEMENTS } from './mlp-lab-widgets.js';

// Every widget of the package, by the name widget= takes (its tag without
// "mlp-"). Each passes on the attributes its element has (its class's
// reflectedAttributes, web/props.js), so a new widget or attribute needs no
// list here.
const WIDGETS = Object.fromEntries(Object.entries(ELEMENTS).map(([tag, cls]) => [tag.slice('mlp-'.length), { tag, cls }]));
const COMMON = ['lang', 'theme'];
const MAX_VALUE = 200;

function params() {
  const p = new URLSearchParams(location.search.slice(0, 4000));
  const h = new URLSearchParams(location.hash.slice(1, 4000));
  for (const [k, v] of h) if (!p.has(k)) p.set(k, v);
  return p;
}

const p = params();
const name = p.get('widget') || 'playground';
const spec = Object.hasOwn(WIDGETS, name) ? WIDGETS[name] : null;
const mount = document.getElementById('mount');
if (!spec) {
  const msg = document.createElement('p');
  msg.className = 'embed-error';
  msg.textContent = `Unknown widget. Use widget=${Object.keys(WIDGETS).join(', ')}.`;
  mount.append(msg);
} else {
  const el = document.createElement(spec.tag);
  for (const key of new Set([...spec.cls.reflectedAttributes, ...COMMON])) {
    if (key === 'sync-hash') continue; // set below
    const v = p.get(key);
    if (v !== null) el.setAttribute(key, v.slice(0, MAX_VALUE));
  }
  const lang = p.get('lang');
  if (lang) document.documentElement.lang = lang.slice(0, 16);
  if (spec.tag === 'mlp-playground') el.setAttribute('sync-hash', '');
  mount.append(el);
}

if (globalThis.parent && parent !== globalThis) {
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    parent.postMessage({ type: 'mlp-lab:height', height, widget: spec ? name : null }, '*');
  };
  new ResizeObserver(post).observe(document.documentElement);
}
