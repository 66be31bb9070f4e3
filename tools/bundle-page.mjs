// The teaching page's script as one file: build/page.js (and its source map),
// which web/index.html loads.
//
//   node tools/bundle-page.mjs            # build/page.js from web/page.js
//   node tools/bundle-page.mjs --debug    # the same, not minified (to read a profile)
//
// Why: web/page.js reaches ~50 modules; a browser with an empty cache fetched
// them six at a time and the last one arrived ~290 ms after navigation start,
// twice the whole goal for the first trained step (tests/bench/firststep.mjs).
// One minified file arrives at ~80 ms. The modules stay the source, and what
// embedders import (web/mlp-lab-widgets.js, the npm package): this is a build
// of them, like the .wasm files of the C. esbuild (a devDependency) because it
// is the bundler already used to test that the package bundles
// (tests/pack.test.js), and it builds this in ~40 ms.
//
// The output sits in build/, beside the .wasm files: the core's own
// new URL('../build/mlp-lab-simd.wasm', import.meta.url) then still names the
// right file, and the inlined-wasm fallbacks of web/lab.js (build/*.wasm.js,
// ~100 KB each, imported only when the .wasm cannot be fetched) stay separate
// files. One build is in the bundle on purpose: web/page-core.js imports the
// SIMD build's bytes statically, so that the page compiles its core without
// fetching it (the bundle grows from ~480 to ~590 KB; the .wasm request goes).
// The strings of the five languages other than English are not in it: each
// is a chunk, build/page-<code>-<hash>.js, that web/i18n.js imports when a
// reader asks for that language (they were 216 KB of the 590).

import { readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ENTRY = path.join(ROOT, 'web/page.js');
export const OUT = path.join(ROOT, 'build/page.js');

const wasmModulesStayOut = {
  name: 'wasm-modules-stay-out',
  setup(build) {
    build.onResolve({ filter: /\.wasm\.js$/ }, (args) => (args.kind === 'dynamic-import'
      ? { path: `./${path.basename(args.path)}`, external: true } : undefined));
  },
};

/** Builds build/page.js; returns the source files it holds (absolute paths). */
export async function bundlePage({ minify = true } = {}) {
  const esbuild = await import('esbuild');
  // The last build's chunks (their names carry a hash of their content).
  const dir = path.dirname(OUT);
  for (const f of readdirSync(dir)) if (/^page-.+\.js(\.map)?$/.test(f)) rmSync(path.join(dir, f));
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outdir: dir,
    entryNames: 'page',
    // web/i18n.js's languages other than English: a chunk each, loaded when asked for.
    splitting: true,
    chunkNames: 'page-[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [wasmModulesStayOut],
  });
  return Object.keys(result.metafile.inputs).map((f) => path.resolve(ROOT, f));
}

/** The files a build may hold: every script under web/ and src/, and the generated stylesheet. */
export function sources() {
  const out = [path.join(ROOT, 'build/widgets-css.js')];
  for (const dir of ['web', 'src']) {
    for (const f of readdirSync(path.join(ROOT, dir), { recursive: true })) {
      if (/\.m?js$/.test(f)) out.push(path.join(ROOT, dir, f));
    }
  }
  return out;
}

/** True when build/page.js is missing or older than one of sources(). */
export function isStale() {
  let built;
  try { built = statSync(OUT).mtimeMs; } catch { return true; }
  return sources().some((f) => {
    try { return statSync(f).mtimeMs > built; } catch { return false; }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const inputs = await bundlePage({ minify: !process.argv.includes('--debug') });
  console.log(`build/page.js: ${inputs.length} modules`);
}
