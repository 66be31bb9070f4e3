// README's framework recipes, built as an instructor would: a VitePress 1.6
// site and a React 19 + Vite 7 site (tests/frameworks/*, each with its
// committed lockfile, installed by `make deps-frameworks`; the React site's
// pages are rendered in Node and hydrated, as Docusaurus does), each with the
// packed tarball of this repository (`npm pack`) installed into it and the
// package copied into its public/ folder for the iframe recipe. Each site is
// built and served (`vitepress preview`, `vite preview`) and run in its dev
// server (which pre-bundles the package into a cache folder).
//
// In each: direct load and client-side navigation of a page with README's
// markup; the host page keeps its own styles and holds none of ours; every
// widget is visible and draws; the playground trains the data set, with the
// layers and language its attributes name (set by Vue and React as
// properties); no console error; at a 640 px content column no two panels
// overlap; the iframe takes its content's height; "Copy link" links to the
// page with the run's settings.
//
//   make deps-frameworks && node --test tests/e2e/frameworks.test.js

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, cp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT, launch, run, widgetsReady, canvasesDrawn, shotPath, panelsOverlap } from './helpers.js';

const SITES_DIR = join(ROOT, 'tests', 'frameworks');

const SITES = [
  {
    name: 'VitePress 1.6',
    dir: 'vitepress',
    bin: 'node_modules/vitepress/bin/vitepress.js',
    build: [['node_modules/vitepress/bin/vitepress.js', 'build', 'docs']],
    preview: ['preview', 'docs', '--port', 'FREE'],
    dev: ['dev', 'docs', '--port', 'FREE'],
    publicDir: 'docs/public',
    caches: ['docs/.vitepress/cache', 'docs/.vitepress/dist'],
    links: '.VPSidebar a',
    column: '.vp-doc',
    // the default theme's own look: its font and its fixed sidebar
    theme: () => ({
      ok: getComputedStyle(document.body).fontFamily.includes('Inter') &&
        getComputedStyle(document.querySelector('.VPSidebar')).position === 'fixed',
      font: getComputedStyle(document.body).fontFamily,
    }),
  },
  {
    name: 'React 19 + Vite 7',
    dir: 'react',
    bin: 'node_modules/vite/bin/vite.js',
    // its package.json's build: the client, the pages rendered in Node, written into dist/
    build: [['node_modules/vite/bin/vite.js', 'build'],
      ['node_modules/vite/bin/vite.js', 'build', '--ssr', 'src/entry-server.jsx', '--outDir', 'dist-server'],
      ['prerender.mjs']],
    preview: ['preview', '--port', 'FREE'],
    dev: ['--port', 'FREE'],
    publicDir: 'public',
    caches: ['node_modules/.vite', 'dist', 'dist-server'],
    links: 'nav a',
    column: 'main.column',
    // tests/frameworks/react/src/site.css
    theme: () => ({
      ok: getComputedStyle(document.body).fontFamily.startsWith('Georgia') &&
        getComputedStyle(document.querySelector('h1')).color === 'rgb(120, 40, 40)',
      font: getComputedStyle(document.body).fontFamily,
    }),
  },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Start a site's server; resolves to { url, stop } once it prints its address. */
async function serve(site, argv) {
  const cwd = join(SITES_DIR, site.dir);
  const args = argv.includes('FREE') ? argv.map(async (a) => (a === 'FREE' ? String(await freePort()) : a)) : argv;
  return start(site, cwd, await Promise.all(args));
}

function start(site, cwd, args) {
  const child = spawn(process.execPath, [site.bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${site.name} ${args[0]}: no address in 30 s: ${out}`)); }, 30_000);
    const onData = (d) => {
      out += d;
      // eslint-disable-next-line no-control-regex
      const m = /(http:\/\/(?:localhost|127\.0\.0\.1|\[::1\]):\d+\/)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          output: () => out,
          async stop() {
            if (child.exitCode !== null) return;
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${site.name} ${args[0]} exited ${code}: ${out}`)); });
  });
}

