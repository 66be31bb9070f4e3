// The playground's pure modules, without a browser: settings parsing
// (web/state.js), the CSV reader (web/csv.js) and the strings (web/i18n.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, toHash, parseHidden, parseSettings, headFor, nearest, linkHash, parseLinkHash, hashAutoplay, DEFAULTS, KEYS } from '../../web/state.js';
import { parseCSV, CsvError, MAX_ROWS } from '../../web/csv.js';
import { STRINGS, translate, resolveLang, LANGUAGES, loadLanguage, languageReady } from '../../web/i18n.js';

test('defaults, and a canonical hash round-trips', () => {
  assert.deepEqual(parseHash(''), { ...DEFAULTS, hidden: [...DEFAULTS.hidden] });
  const h = toHash(parseHash('#dataset=spiral&hidden=8,8,8&activation=relu&lr=0.01&optimizer=adam&seed=42&test=false'));
  assert.equal(h.split('&').length, KEYS.length);
  assert.match(h, /^dataset=spiral&/);
  assert.match(h, /hidden=8,8,8/);
  assert.equal(toHash(parseHash(`#${h}`)), h);
});

test('bad values fall back, numbers clamp and snap', () => {
  const s = parseHash('#dataset=nope&n=5&noise=7&train=99&activation=toString&lr=0.02&l2=0.0002&batch=-3&seed=1.6&speed=fast&test=maybe&loss=hinge');
  assert.equal(s.dataset, 'circle');
  assert.equal(s.n, 50);
  assert.equal(s.noise, 1);
  assert.equal(s.train, 90);
  assert.equal(s.activation, 'tanh');
  assert.equal(s.lr, 0.03, 'snapped to the nearest offered rate (log scale)');
  assert.equal(s.l2, 0.0001);
  assert.equal(s.batch, 1);
  assert.equal(s.seed, 2);
  assert.equal(s.speed, '1');
  assert.equal(s.test, true);
  assert.equal(s.loss, 'ce');
  assert.equal(parseHash('#lr=Infinity').lr, 0.03);
  assert.equal(parseHash(`#${'x'.repeat(3000)}&dataset=xor`).dataset, 'circle', 'an over-long hash is ignored');
  assert.equal(parseHash('#dataset=%E0%A4%A').dataset, 'circle', 'broken escapes do not throw');
  assert.equal(nearest(0, [0, 0.001]), 0);
  assert.equal(nearest(50, [0.1, 1, 10]), 10);
});

test('hidden layers: 0 to 6 widths of 1 to 64', () => {
  assert.deepEqual(parseHidden(''), []);
  assert.deepEqual(parseHidden('3, 5'), [3, 5]);
  assert.deepEqual(parseHidden('0,999'), [1, 64]);
  assert.deepEqual(parseHidden('1,2,3,4,5,6,7'), [4, 4], 'seven layers: default');
  assert.deepEqual(parseHidden('4,x'), [4, 4]);
  assert.deepEqual(parseHidden('1e3'), [4, 4]);
  assert.deepEqual(parseSettings((k) => (k === 'hidden' ? '8' : null)).hidden, [8]);
});

test('output and loss follow the data set', () => {
  assert.deepEqual(headFor('circle', 2, 'ce'), { q: 1, output: 'sigmoid', loss: 'bce', kind: 'binary' });
  assert.deepEqual(headFor('circle', 2, 'mse'), { q: 1, output: 'sigmoid', loss: 'mse', kind: 'binary' });
  assert.deepEqual(headFor('blobs', 3, 'ce'), { q: 3, output: 'softmax', loss: 'cross_entropy', kind: 'multi' });
  assert.deepEqual(headFor('blobs', 3, 'mse'), { q: 3, output: 'softmax', loss: 'mse', kind: 'multi' });
  assert.deepEqual(headFor('sin', 0, 'ce'), { q: 1, output: 'identity', loss: 'mse', kind: 'regression' });
});

test('CSV: classification, regression, header, and clear errors', () => {
  const c = parseCSV('x1;x2;label\n0;0;0\n1;0;1\n0;1;2\n1;1;1\n');
  assert.equal(c.n, 4);
  assert.equal(c.d, 2);
  assert.equal(c.classes, 3);
  assert.deepEqual([...c.X], [0, 0, 1, 0, 0, 1, 1, 1]);
  assert.deepEqual([...c.y], [0, 1, 2, 1]);
  assert.ok(c.range[0] < 0 && c.range[1] > 1);
  const r = parseCSV('-1\t2\n0\t0\n1\t2\n2\t8\n');
  assert.equal(r.d, 1);
  assert.equal(r.classes, 0);
  const err = (text, key) => assert.throws(() => parseCSV(text), (e) => e instanceof CsvError && e.key === key);
  err('', 'csvEmpty');
  err('1,2,0\n', 'csvTooFew');
  err('1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n', 'csvColumns');
  err('1,2,0\n1,2,0\n1,x,0\n1,2,0\n', 'csvBadRow');
  err('1,2,0\n1,2,0.5\n1,2,0\n1,2,0\n', 'csvBadLabel');
  err('1,2,0\n'.repeat(MAX_ROWS + 1), 'csvTooMany');
  err('1,2,0\n1,2,0\n1,2,Infinity\n1,2,0\n', 'csvBadRow');
  err('1,2,0\n1,2,0\n1e39,2,0\n1,2,0\n', 'csvBadRow'); // finite in float64, Infinity in float32
  err('1,2\n2,3\n3,1e30\n4,5\n', 'csvBigTarget'); // a regression target whose square overflows float32
  assert.equal(parseCSV('1,2\n2,3\n3,-9e17\n4,5\n').y[2], Math.fround(-9e17));
});

