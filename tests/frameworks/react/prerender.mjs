// After `vite build` (the client) and `vite build --ssr src/entry-server.jsx
// --outDir dist-server`: write each route's HTML, rendered in Node, into dist/.
import { readFile, writeFile } from 'node:fs/promises';
import { render } from './dist-server/entry-server.js';

const template = await readFile('dist/index.html', 'utf8');
for (const route of ['/', '/widgets', '/iframe']) {
  const html = template.replace('<div id="root"></div>', `<div id="root">${render(route)}</div>`);
  // dist/widgets.html for /widgets: what `vite preview` (and most static hosts) serve
  await writeFile(route === '/' ? 'dist/index.html' : `dist${route}.html`, html);
}
