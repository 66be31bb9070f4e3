// <mlp-playground>: train a tiny network live. Settings come from attributes
// (the same keys as the URL hash, see state.js) or, with `sync-hash`, from
// and to location.hash. Training runs in requestAnimationFrame under a ~16 ms
// frame budget and pauses while the element is off-screen.

import { MlpElement, h, infoPair } from './base.js';
import { reflectAttributes, flag } from './props.js';
import {
  DATASETS, REGRESSION, ACTIVATIONS, OPTIMIZERS, LEARNING_RATES, L2_RATES, INITS,
  MAX_HIDDEN, KEYS, SPEEDS, DEFAULTS, parseSettings, parseHash, toHash, linkHash, parseLinkHash, headFor,
  hashAutoplay, own, settingsFromObject,
} from './state.js';
import { Trainer } from './trainer.js';
import { grid2d, paintDiverging, paintBlend, drawPoints } from './heatmap.js';
import { drawLossChart, drawRegression } from './charts.js';
import { fitCanvas, cssVar, classColors, axisColors } from './plot.js';
import { icon } from './icons.js';
import { parseCSV } from './csv.js';
import { buildColumns, changeUnits, drawUnits, drawLinks, networkView } from './playground-network.js';
import { drawGrads, drawLegend, drawConfusion } from './playground-panels.js';
import { regionsControl, syncRegions, noteRegions, drawRegionEdges, drawKinks } from './regions-overlay.js';
import { inspectView, inspectPoint, inspected, drawInspect } from './playground-inspect.js';
import { drawReference } from './reference-curves.js';
import { PointerControl } from './playground-pointer.js';
import { StopControl } from './playground-stop.js';

const G_OUT = 96; // output heatmap resolution (G x G points), for small networks
const G_UNIT = 28; // per-unit heatmaps, likewise
const DRAW_MACS = 8e6; // multiply-adds one output heatmap may cost; big networks get a coarser grid
const DRAW_BUDGET_MS = 6; // drawing slower than this is spread over several frames
const N_CURVE = 160; // points of a fitted 1-D curve
const TRAIN_BUDGET_MS = 9; // training time per frame; drawing takes the rest of ~16 ms
const ACT_LABEL = { relu: 'ReLU', prelu: 'pReLU', sigmoid: 'sigmoid', tanh: 'tanh', gelu: 'GELU', swish: 'Swish' };
const N_CHOICES = [100, 200, 400, 800, 1600];

export class Playground extends MlpElement {
  static get observedAttributes() {
    return [...super.observedAttributes, ...KEYS, 'hidden-layers'];
  }

  constructor() {
    super();
    this.trainer = null;
    this.custom = null; // a CSV data set the person loaded (never in the hash)
    this.running = false;
    this.visible = true;
    this.raf = 0;
    this.rate = { t: 0, ex: 0, value: 0 };
    this.frame = this.frame.bind(this);
    this.onHash = () => {
      // Only a settings hash (key=value); '#playground' and the like are anchors.
      if (this.syncHash && location.hash.includes('=')) {
        const hadCustom = !!this.custom;
        this.custom = null;
        const points = this.pointer?.fromHash(location.hash); // drawn points (dataset=drawn&points=...)
        this.apply(parseHash(location.hash), { fromHash: true, newData: hadCustom || points });
        if (hashAutoplay(location.hash)) this.play();
      }
    };
  }

  /** An attribute by settings key; hidden-layers is an alias of hidden. */
  attr(k) {
    if (k === 'hidden') return this.getAttribute('hidden-layers') ?? this.getAttribute('hidden');
    return this.getAttribute(k);
  }

  /** Current settings (a copy). */
  get settings() {
    return { ...this.s, hidden: [...this.s.hidden] };
  }

  get net() {
    return this.trainer?.net ?? null;
  }

  // ---- DOM -------------------------------------------------------------------

