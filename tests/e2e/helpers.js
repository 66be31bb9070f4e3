// Shared by the browser tests: start web/serve.mjs on a free port, launch
// Debian's chromium through playwright-core, collect console errors.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = `${ROOT}build/screenshots`;

/** Start the static server (port 0: the OS picks one); resolves to { url, stop }. */
export async function startServer({ csp = true } = {}) {
  const args = [`${ROOT}web/serve.mjs`, '--port', '0'];
  if (csp) args.push('--csp');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/[^\s]+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page that records console errors, page errors and CSP violations. */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      const text = m.text();
      if (m.type() === 'error' || /Content Security Policy|Refused/i.test(text)) errors.push(`${m.type()}: ${text}`);
    }
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  return { context, page, errors };
}

/** Wait until every mlp-* element in the page (or in root) is ready. */
export async function widgetsReady(page, timeout = 15000) {
  await page.waitForFunction(() => {
    const els = [...document.querySelectorAll('mlp-activation-plot, mlp-collapse, mlp-playground')];
    return els.length > 0 && els.every((e) => e.hasAttribute('data-ready') || e.hasAttribute('data-error'));
  }, null, { timeout });
  const failed = await page.evaluate(() =>
    [...document.querySelectorAll('[data-error]')].map((e) => e.shadowRoot.querySelector('.error')?.textContent));
  if (failed.length) throw new Error(`widgets failed: ${failed.join('; ')}`);
}

export function shotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return `${SHOTS}/${name}.png`;
}
