#!/usr/bin/env node
// A tiny, dependency-free static server for the mlp-lab repository root.
//
//   node web/serve.mjs [--port 8080] [--host 127.0.0.1] [--csp]
//
// `/` serves web/index.html (by a redirect to /web/, so its relative URLs work). Only files inside the repository root are
// served (no path traversal, no dot-files, no symlinks out of the root).
// --csp adds the strict Content-Security-Policy the web page is written for.
// --port 0 picks a free port; the first line on stdout is always
// "mlp-lab: serving http://HOST:PORT/" so scripts (and tests) can read it.

import { createServer } from 'node:http';
import { stat, realpath } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The hashes are of web/index.html's inline script (its stored theme before
// the first paint) and its stylesheet; tests/e2e/serve.test.js checks that
// they still match (and prints the policy that would). Widgets pages need no
// more than script-src 'self' 'wasm-unsafe-eval'; style-src 'self'.
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-UxEayIK/DFPF9ZUjv+h4wHx4VvNL0UoqDLS4c98pEZc='; style-src 'self' 'sha256-YCnUICnnjLAQlPlcNCSGE0zwpoJka6ZXfCpRkbRf7Io='";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function parseArgs(argv) {
  const opts = { port: 8080, host: '127.0.0.1', csp: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--csp') opts.csp = true;
    else if (a === '--port' || a === '-p') opts.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) opts.port = Number(a.slice(7));
    else if (a === '--host') opts.host = String(argv[++i]);
    else if (a.startsWith('--host=')) opts.host = a.slice(7);
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error('--port must be an integer in 0..65535');
  }
  return opts;
}

/**
 * Create (but do not start) the server.
 * @param {{root?: string, csp?: boolean}} options
 */
export function createStaticServer({ root, csp = false } = {}) {
  const rootDir = resolve(root ?? fileURLToPath(new URL('..', import.meta.url)));
  let realRoot = null;

  function send(res, status, body, headers = {}) {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      ...baseHeaders(),
      ...headers,
    });
    res.end(body);
  }

  function baseHeaders() {
    const h = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
    if (csp) h['Content-Security-Policy'] = CSP;
    return h;
  }

  // build/page.js (the teaching page's script, one file; tools/bundle-page.mjs)
  // is rebuilt when a module under web/ or src/ is newer, so an edited module
  // shows on reload as it did before the page was bundled. Only in a checkout:
  // without tools/ or esbuild, the file is served as it is.
  let building = null;
  async function freshPage() {
    building ??= (async () => {
      let tool;
      try {
        tool = await import(pathToFileURL(join(rootDir, 'tools/bundle-page.mjs')).href);
      } catch {
        return;
      }
      if (!tool.isStale()) return;
      try {
        await tool.bundlePage();
      } catch (e) {
        process.stderr.write(`serve.mjs: could not rebuild build/page.js: ${e.message}\n`);
      }
    })().finally(() => { building = null; });
    return building;
  }

  return createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      realRoot ??= await realpath(rootDir);
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        send(res, 400, 'bad request\n');
        return;
      }
      if (pathname.includes('\0')) {
        send(res, 400, 'bad request\n');
        return;
      }
      if (pathname === '/') {
        // The page uses relative URLs, so it lives at /web/: send the browser there.
        res.writeHead(302, { Location: '/web/', ...baseHeaders() });
        res.end();
        return;
      }
      // Refuse dot-segments and dot-files outright (covers .., .git, .ci).
      const parts = pathname.split(/[/\\]+/).filter(Boolean);
      if (parts.some((p) => p.startsWith('.'))) {
        send(res, 404, 'not found\n');
        return;
      }
      if (pathname === '/build/page.js' || pathname === '/build/page.js.map') await freshPage();
      let file = join(realRoot, ...parts);
      let st;
      try {
        file = await realpath(file);
        st = await stat(file);
      } catch {
        send(res, 404, 'not found\n');
        return;
      }
      if (file !== realRoot && !file.startsWith(realRoot + sep)) {
        send(res, 404, 'not found\n');
        return;
      }
      if (st.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: pathname + '/', ...baseHeaders() });
          res.end();
          return;
        }
        file = join(file, 'index.html');
        try {
          st = await stat(file);
        } catch {
          send(res, 404, 'not found\n');
          return;
        }
      }
      if (!st.isFile()) {
        send(res, 404, 'not found\n');
        return;
      }
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, ...baseHeaders() });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    }
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`serve.mjs: ${e.message}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write('usage: node web/serve.mjs [--port 8080] [--host 127.0.0.1] [--csp]\n');
    process.exit(0);
  }
  const server = createStaticServer({ csp: opts.csp });
  server.on('error', (e) => {
    process.stderr.write(`serve.mjs: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    process.stdout.write(
      `mlp-lab: serving http://${opts.host}:${port}/${opts.csp ? ' (with CSP)' : ''}\n`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
