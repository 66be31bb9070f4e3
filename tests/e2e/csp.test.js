// The demo page and the widgets page load and work under the strict
// Content-Security-Policy that `node web/serve.mjs --csp` sends:
//   default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-…'; style-src 'self' 'sha256-…'
// (the hashes: the teaching page's inline script, its stored theme, and its stylesheet)
// with no CSP violation (securitypolicyviolation events, in the document and
// in every shadow root, since those events are composed), no console error,
// no uncaught exception and no failed request.
//
//   node --test tests/e2e/csp.test.js      (needs /usr/bin/chromium)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, widgetsReady, playgroundsTrain, canvasesDrawn, expectedCsp } from './helpers.js';

const EXPECTED_CSP = expectedCsp();

/** A page that records CSP violations, console errors, exceptions, failed requests. */
async function openPage(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    }, true);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, response };
}

describe('pages under the strict CSP', { timeout: 120_000 }, () => {
  let server, browser;
  before(async () => {
    server = await startServer({ csp: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the server sends the CSP the pages are written for', async () => {
    const res = await fetch(server.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), EXPECTED_CSP);
  });

  it('a CSP violation is caught by this harness (control)', async () => {
    // an inline script is exactly what the policy forbids: the listener must see it
    const { page } = await openPage(browser, server.url);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    await page.waitForFunction(() => window.__csp.length > 0, null, { timeout: 5_000 });
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
    await page.close();
  });

  it('web/index.html: loads, plots, trains; no violation, no error', async () => {
    const { page, problems, response } = await openPage(browser, server.url);
    assert.equal(response.headers()['content-security-policy'], EXPECTED_CSP);
    await widgetsReady(page, 20_000);
    const badge = await page.locator('#simd-badge').getAttribute('data-simd');
    assert.equal(badge, 'simd', 'the SIMD badge reports the build that runs');
    const trained = await playgroundsTrain(page);
    assert.ok(trained >= 1, 'the page has a playground');
    const { drawn, blank } = await canvasesDrawn(page);
    assert.ok(drawn >= 3, `only ${drawn} canvases drawn; blank: ${blank.join(', ')}`);
    const csp = await page.evaluate(() => window.__csp);
    assert.deepEqual(csp, [], 'CSP violations');
    assert.deepEqual(problems, [], 'console errors, exceptions or failed requests');
    await page.close();
  });

  it('web/examples/index.html (widgets embedded in a course page): loads and trains; no violation, no error',
    async () => {
      const { page, problems, response } = await openPage(browser, `${server.url}web/examples/`);
      assert.equal(response.status(), 200);
      await widgetsReady(page, 20_000);
      const trained = await playgroundsTrain(page);
      assert.ok(trained >= 1, 'the widgets page has a playground');
      const { drawn, blank } = await canvasesDrawn(page);
      assert.ok(drawn >= 2, `only ${drawn} canvases drawn; blank: ${blank.join(', ')}`);
      assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations');
      assert.deepEqual(problems, [], 'console errors, exceptions or failed requests');
      await page.close();
    });
});
