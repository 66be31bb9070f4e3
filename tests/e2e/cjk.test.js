// Chinese and Korean, seen. Every character of every string of the six
// languages, and every text of the zh and ko pages and widgets, is drawn with a
// real glyph, never the missing-glyph box; the same check, in a Chromium whose
// fontconfig hides the CJK fonts, finds every Han and Hangul character missing
// (so it can fail); no text sticks out of its button, label or select; and
// screenshots of the page and of each widget, in zh and ko, desktop and phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { serverAndBrowser, newPage, widgetsReady, shotPath, run, selectLanguage } from './helpers.js';
import { STRINGS, LANGUAGES, loadLanguage } from '../../web/i18n.js';

await Promise.all(LANGUAGES.map((l) => loadLanguage(l.code)));

const env = serverAndBrowser();

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};
const WIDGETS = ['activation-plot', 'collapse', 'playground'];
const CJK = /[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/u;

/**
 * In the page: which characters are drawn as the missing-glyph box. groups:
 * [{ family, weight, chars, where }]. A character is missing when canvas text
 * in that font draws it exactly (advance and every pixel) as it draws U+E000,
 * a private-use code point no installed font has. Controls: a second
 * private-use character (U+10FFFD) must come out missing, 'A' must not.
 */
function missingGlyphs(groups) {
  const S = 48;
  const c = document.createElement('canvas');
  c.width = S;
  c.height = S;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  const draw = (ch) => {
    ctx.clearRect(0, 0, S, S);
    ctx.fillText(ch, 6, 34);
    return { w: ctx.measureText(ch).width, px: ctx.getImageData(0, 0, S, S).data };
  };
  const same = (a, b) => a.w === b.w && a.px.every((v, i) => v === b.px[i]);
  const missing = [];
  const controls = [];
  let checked = 0;
  for (const { family, weight, chars, where } of groups) {
    ctx.font = `${weight} 28px ${family}`;
    const box = draw('\uE000');
    const isBox = (ch) => same(draw(ch), box);
    controls.push({ font: ctx.font, pua: isBox('\u{10FFFD}'), latin: isBox('A') });
    for (const ch of chars) {
      checked++;
      if (isBox(ch)) missing.push(`U+${ch.codePointAt(0).toString(16).toUpperCase()} ${ch} (${weight} ${where})`);
    }
  }
  return { checked, missing, controls };
}

/** In the page: the characters of every text node (the document and every shadow root), by face. */
function pageText() {
  const groups = new Map();
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === Node.ELEMENT_NODE) {
        if (n.shadowRoot) visit(n.shadowRoot);
        continue;
      }
      const el = n.parentElement;
      if (!el || /^(SCRIPT|STYLE)$/.test(el.tagName)) continue;
      const cs = getComputedStyle(el);
      const weight = Number(cs.fontWeight) >= 600 ? 700 : 400;
      const key = `${weight}|${cs.fontFamily}`;
      if (!groups.has(key)) groups.set(key, { family: cs.fontFamily, weight, chars: new Set(), where: el.tagName.toLowerCase() });
      for (const ch of n.data) if (/\S/u.test(ch)) groups.get(key).chars.add(ch);
    }
  };
  visit(document);
  return [...groups.values()].map((g) => ({ ...g, chars: [...g.chars] }));
}

/**
 * In the page: text that leaves its box. Each text node against the boxes
 * that hold it, up to its button, label or cell, 1 px of slack (bad; a
 * scroller's content is reached by scrolling); each select against the text
 * of its chosen option (selects: a select clips its text, which the person
 * can still read in its list). Things shown at 1 px (.sr-only) are skipped.
 */