/** A page that records console errors and warnings, uncaught exceptions and failed requests. */
async function sitePage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  // Record what the framework assigns to the widgets' properties (to know it set them as properties).
  await page.addInitScript(() => {
    window.__propertySets = [];
    const define = customElements.define.bind(customElements);
    customElements.define = (name, cls) => {
      for (const prop of ['dataset', 'hidden', 'activation', 'functions', 'derivative']) {
        const d = Object.getOwnPropertyDescriptor(cls.prototype, prop);
        if (!d) continue;
        Object.defineProperty(cls.prototype, prop, { ...d, set(v) { window.__propertySets.push(`${name}.${prop}=${JSON.stringify(v)}`); d.set.call(this, v); } });
      }
      return define(name, cls);
    };
  });
  page.on('console', (m) => {
    const text = m.text();
    // Vue reports a property it could not set as a warning ("Failed setting prop")
    if (m.type() === 'error' || (m.type() === 'warning' && /mlp|Failed setting prop|Vue warn/i.test(text))) {
      problems.push(`${m.type()}: ${text}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { context, page, problems };
}

/** The host page's styles are its own, and none of ours is in the document. */
async function checkHostStyles(page, site, what) {
  const theme = await page.evaluate(site.theme);
  assert.ok(theme.ok, `${what}: the site lost its theme (body font ${theme.font})`);
  const leaked = await page.evaluate(() => {
    const out = [];
    for (const sheet of document.styleSheets) {
      let rules;
      try { rules = sheet.cssRules; } catch { continue; }
      for (const r of rules) if (/--fn-relu|\.pg-body|mlp-lab widgets/.test(r.cssText)) out.push(`${sheet.href}: ${r.cssText.slice(0, 80)}`);
    }
    return out;
  });
  assert.deepEqual(leaked, [], `${what}: widget styles in the host document`);
}

/** README's markup: what each widget must show. */
async function checkWidgets(page, what) {
  await widgetsReady(page, 30_000);
  const info = await page.evaluate(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { w: r.width, h: r.height }; };
    const plot = document.querySelector('mlp-activation-plot');
    const col = document.querySelector('mlp-collapse');
    const pg = document.querySelector('mlp-playground');
    return {
      boxes: [plot, col, pg].map(box),
      fns: [...plot.shadowRoot.querySelectorAll('.readout tr[data-fn]')].map((r) => r.dataset.fn).join(','),
      derivative: plot.shadowRoot.querySelector('input[name=derivative]').checked,
      collapse: [col.net.layers.join(','), col.shadowRoot.querySelector('select[name=dataset]').value],
      pg: [pg.settings.dataset, pg.net.layers.join(','), pg.settings.activation, pg.shadowRoot.querySelector('.play-text').textContent],
      attrs: [pg.getAttribute('dataset'), pg.getAttribute('hidden')],
      simd: pg.dataset.simd,
    };
  });
  for (const [i, b] of info.boxes.entries()) assert.ok(b.w > 280 && b.h > 200, `${what}: widget ${i} is ${b.w} × ${b.h}`);
  assert.equal(info.fns, 'relu,sigmoid,tanh', what);
  assert.equal(info.derivative, true, `${what}: derivative`);
  assert.deepEqual(info.collapse, ['2,3,3,1', 'xor'], `${what}: collapse`);
  assert.deepEqual(info.pg, ['xor', '2,4,4,1', 'tanh', 'Lancer'], `${what}: the playground's data set, layers, activation, language`);
  assert.deepEqual(info.attrs, ['xor', '4,4'], `${what}: the attributes keep their values`);
  assert.equal(info.simd, 'simd', what);
  const { drawn, blank } = await canvasesDrawn(page);
  assert.ok(drawn >= 5 && blank.length === 0, `${what}: ${drawn} canvases drawn; blank: ${blank.join(', ')}`);
  // it trains
  const pg = page.locator('mlp-playground');
  await pg.scrollIntoViewIfNeeded();
  await pg.locator('button[name=play]').click();
  await page.waitForFunction(() => Number(document.querySelector('mlp-playground').dataset.epoch) >= 5, null, { timeout: 15_000 });
  await pg.locator('button[name=play]').click();
  const loss = Number(await pg.getAttribute('data-train-loss'));
  assert.ok(Number.isFinite(loss) && loss > 0, `${what}: train loss ${loss}`);
}

/** The iframe recipe: the iframe ends up as tall as the embedded page. */
async function checkIframe(page, what) {
  const frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
  await widgetsReady(frame, 30_000);
  let last;
  for (let i = 0; i < 50; i++) {
    const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    const outer = await page.evaluate(() => document.querySelector('iframe#embed').getBoundingClientRect().height);
    last = { inner, outer };
    if (Math.abs(inner - outer) <= 1 && outer !== 600) break;
    await page.waitForTimeout(100);
  }
  assert.ok(Math.abs(last.inner - last.outer) <= 1 && last.outer !== 600,
    `${what}: the iframe is ${last.outer} px tall, its content ${last.inner} px`);
  const scroll = await frame.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  assert.ok(scroll <= 1, `${what}: the embedded page still scrolls by ${scroll} px`);
  return last.outer;
}

describe('README recipes in framework sites (packed tarball installed)', { timeout: 600_000 }, () => {
  let tmp, tgz, browser;

  before(async () => {
    for (const site of SITES) {
      assert.ok(existsSync(join(SITES_DIR, site.dir, site.bin)),
        `tests/frameworks/${site.dir} is not installed: run make deps-frameworks`);
    }
    tmp = await mkdtemp(join(tmpdir(), 'mlp-lab-frameworks-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT });
    tgz = join(tmp, JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0].filename);
    for (const site of SITES) {
      const cwd = join(SITES_DIR, site.dir);
      // the site's lockfile stays as it is: the tarball is installed beside it
      await run('npm', ['install', '--no-save', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], { cwd });
      // README's iframe recipe: the package's files copied into the site's public folder
      const pub = join(cwd, site.publicDir, 'mlp-lab');
      await rm(pub, { recursive: true, force: true });
      await mkdir(pub, { recursive: true });
      for (const d of ['web', 'src', 'build']) await cp(join(cwd, 'node_modules', 'mlp-lab', d), join(pub, d), { recursive: true });
      for (const c of site.caches) await rm(join(cwd, c), { recursive: true, force: true });
    }
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  for (const site of SITES) {
    for (const mode of ['built', 'dev']) {
      it(`${site.name}, ${mode === 'built' ? 'built and served' : 'dev server'}: README's markup, direct load and client-side navigation`, async (t) => {
        const t0 = Date.now();
        if (mode === 'built') {
          for (const step of site.build) await run(process.execPath, step, { cwd: join(SITES_DIR, site.dir), timeout: 180_000 });
          t.diagnostic(`${site.name} build: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        }
        const server = await serve(site, mode === 'built' ? site.preview : site.dev);
        if (mode === 'dev') {
          // A cold dev server may reload the first page it serves once its dependency
          // optimizer is done (Vite's own behaviour, aborting that page's requests):
          // let it finish on a page of its own first.
          const warm = await browser.newPage();
          await warm.goto(`${server.url}widgets`);
          await widgetsReady(warm, 60_000).catch(() => {});
          await warm.close();
        }
        const { context, page, problems } = await sitePage(browser);
        try {
          const what = `${site.name} ${mode}`;
          if (mode === 'built') {
            // both sites render their pages in Node when built: the widgets' markup is in the HTML
            const html = await (await fetch(`${server.url}widgets`)).text();
            assert.match(html, /<mlp-playground dataset="xor" hidden="4,4" activation="tanh" lang="fr"/, `${what}: prerendered page`);
          }
          // direct load of the page with the widgets
          await page.goto(`${server.url}widgets`);
          await checkWidgets(page, `${what}, direct load`);
          await checkHostStyles(page, site, `${what}, direct load`);
          const column = await page.evaluate((s) => document.querySelector(s).getBoundingClientRect().width, site.column);
          assert.ok(column >= 600 && column <= 700, `${what}: the content column is ${column} px`);
          const { bad, n, width } = await panelsOverlap(page.locator('mlp-playground'));
          assert.ok(n >= 12, `${what}: only ${n} panels measured`);
          assert.deepEqual(bad, [], `${what}: panels overlap at a ${column} px column`);
          t.diagnostic(`${what}: content column ${column} px, playground ${width} px`);
          if (mode === 'built') await page.screenshot({ path: shotPath(`frameworks-${site.dir}-column`), fullPage: true });

          // client-side navigation: away, then back to the widgets (new elements)
          await page.evaluate(() => { window.__sameDocument = true; });
          const link = (text) => page.locator(site.links, { hasText: text }).first().click();
          await link('Introduction');
          await page.waitForFunction(() => !document.querySelector('mlp-playground'));
          await page.evaluate(() => { window.__propertySets.length = 0; });
          await link('Widgets');
          await page.waitForFunction(() => document.querySelector('mlp-playground'));
          await checkWidgets(page, `${what}, client-side navigation`);
          // Vue and React set these as properties when they create the elements
          const sets = await page.evaluate(() => window.__propertySets);
          for (const set of ['mlp-playground.dataset="xor"', 'mlp-playground.hidden="4,4"', 'mlp-activation-plot.derivative=true']) {
            assert.ok(sets.includes(set), `${what}: the framework did not assign ${set} (it assigned ${sets.join(' ')})`);
          }
          await checkHostStyles(page, site, `${what}, client-side navigation`);
          assert.equal(await page.evaluate(() => window.__sameDocument), true, `${what}: the navigation reloaded the page`);

          // the iframe recipe, reached by client-side navigation
          await link('In an iframe');
          const h = await checkIframe(page, what);
          t.diagnostic(`${what}: the iframe resized to ${h} px`);

          if (mode === 'built') {
            // "Copy link": this page, with the run's settings, and it opens that run
            await link('Widgets');
            await widgetsReady(page, 30_000);
            const pg = page.locator('mlp-playground');
            await pg.locator('select[name=activation]').selectOption('relu');
            await page.evaluate(() => { navigator.clipboard.writeText = async (text) => { window.__copied = text; }; });
            await pg.locator('button[name=copy-link]').click();
            const copied = await page.waitForFunction(() => window.__copied).then((h) => h.jsonValue());
            const here = page.url().split('#')[0]; // VitePress builds /widgets.html, React routes /widgets
            assert.ok(copied.startsWith(`${here}#mlp=1&dataset=xor&`) && copied.includes('&activation=relu&'),
              `${what}: copy link gave ${copied} on ${here}`);
            await page.goto('about:blank');
            await page.goto(copied);
            await widgetsReady(page, 30_000);
            assert.deepEqual(await pg.evaluate((el) => [el.settings.dataset, el.settings.activation, el.net.layers.join(',')]),
              ['xor', 'relu', '2,4,4,1'], `${what}: the copied link's run`);

            // a phone: the page and the widgets fit its width
            await page.setViewportSize({ width: 375, height: 800 });
            await page.goto(`${server.url}widgets`);
            await widgetsReady(page, 30_000);
            const overflow = await page.evaluate(() => [...document.querySelectorAll('mlp-activation-plot, mlp-collapse, mlp-playground')]
              .map((e) => e.getBoundingClientRect().right).filter((r) => r > innerWidth + 1));
            assert.deepEqual(overflow, [], `${what}: widgets wider than a 375 px phone`);
            await page.screenshot({ path: shotPath(`frameworks-${site.dir}-phone`), fullPage: true });
          }
          assert.deepEqual(problems, [], `${what}: console errors, exceptions or failed requests; the server said:\n${server.output()}`);
        } finally {
          await context.close();
          await server.stop();
        }
        t.diagnostic(`${site.name} ${mode}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      });
    }
  }
});
