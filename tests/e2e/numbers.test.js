// web/numbers.js in Chromium: the same characters as this browser's own
// Intl.NumberFormat (its ICU, not Node's), for the six languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage } from './helpers.js';

const ctx = serverAndBrowser();

test('formatDecimal equals Chromium\'s Intl.NumberFormat', async () => {
  const { page, errors, context } = await newPage(ctx.browser);
  await page.goto(`${ctx.server.url}web/embed.html`);
  const bad = await page.evaluate(async () => {
    const { formatDecimal } = await import('/web/numbers.js');
    const out = [];
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const lang of ['en', 'de', 'vi', 'zh', 'fr', 'ko']) {
      for (const d of [0, 1, 2, 3, 4]) {
        const f = new Intl.NumberFormat(lang, { maximumFractionDigits: d, minimumFractionDigits: 0 });
        for (let i = 0; i < 3000; i++) {
          const v = (rand() - 0.5) * 10 ** Math.floor(rand() * 14 - 6);
          const want = f.format(v) === '-0' ? '0' : f.format(v);
          const got = formatDecimal(lang, v, d);
          if (got !== want && out.length < 5) out.push(`${lang} ${v} ${d}: ${got} != ${want}`);
        }
      }
    }
    return out;
  });
  assert.deepEqual(bad, []);
  assert.deepEqual(errors, []);
  await context.close();
});
