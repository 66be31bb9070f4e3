// The course site's pages, rendered in the browser (main.jsx) and, for the
// built site, first in Node (entry-server.jsx), as Docusaurus does.
import { useEffect, useRef } from 'react';
import { Routes, Route, NavLink } from 'react-router';

function Home() {
  return (
    <>
      <h1>Multilayer perceptrons</h1>
      <p>This page has no widget; the widgets page has README's markup.</p>
    </>
  );
}

function Widgets() {
  return (
    <>
      <h1>Widgets</h1>
      <p>The chapter's activation functions:</p>
      <mlp-activation-plot functions="relu,sigmoid,tanh" derivative></mlp-activation-plot>
      <p>Stacked linear layers collapse:</p>
      <mlp-collapse dataset="xor" hidden="3,3"></mlp-collapse>
      <p>Train a network:</p>
      <mlp-playground dataset="xor" hidden="4,4" activation="tanh" lang="fr"></mlp-playground>
    </>
  );
}

// README's iframe recipe: the embed page posts its height; size the iframe to it.
function Iframe() {
  const ref = useRef(null);
  useEffect(() => {
    const onMessage = (e) => {
      if (e.data?.type === 'mlp-lab:height' && e.source === ref.current?.contentWindow) {
        ref.current.style.height = `${e.data.height}px`;
      }
    };
    addEventListener('message', onMessage);
    return () => removeEventListener('message', onMessage);
  }, []);
  return (
    <>
      <h1>In an iframe</h1>
      <iframe ref={ref} id="embed" title="MLP playground" width="100%" height="600"
        src="/mlp-lab/web/embed.html?widget=playground&dataset=spiral&hidden=8,8&activation=relu" />
    </>
  );
}

export function App() {
  return (
    <>
      <nav className="site-nav">
        <NavLink to="/">Introduction</NavLink>
        <NavLink to="/widgets">Widgets</NavLink>
        <NavLink to="/iframe">In an iframe</NavLink>
      </nav>
      <main className="column">
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/widgets" element={<Widgets />} />
          <Route path="/iframe" element={<Iframe />} />
        </Routes>
      </main>
    </>
  );
}