  render(root) {
    const fromAttrs = parseSettings((k) => this.attr(k));
    // A "Copy link" link to this playground (linkHash) wins over the attributes.
    const linked = this.syncHash ? null : parseLinkHash(location.hash, this.linkTarget());
    this.linked = !!linked;
    this.s = this.syncHash && location.hash.includes('=') ? parseHash(location.hash) : linked || fromAttrs;
    const id = (s) => `${this.uid}-${s}`;
    const field = (name, labelKey, control, extra) => h('div', { class: `field f-${name}` },
      h('label', { for: id(name), 'data-i18n': labelKey }), control, extra || null);
    const select = (name, options) => h('select', { id: id(name), name },
      options.map(([v, key, text]) => h('option', { value: String(v), 'data-i18n': key || null }, text ?? '')));
    const range = (name, min, max, step) => h('input', { type: 'range', id: id(name), name, min, max, step });
    const out = (name) => h('output', { for: id(name), name: `${name}-out`, class: 'out' });

    const toolbar = h('div', { class: 'toolbar' },
      h('div', { class: 'transport' },
        h('button', { type: 'button', name: 'reset', class: 'icon', 'data-i18n-label': 'reset', 'data-i18n-title': 'reset' }, icon('reset')),
        h('button', { type: 'button', name: 'play', class: 'play', 'aria-pressed': 'false' },
          h('span', { class: 'play-icon', 'aria-hidden': 'true' }, icon('play')), h('span', { class: 'play-text', 'data-i18n': 'play' })),
        h('button', { type: 'button', name: 'step', class: 'icon', 'data-i18n-label': 'stepEpoch', 'data-i18n-title': 'stepEpoch' }, icon('step'))),
      h('dl', { class: 'counters' },
        h('div', {}, h('dt', { 'data-i18n': 'epoch' }), h('dd', { class: 'epoch' }, '0')),
        h('div', {}, h('dt', { 'data-i18n': 'examplesPerSec' }), h('dd', { class: 'rate' }, '–'))),
      h('p', { class: 'status', role: 'status' }));

    const [csvInfo, csvExplain] = infoPair(this, 'csvExplain', null, 'csvHelp');
    const dataBox = h('fieldset', { class: 'group' },
      h('legend', { 'data-i18n': 'data' }),
      field('dataset', 'dataset', select('dataset', [...DATASETS, 'custom'].map((d) => [d, `ds_${d}`]))),
      field('noise', 'noise', range('noise', 0, 1, 0.05), out('noise')),
      field('train', 'trainRatio', range('train', 10, 90, 5), out('train')),
      field('n', 'samples', select('n', N_CHOICES.map((v) => [v, null, String(v)]))),
      field('seed', 'seed', h('input', { type: 'number', id: id('seed'), name: 'seed', min: 0, max: 99999, step: 1, inputmode: 'numeric' }),
        h('button', { type: 'button', name: 'reseed', class: 'icon small', 'data-i18n-label': 'newSeed', 'data-i18n-title': 'newSeed' }, icon('shuffle'))),
      h('label', { class: 'switch' }, h('input', { type: 'checkbox', name: 'test' }), h('span', { 'data-i18n': 'showTest' })),
      h('div', { class: 'csv-row' },
        h('label', { class: 'file-btn' },
          h('input', { type: 'file', name: 'csv', accept: '.csv,.tsv,.txt,text/csv,text/plain', class: 'file-input' }),
          h('span', { 'data-i18n': 'loadCsv' })),
        csvInfo),
      csvExplain,
      h('p', { class: 'csv-note', role: 'status' }));

    const modelBox = h('fieldset', { class: 'group' },
      h('legend', { 'data-i18n': 'model' }),
      field('activation', 'activation', select('activation', ACTIVATIONS.map((a) => [a, a === 'identity' ? 'act_identity' : null, ACT_LABEL[a]])) ),
      field('alpha', 'alphaLabel', range('alpha', 0, 1, 0.01), out('alpha')),
      field('beta', 'betaLabel', range('beta', 0.1, 5, 0.1), out('beta')),
      field('loss', 'outputLoss', select('loss', [['ce', 'loss_ce'], ['mse', 'loss_mse']])),
      field('init', 'init', select('init', INITS.map((v) => [v, `init_${v}`]))));

    this.stopper = new StopControl(this); // "stop when ..." and the time to target (playground-stop.js)
    const trainBox = h('fieldset', { class: 'group' },
      h('legend', { 'data-i18n': 'training' }),
      field('optimizer', 'optimizer', select('optimizer', OPTIMIZERS.map((o) => [o, `opt_${o}`]))),
      field('lr', 'learningRate', select('lr', LEARNING_RATES.map((v) => [v, null, String(v)]))),
      field('batch', 'batchSize', range('batch', 1, 100, 1), out('batch')),
      field('l2', 'l2', select('l2', L2_RATES.map((v) => [v, null, String(v)]))),
      field('speed', 'speed', select('speed', SPEEDS.map((v) => [v, `speed_${v}`]))),
      this.stopper.field());

    const [netInfo, netExplain] = infoPair(this, 'unitsExplain', 'network');
    const [lossInfo, lossExplain] = infoPair(this, 'lossExplain', 'lossCurves');
    const [gradInfo, gradExplain] = infoPair(this, 'gradExplain', 'gradNorms');
    const network = h('section', { class: 'network', 'aria-labelledby': id('net-h') },
      h('div', { class: 'section-head' },
        h('h4', { id: id('net-h'), 'data-i18n': 'network' }), netInfo,
        h('div', { class: 'layer-buttons' },
          h('button', { type: 'button', name: 'add-layer', class: 'icon small', 'data-i18n-label': 'addLayer', 'data-i18n-title': 'addLayer' }, '+'),
          h('button', { type: 'button', name: 'remove-layer', class: 'icon small', 'data-i18n-label': 'removeLayer', 'data-i18n-title': 'removeLayer' }, '−'),
          h('span', { class: 'layer-count' }))),
      netExplain,
      networkView(this),
      inspectView(this),
      h('div', { class: 'charts' },
        h('div', { class: 'chart' },
          h('div', { class: 'section-head small' }, h('h5', { 'data-i18n': 'lossCurves' }), lossInfo),
          lossExplain,
          h('canvas', { class: 'loss-chart', role: 'img', 'data-i18n-label': 'lossCurves' }),
          h('p', { class: 'chart-legend' },
            h('span', { class: 'key train' }), h('span', { 'data-i18n': 'train' }),
            h('span', { class: 'key test' }), h('span', { 'data-i18n': 'test' }))),
        h('div', { class: 'chart' },
          h('div', { class: 'section-head small' }, h('h5', { 'data-i18n': 'gradNorms' }), gradInfo),
          gradExplain,
          h('ol', { class: 'grads' }))));

    const [outInfo, outExplain] = infoPair(this, 'outputExplain', 'outputTitle');
    this.pointer = new PointerControl(this); // Inspect / Add / Remove on the output (playground-pointer.js)
    const output = h('section', { class: 'output', 'aria-labelledby': id('out-h') },
      h('div', { class: 'section-head' }, h('h4', { id: id('out-h'), 'data-i18n': 'outputTitle' }), outInfo),
      outExplain,
      h('div', { class: 'heat big' },
        h('canvas', { class: 'heat-img', width: 1, height: 1, 'aria-hidden': 'true' }),
        h('canvas', { class: 'heat-over', role: 'img' }),
        h('div', { class: 'diverged', role: 'alert', hidden: true },
          h('strong', { 'data-i18n': 'divergedTitle' }), h('p', { class: 'diverged-text' }),
          h('button', { type: 'button', name: 'fix-lr', class: 'primary' }))),
      this.pointer.bar(),
      h('div', { class: 'legend' }),
      regionsControl(this),
      h('dl', { class: 'metrics' },
        h('div', {}, h('dt', { 'data-i18n': 'trainLoss' }), h('dd', { class: 'm-train' }, '–')),
        h('div', {}, h('dt', { 'data-i18n': 'testLoss' }), h('dd', { class: 'm-test' }, '–')),
        h('div', {}, h('dt', { class: 'm-acc-label' }), h('dd', { class: 'm-acc' }, '–')),
        h('div', {}, h('dt', { class: 'm-acc2-label' }), h('dd', { class: 'm-acc2' }, '–'))),
      h('div', { class: 'confusion-box' },
        h('h5', { 'data-i18n': 'confusion' }),
        h('table', { class: 'confusion' })),
      h('div', { class: 'export-row' },
        h('button', { type: 'button', name: 'export', 'data-i18n': 'exportJson' }),
        h('label', { class: 'file-btn' },
          h('input', { type: 'file', name: 'import', accept: '.json,application/json', class: 'file-input' }),
          h('span', { 'data-i18n': 'importJson' })),
        h('button', { type: 'button', name: 'copy-link', 'data-i18n': 'copyLink' }),
        h('span', { class: 'export-note', role: 'status' })));

    root.append(h('div', { class: 'card pg' },
      h('div', { class: 'card-head' }, h('h3', { 'data-i18n': 'playgroundTitle' })),
      toolbar,
      h('div', { class: 'pg-body' },
        h('div', { class: 'settings' }, dataBox, modelBox, trainBox),
        network,
        output)));
    this.syncControls();
    this.wire();
  }