function clippedText() {
  const bad = [];
  const selects = [];
  const name = (el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
  const measure = document.createElement('canvas').getContext('2d');
  const HOLDERS = /^(BUTTON|A|LABEL|LEGEND|TH|TD|DT|DD|LI|P|H[1-6]|FIGCAPTION|SUMMARY|FIELDSET)$/;
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (!el.getClientRects().length) continue;
      if (el.tagName === 'SELECT') {
        const cs = getComputedStyle(el);
        measure.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = el.selectedOptions[0]?.textContent ?? '';
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const need = measure.measureText(text).width;
        if (need > room + 1) selects.push(`select[name=${el.name || el.id}] shows ${JSON.stringify(text)}: ${need.toFixed(0)} px in ${room.toFixed(0)}`);
        continue;
      }
      for (const n of el.childNodes) {
        if (n.nodeType !== Node.TEXT_NODE || !n.data.trim() || el.tagName === 'OPTION') continue;
        const r = document.createRange();
        r.selectNodeContents(n);
        const t = r.getBoundingClientRect();
        if (!t.width) continue;
        // every box from the text up to the control or cell that holds it
        for (let box = el; box; box = box.parentElement) {
          const cs = getComputedStyle(box);
          if (/auto|scroll/.test(cs.overflowX)) break; // a scroller: reached by scrolling (network-view.test.js)
          if (cs.display !== 'inline') {
            const b = box.getBoundingClientRect();
            if (b.width <= 1 || b.height <= 1) break;
            const out = Math.max(b.left - t.left, t.right - b.right, b.top - t.top, t.bottom - b.bottom);
            if (out > 1) {
              bad.push(`${name(box)} ${JSON.stringify(n.data.trim().slice(0, 40))} leaves its box by ${out.toFixed(1)} px`);
              break;
            }
          }
          if (HOLDERS.test(box.tagName)) break;
        }
      }
    }
  };
  visit(document);
  return { bad, selects };
}

/** Check the glyphs on the page: assert the controls, return { checked, missing }. */
async function pageGlyphs(page) {
  const r = await page.evaluate(`(${missingGlyphs})((${pageText})())`);
  for (const c of r.controls) {
    assert.ok(c.pua && !c.latin, `the missing-glyph check does not tell a box from a glyph in ${c.font}`);
  }
  return r;
}

const pageOverflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('every character of the six languages\' strings has a glyph in the widgets\' and the page\'s faces', async (t) => {
  const { page, errors, context } = await newPage(env.browser);
  await page.goto(`${env.server.url}web/embed.html?widget=collapse`);
  await widgetsReady(page);
  let checked = 0;
  for (const { code } of LANGUAGES) {
    const chars = new Set();
    for (const v of Object.values(STRINGS[code])) {
      const texts = typeof v === 'function' ? [v({ n: 1 }), v({ n: 2 }), v({ n: 5 })] : [v];
      for (const s of texts) for (const ch of s) if (/\S/u.test(ch)) chars.add(ch);
    }
    // The faces a widget and the page use in this language (:lang rules included).
    await page.evaluate((lang) => {
      document.querySelector('mlp-collapse').setAttribute('lang', lang);
      document.documentElement.lang = lang;
    }, code);
    // (once its strings are loaded: web/i18n.js)
    await page.waitForFunction((lang) => document.querySelector('mlp-collapse').shadowRoot.querySelector('.root').lang === lang, code);
    const faces = await page.evaluate(() => [getComputedStyle(document.querySelector('mlp-collapse').shadowRoot.querySelector('.root')).fontFamily,
      getComputedStyle(document.body).fontFamily]);
    const groups = [];
    for (const family of new Set(faces)) for (const weight of [400, 700]) groups.push({ family, weight, chars: [...chars], where: `${code} strings` });
    const r = await page.evaluate(`(${missingGlyphs})(${JSON.stringify(groups)})`);
    for (const c of r.controls) assert.ok(c.pua && !c.latin, `${code}: the check does not tell a box from a glyph in ${c.font}`);
    assert.deepEqual(r.missing, [], `${code}: characters drawn as missing-glyph boxes`);
    t.diagnostic(`${code}: ${chars.size} distinct characters, ${groups.length} faces, none missing`);
    checked += r.checked;
  }
  t.diagnostic(`${checked} character × face checks`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('zh and ko, desktop and phone: the page and each widget have every glyph, no text leaves its box, screenshots', async (t) => {
  const hash = '#dataset=spiral&hidden=16,16,16&activation=relu&optimizer=adam&lr=0.01&noise=0.05&n=800&init=he';
  for (const [vp, opts] of Object.entries(VIEWPORTS)) {
    const { page, errors, context } = await newPage(env.browser, opts);
    await page.goto(`${env.server.url}web/${hash}`);
    await widgetsReady(page);
    for (const lang of ['zh', 'ko']) {
      await selectLanguage(page, lang); // the language switch
      await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      const g = await pageGlyphs(page);
      assert.deepEqual(g.missing, [], `page ${lang} ${vp}: missing glyphs`);
      const cjk = (await page.evaluate(`(${pageText})()`)).flatMap((x) => x.chars).filter((ch) => CJK.test(ch));
      assert.ok(cjk.length > 100, `page ${lang}: only ${cjk.length} CJK characters on the page`);
      const clip = await page.evaluate(`(${clippedText})()`);
      assert.deepEqual(clip.bad, [], `page ${lang} ${vp}: text out of its box`);
      if (clip.selects.length) t.diagnostic(`page ${lang} ${vp}: select text clipped: ${clip.selects.join('; ')}`);
      assert.ok((await pageOverflow(page)) <= 0, `page ${lang} ${vp} is wider than the window`);
      t.diagnostic(`page ${lang} ${vp}: ${g.checked} characters × faces checked (${cjk.length} CJK)`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: shotPath(`cjk-page-${lang}-${vp}`), fullPage: true });
    }
    assert.deepEqual(errors, []);
    await context.close();
    for (const lang of ['zh', 'ko']) {
      const w = await newPage(env.browser, opts);
      for (const widget of WIDGETS) {
        await w.page.goto(`${env.server.url}web/embed.html?widget=${widget}&lang=${lang}${widget === 'playground' ? `&${hash.slice(1)}` : ''}`);
        await widgetsReady(w.page);
        const g = await pageGlyphs(w.page);
        assert.deepEqual(g.missing, [], `${widget} ${lang} ${vp}: missing glyphs`);
        const clip = await w.page.evaluate(`(${clippedText})()`);
        assert.deepEqual(clip.bad, [], `${widget} ${lang} ${vp}: text out of its box`);
        if (clip.selects.length) t.diagnostic(`${widget} ${lang} ${vp}: select text clipped: ${clip.selects.join('; ')}`);
        assert.ok((await pageOverflow(w.page)) <= 0, `${widget} ${lang} ${vp} is wider than the window`);
        await w.page.screenshot({ path: shotPath(`cjk-${widget}-${lang}-${vp}`), fullPage: true });
      }
      assert.deepEqual(w.errors, []);
      await w.context.close();
    }
  }
});

test('without a CJK font the same check finds every Han and Hangul character missing', async (t) => {
  // fontconfig as the system has it, minus every font file that covers Chinese or Korean.
  const files = new Set();
  for (const lang of ['zh', 'ko']) {
    const { stdout } = await run('fc-list', [`:lang=${lang}`, 'file']);
    for (const line of stdout.split('\n')) if (line.trim()) files.add(line.trim().replace(/:$/, ''));
  }
  assert.ok(files.size > 0, 'no zh or ko font installed (Debian: fonts-noto-cjk; make deps-chromium installs it)');
  const dir = mkdtempSync(`${tmpdir()}/mlp-lab-nocjk-`);
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  writeFileSync(`${dir}/fonts.conf`, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="no">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>${[...files].map((f) => `<glob>${esc(f)}</glob>`).join('')}</rejectfont></selectfont>
</fontconfig>
`);
  const bare = { ...process.env, FONTCONFIG_FILE: `${dir}/fonts.conf` };
  const left = await run('fc-list', [':lang=zh', 'file'], { env: bare });
  assert.equal(left.stdout.trim(), '', 'the stripped fontconfig still has a Chinese font');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    env: bare,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const lang of ['zh', 'ko']) {
      const { page, context } = await newPage(browser);
      await page.goto(`${env.server.url}web/embed.html?widget=playground&lang=${lang}`);
      await widgetsReady(page);
      const g = await pageGlyphs(page);
      const shown = [...new Set((await page.evaluate(`(${pageText})()`)).flatMap((x) => x.chars))];
      const han = shown.filter((ch) => /[\u4e00-\u9fff\uac00-\ud7af]/u.test(ch));
      const missing = new Set(g.missing.map((m) => m.split(' ')[1]));
      assert.ok(han.length > 20, `${lang}: ${han.length} Han or Hangul characters shown`);
      assert.deepEqual(han.filter((ch) => !missing.has(ch)), [], `${lang}: characters the check passed without a CJK font`);
      assert.deepEqual([...missing].filter((ch) => /[ -~]/.test(ch)), [], `${lang}: ASCII reported missing`);
      t.diagnostic(`${lang} without CJK fonts: ${han.length} of ${han.length} Han/Hangul characters found missing`);
      await context.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
