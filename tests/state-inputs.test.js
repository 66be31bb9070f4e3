// Issue 11's settings and data, without a browser: the `features` and `stop`
// keys (web/state.js), the drawn data set (web/drawn.js: add, remove, undo,
// clear, the 2,000-point limit, the compact link form) and the trainer's
// split of drawn points and its stop condition (web/trainer.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseHash, parseSettings, toHash, linkHash, parseFeatures, parseStop, stopRule, parsePoints, settingsFromObject,
  DEFAULTS, FEATURE_NAMES, KEYS,
} from '../web/state.js';
import { Drawn, MAX_DRAWN, MAX_LINK_POINTS } from '../web/drawn.js';
import { Trainer } from '../web/trainer.js';
import { toggledFeatures } from '../web/playground-inputs.js';
import { load } from '../src/mlp-lab.js';

test('features: known names in a fixed order, duplicates and unknown names dropped, never empty', () => {
  assert.deepEqual(parseHash('').features, ['x1', 'x2']);
  assert.deepEqual(parseHash('#features=x1sq,x2sq').features, ['x1sq', 'x2sq']);
  assert.deepEqual(parseHash('#features=x2sq,x1sq,x1sq,bogus,__proto__,constructor').features, ['x1sq', 'x2sq']);
  assert.deepEqual(parseHash('#features=sin2, x1x2 ,x1').features, ['x1', 'x1x2', 'sin2']);
  assert.deepEqual(parseHash('#features=').features, ['x1', 'x2']);
  assert.deepEqual(parseHash('#features=,,,').features, ['x1', 'x2']);
  assert.deepEqual(parseHash('#features=X1SQ').features, ['x1', 'x2'], 'names are exact');
  assert.deepEqual(parseHash(`#features=${'x1,'.repeat(200)}`).features, ['x1', 'x2'], 'an over-long value falls back');
  assert.deepEqual(parseHash(`#features=${FEATURE_NAMES.join(',')}`).features, FEATURE_NAMES);
  // 1-D regression data has x1 only.
  assert.deepEqual(parseHash('#dataset=sin').features, ['x1']);
  assert.deepEqual(parseHash('#dataset=sin&features=x1,x2,x1sq,x2sq,sin1,sin2').features, ['x1', 'x1sq', 'sin1']);
  assert.deepEqual(parseHash('#dataset=abs&features=x2,x2sq').features, ['x1']);
  // Leaving 1-D data for 2-D data: the x1-only features do not carry over.
  assert.deepEqual(parseSettings((k) => (k === 'dataset' ? 'circle' : null), parseHash('#dataset=sin')).features, ['x1', 'x2']);
  assert.deepEqual(parseSettings((k) => (k === 'dataset' ? 'xor' : null), parseHash('#features=x1sq')).features, ['x1sq']);
  // Arrays (an exported file's settings) and non-strings.
  assert.deepEqual(parseFeatures(['x2', 7, null, 'x1'], 2), ['x1', 'x2']);
  assert.deepEqual(parseFeatures({ length: 1, 0: 'x1' }, 2), ['x1', 'x2']);
  assert.deepEqual(settingsFromObject({ features: ['sin1', 'x1'] }).features, ['x1', 'sin1']);
  assert.deepEqual(settingsFromObject({ features: { evil: 1 } }).features, ['x1', 'x2']);
});

test('features: a toggle switches one, never the last one off', () => {
  assert.deepEqual(toggledFeatures(['x1', 'x2'], 'x1sq', 2), ['x1', 'x2', 'x1sq']);
  assert.deepEqual(toggledFeatures(['x1', 'x2'], 'x1', 2), ['x2']);
  assert.deepEqual(toggledFeatures(['x2'], 'x2', 2), ['x2']);
  assert.deepEqual(toggledFeatures(['x1'], 'sin1', 1), ['x1', 'sin1']);
});

test('stop: acc, loss or epoch in a canonical form; anything else is no stop', () => {
  assert.equal(DEFAULTS.stop, 'none');
  assert.equal(parseHash('').stop, 'none');
  assert.equal(parseHash('#stop=none').stop, 'none');
  assert.equal(parseHash('#stop=acc:0.99').stop, 'acc:0.99');
  assert.equal(parseHash('#stop=acc:99').stop, 'acc:0.99', 'a percentage');
  assert.equal(parseHash('#stop=acc:0.1').stop, 'acc:0.5', 'clamped');
  assert.equal(parseHash('#stop=acc:1000').stop, 'acc:1');
  assert.equal(parseHash('#stop=loss:0.05').stop, 'loss:0.05');
  assert.equal(parseHash('#stop=loss:1e-9').stop, 'loss:0.0001');
  assert.equal(parseHash('#stop=epoch:84.4').stop, 'epoch:84');
  assert.equal(parseHash('#stop=epoch:1e9').stop, 'epoch:100000');
  for (const bad of ['acc', 'acc:', 'acc:NaN', 'acc:Infinity', 'loss:-1', 'loss:0', 'acc:-5', 'time:3', 'constructor', '__proto__:1',
    '<script>', 'acc:0.9;epoch:3', 'acc:1e999', `acc:${'9'.repeat(80)}`]) {
    assert.equal(parseHash(`#stop=${encodeURIComponent(bad)}`).stop, 'none', bad);
  }
  assert.deepEqual(stopRule('acc:0.99'), { kind: 'acc', value: 0.99 });
  assert.deepEqual(stopRule('epoch:30'), { kind: 'epoch', value: 30 });
  assert.equal(stopRule('none'), null);
  assert.equal(stopRule(''), null);
  assert.equal(stopRule({}), null);
  assert.equal(parseStop(42), 'none');
});

