// The playground's stop condition: "stop when test accuracy >= ... / test
// loss <= ... / epoch = ...", the settings key `stop` (state.js parseStop),
// and, when training stops there, the time to target: "Reached 99% test
// accuracy in 84 epochs, 0.31 s of training". The accuracy and loss come from
// the core (net.evaluate through the trainer); the epochs and milliseconds
// are the trainer's counts. Functions and a controller of <mlp-playground> (pg).

import { h } from './base.js';
import { STOP_KINDS, parseStop, stopRule } from './state.js';

const DEFAULT_VALUE = { acc: '95', loss: '0.1', epoch: '100' };

export class StopControl {
  constructor(pg) {
    this.pg = pg;
    this.doneFor = null; // the network that reached the target (training on it is not stopped again)
  }

  /** The field for the training settings: a kind and a value. */
  field() {
    const pg = this.pg;
    const id = `${pg.uid}-stop`;
    this.kindSel = h('select', { id, name: 'stop-kind' },
      h('option', { value: '', 'data-i18n': 'stop_none' }),
      STOP_KINDS.map((k) => h('option', { value: k, 'data-i18n': `stop_${k}` })));
    this.valueIn = h('input', { type: 'number', name: 'stop-value', class: 'stop-value', inputmode: 'decimal', 'data-i18n-label': 'stopValue', step: 'any' });
    const change = () => {
      const kind = this.kindSel.value;
      let v = this.valueIn.value;
      if (kind && (v === '' || this.lastKind !== kind)) v = DEFAULT_VALUE[kind];
      this.lastKind = kind;
      pg.apply({ ...pg.s, stop: kind ? parseStop(`${kind}:${v}`) : 'none' });
    };
    this.kindSel.addEventListener('change', change);
    this.valueIn.addEventListener('change', change);
    this.noteEl = h('p', { class: 'stop-note', role: 'status' });
    queueMicrotask(() => pg.$('.toolbar')?.append(this.noteEl));
    return h('div', { class: 'field f-stop' }, h('label', { for: id, 'data-i18n': 'stopWhen' }), h('div', { class: 'stop-row' }, this.kindSel, this.valueIn));
  }

  /** Settings -> controls. */
  sync() {
    if (!this.kindSel) return;
    const rule = stopRule(this.pg.s.stop);
    this.kindSel.value = rule ? rule.kind : '';
    this.lastKind = this.kindSel.value;
    this.valueIn.hidden = !rule;
    if (rule) {
      this.valueIn.value = rule.kind === 'acc' ? String(Math.round(rule.value * 1000) / 10) : String(rule.value);
      Object.assign(this.valueIn, rule.kind === 'acc' ? { min: 50, max: 100 } : rule.kind === 'loss' ? { min: 0.0001, max: 10 } : { min: 1, max: 100000 });
    }
    const acc = this.kindSel.querySelector('option[value=acc]');
    if (acc) acc.disabled = this.pg.isRegression(); // regression has no accuracy
    const tr = this.pg.trainer;
    if (this.noteEl && this.doneFor !== tr?.net) this.noteEl.textContent = '';
  }

  /** The condition for the trainer (checked after every epoch), or null. */
  until() {
    const rule = stopRule(this.pg.s.stop);
    const tr = this.pg.trainer;
    if (!rule || !tr || this.doneFor === tr.net) return null;
    if (rule.kind === 'epoch') return (t) => t.epoch >= rule.value;
    return (t) => {
      const m = t.evaluate();
      if (!m) return false;
      if (rule.kind === 'acc') return m.test.accuracy != null && m.test.accuracy >= rule.value;
      return Number.isFinite(m.test.loss) && m.test.loss <= rule.value;
    };
  }

  /** After training: true (the playground pauses) when the target was reached just now; tells the time it took. */
  after() {
    const pg = this.pg;
    const tr = pg.trainer;
    if (!tr || !tr.reached || this.doneFor === tr.net) {
      if (this.noteEl && tr && this.doneFor !== tr.net && this.noteEl.textContent) this.noteEl.textContent = '';
      return false;
    }
    this.doneFor = tr.net;
    this.report();
    return true;
  }

  /** After a redraw: the message belongs to the network that reached the target; a new network clears it. */
  afterDraw() {
    const tr = this.pg.trainer;
    if (this.noteEl?.textContent && tr && this.doneFor !== tr.net) this.noteEl.textContent = '';
  }

  /** "Reached 99% test accuracy in 84 epochs, 0.31 s of training" in the language shown. */
  report() {
    const pg = this.pg;
    const tr = pg.trainer;
    const rule = stopRule(pg.s.stop);
    if (!tr || !rule || this.doneFor !== tr.net || !this.noteEl) return;
    const m = tr.metrics;
    const args = {
      epochs: pg.fmt(tr.epoch, 0),
      secs: pg.fmt(tr.trainMs / 1000, tr.trainMs < 100 ? 3 : 2), // 0.31 s; a fast run 0.004 s
      acc: m?.test.accuracy != null ? pg.fmt(100 * m.test.accuracy, 1) : '–',
      loss: m ? pg.fmt(m.test.loss, 3) : '–',
    };
    const key = { acc: 'stopReachedAcc', loss: 'stopReachedLoss', epoch: 'stopReachedEpoch' }[rule.kind];
    this.noteEl.textContent = pg.t(key, args);
    pg.dataset.stopEpochs = String(tr.epoch);
    pg.dataset.stopMs = String(tr.trainMs);
  }
}
