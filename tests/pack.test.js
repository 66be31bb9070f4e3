// Test what ships: `npm pack` the repository (prepack builds the wasm), check
// what the tarball holds, install it into a scratch project, import mlp-lab by
// name in Node and train, bundle a page with esbuild the way a user would and
// train in Chromium under the page's strict CSP; then, if Vite 7 installs
// quickly, the same with Vite and load()'s default wasm location.
//
//   node --test tests/pack.test.js
//
// How a bundler user loads the wasm (what the pages below do):
//   esbuild: import the .wasm as a file asset and hand its URL to load():
//     import { load, simdSupported } from 'mlp-lab';
//     import scalar from 'mlp-lab/mlp-lab.wasm';       // --loader:.wasm=file
//     import simd from 'mlp-lab/mlp-lab-simd.wasm';
//     const lab = await load({ wasm: simdSupported() ? simd : scalar });
//   Vite: nothing to do; load() finds the wasm through new URL(..., import.meta.url).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile, rm, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './e2e/helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// Files a user needs; anything else in the tarball is a mistake.
const ALLOWED = [/^package\.json$/, /^README(\.md)?$/i, /^LICEN[CS]E(\.md|\.txt)?$/i, /^CHANGELOG(\.md)?$/i,
  /^src\/[\w-]+\.js$/, /^src\/[\w-]+\.d\.ts$/, /^build\/mlp-lab(-simd)?\.wasm(\.js)?$/, /^build\/widgets-css\.js$/, /^build\/page\.js$/, /^build\/page-(de|vi|zh|fr|ko)-\w+\.js$/,
  /^web\/(examples\/|strings\/)?[\w.-]+\.(js|css|html|svg|d\.ts)$/];