  /** Put the settings into the form controls. */
  syncControls() {
    const s = this.s;
    const set = (name, v) => {
      const el = this.$(`[name="${name}"]`);
      if (el) el.value = String(v);
    };
    set('dataset', this.custom ? 'custom' : s.dataset);
    this.$('select[name=dataset] option[value=custom]').hidden = !this.custom;
    this.$('select[name=n]').disabled = !!this.custom || s.dataset === 'drawn';
    this.$('input[name=noise]').disabled = !!this.custom || s.dataset === 'drawn';
    set('noise', s.noise);
    set('train', s.train);
    const nSel = this.$('select[name=n]');
    if (!N_CHOICES.includes(s.n) && !nSel.querySelector(`option[value="${s.n}"]`)) {
      nSel.append(h('option', { value: String(s.n) }, String(s.n)));
    }
    set('n', s.n);
    set('seed', s.seed);
    this.$('input[name=test]').checked = s.test;
    set('activation', s.activation);
    set('alpha', s.alpha);
    set('beta', s.beta);
    set('loss', s.loss);
    set('init', s.init);
    set('optimizer', s.optimizer);
    set('lr', s.lr);
    set('batch', s.batch);
    set('l2', s.l2);
    set('speed', s.speed);
    this.$('.f-alpha').hidden = s.activation !== 'prelu';
    this.$('.f-beta').hidden = s.activation !== 'swish';
    const regression = this.isRegression();
    const lossSel = this.$('select[name=loss]');
    lossSel.disabled = regression;
    syncRegions(this);
    this.stopper?.sync();
    this.updateOutputs();
    this.onLocalize();
  }

