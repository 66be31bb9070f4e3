// web/serve.mjs: MIME types, the / redirect, path traversal, dot-files and the
// opt-in Content-Security-Policy header. Raw HTTP, no browser.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, expectedCsp, inlineHashes } from './helpers.js';

const CSP = expectedCsp();
let csp;
let plain;

before(async () => {
  [csp, plain] = await Promise.all([startServer({ csp: true }), startServer({ csp: false })]);
});
after(async () => {
  await Promise.all([csp?.stop(), plain?.stop()]);
});

/** GET with the path sent exactly as given (no client-side normalisation). */
function get(base, rawPath) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('MIME types: html, js, css, wasm, svg', async () => {
  const cases = [
    ['/web/index.html', /^text\/html/],
    ['/web/mlp-lab-widgets.js', /^text\/javascript/],
    ['/src/mlp-lab.js', /^text\/javascript/],
    ['/web/widgets.css', /^text\/css/],
    ['/build/mlp-lab.wasm', /^application\/wasm$/],
    ['/build/mlp-lab-simd.wasm', /^application\/wasm$/],
    ['/web/favicon.svg', /^image\/svg\+xml/],
  ];
  for (const [path, type] of cases) {
    const r = await get(csp.url, path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers['content-type'], type, path);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  const wasm = await get(csp.url, '/build/mlp-lab.wasm');
  assert.equal(wasm.body.slice(0, 4), '\0asm', 'the wasm bytes are served unchanged');
});

test('/ leads to web/index.html', async () => {
  const r = await get(csp.url, '/');
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, '/web/');
  const page = await get(csp.url, '/web/');
  assert.equal(page.status, 200);
  assert.match(page.body, /<mlp-playground/);
});

test('path traversal and dot-files are refused', async () => {
  for (const p of ['/../../../../etc/passwd', '/web/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
    '/web/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..%5c..%5cetc%5cpasswd', '/.git/HEAD', '/web/.%2e/.git/config',
    '/%00', '/web/%E0%A4%A']) {
    const r = await get(csp.url, p);
    assert.ok(r.status === 404 || r.status === 400, `${p} -> ${r.status}`);
    assert.doesNotMatch(r.body, /root:|\[core\]|ref: refs/, p);
  }
  const missing = await get(csp.url, '/web/nope.js');
  assert.equal(missing.status, 404);
});

test('--csp adds the policy; without it there is none', async () => {
  const a = await get(csp.url, '/web/index.html');
  assert.equal(a.headers['content-security-policy'], CSP,
    `web/serve.mjs's CSP does not name web/index.html's inline blocks (or differs otherwise); it should be:\n${CSP}`);
  const b = await get(plain.url, '/web/index.html');
  assert.equal(b.headers['content-security-policy'], undefined);
  assert.equal(b.status, 200);
});

test('no inline style attribute or handler anywhere; inline blocks only in the teaching page, each named by its hash', async () => {
  for (const path of ['/web/index.html', '/web/embed.html', '/web/examples/index.html']) {
    const { body } = await get(csp.url, path);
    assert.doesNotMatch(body, /\sstyle\s*=/i, `${path}: style attribute`);
    assert.doesNotMatch(body, /\son[a-z]+\s*=/i, `${path}: inline event handler`);
    for (const m of body.matchAll(/<script\b([^>]*\ssrc=[^>]*)>([\s\S]*?)<\/script>/gi)) {
      assert.equal(m[2].trim(), '', `${path}: a script with src and a body`);
    }
    const { scripts, styles } = inlineHashes(body);
    if (path !== '/web/index.html') {
      // Widgets pages work under script-src 'self' 'wasm-unsafe-eval'; style-src 'self' alone.
      assert.deepEqual({ scripts, styles }, { scripts: [], styles: [] }, `${path}: inline script or style`);
      continue;
    }
    assert.equal(scripts.length, 1, 'web/index.html: its one inline script (the stored theme)');
    assert.equal(styles.length, 1, 'web/index.html: its one stylesheet');
  }
  // The policy sent names exactly those blocks: the '--csp adds the policy' test.
});