const FORBIDDEN = [/^tests?\//, /\.[ch]$/, /node_modules\//, /^Makefile$/, /^\.ci\//, /^build\/(ctest|bench|fuzz)/, /\.map$/];

// The page's training script, shared by the bundled pages: XOR with a tiny net.
const TRAIN = `
export async function train(lab) {
  const { X, y } = lab.datasets.xor({ n: 200, noise: 0, seed: 1 });
  const net = lab.mlp({ layers: [2, 8, 1], activation: 'tanh', output: 'sigmoid', loss: 'bce', seed: 1 });
  const before = net.evaluate(X, y);
  const history = net.fit(X, y, { epochs: 150, batchSize: 20, lr: 0.05, optimizer: 'adam' });
  const after = net.evaluate(X, y);
  net.free();
  return { simd: lab.simd, before, after, epochs: history.loss.length, diverged: history.diverged };
}
`;

function checkTrained(r, what) {
  assert.equal(r.diverged, false, `${what}: training diverged`);
  assert.equal(r.epochs, 150, `${what}: ran ${r.epochs} epochs`);
  assert.ok(r.after.loss < r.before.loss * 0.5, `${what}: loss ${r.before.loss} -> ${r.after.loss}`);
  assert.ok(r.after.accuracy >= 0.9, `${what}: accuracy ${r.after.accuracy} after training`);
}

describe('npm package', { timeout: 180_000 }, () => {
  let tmp, tgz, files, project, browser;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'mlp-lab-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT });
    const info = JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0]; // prepack's make output comes first
    tgz = join(tmp, info.filename);
    const { stdout: list } = await run('tar', ['tzf', tgz]);
    files = list.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    project = join(tmp, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], { cwd: project });
  });

  after(async () => {
    if (browser) await browser.close();
    if (tmp && !process.env.KEEP_PACK) await rm(tmp, { recursive: true, force: true });
  });

  it('the tarball holds only what users need, and every file the package points to', () => {
    for (const f of files) {
      assert.ok(!FORBIDDEN.some((re) => re.test(f)), `the tarball ships ${f}`);
      assert.ok(ALLOWED.some((re) => re.test(f)), `the tarball ships ${f}, which users do not need`);
    }
    for (const f of ['package.json', 'src/mlp-lab.js', 'src/mlp-lab.d.ts', 'build/mlp-lab.wasm', 'build/mlp-lab-simd.wasm',
      'build/mlp-lab.wasm.js', 'build/mlp-lab-simd.wasm.js', 'build/widgets-css.js', 'build/page.js', 'web/index.html', 'web/embed.html', 'web/examples/index.html']) {
      assert.ok(files.includes(f), `the tarball lacks ${f}`);
    }
  });

  it('every target of package.json exports, main and types is in the tarball', () => {
      const targets = [PKG.main, PKG.types];
      for (const v of Object.values(PKG.exports)) {
        if (typeof v === 'string') targets.push(v);
        else targets.push(...Object.values(v));
      }
      const missing = targets.map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t));
      assert.deepEqual(missing, [], `package.json points at files the tarball lacks: ${missing.join(', ')}`);
    });

  it('imports mlp-lab by name in Node and trains with both builds; mlp-lab/widgets imports there too', async () => {
    await writeFile(join(project, 'train.mjs'), `${TRAIN}
import { load, DivergedError } from 'mlp-lab';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = { builds: [] };
for (const simd of [false, true]) out.builds.push(await train(await load({ simd })));
out.resolved = require.resolve('mlp-lab/mlp-lab.wasm');
out.diverged = typeof DivergedError;
// server-side rendering imports the widgets in Node: it must not throw, and defines nothing
const widgets = await import('mlp-lab/widgets');
out.widgets = [typeof widgets.Playground, typeof globalThis.customElements, widgets.LANGUAGES.length > 0];
console.log(JSON.stringify(out));
`);
    const { stdout } = await run(process.execPath, ['train.mjs'], { cwd: project });
    const out = JSON.parse(stdout);
    assert.equal(out.builds[0].simd, false);
    assert.equal(out.builds[1].simd, true);
    out.builds.forEach((r, i) => checkTrained(r, `node, build ${i}`));
    assert.ok(out.resolved.startsWith(join(project, 'node_modules', 'mlp-lab')), out.resolved);
    assert.equal(out.diverged, 'function');
    assert.deepEqual(out.widgets, ['function', 'undefined', true], 'mlp-lab/widgets in Node');
    // the installed copy is the tarball's, not a link to the repository
    assert.ok(!existsSync(join(project, 'node_modules', 'mlp-lab', 'tests')));
  });

  // Opens url in Chromium, runs check(page), then fails on any CSP violation,
  // uncaught exception, console error or failed request.
  async function inChromium(url, what, check) {
    if (!browser) {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    }
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(url);
    try {
      const out = await check(page, problems);
      assert.deepEqual(await page.evaluate(() => window.__csp || []), [], `${what}: CSP violations`);
      assert.deepEqual(problems, [], `${what}: page problems`);
      return out;
    } finally {
      await page.close();
    }
  }

  // The page's script trains (TRAIN) and leaves window.__result or __error.
  function chromiumTrains(url, what) {
    return inChromium(url, what, async (page, problems) => {
      const result = await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 30_000 })
        .then((h) => h.jsonValue()).catch((e) => ({ timeout: e.message }));
      assert.ok(!result.timeout && !result.message, `${what}: ${JSON.stringify(result)}; ${problems.join('; ')}`);
      checkTrained(result, what);
      return result;
    });
  }

  async function serve(root) {
    const { createStaticServer } = await import('../web/serve.mjs');
    const server = createStaticServer({ root, csp: true });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, base: `http://127.0.0.1:${server.address().port}` };
  }

  it('an esbuild bundle of a page that imports it trains in Chromium under the strict CSP', async () => {
    const src = join(project, 'esbuild-src');
    const dist = join(project, 'esbuild-dist');
    await mkdir(src);
    await writeFile(join(src, 'train.js'), TRAIN);
    await writeFile(join(src, 'main.js'), `
import { load, simdSupported } from 'mlp-lab';
import scalarWasm from 'mlp-lab/mlp-lab.wasm';
import simdWasm from 'mlp-lab/mlp-lab-simd.wasm';
import { train } from './train.js';
try {
  const lab = await load({ wasm: simdSupported() ? simdWasm : scalarWasm });
  window.__result = await train(lab);
} catch (e) {
  window.__error = { message: String(e && e.stack || e) };
}
`);
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(src, 'main.js')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      outdir: dist,
      loader: { '.wasm': 'file' },
      absWorkingDir: project,
      logLevel: 'silent',
    });
    assert.deepEqual(result.errors, []);
    await writeFile(join(dist, 'favicon.ico'), ''); // Chromium asks for it; a 404 would show as a console error
    await writeFile(join(dist, 'index.html'),
      '<!doctype html><meta charset="utf-8"><title>mlp-lab bundle</title><script type="module" src="./main.js"></script>\n');
    const emitted = await readdir(dist);
    assert.equal(emitted.filter((f) => f.endsWith('.wasm')).length, 2, `emitted: ${emitted}`);
    const { server, base } = await serve(dist);
    try {
      const r = await chromiumTrains(`${base}/index.html`, 'esbuild bundle');
      assert.equal(r.simd, true, 'Chromium has SIMD128: the bundle should have picked the SIMD build');
    } finally {
      server.close();
    }
  });

  it('the installed widgets (mlp-lab/widgets) work from node_modules in a page, under the strict CSP', async () => {
      // the embed the widgets' module comment documents, pointed at the installed copy
      await writeFile(join(project, 'widgets.html'), '<!doctype html><meta charset="utf-8"><title>widgets</title>' +
        '<script type="module" src="node_modules/mlp-lab/web/mlp-lab-widgets.js"></script>' +
        '<mlp-playground dataset="xor" hidden="4" activation="tanh" autoplay></mlp-playground>\n');
      await writeFile(join(project, 'favicon.ico'), '');
      const { server, base } = await serve(project);
      try {
        if (!browser) {
          const { chromium } = await import('playwright-core');
          browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
        }
        const page = await browser.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
        await page.goto(`${base}/widgets.html`);
        const epochs = await page.waitForFunction(() => {
          const el = document.querySelector('mlp-playground');
          const dd = el && el.shadowRoot && el.shadowRoot.querySelector('.epoch');
          const n = dd ? Number(dd.textContent.replace(/\D/g, '')) : 0;
          return n > 2 && n;
        }, null, { timeout: 15_000 }).then((h) => h.jsonValue()).catch((e) => `${e.message}; ${problems.join('; ')}`);
        await page.close();
        assert.equal(typeof epochs, 'number', `the installed playground did not train: ${epochs}`);
        assert.deepEqual(problems, []);
      } finally {
        server.close();
      }
    });

  // Vite 7, installed once into its own scratch project (skipped, with the
  // reason, when npm cannot fetch it quickly).
  let viteDir = null;
  async function viteProject(t) {
    if (viteDir) return viteDir;
    try {
      await run('npm', ['view', 'vite@7', 'version'], { timeout: 15_000 });
    } catch (e) {
      return { skip: `vite@7 is not reachable through npm here (${e.message.split('\n')[0]})` };
    }
    const vdir = join(tmp, 'vite-app');
    await mkdir(vdir);
    await writeFile(join(vdir, 'package.json'), JSON.stringify({ name: 'vite-app', private: true, type: 'module' }));
    const t0 = Date.now();
    try {
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tgz, 'vite@7'], { cwd: vdir, timeout: 40_000 });
    } catch (e) {
      return { skip: `vite@7 did not install within 40 s (${e.message.split('\n')[0]})` };
    }
    t.diagnostic(`vite@7 installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await writeFile(join(vdir, 'train.js'), TRAIN);
    await writeFile(join(vdir, 'vite.config.js'), 'export default { logLevel: "warn", build: { target: "es2022" } };\n');
    await mkdir(join(vdir, 'public'));
    await writeFile(join(vdir, 'public', 'favicon.ico'), '');
    viteDir = vdir;
    return vdir;
  }

  async function viteBuild(t, main, body) {
    const vdir = await viteProject(t);
    if (typeof vdir !== 'string') { t.skip(vdir.skip); return null; }
    await writeFile(join(vdir, 'main.js'), main);
    await writeFile(join(vdir, 'index.html'),
      `<!doctype html><meta charset="utf-8"><title>mlp-lab vite</title><script type="module" src="/main.js"></script>${body}\n`);
    await rm(join(vdir, 'dist'), { recursive: true, force: true });
    await run(process.execPath, [join(vdir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: vdir, timeout: 60_000 });
    const assets = await readdir(join(vdir, 'dist', 'assets'));
    t.diagnostic(`vite emitted ${assets.join(', ')}`);
    return serve(join(vdir, 'dist'));
  }

  it('a Vite 7 build of a page that uses load() defaults trains in Chromium under the strict CSP', async (t) => {
    const served = await viteBuild(t, `
import { load } from 'mlp-lab';
import { train } from './train.js';
try {
  window.__result = await train(await load());
} catch (e) {
  window.__error = { message: String(e && e.stack || e) };
}
`, '');
    if (!served) return;
    try {
      const r = await chromiumTrains(`${served.base}/index.html`, 'vite build');
      assert.equal(r.simd, true);
    } finally {
      served.server.close();
    }
  });

  it('a Vite 7 build of a page that imports mlp-lab/widgets: the playground trains under the strict CSP',
    async (t) => {
      const served = await viteBuild(t, `
import 'mlp-lab/widgets';
`, '<mlp-playground dataset="xor" hidden="4" activation="tanh" autoplay></mlp-playground>');
      if (!served) return;
      try {
        await inChromium(`${served.base}/index.html`, 'vite widgets build', async (page) => {
          const ok = await page.waitForFunction(() => {
            const dd = document.querySelector('mlp-playground')?.shadowRoot?.querySelector('.epoch');
            return dd && Number(dd.textContent.replace(/\D/g, '')) > 2;
          }, null, { timeout: 15_000 }).then(() => true, () => false);
          const defined = await page.evaluate(() => !!customElements.get('mlp-playground'));
          assert.ok(defined, 'mlp-playground is not defined: the bundler dropped the widgets module');
          assert.ok(ok, 'the bundled playground did not train');
        });
      } finally {
        served.server.close();
      }
    });
});