  updateOutputs() {
    const s = this.s;
    this.$('output[name=noise-out]').textContent = this.fmt(s.noise, 2);
    this.$('output[name=train-out]').textContent = `${s.train}%`;
    this.$('output[name=alpha-out]').textContent = this.fmt(s.alpha, 2);
    this.$('output[name=beta-out]').textContent = this.fmt(s.beta, 2);
    this.$('output[name=batch-out]').textContent = String(s.batch);
  }

  wire() {
    const on = (sel, ev, fn) => this.$(sel).addEventListener(ev, fn);
    // Settings that need new data or a new network.
    for (const name of ['n', 'activation', 'loss', 'init']) {
      on(`select[name=${name}]`, 'change', () => this.fromForm());
    }
    on('select[name=dataset]', 'change', (e) => {
      if (e.target.value === 'custom') return;
      if (this.custom) {
        this.custom = null; // back to a built-in data set
        this.$('.csv-note').textContent = '';
        this.apply({ ...this.s, dataset: e.target.value }, { forceReset: true, newData: true });
      } else {
        this.fromForm();
      }
    });
    on('input[name=csv]', 'change', (e) => this.loadCSV(e.target));
    for (const name of ['noise', 'train', 'alpha', 'beta']) {
      on(`input[name=${name}]`, 'input', () => this.fromForm({ live: true }));
      on(`input[name=${name}]`, 'change', () => this.fromForm());
    }
    on('input[name=seed]', 'change', () => this.fromForm());
    on('input[name=test]', 'change', () => this.fromForm());
    for (const name of ['optimizer', 'lr', 'l2', 'speed']) on(`select[name=${name}]`, 'change', () => this.fromForm());
    on('input[name=batch]', 'input', () => this.fromForm());
    on('button[name=reseed]', 'click', () => {
      this.apply({ ...this.s, seed: (this.s.seed + 1) % 100000 });
    });
    on('button[name=play]', 'click', () => (this.running ? this.pause() : this.play()));
    on('button[name=step]', 'click', () => this.step());
    on('button[name=reset]', 'click', () => this.reset());
    on('button[name=add-layer]', 'click', () => {
      if (this.s.hidden.length < MAX_HIDDEN) {
        const last = this.s.hidden[this.s.hidden.length - 1] ?? 4;
        this.apply({ ...this.s, hidden: [...this.s.hidden, last] });
      }
    });
    on('button[name=remove-layer]', 'click', () => {
      if (this.s.hidden.length > 0) this.apply({ ...this.s, hidden: this.s.hidden.slice(0, -1) });
    });
    on('button[name=fix-lr]', 'click', () => {
      const i = LEARNING_RATES.indexOf(this.s.lr);
      const lr = LEARNING_RATES[Math.max(0, i - 2)];
      this.apply({ ...this.s, lr }, { forceReset: true });
    });
    on('button[name=export]', 'click', () => this.exportJSON());
    on('input[name=import]', 'change', (e) => this.importJSON(e.target));
    on('button[name=copy-link]', 'click', () => this.copyLink());
  }

  /** Read the form into settings (through the same defensive parser as the hash). */
  fromForm({ live = false } = {}) {
    const get = (name) => {
      const el = this.$(`[name="${name}"]`);
      if (!el) return null;
      if (el.type === 'checkbox') return el.checked ? 'true' : 'false';
      return el.value;
    };
    const s = parseSettings((k) => {
      if (k === 'hidden') return this.s.hidden.join(',');
      if (k === 'dataset' && this.custom) return this.s.dataset;
      if (k === 'loss' && this.isRegression()) return this.s.loss; // the select shows mse, the setting keeps its value
      return get(k);
    }, this.s);
    if (live) {
      this.s.noise = s.noise;
      this.s.train = s.train;
      this.s.alpha = s.alpha;
      this.s.beta = s.beta;
      this.updateOutputs();
      return;
    }
    this.apply(s);
  }

  // ---- settings --------------------------------------------------------------

  /** Apply new settings: rebuild what they change, keep the rest running. */
  apply(next, { fromHash = false, forceReset = false, newData = false } = {}) {
    const prev = this.s;
    this.s = { ...next, hidden: [...next.hidden] };
    const changed = (keys) => keys.some((k) => String(prev[k]) !== String(this.s[k]));
    this.syncControls();
    if (this.lab) {
      if (forceReset || changed(['dataset', 'n', 'noise', 'train', 'seed', 'hidden', 'activation', 'alpha', 'beta', 'loss', 'init', 'features'])) {
        const dataChanged = newData || changed(['dataset', 'n', 'noise', 'train', 'seed', 'loss']);
        this.rebuild({ data: dataChanged });
      } else if (changed(['lr', 'optimizer', 'batch', 'l2'])) {
        this.trainer.setTraining(this.s);
      }
      this.requestDraw();
    }
    if (!fromHash) this.writeHash();
    this.dispatchEvent(new CustomEvent('mlp-settings', { detail: this.settings }));
  }