test('the new keys round-trip through the hash, in a readable form', () => {
  const s = parseHash('#dataset=circle&hidden=&features=x1sq,x2sq&stop=acc:0.95');
  const h = toHash(s);
  assert.ok(KEYS.includes('features') && KEYS.includes('stop'));
  assert.match(h, /features=x1sq,x2sq/);
  assert.match(h, /stop=acc:0\.95/);
  assert.deepEqual(parseHash(`#${h}`), s);
  assert.equal(toHash(parseHash(`#${h}`)), h);
});

test('drawn points: add, remove the nearest, undo, clear, and the limit', () => {
  const d = new Drawn('classes');
  assert.equal(d.add(1, 2, 1), true);
  assert.equal(d.add(-1, -2, 0), true);
  assert.equal(d.add(100, -100, 7), true, 'clamped into the range and to class 2');
  assert.deepEqual(d.points.map((p) => [p.x, p.y, p.c]), [[1, 2, 1], [-1, -2, 0], [6, -6, 2]]);
  assert.equal(d.add(NaN, 0, 0), false);
  d.snapshot();
  assert.equal(d.removeNearest(0.9, 2.1, 1).c, 1);
  assert.equal(d.removeNearest(0, 0, 0.5), null, 'nothing that close');
  assert.equal(d.n, 2);
  assert.equal(d.undo(), true);
  assert.equal(d.n, 3);
  d.clear();
  assert.equal(d.n, 0);
  d.undo();
  assert.equal(d.n, 3);
  const data = d.data();
  assert.equal(data.d, 2);
  assert.equal(data.classes, 3);
  assert.deepEqual([...data.X], [1, 2, -1, -2, 6, -6]);
  assert.deepEqual([...data.y], [1, 0, 2]);
  const big = new Drawn('classes');
  for (let i = 0; i < MAX_DRAWN; i++) assert.equal(big.add((i % 100) / 10 - 5, Math.floor(i / 100) / 4 - 5, i % 2), true);
  assert.equal(big.add(0, 0, 0), false, 'the 2,001st is refused');
  assert.equal(big.n, MAX_DRAWN);
  assert.equal(big.encode(), null, 'too many for a link');
  const curve = new Drawn('curve');
  curve.setCurve(0, 1, 0.1);
  curve.setCurve(0.05, 2, 0.1);
  curve.setCurve(1, -1, 0.1);
  assert.deepEqual(curve.points.map((p) => [p.x, p.y]), [[0.05, 2], [1, -1]], 'a drag over x replaces the target there');
  assert.equal(curve.data().d, 1);
  assert.equal(curve.data().classes, 0);
});

test('drawn points: a compact link form that round-trips; anything else reads as nothing', () => {
  const d = new Drawn('classes');
  for (let i = 0; i < MAX_LINK_POINTS; i++) d.add(Math.sin(i) * 5.9, Math.cos(i * 1.3) * 5.9, i % 3);
  const s = d.encode();
  assert.equal(s.length, 1 + 5 * MAX_LINK_POINTS);
  assert.match(s, /^c[A-Za-z0-9_-]+$/);
  const back = Drawn.decode(s);
  assert.equal(back.n, d.n);
  back.points.forEach((p, i) => {
    assert.ok(Math.abs(p.x - d.points[i].x) < 0.003 && Math.abs(p.y - d.points[i].y) < 0.003 && p.c === d.points[i].c);
  });
  assert.equal(back.encode(), s, 'stable: a link read and written again is the same');
  const hash = toHash(parseHash('#dataset=drawn'), s);
  assert.ok(hash.length < 1400);
  assert.equal(parsePoints(`#${hash}`).n, MAX_LINK_POINTS);
  assert.equal(parsePoints(`#dataset=circle&points=${s}`), null, 'only for the drawn data set');
  const link = linkHash('pg-a', parseHash('#dataset=drawn'), s);
  assert.equal(parsePoints(`#${link}`, 'pg-a').n, MAX_LINK_POINTS, 'a "Copy link" link to one playground carries its points');
  assert.equal(parsePoints(`#${link}`, 'pg-b'), null, 'another playground ignores them');
  for (const bad of ['', 'c', 'x', 'cAAAA', 'cAAAA9', 'cAA!A1', 'rAAA', `c${'AAAA0'.repeat(MAX_LINK_POINTS + 1)}`, '__proto__']) {
    const r = Drawn.decode(bad);
    assert.ok(r === null || (bad === 'c' && r.n === 0), bad);
  }
  const c = new Drawn('curve');
  c.add(-3, 1.5);
  c.add(2, -7.5);
  const back2 = Drawn.decode(c.encode());
  assert.equal(back2.kind, 'curve');
  assert.ok(Math.abs(back2.points[1].y + 7.5) < 0.01);
  assert.equal(Drawn.fromJSON(d.toJSON()).n, d.n);
  assert.equal(Drawn.fromJSON({ kind: 'classes', points: [[1, 'x']] }), null);
  assert.equal(Drawn.fromJSON(JSON.parse('{"__proto__": {"kind": "classes"}, "points": []}')), null);
});

