// README cannot drift from the code: its JS blocks with "// →" results are run
// as written (importing 'mlp-lab' by the package's own name) and each marked
// line's value is compared with its comment; its defaults-and-limits table is
// compared with the code; its memory figures are measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load } from '../src/mlp-lab.js';
import { DEFAULTS } from '../src/network.js';
import { DATASET_DEFAULTS } from '../src/datasets.js';
import { MAX_HIDDEN, MAX_WIDTH, MAX_ELEMENTS, MAX_POINTS } from '../src/names.js';
import { DEFAULTS as WIDGET_DEFAULTS } from '../web/state.js';

const README = await readFile(new URL('../README.md', import.meta.url), 'utf8');

// ---- the comment values -------------------------------------------------------

// A tiny parser for what README writes after "→": numbers (0.0004… = these
// digits then any; 0.2689 = equal when rounded to the digits shown; 1 = exactly
// 1), 'strings', true/false/null, [arrays], { objects }, "Float32Array [...]".
// Anything after the value in parentheses is a remark.
function parseExpected(text) {
  let i = 0;
  const ws = () => { while (/\s/.test(text[i] ?? '')) i++; };
  const value = () => {
    ws();
    if (text.startsWith('Float32Array', i)) {
      i += 'Float32Array'.length;
      return { typed: 'Float32Array', items: value().items };
    }
    const c = text[i];
    if (c === '[') {
      i++;
      const items = [];
      ws();
      while (text[i] !== ']') {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        ws();
        if (i >= text.length) throw new Error(`unclosed [ in ${text}`);
      }
      i++;
      return { items };
    }
    if (c === '{') {
      i++;
      const fields = {};
      ws();
      while (text[i] !== '}') {
        const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
        if (!m) throw new Error(`bad key at ${text.slice(i)}`);
        i += m[0].length;
        ws();
        assert.equal(text[i], ':');
        i++;
        fields[m[0]] = value();
        ws();
        if (text[i] === ',') i++;
        ws();
        if (i >= text.length) throw new Error(`unclosed { in ${text}`);
      }
      i++;
      return { fields };
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const s = text.slice(i + 1, end);
      i = end + 1;
      return { string: s };
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) { i += word.length; return { literal: v }; }
    }
    const m = /^-?\d+(?:\.(\d+))?(…)?/.exec(text.slice(i));
    if (!m) throw new Error(`cannot read a value at "${text.slice(i)}"`);
    i += m[0].length;
    return { number: Number(m[0].replace('…', '')), decimals: m[1] ? m[1].length : 0, truncated: !!m[2] };
  };
  const v = value();
  ws();
  const rest = text.slice(i);
  if (rest && !rest.startsWith('(')) throw new Error(`unexpected "${rest}" after the value in "${text}"`);
  return v;
}