  /** The settings into location.hash: at once, or (after a write in this frame)
   *  once at the next frame; history.replaceState costs milliseconds a call. */
  writeHash() {
    if (!this.syncHash) return;
    if (this._wroteInFrame) {
      if (!this._hashRaf) this._hashRaf = requestAnimationFrame(() => { this._hashRaf = 0; this._wroteInFrame = 0; this.writeHash(); });
      return;
    }
    this._wroteInFrame = requestAnimationFrame(() => { this._wroteInFrame = 0; });
    const hash = `#${toHash(this.s, this.pointer?.linkPoints())}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }

  isRegression() {
    if (this.s.dataset === 'drawn' && !this.custom) return this.pointer?.drawn.kind === 'curve';
    return this.custom ? this.custom.classes === 0 : REGRESSION.has(this.s.dataset);
  }

  /** Read a CSV file chosen by the person (text only; see csv.js). */
  async loadCSV(input) {
    const file = input.files && input.files[0];
    const note = this.$('.csv-note');
    if (!file) return;
    try {
      const data = parseCSV(await file.text());
      this.custom = data;
      this.pause();
      this.apply({ ...this.s }, { forceReset: true, newData: true });
      note.classList.remove('bad');
      note.textContent = this.t('csvLoaded', {
        n: this.fmt(data.n, 0),
        what: data.classes ? this.t('csvClasses', { k: data.classes }) : this.t('csvRegression'),
      });
    } catch (e) {
      note.classList.add('bad');
      note.textContent = e && e.key ? this.t(e.key, { row: e.detail, n: e.detail }) : String(e && e.message);
    } finally {
      input.value = '';
    }
  }

  onAttribute(name) {
    if (this.syncHash || !(KEYS.includes(name) || name === 'hidden-layers')) return;
    this.apply(parseSettings((k) => this.attr(k), this.s));
  }

  // ---- lifecycle -------------------------------------------------------------

  /** Whether it plays as soon as it is in: the autoplay attribute, or an autoplay link
   *  (`#...&autoplay`, read before writeHash drops it). It then starts before the page's other widgets. */
  get urgent() {
    return flag(this, 'autoplay') || ((this.syncHash || this.linked) && hashAutoplay(location.hash));
  }

  start() {
    const autoplay = this.urgent;
    // A link brings its playground into view: one that names it (linked), and
    // an autoplay link to the page's own (sync-hash) one, which would
    // otherwise train its first frame below the fold and pause there.
    const toView = this.linked || (this.syncHash && hashAutoplay(location.hash));
    this.rebuild({ data: true });
    this.io = new IntersectionObserver((entries) => {
      for (const e of entries) this.visible = e.isIntersecting;
      if (this.visible && this.running) this.schedule();
    });
    this.io.observe(this);
    // observe() always gives a first notice, at the first frame: when it names
    // the size the first drawing was made at (draw() keeps it until then),
    // drawing again would only repeat it (a whole draw(), 15-20 ms, before an
    // autoplay link's first trained frame reaches the screen).
    this.resizer = new ResizeObserver(([entry]) => {
      const drawn = this._firstDrawnSize;
      this._firstDrawnSize = null;
      this._resizeSeen = true;
      const box = entry.borderBoxSize?.[0];
      if (drawn && box && Math.abs(box.inlineSize - drawn.width) < 0.5 && Math.abs(box.blockSize - drawn.height) < 0.5) return;
      this._linkGeom = null;
      this.requestDraw();
    });
    this.resizer.observe(this.$('.pg-body'));
    if (this.syncHash) addEventListener('hashchange', this.onHash);
    // It trains first: the first frame's training now, not at the next frame
    // (taken as visible until the observer says otherwise); the hash
    // (history.replaceState, ~10 ms) and the scroll to a linked playground (a
    // layout of the page) come at the next frame.
    if (autoplay) {
      this.play();
      if (this.raf) {
        cancelAnimationFrame(this.raf);
        this.frame();
      }
    }
    const after = () => {
      if (this.syncHash) this.writeHash();
      if (toView) this.scrollIntoView({ block: 'start' });
    };
    if (autoplay) requestAnimationFrame(after);
    else after();
  }

  onConnect() {
    if (this.syncHash) addEventListener('hashchange', this.onHash);
    if (this.running) this.schedule();
  }

  onDisconnect() {
    removeEventListener('hashchange', this.onHash);
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  /** New network (and new data when asked); paused state is kept. */
  rebuild({ data }) {
    if (!this.trainer || data) {
      this.trainer?.free();
      this.trainer = new Trainer(this.lab, this.s, this.custom || this.pointer?.dataFor());
      const d = this.trainer.data;
      if (d.d === 1) {
        const xs = new Float32Array(N_CURVE);
        for (let i = 0; i < N_CURVE; i++) xs[i] = d.range[0] + (i / (N_CURVE - 1)) * (d.range[1] - d.range[0]);
        this.curveX = xs;
      }
    } else {
      this.trainer.s = { ...this.s, hidden: [...this.s.hidden] };
      this.trainer.head = headFor(this.custom ? 'custom' : this.s.dataset, this.trainer.data.classes, this.s.loss);
      this.trainer.makeNet();
    }
    this.makeGrids();
    this.rate = { t: performance.now(), ex: 0, value: 0 };
    this.drawEvery = 1;
    this.frames = 0;
    this.buildColumns();
    this.trainer.evaluate();
    this.updateStatus();
  }

  /** Grids sized to the network: a forward pass over the output grid costs
   *  at most about DRAW_MACS multiply-adds, so big networks stay smooth. */
  makeGrids() {
    const d = this.trainer.data;
    const L = this.trainer.net.layers;
    let macs = 0;
    for (let l = 0; l + 1 < L.length; l++) macs += L[l] * L[l + 1];
    this.gOut = Math.max(24, Math.min(G_OUT, Math.round(Math.sqrt(DRAW_MACS / macs))));
    this.gUnit = Math.max(12, Math.min(G_UNIT, Math.round(Math.sqrt(DRAW_MACS / 8 / macs))));
    this.grid = d.d === 2 ? grid2d(d.range[0], d.range[1], this.gOut) : null;
    this.unitGrid = d.d === 2 ? grid2d(d.range[0], d.range[1], this.gUnit) : null;
  }

  play() {
    if (!this.trainer) return;
    if (this.trainer.diverged) return;
    this.running = true;
    this.rate = { t: performance.now(), ex: this.trainer.examples, value: this.rate.value };
    this.updateStatus();
    this.schedule();
  }

  pause() {
    this.running = false;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.updateStatus();
  }

  step() {
    if (!this.trainer || this.trainer.diverged) return;
    this.pause();
    this.trainer.trainFor(Infinity, { maxEpochs: 1, until: this.stopper.until() });
    this.afterTraining();
  }

  reset() {
    this.pause();
    this.rebuild({ data: false });
    this.draw();
  }

  schedule() {
    if (!this.raf && this.running && this.visible) this.raf = requestAnimationFrame(this.frame);
  }

  frame() {
    this.raf = 0;
    if (!this.running || !this.visible || !this.trainer) return;
    const maxEpochs = this.s.speed === 'max' ? Infinity : Number(this.s.speed);
    this.trainer.trainFor(TRAIN_BUDGET_MS, { maxEpochs, until: this.stopper.until() });
    // Drawing that costs more than its budget happens every few frames.
    this.frames++;
    this.afterTraining({ draw: this.frames % this.drawEvery === 0 || !!this.trainer.diverged });
    this.schedule();
    // The page's other widgets waited for this (base.js, hold): they render
    // once this frame is painted (a task after the next frame's start).
    if (this._holding && !this._releasing && this.trainer.examples > 0) {
      this._releasing = true;
      requestAnimationFrame(() => setTimeout(() => this.releaseOthers(), 0));
    }
  }

  afterTraining({ draw = true } = {}) {
    const tr = this.trainer;
    tr.evaluate();
    if (tr.diverged || this.stopper.after()) this.running = false;
    const now = performance.now();
    if (now - this.rate.t > 500) {
      this.rate.value = ((tr.examples - this.rate.ex) * 1000) / (now - this.rate.t);
      this.rate.t = now;
      this.rate.ex = tr.examples;
    }
    this.updateStatus();
    if (draw) {
      const t0 = performance.now();
      this.draw();
      const ms = performance.now() - t0;
      this.drawEvery = Math.max(1, Math.min(8, Math.ceil(ms / DRAW_BUDGET_MS)));
    }
  }

  // ---- drawing ---------------------------------------------------------------

  /** The drawing colours, from the element's custom properties (the class and axis ones as plot.js reads them). */
  colors() {
    const { neg, pos, mid, ring } = classColors(this);
    return {
      ...axisColors(this), // grid, axis, text, fg, bg
      c0: neg,
      c1: pos,
      c2: cssVar(this, '--c2', '#2a9d55'),
      mid,
      ring,
      train: cssVar(this, '--train', '#0877bd'),
      test: cssVar(this, '--test', '#e8590c'),
    };
  }

  buildColumns() {
    buildColumns(this);
  }

  changeUnits(l, delta) {
    changeUnits(this, l, delta);
  }

  /** Open "Inspect one example" on row `index` of the train or test set (pauses training). */
  inspectPoint(spec) {
    return inspectPoint(this, spec);
  }

  /** The trace the inspect panel shows (net.trace of that example), or null. */
  get inspected() {
    return inspected(this);
  }

  redraw() {
    this._inputsDrawn = false;
    this.requestDraw();
  }

  /** Draw now, unless a drawing already happened in this frame: then once at the
   *  next frame. Many changes within a frame (a slider dragged, a script setting
   *  several attributes) cost two drawings, not one each; a single change still
   *  draws at once, as draw() does. */
  requestDraw() {
    if (!this._drewInFrame) this.draw();
    else if (!this._drawRaf) this._drawRaf = requestAnimationFrame(() => { this._drawRaf = 0; this.draw(); });
  }

  draw() {
    if (this._drawRaf) cancelAnimationFrame(this._drawRaf);
    this._drawRaf = 0;
    if (!this._drewInFrame) this._drewInFrame = requestAnimationFrame(() => { this._drewInFrame = 0; });
    const tr = this.trainer;
    if (!tr || !this.lab) return;
    const col = this.colors();
    const data = tr.data;
    const showTest = this.s.test;
    const big = this.$('.heat.big');
    big.classList.toggle('regression', data.d === 1);
    if (data.d === 2) {
      const out = tr.net.forward(this.grid);
      const G = this.gOut;
      const q = tr.head.q;
      if (q === 1) paintDiverging(this.$('.heat-img'), out, G, { neg: col.c0, mid: col.mid, pos: col.c1 }, { offset: 0.5, scale: 0.5, strength: 0.72 });
      else paintBlend(this.$('.heat-img'), out, G, q, { classes: [col.c0, col.c1, col.c2], mid: col.mid }, { strength: 0.78 });
      const over = this.$('.heat-over');
      const { ctx, w, h: ht } = fitCanvas(over);
      ctx.clearRect(0, 0, w, ht);
      drawRegionEdges(this, ctx, w, ht, col);
      const colorOf = (l) => [col.c0, col.c1, col.c2][Math.round(l)] || col.fg;
      drawPoints(ctx, w, ht, data.range, data.X, data.y, tr.trainIdx, colorOf, { ring: col.ring });
      if (showTest) drawPoints(ctx, w, ht, data.range, data.X, data.y, tr.testIdx, colorOf, { ring: col.ring, test: true });
      if (!this.custom) drawReference(ctx, w, ht, data.range, this.s.dataset, { color: col.fg });
    } else {
      const ys = tr.net.forward(this.curveX);
      this.regFrame = drawRegression(this.$('.heat-over'), data, tr.trainIdx, tr.testIdx, showTest, this.curveX, ys, col);
      drawKinks(this, this.regFrame, col);
    }
    drawUnits(this, col);
    drawLinks(this, col);
    drawInspect(this);
    drawLossChart(this.$('.loss-chart'), tr.history, col);
    drawGrads(this);
    drawLegend(this, col);
    drawConfusion(this);
    this.pointer?.afterDraw();
    this.stopper?.afterDraw();
    if (!this._resizeSeen) this._firstDrawnSize = this.$('.pg-body').getBoundingClientRect();
  }

  // ---- status ----------------------------------------------------------------

  updateStatus() {
    const tr = this.trainer;
    if (!tr) return;
    const m = tr.metrics;
    const state = tr.diverged ? 'diverged' : this.running ? 'running' : 'paused';
    this.dataset.state = state;
    this.dataset.epoch = String(tr.epoch);
    const play = this.$('button[name=play]');
    play.setAttribute('aria-pressed', String(this.running));
    play.querySelector('.play-icon').replaceChildren(icon(this.running ? 'pause' : 'play'));
    play.querySelector('.play-text').textContent = this.t(this.running ? 'pause' : 'play');
    play.disabled = !!tr.diverged;
    this.$('button[name=step]').disabled = !!tr.diverged;
    this.$('.epoch').textContent = this.fmt(tr.epoch, 0);
    this.$('.rate').textContent = this.running && this.rate.value > 0 ? this.fmt(Math.round(this.rate.value), 0) : '–';
    this.dataset.examplesPerSec = String(Math.round(this.rate.value));
    const status = this.$('.status');
    // Playing with nothing to train on (no point drawn yet) says so, not "Training…".
    const waiting = state === 'running' && !tr.train.n;
    this.toggleAttribute('data-waiting', waiting);
    const label = this.t(`state_${waiting ? 'waiting' : state}`);
    if (status.textContent !== label) status.textContent = label; // a live region: only real changes
    this.$('.status').dataset.state = state;
    if (m) {
      this.dataset.trainLoss = String(m.train.loss);
      this.dataset.testLoss = String(m.test.loss);
      this.$('.m-train').textContent = this.fmt(m.train.loss, 3);
      this.$('.m-test').textContent = this.fmt(m.test.loss, 3);
      if (m.test.accuracy != null) {
        this.dataset.accuracy = String(m.test.accuracy);
        this.$('.m-acc-label').textContent = this.t('testAccuracy');
        this.$('.m-acc').textContent = `${this.fmt(100 * m.test.accuracy, 1)}%`;
        this.$('.m-acc2-label').textContent = this.t('trainAccuracy');
        this.$('.m-acc2').textContent = `${this.fmt(100 * m.train.accuracy, 1)}%`;
      } else {
        delete this.dataset.accuracy;
        this.$('.m-acc-label').textContent = this.t('testRmse');
        this.$('.m-acc').textContent = this.fmt(m.test.rmse, 3);
        this.$('.m-acc2-label').textContent = this.t('testR2');
        this.$('.m-acc2').textContent = m.test.r2 == null ? '–' : this.fmt(m.test.r2, 3);
      }
    } else {
      for (const c of ['.m-train', '.m-test', '.m-acc', '.m-acc2']) this.$(c).textContent = '–'; // no data yet (drawn points)
    }
    const box = this.$('.diverged');
    box.hidden = !tr.diverged;
    if (tr.diverged) {
      const i = LEARNING_RATES.indexOf(this.s.lr);
      const lower = LEARNING_RATES[Math.max(0, i - 2)];
      this.$('.diverged-text').textContent = this.t('divergedText', { lr: String(this.s.lr), lower: String(lower), epoch: this.fmt(tr.epoch, 0) });
      this.$('button[name=fix-lr]').textContent = this.t('divergedFix', { lower: String(lower) });
    }
  }

  onLocalize() {
    if (!this.s) return;
    noteRegions(this);
    this.$('.heat-over')?.setAttribute('aria-label', this.t('outputLabel', { ds: this.t(this.custom ? 'ds_custom' : `ds_${this.s.dataset}`) }));
    const lossSel = this.$('select[name=loss]');
    if (lossSel) {
      const regression = this.isRegression();
      const multi = this.custom ? this.custom.classes > 2 : this.s.dataset === 'blobs';
      lossSel.options[0].textContent = this.t(regression ? 'loss_mse_reg' : multi ? 'loss_ce_multi' : 'loss_ce');
      lossSel.options[1].textContent = this.t(regression ? 'loss_mse_reg' : multi ? 'loss_mse_multi' : 'loss_mse');
      if (regression) lossSel.options[0].hidden = true;
      else lossSel.options[0].hidden = false;
      if (regression) lossSel.value = 'mse';
    }
    this.pointer?.updateBar();
    this.stopper?.report();
    if (this.trainer) {
      this.buildColumns();
      this.$('.grads').replaceChildren();
      this.updateStatus();
    }
  }

  // ---- export ----------------------------------------------------------------

  /** Restore a network saved by exportJSON: its settings, then its weights. */
  async importJSON(input) {
    const file = input.files && input.files[0];
    const note = this.$('.export-note');
    if (!file) return;
    try {
      if (file.size > 20_000_000) throw new Error('too large');
      const doc = JSON.parse(await file.text());
      const raw = own(doc, 'settings');
      if (!raw || typeof raw !== 'object' || !own(doc, 'network')) throw new Error('not an mlp-lab export');
      // The settings go through the same defensive parser as a hash.
      const s = settingsFromObject(raw);
      const net = this.lab.mlp.fromJSON(own(doc, 'network'));
      this.pause();
      this.custom = null;
      if (s.dataset === 'drawn') this.pointer.fromJSON(own(doc, 'drawn'));
      this.apply(s, { forceReset: true, newData: true });
      const want = this.trainer.net.layers.join(',');
      const cfg = this.trainer.net.config;
      if (net.layers.join(',') !== want || net.config.output !== cfg.output || net.config.loss !== cfg.loss ||
          net.config.activation !== cfg.activation) {
        net.free();
        throw new Error('the network does not match its settings');
      }
      this.trainer.net.free();
      this.trainer.net = net;
      const e = Number(own(doc, 'epoch'));
      this.trainer.epoch = Number.isInteger(e) && e >= 0 && e < 1e9 ? e : 0;
      this.trainer.evaluate();
      this.updateStatus();
      this.draw();
      note.textContent = this.t('imported');
    } catch (err) {
      note.textContent = `${this.t('importError')} (${String(err && err.message).slice(0, 120)})`;
    } finally {
      input.value = '';
    }
  }

  exportJSON() {
    const tr = this.trainer;
    if (!tr) return;
    const doc = {
      generator: 'mlp-lab playground',
      settings: this.settings,
      epoch: tr.epoch,
      metrics: tr.metrics,
      network: tr.net.toJSON(),
      drawn: this.s.dataset === 'drawn' ? this.pointer.drawn.toJSON() : undefined,
    };
    const blob = new Blob([JSON.stringify(doc, null, 1)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `mlp-lab-${this.s.dataset}-epoch${tr.epoch}.json` });
    this.shadowRoot.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    this.$('.export-note').textContent = this.t('exported');
  }

  /** What a link names this playground by: its id, else its position on the page (1, 2, ...). */
  linkTarget() {
    if (this.id) return this.id;
    const all = [...this.getRootNode().querySelectorAll('mlp-playground')];
    return String(all.indexOf(this) + 1);
  }

  copyLink() {
    // The page this playground is on, with its settings: as the page's own hash
    // when it syncs it, else addressed to this playground (see linkHash).
    const url = new URL(location.href);
    const points = this.pointer?.linkPoints(); // drawn points (dataset=drawn), when few enough for a link
    url.hash = this.syncHash ? toHash(this.s, points) : linkHash(this.linkTarget(), this.s, points);
    const note = this.$('.export-note');
    const done = () => (note.textContent = this.t('linkCopied'));
    const fail = () => (note.textContent = url.href);
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(url.href).then(done, fail);
    else fail();
  }
}

// Every attribute is a property too (props.js): el.hidden = '4,4', el.dataset = 'xor', el.syncHash = true.
reflectAttributes(Playground, { values: [...KEYS, 'hidden-layers'], booleans: ['autoplay', 'sync-hash'] });

export { DEFAULTS };