test('trainer: drawn points keep their side of the split as others come and go; a stop condition stops it', async () => {
  const lab = await load();
  const s = parseHash('#dataset=drawn&hidden=4&optimizer=adam&lr=0.03');
  const d = new Drawn('classes');
  for (let i = 0; i < 40; i++) d.add(i % 2 ? 3 + (i % 5) / 5 : -3 - (i % 7) / 7, (i % 9) - 4, i % 2);
  const tr = new Trainer(lab, s, d.data());
  assert.equal(tr.train.n + tr.test.n, 40);
  assert.ok(tr.train.n > 10 && tr.test.n > 5, `a split by the training share (${tr.train.n} / ${tr.test.n})`);
  const side = (t) => new Map(t.data.ids ? [...t.trainIdx.map((i) => [t.data.ids[i], 'train']), ...t.testIdx.map((i) => [t.data.ids[i], 'test'])] : []);
  const before = side(tr);
  d.add(0, 0, 1);
  d.removeNearest(-3, -4, 0.5);
  tr.custom = d.data();
  tr.makeData();
  for (const [id, where] of side(tr)) if (before.has(id)) assert.equal(where, before.get(id), `point ${id} kept its side`);
  tr.trainFor(Infinity, { maxEpochs: 5 });
  assert.equal(tr.epoch, 5);
  assert.ok(tr.trainMs > 0);
  // until: checked after every epoch; epoch = 12 stops exactly there
  tr.trainFor(Infinity, { maxEpochs: 100, until: (t) => t.epoch >= 12 });
  assert.equal(tr.epoch, 12);
  assert.equal(tr.reached, true);
  tr.free();
  // An empty drawn set builds a network and trains nothing.
  const empty = new Trainer(lab, s, new Drawn('classes').data());
  assert.equal(empty.trainFor(Infinity, { maxEpochs: 3 }), 0);
  assert.equal(empty.evaluate(), null);
  empty.free();
  // features: the network takes the raw X and layers[0] is the number of features
  const f = new Trainer(lab, parseHash('#dataset=circle&hidden=&features=x1sq,x2sq'));
  assert.deepEqual(f.net.layers, [2, 1]);
  assert.deepEqual([...f.net.config.features], ['x1sq', 'x2sq']);
  f.free();
  const g = new Trainer(lab, parseHash('#dataset=sin&features=x1,x1sq,sin1'));
  assert.equal(g.net.layers[0], 3);
  g.free();
});

test('trainer: the first-step mark comes when the first batch is done, not at the end of the frame\'s training', async () => {
  const lab = await load();
  const marks = () => performance.getEntriesByName('mlp-first-step');
  performance.clearMarks('mlp-first-step');
  // 1,600 points in batches of 1: the first frame's epoch is 800 steps.
  const tr = new Trainer(lab, parseHash('#dataset=spiral&n=1600&batch=1&hidden=8,8'));
  const t0 = performance.now();
  // A new network's first frame: batch by batch, up to an epoch's end or the budget (trainSteps).
  tr.trainFor(1000);
  const took = performance.now() - t0;
  assert.ok(tr.examples >= 100, `${tr.examples} examples in the first frame`);
  assert.equal(marks().length, 1);
  const at = marks()[0].startTime - t0;
  assert.ok(at < took / 4, `marked ${at.toFixed(2)} ms into ${took.toFixed(2)} ms of training (${tr.examples} steps): after the first one`);
  // Once per trainer.
  tr.trainFor(5);
  assert.equal(marks().length, 1);
  tr.free();
  performance.clearMarks('mlp-first-step');
});
