// README's "React" recipe: import the widgets once, before the first render,
// then use README's markup in JSX. React 19 sets dataset, hidden, lang (and
// every attribute the element defines as a property) as properties.
// The built site's pages come prerendered (entry-server.jsx): hydrate them.
import 'mlp-lab/widgets';
import { StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.jsx';
import './site.css';

const root = document.getElementById('root');
const app = <StrictMode><BrowserRouter><App /></BrowserRouter></StrictMode>;
if (root.hasChildNodes()) hydrateRoot(root, app);
else createRoot(root).render(app);
