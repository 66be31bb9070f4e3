// The typings as users meet them: tests/types/consumer.ts, a small program
// against 'mlp-lab' (resolved by the package's own name and exports map,
// types first), type-checked by tsc in a Node-only setup (lib es2022 +
// @types/node, no DOM: WebAssembly must not need lib.dom) and a browser one.
// Its @ts-expect-error lines make tsc fail if a misspelt option type-checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

for (const setup of ['node', 'dom']) {
  test(`src/mlp-lab.d.ts type-checks a consumer with tsc --noEmit (${setup} setup)`, () => {
    const r = spawnSync(process.execPath, [tsc, '-p', `tests/types/tsconfig.${setup}.json`], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });
}
