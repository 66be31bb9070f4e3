// Shared by the browser tests: start web/serve.mjs on a free port, launch
// Debian's chromium through playwright-core, collect console errors.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = `${ROOT}build/screenshots`;

/** The sha256 sources ('sha256-…') of a page's inline <script> and <style>
 *  blocks (a <script src> has no body), as a CSP names them. */
export function inlineHashes(html) {
  const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter((m) => !/\ssrc=/i.test(m[1])).map((m) => hash(m[2]));
  const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => hash(m[1]));
  return { scripts, styles };
}

/** The strict policy web/index.html is written for: nothing inline but its own
 *  blocks, by their hashes (what web/serve.mjs --csp must send). */
export function expectedCsp() {
  const { scripts, styles } = inlineHashes(readFileSync(`${ROOT}web/index.html`, 'utf8'));
  return `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${scripts.join(' ')}; style-src 'self' ${styles.join(' ')}`;
}

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

/** For a test file: the CSP server and Chromium, started before its tests and stopped after ({ server, browser }). */
export function serverAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer({ csp: true });
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

const execFile = promisify(execFileCb);

/** Run a command; a failure's message carries its exit code and output. */
export async function run(cmd, args, opts = {}) {
  try {
    return await execFile(cmd, args, { maxBuffer: 64 << 20, timeout: 120_000, ...opts });
  } catch (e) {
    e.message = `${cmd} ${args.join(' ')} failed (exit ${e.code}):\n${e.stderr || ''}\n${e.stdout || ''}`.slice(0, 4000);
    throw e;
  }
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
  page.on('pageerror', (e) => { errors.push(`pageerror: ${e.message}`); if (process.env.E2E_STACKS) console.log(e.stack); });
  page.on('requestfailed', (r) => {
    // the browser's own favicon fetch, cut off when the test navigates on (seen once in CI)
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && /\/favicon\.svg$/.test(r.url())) return;
    errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
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

/** Pick a language in the teaching page's switch and wait until the page and
 *  every built widget speak it (a language other than English loads its
 *  strings first: web/i18n.js). */
export async function selectLanguage(page, code) {
  await page.locator('#lang-select').selectOption(code);
  await page.waitForFunction((c) => document.documentElement.lang === c && [...document.querySelectorAll('*')]
    .map((el) => [...(el.shadowRoot?.children || [])].find((r) => r.classList.contains('root')))
    .every((root) => !root || root.lang === c), code);
}

export function shotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return `${SHOTS}/${name}.png`;
}

// Every playground on the page trains: play, wait for epochs, read the loss.
export async function playgroundsTrain(page) {
  const n = await page.locator('mlp-playground').count();
  for (let i = 0; i < n; i++) {
    const pg = page.locator('mlp-playground').nth(i);
    await pg.scrollIntoViewIfNeeded(); // training pauses off-screen
    const epoch0 = Number((await pg.locator('.epoch').textContent()).replace(/\D/g, '')); // "1,234" in en
    await pg.locator('button[name=play]').click();
    await page.waitForFunction(([el, e0]) => Number(el.shadowRoot.querySelector('.epoch').textContent.replace(/\D/g, '')) >= e0 + 3,
      [await pg.elementHandle(), epoch0], { timeout: 15_000 });
    const loss = await pg.locator('.m-train').textContent();
    assert.ok(/\d/.test(loss), `playground ${i}: train loss shows ${JSON.stringify(loss)}`);
    await pg.locator('button[name=play]').click(); // pause
  }
  return n;
}

// Every canvas in every shadow root that is drawn has some non-blank pixel.
export async function canvasesDrawn(page) {
  return page.evaluate(() => {
    const blank = [];
    let drawn = 0;
    for (const host of document.querySelectorAll('mlp-activation-plot, mlp-collapse, mlp-playground')) {
      for (const c of host.shadowRoot.querySelectorAll('canvas')) {
        // (data-transient: a canvas blank until something shows, like the keyboard cursor's)
        if (!c.width || !c.height || c.offsetParent === null || c.hasAttribute('data-transient')) continue;
        const ctx = c.getContext('2d');
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let any = false;
        for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) { any = true; break; }
        if (any) drawn++;
        else blank.push(`${host.tagName.toLowerCase()} canvas.${c.className}`);
      }
    }
    return { drawn, blank };
  });
}

/**
 * The boxes of a playground's panels (loc: its locator): which two overlap,
 * which leave the card; n: how many were measured; width: the element's.
 */
export async function panelsOverlap(loc) {
  return loc.evaluate((pg) => {
    const card = pg.shadowRoot.querySelector('.card').getBoundingClientRect();
    const sel = ['.toolbar', 'fieldset.group', '.network > .section-head', '.columns', '.chart', '.heat.big', '.legend',
      '.metrics', '.confusion-box', '.export-row'];
    const boxes = [];
    for (const s of sel) {
      for (const el of pg.shadowRoot.querySelectorAll(s)) {
        const b = el.getBoundingClientRect();
        if (b.width && b.height) boxes.push({ s, l: b.left, t: b.top, r: b.right, b: b.bottom });
      }
    }
    const bad = [];
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      if (a.l < card.left - 1 || a.r > card.right + 1) bad.push(`${a.s} leaves the card (${a.l}..${a.r} of ${card.left}..${card.right})`);
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j];
        const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (w > 1 && h > 1) bad.push(`${a.s} overlaps ${b.s} by ${w.toFixed(0)} × ${h.toFixed(0)}`);
      }
    }
    return { bad, n: boxes.length, width: pg.getBoundingClientRect().width };
  });
}
