// Argument checks shared by every part of the package. Each throws a TypeError
// (wrong type) or a RangeError (wrong value) whose message starts with the
// name of the parameter at fault.

export function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  return `a ${typeof v === 'object' ? (v.constructor && v.constructor.name) || 'object' : typeof v}`;
}

/** The index of value in list, or a TypeError/RangeError naming param. */
export function nameIndex(list, value, param) {
  if (typeof value !== 'string') throw new TypeError(`${param}: expected one of ${list.join(', ')}, got ${describe(value)}`);
  const i = list.indexOf(value);
  if (i < 0) throw new RangeError(`${param}: unknown value ${describe(value)}; expected one of ${list.join(', ')}`);
  return i;
}

// Every such number reaches C as a float32: it must stay finite there (1e39
// would be Infinity), and a positive one must stay positive (1e-50 would be 0).
export function finiteNumber(value, param, { min = -Infinity, max = Infinity, minExclusive = false } = {}) {
  if (typeof value !== 'number') throw new TypeError(`${param}: expected a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${param}: expected a finite number, got ${value}`);
  const f = Math.fround(value);
  if (!Number.isFinite(f)) throw new RangeError(`${param}: ${value} is beyond float32's range (about ±3.4e38)`);
  if (f < min || (minExclusive && f <= min) || value > max) {
    const lo = minExclusive ? `> ${min}` : `>= ${min}`;
    throw new RangeError(`${param}: ${value} is out of range (expected ${lo}${max < Infinity ? ` and <= ${max}` : ''})`);
  }
  return value;
}

export function integer(value, param, min, max) {
  if (typeof value !== 'number') throw new TypeError(`${param}: expected an integer, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${param}: expected an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export function boolean(value, param) {
  if (typeof value !== 'boolean') throw new TypeError(`${param}: expected a boolean, got ${describe(value)}`);
  return value;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a, b) {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

// Names other libraries use for our options (normalised: lower case, no _ or -).
const ALIASES = {
  learningrate: 'lr', rate: 'lr', eta: 'lr', weightdecay: 'l2', lambda: 'l2', decay: 'l2',
  batch: 'batchSize', minibatch: 'batchSize', epoch: 'epochs', iterations: 'epochs', opt: 'optimizer',
  act: 'activation', sizes: 'layers', shape: 'layers', callback: 'onEpoch', slope: 'alpha',
};

/** The entry of candidates nearest to word, ignoring case and _ or -, if any is near. */
export function nearestName(word, candidates) {
  const norm = (s) => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  if (candidates.includes(ALIASES[w])) return ALIASES[w];
  // an abbreviation ("acc", "batch"): the one candidate it begins
  const starts = w.length >= 3 ? candidates.filter((c) => norm(c).startsWith(w)) : [];
  if (starts.length === 1) return starts[0];
  let best = null, bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d < bestD) { bestD = d; best = c; }
  }
  // A suggestion only when it is plausibly the same word: at most a third of it changed.
  return best !== null && bestD <= Math.max(2, Math.ceil(w.length / 3)) ? best : null;
}

/**
 * An options object checked against the keys it may have: a null-prototype
 * copy of its own enumerable properties (so a polluted Object.prototype
 * changes nothing). undefined gives {}. An unknown key is a RangeError naming
 * it, with the nearest valid key when one is near ("activaton: unknown option
 * (did you mean activation?)"). prefix names nested objects ("until.").
 */
export function options(value, param, keys, prefix = '') {
  const out = Object.create(null);
  if (value === undefined) return out;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${param}: expected an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      const near = nearestName(key, keys);
      const hint = near ? `did you mean ${near}?` : `expected one of ${keys.join(', ')}`;
      // A key that is no name ("0", "a b") is named through its object.
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) throw new RangeError(`${param}: unknown option ${describe(key)} (${hint})`);
      throw new RangeError(`${prefix}${key}: unknown option (${hint})`);
    }
    out[key] = value[key];
  }
  // Symbol keys are never options.
  if (Object.getOwnPropertySymbols(value).some((s) => Object.prototype.propertyIsEnumerable.call(value, s))) {
    throw new RangeError(`${param}: symbol keys are not options`);
  }
  return out;
}

/** value[key] only when it is value's own property. */
export function own(value, key) {
  return value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

// Accepts a typed array, an array of numbers, or an array of rows (each an
// array or typed array). Returns a Float32Array (the input itself when it is
// one) and the row width when rows were given.
export function floatArray(value, param) {
  if (value instanceof Float32Array) return { data: value, width: 0 };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (typeof value[0] === 'bigint') throw new TypeError(`${param}: BigInt arrays are not accepted`);
    return { data: Float32Array.from(value), width: 0 };
  }
  if (!Array.isArray(value)) throw new TypeError(`${param}: expected a Float32Array or an array of numbers, got ${describe(value)}`);
  if (value.length > 0 && (Array.isArray(value[0]) || ArrayBuffer.isView(value[0]))) {
    const width = value[0].length;
    if (!(width > 0)) throw new RangeError(`${param}: row 0 is empty; each row holds one example's values`);
    const data = new Float32Array(value.length * width);
    for (let i = 0; i < value.length; i++) {
      const row = value[i];
      if (!(Array.isArray(row) || ArrayBuffer.isView(row)) || row.length !== width) {
        throw new RangeError(`${param}: row ${i} is not an array of length ${width}`);
      }
      for (let j = 0; j < width; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new TypeError(`${param}: element [${i}][${j}] is ${describe(v)}, not a number`);
        data[i * width + j] = v;
      }
    }
    return { data, width };
  }
  const data = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number') throw new TypeError(`${param}: element ${i} is ${describe(v)}, not a number`);
    data[i] = v;
  }
  return { data, width: 0 };
}

export function allFinite(data, param) {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new RangeError(`${param}: element ${i} is ${data[i]}; every value must be finite`);
  }
}