test('the languages other than English load when asked for, once; a bad code is a RangeError', async () => {
  // (first in this file: nothing has loaded German yet)
  assert.equal(languageReady('en'), true);
  assert.equal(languageReady('de'), false);
  assert.equal(translate('de', 'play'), 'Play', 'English stands in until German is here');
  const a = loadLanguage('de');
  assert.equal(loadLanguage('de'), a, 'one load for two asks');
  await a;
  assert.equal(languageReady('de'), true);
  assert.equal(translate('de', 'play'), 'Start');
  assert.equal(translate('de', 'unitsCount', { n: 2 }), '2 Einheiten');
  for (const bad of ['xx', 'DE', '', 'constructor', '__proto__', undefined, 7]) {
    assert.throws(() => loadLanguage(bad), (e) => e instanceof RangeError && /lang/.test(e.message), String(bad));
  }
  assert.equal(translate('constructor', 'play'), 'Play');
});

test('six languages with the same keys, placeholders kept, language picked from preferences', async () => {
  assert.deepEqual(LANGUAGES.map((l) => l.code), ['en', 'de', 'vi', 'zh', 'fr', 'ko']);
  await Promise.all(LANGUAGES.map((l) => loadLanguage(l.code)));
  const keys = Object.keys(STRINGS.en).sort();
  for (const { code } of LANGUAGES) {
    assert.deepEqual(Object.keys(STRINGS[code]).sort(), keys, code);
    for (const k of keys) {
      const en = STRINGS.en[k];
      const v = STRINGS[code][k];
      assert.equal(typeof v, typeof en, `${code}.${k}`);
      if (typeof en === 'string') {
        const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(ph(v), ph(en), `${code}.${k} placeholders`);
        if (code !== 'en' && en.length > 24 && !/^[A-Za-z0-9 +()·./-]+$/.test(en)) {
          // long English sentences must really be translated
          assert.notEqual(v, en, `${code}.${k} is untranslated`);
        }
      }
    }
  }
  assert.equal(translate('de', 'unitsCount', { n: 1 }), '1 Einheit');
  assert.equal(translate('fr', 'layersCount', { n: 3 }), '3 couches cachées');
  assert.equal(translate('xx', 'play'), 'Play');
  assert.equal(resolveLang(['fr-CA', 'en']), 'fr');
  assert.equal(resolveLang(['pt-BR', 'ko-KR']), 'ko');
  assert.equal(resolveLang(['zh-Hant-TW']), 'zh');
  assert.equal(resolveLang([]), 'en');
});

test('a "Copy link" hash is addressed to one playground and gives its settings back', () => {
  const s = parseHash('#dataset=moons&hidden=5,3&activation=gelu&lr=0.1&test=false');
  const h = linkHash('pg-xor', s);
  assert.match(h, /^mlp=pg-xor&dataset=moons&/);
  assert.deepEqual(parseLinkHash(`#${h}`, 'pg-xor'), s);
  assert.equal(parseLinkHash(`#${h}`, 'pg-spiral'), null, 'another playground ignores it');
  assert.equal(parseLinkHash(`#${toHash(s)}`, '1'), null, 'a plain settings hash is not a link');
  assert.equal(parseLinkHash('#playground', '1'), null);
  // an id that needs escaping, and hostile values: through the same defensive parser
  assert.deepEqual(parseLinkHash(`#${linkHash('a&b=c #d', s)}`, 'a&b=c #d'), s);
  const bad = parseLinkHash('#mlp=1&dataset=%3Cscript%3E&hidden=999999&lr=NaN', '1');
  assert.deepEqual([bad.dataset, bad.hidden, bad.lr], [DEFAULTS.dataset, [...DEFAULTS.hidden], DEFAULTS.lr]);
  assert.equal(parseLinkHash(`#mlp=1&${'x'.repeat(3000)}`, '1'), null, 'an overlong hash is ignored');
});

test('an autoplay link: hashAutoplay reads the key, the settings ignore it', () => {
  for (const h of ['#autoplay', '#autoplay=1', '#autoplay=true', '#dataset=xor&autoplay', 'autoplay=']) assert.equal(hashAutoplay(h), true, h);
  for (const h of ['', '#', '#dataset=xor', '#autoplay=0', '#autoplay=false', '#autoplay=yes', '#autoplayx=1', null, 42,
    `#${'x'.repeat(3000)}&autoplay`]) assert.equal(hashAutoplay(h), false, String(h).slice(0, 40));
  assert.deepEqual(parseHash('#dataset=xor&autoplay'), parseHash('#dataset=xor'));
  assert.ok(!toHash(parseHash('#autoplay=1')).includes('autoplay'), 'the hash written back leaves it out');
});
