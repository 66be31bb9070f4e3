// web/numbers.js writes numbers as Intl.NumberFormat does, without it (its
// first use costs a fresh browser renderer 20-45 ms): the same characters, for
// the six languages, every digit count the widgets use, over values of every
// scale, halfway cases and carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDecimal } from '../web/numbers.js';
import { formatNumber } from '../web/i18n.js';

const LANGS = ['en', 'de', 'vi', 'zh', 'fr', 'ko'];

function intl(lang, v, digits) {
  const s = new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
  return s === '-0' ? '0' : s;
}

function* values(seed = 12345) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  yield* [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.05, 0.005, 1.005, 1.0005, 0.125, 0.375, 9.995, 99.95, 999.5,
    9999.5, 0.9995, 1e-7, 5e-7, -5e-7, 123456789.123, 1e15, 1e21, 1.2345678901234567e25, 2 ** 53, -(2 ** 31),
    Number.MIN_VALUE, 1e300, Math.PI, -Math.E, 0.1 + 0.2, 1 / 3, 2 / 3];
  for (let i = 0; i < 33000; i++) {
    const scale = 10 ** Math.floor(rand() * 16 - 8);
    const v = (rand() - 0.5) * 2 * scale;
    yield v;
    yield Math.round(v * 1000) / 1000 + 0.0005 * Math.sign(v); // near a halfway point at 3 digits
    yield Math.fround(v);
  }
}

test('formatDecimal is Intl.NumberFormat, character for character', () => {
  let n = 0;
  const DIGITS = [0, 1, 2, 3, 4, 6];
  for (const v of values()) {
    for (const lang of LANGS) {
      const d = DIGITS[n % DIGITS.length];
      const want = intl(lang, v, d);
      const got = formatDecimal(lang, v, d);
      if (got !== want) assert.equal(got, want, `${lang} ${v} (${d} digits)`);
      n++;
    }
  }
  assert.ok(n > 200000, `${n} values`);
});

test('every digit count 0..20 on a few values', () => {
  for (const v of [1 / 7, -123456.654321, 0.000123456, 987654321.5, 1e-20, 0.95]) {
    for (let d = 0; d <= 20; d++) for (const lang of LANGS) assert.equal(formatDecimal(lang, v, d), intl(lang, v, d), `${lang} ${v} ${d}`);
  }
});

test('formatNumber: dashes for NaN and missing, infinities, other languages through Intl', () => {
  assert.equal(formatNumber('en', NaN), '–');
  assert.equal(formatNumber('en', undefined), '–');
  assert.equal(formatNumber('de', Infinity), '∞');
  assert.equal(formatNumber('fr', -Infinity), '−∞');
  assert.equal(formatNumber('de', 1234.5678, 2), '1.234,57');
  assert.equal(formatNumber('fr', -1234.5, 1), '-1\u202f234,5');
  assert.equal(formatDecimal('pl', 1234.5, 1), intl('pl', 1234.5, 1)); // not one of the six: Intl's own
});
