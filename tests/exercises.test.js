// Issue 12, part 1, without a browser: the playground's `regions` settings key
// (web/state.js: hash, attribute and object parsing, serialisation, hostile
// values) and the activation plot's finite differences (web/finite-diff.js) for
// both builds: the largest |central difference − f′| of pReLU and Swish under a
// bound for several α and β, the kink at 0 skipped, a larger step truncating more.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../src/mlp-lab.js';
import { parseHash, parseSettings, toHash, settingsFromObject, DEFAULTS, KEYS } from '../web/state.js';
import { centralDifferences, KINKED } from '../web/finite-diff.js';

describe('the regions settings key', () => {
  it('is off by default, last in the hash, and round-trips', () => {
    assert.equal(DEFAULTS.regions, false);
    assert.equal(KEYS[KEYS.length - 1], 'regions');
    const on = parseHash('#dataset=xor&activation=relu&regions=true');
    assert.equal(on.regions, true);
    assert.match(toHash(on), /&regions=true$/);
    assert.deepEqual(parseHash(`#${toHash(on)}`), on);
    assert.match(toHash(parseHash('')), /&regions=false$/);
  });
  it('takes true, 1, empty and on for on; false, 0 and off for off; anything else falls back', () => {
    const cases = [['true', true], ['1', true], ['', true], ['on', true], ['false', false], ['0', false], ['off', false]];
    for (const [raw, want] of cases) {
      assert.equal(parseSettings((k) => (k === 'regions' ? raw : null)).regions, want, `regions=${raw}`);
      assert.equal(parseSettings((k) => (k === 'regions' ? raw : null), { ...DEFAULTS, regions: !want }).regions, want, `regions=${raw} over the other base`);
    }
    for (const raw of ['TRUE', 'yes', '2', 'On', ' true', '<script>', 'x'.repeat(10_000), '__proto__', 'NaN']) {
      assert.equal(parseSettings((k) => (k === 'regions' ? raw : null)).regions, false, `regions=${raw.slice(0, 12)}`);
      assert.equal(parseSettings((k) => (k === 'regions' ? raw : null), { ...DEFAULTS, regions: true }).regions, true, `keeps the base for ${raw.slice(0, 12)}`);
    }
    assert.equal(parseHash('#regions').regions, true, 'a bare key is on, like a boolean attribute');
    assert.equal(parseHash(`#regions=true&${'a=1&'.repeat(600)}`).regions, false, 'an over-long hash is not read');
    assert.equal(parseHash('#regions=false&regions=true').regions, false, 'the first value counts');
  });
  it('from an exported file: own properties only, booleans and strings', () => {
    assert.equal(settingsFromObject({ regions: true }).regions, true);
    assert.equal(settingsFromObject({ regions: 'on' }).regions, true);
    assert.equal(settingsFromObject({ regions: { valueOf: () => true } }).regions, false);
    assert.equal(settingsFromObject(Object.create({ regions: true })).regions, false);
  });
});

for (const simd of [false, true]) {
  describe(`finite differences of the core's f against f′ (${simd ? 'SIMD' : 'scalar'} build)`, () => {
    let lab;
    before(async () => { lab = await load({ simd }); });
    const xs = Float32Array.from({ length: 800 }, (_, i) => -8 + i * 0.02); // the plot's grid
    const run = (names, h, opts) => {
      const d = Object.fromEntries(names.map((n) => [n, lab.derivative(n, xs, opts)]));
      return centralDifferences(lab, names, xs, d, h, opts);
    };
    it('pReLU and Swish agree with their analytic derivative to float32 rounding (h = 0.01)', () => {
      for (const alpha of [0, 0.1, 0.25, 0.9]) {
        for (const beta of [0.5, 1, 2, 5]) {
          const r = run(['prelu', 'swish'], 0.01, { alpha, beta });
          assert.ok(r.prelu.maxDiff < 1e-4, `pReLU α = ${alpha}: ${r.prelu.maxDiff}`);
          assert.ok(r.swish.maxDiff < 2e-4, `Swish β = ${beta}: ${r.swish.maxDiff}`);
          assert.ok(r.swish.maxDiff > 0, 'float32 rounding is visible (the check can fail)');
        }
      }
    });
    it('every activation passes; ReLU and pReLU skip only the points whose interval holds the kink', () => {
      const names = ['relu', 'prelu', 'sigmoid', 'tanh', 'gelu', 'swish'];
      const r = run(names, 0.01, { alpha: 0.3, beta: 1 });
      for (const n of names) assert.ok(r[n].maxDiff < 2e-4, `${n}: ${r[n].maxDiff}`);
      assert.deepEqual([...KINKED], ['relu', 'prelu']);
      // At x = 0 the difference straddles the kink: the average slope (1 + α)/2, far from f′(0).
      const i0 = xs.findIndex((x) => x === 0);
      assert.ok(Math.abs(r.prelu.fd[i0] - 0.65) < 1e-5, `pReLU difference at 0: ${r.prelu.fd[i0]}`);
    });
    it('a large step truncates: the difference grows with h for Swish', () => {
      const small = run(['swish'], 0.01, { beta: 2 }).swish.maxDiff;
      const big = run(['swish'], 0.3, { beta: 2 }).swish.maxDiff;
      assert.ok(big > 1e-3 && big > 20 * small, `h = 0.3: ${big}, h = 0.01: ${small}`);
    });
    it('a wrong derivative is caught', () => {
      const opts = { beta: 1 };
      const d = { swish: lab.derivative('sigmoid', xs, opts) }; // not Swish's derivative
      const r = centralDifferences(lab, ['swish'], xs, d, 0.01, opts);
      assert.ok(r.swish.maxDiff > 0.1, `${r.swish.maxDiff}`);
    });
  });
}
