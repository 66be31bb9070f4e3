// A few line icons as SVG built through the DOM (no markup strings, so the
// strict CSP needs nothing inline). 24 x 24 viewBox, currentColor.

const NS = 'http://www.w3.org/2000/svg';
const PATHS = {
  play: ['M8 5.5v13l10.5-6.5z'],
  pause: ['M7 5h3.5v14H7z', 'M13.5 5H17v14h-3.5z'],
  step: ['M6 5.5v13l9-6.5z', 'M16.5 5.5H19v13h-2.5z'],
  reset: ['M4.5 12a7.5 7.5 0 1 0 2.2-5.3', 'M4 4.5v4.8h4.8'],
  shuffle: ['M4 7h3.5c4 0 5 10 9 10H20', 'M4 17h3.5c1.6 0 2.6-1.6 3.5-3.5', 'M13 10.5C14 8.6 15 7 16.5 7H20', 'M17.5 4.5 20 7l-2.5 2.5', 'M17.5 14.5 20 17l-2.5 2.5'],
};
const FILLED = new Set(['play', 'pause', 'step']);

export function icon(name) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `ico ico-${name}`);
  for (const d of PATHS[name] || []) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    if (FILLED.has(name)) {
      p.setAttribute('fill', 'currentColor');
    } else {
      p.setAttribute('fill', 'none');
      p.setAttribute('stroke', 'currentColor');
      p.setAttribute('stroke-width', '2');
      p.setAttribute('stroke-linecap', 'round');
      p.setAttribute('stroke-linejoin', 'round');
    }
    svg.append(p);
  }
  return svg;
}