function matches(actual, want, path = 'value') {
  if ('number' in want) {
    assert.equal(typeof actual, 'number', `${path}: ${actual} is not a number`);
    const unit = 10 ** -want.decimals;
    if (want.truncated) {
      const ok = want.number >= 0 ? actual >= want.number && actual < want.number + unit
        : actual <= want.number && actual > want.number - unit;
      assert.ok(ok, `${path}: ${actual} does not begin ${want.number}…`);
    } else if (want.decimals === 0) {
      assert.equal(actual, want.number, path);
    } else {
      assert.ok(Math.abs(actual - want.number) <= unit / 2 + 1e-12, `${path}: ${actual} is not ${want.number} to ${want.decimals} decimals`);
    }
  } else if ('string' in want) {
    assert.equal(actual, want.string, path);
  } else if ('literal' in want) {
    assert.equal(actual, want.literal, path);
  } else if ('items' in want) {
    if (want.typed) assert.equal(actual && actual.constructor && actual.constructor.name, want.typed, `${path}: not a ${want.typed}`);
    else assert.ok(Array.isArray(actual), `${path}: not an array`);
    assert.equal(actual.length, want.items.length, `${path}: length`);
    want.items.forEach((w, k) => matches(actual[k], w, `${path}[${k}]`));
  } else {
    assert.ok(actual && typeof actual === 'object', `${path}: not an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(want.fields).sort(), `${path}: keys`);
    for (const [k, w] of Object.entries(want.fields)) matches(actual[k], w, `${path}.${k}`);
  }
}

// ---- the code blocks -------------------------------------------------------------

const blocks = [...README.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /\/\/ (→|throws )/.test(b));

test('README has checked code blocks', () => {
  assert.ok(blocks.length >= 1, 'no JS block with // → results');
  const checked = blocks.join('\n').split('\n').filter((l) => /\/\/ (→|throws )/.test(l)).length;
  assert.ok(checked >= 10, `only ${checked} lines are checked`);
});

blocks.forEach((block, b) => {
  test(`README block ${b + 1}: every "// →" line gives what it says`, async () => {
    const checks = [];
    const lines = block.split('\n').map((line, k) => {
      const m = /^(.*?);?\s*\/\/ (→|throws) (.*)$/.exec(line);
      if (!m || /^\s*(const|let|import)\b/.test(m[1])) return line;
      checks.push({ line: k + 1, expected: m[3], kind: m[2] });
      const id = checks.length - 1;
      return m[2] === '→'
        ? `__record(${id}, () => (${m[1]}));`
        : `__throws(${id}, () => (${m[1]}));`;
    });
    const dir = fileURLToPath(new URL('../build/readme/', import.meta.url));
    await mkdir(dir, { recursive: true });
    const file = `${dir}block-${b + 1}.mjs`;
    // inside the package, so 'mlp-lab' resolves by the package's own name
    await writeFile(file, `export const results = [];
const __record = (id, f) => { results[id] = { value: f() }; };
const __throws = (id, f) => { try { f(); results[id] = { returned: true }; } catch (e) { results[id] = { error: e }; } };
${lines.join('\n')}
`);
    const { results } = await import(file);
    for (const [id, c] of checks.entries()) {
      const r = results[id];
      assert.ok(r, `line ${c.line} did not run`);
      if (c.kind === '→') {
        matches(r.value, parseExpected(c.expected), `line ${c.line} (${c.expected})`);
      } else {
        assert.ok(r.error, `line ${c.line}: expected to throw ${c.expected}`);
        assert.equal(`${r.error.name}: ${r.error.message}`, c.expected, `line ${c.line}`);
      }
    }
  });
});

// ---- defaults and limits -----------------------------------------------------------

test('README\'s defaults-and-limits table is the code\'s', async () => {
  const from = README.indexOf('\n|', README.indexOf('**Defaults and limits**'));
  const table = README.slice(from, README.indexOf('\n\n', from));
  const rows = Object.fromEntries([...table.matchAll(/^\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|\s*((?:[^|]|\\\|)*?)\s*\|$/gm)].slice(2, 40)
    .map((m) => [m[1].replace(/`/g, '').replace(/ \(.*\)$/, ''), { def: m[2], limit: m[3] }]));
  const def = (k) => rows[k] && rows[k].def.replace(/`/g, '');
  for (const k of ['activation', 'init', 'optimizer']) assert.equal(def(k), DEFAULTS[k], k);
  for (const k of ['seed', 'lr', 'l2', 'epochs', 'beta']) assert.equal(Number(def(k)), DEFAULTS[k], k);
  assert.equal(def('shuffle'), String(DEFAULTS.shuffle));
  assert.equal(def('batchSize'), `min(${DEFAULTS.batchSize}, n)`);
  assert.equal(def('alpha'), `${DEFAULTS.alpha} (the playground's: ${WIDGET_DEFAULTS.alpha})`);
  for (const k of ['n', 'noise', 'seed']) assert.equal(Number(def(`data sets ${k}`)), DATASET_DEFAULTS[k], `data sets ${k}`);
  assert.equal(rows.layers.limit, `2 … ${MAX_HIDDEN + 2} entries (0 … ${MAX_HIDDEN} hidden layers), each 1 … ${MAX_WIDTH}`);
  assert.equal(rows['lab.activate elements'].limit, `2²⁶`);
  assert.equal(MAX_ELEMENTS, 2 ** 26);
  assert.equal(rows['data sets n'].limit, '1 … 10⁶');
  assert.equal(MAX_POINTS, 1e6);
  // and the behaviour: what a network and a fit do without options
  const lab = await load();
  const net = lab.mlp({ layers: [2, 3, 1] });
  assert.equal(net.config.activation, DEFAULTS.activation);
  assert.equal(net.config.alpha, DEFAULTS.alpha);
  assert.deepEqual(lab.activate('prelu', [-1]), Float32Array.of(-DEFAULTS.alpha));
  const withDefaults = lab.mlp({ layers: [2, 3, 1] });
  const explicit = lab.mlp({ layers: [2, 3, 1], activation: 'relu', init: 'xavier', seed: 0 });
  assert.deepEqual(withDefaults.params(), explicit.params());
  const X = lab.datasets.circle().X, y = lab.datasets.circle().y;
  assert.equal(X.length, 2 * DATASET_DEFAULTS.n);
  const h1 = withDefaults.fit(X, y);
  const h2 = explicit.fit(X, y, { epochs: 1, batchSize: 32, lr: 0.01, optimizer: 'sgd', l2: 0, shuffle: true });
  assert.deepEqual(h1, h2, 'fit() without options is not the documented defaults');
  assert.deepEqual(withDefaults.params(), explicit.params());
  for (const n of [net, withDefaults, explicit]) n.free();
});

test('README\'s memory figures: a 2-256-256-1 step of 340,000 rows works, 400,000 are refused', async () => {
  const m = /a step of a 2-256-256-1 network takes up to about ([\d,]+) rows,\s+and a batch of ([\d,]+) is refused with `([^`]+)`/.exec(README);
  assert.ok(m, 'README lost its memory figures');
  const most = Number(m[1].replace(/,/g, '')), refused = Number(m[2].replace(/,/g, ''));
  const lab = await load();
  const net = lab.mlp({ layers: [2, 256, 256, 1], seed: 1 });
  const works = Math.floor(most * 0.98);
  assert.ok(Number.isFinite(net.step(new Float32Array(works * 2), new Float32Array(works))), `${works} rows`);
  assert.throws(() => net.step(new Float32Array(refused * 2), new Float32Array(refused)), (e) => e instanceof RangeError && e.message === m[3]);
  assert.ok(Number.isFinite(net.step(new Float32Array(200), new Float32Array(100))), 'the lab works on after the refusal');
  net.free();
});
