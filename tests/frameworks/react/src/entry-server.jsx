// The pages rendered in Node at build time (prerender.mjs). Importing the
// widgets here is what a Docusaurus clientModules entry does during its
// static build: it must not throw, and defines nothing.
import 'mlp-lab/widgets';
import { renderToString } from 'react-dom/server';
import { StaticRouter } from 'react-router';
import { App } from './App.jsx';

export function render(url) {
  return renderToString(<StaticRouter location={url}><App /></StaticRouter>);
}
