// Input features: lab.features(X, names) and the checks a network with a
// `features` option shares. The features are computed by the C core
// (src/features.c); this module checks names and inputs and copies arrays.

import { FEATURES, MAX_ELEMENTS } from './names.js';
import { describe, integer, options, floatArray, allFinite, nearestName } from './checks.js';
import { OK, statusError } from './errors.js';

export const FEATURE_KEYS = Object.freeze(['inputs']);
const NEEDS_X2 = new Set(['x2', 'x2sq', 'x1x2', 'sin2']);
const [X1SQ, X2SQ, X1X2] = ['x1sq', 'x2sq', 'x1x2'].map((name) => FEATURES.indexOf(name));
// |x| from which x^2 overflows float32 (2^64 squared is 2^128 > FLT_MAX).
const SQUARE_MAX = 2 ** 64;

// The feature a misspelt name most likely means: 'X1^2' -> x1sq, 'sin(x1)' -> sin1.
function suggestion(name) {
  const n = name.toLowerCase().replace(/(\^2|²|\*\*2)$/, 'sq').replace(/[\s()_*·.]/g, '').replace(/^sinx/, 'sin');
  return FEATURES.includes(n) ? n : nearestName(name, FEATURES);
}

/**
 * The ids (indices into FEATURES) of a list of feature names for data with
 * `inputs` columns (1 or 2). An unknown name, a duplicate, or a name that
 * needs x2 when inputs is 1 is a RangeError naming `${param}[i]`.
 */
export function featureIds(value, param, inputs) {
  if (!Array.isArray(value)) {
    throw new TypeError(`${param}: expected an array of feature names like ['x1', 'x2', 'x1sq'], got ${describe(value)}`);
  }
  if (value.length === 0) throw new RangeError(`${param}: the list is empty; give at least one of ${FEATURES.join(', ')}`);
  const ids = [];
  for (let i = 0; i < value.length; i++) {
    const name = Object.hasOwn(value, i) ? value[i] : undefined;
    if (typeof name !== 'string') throw new TypeError(`${param}[${i}]: expected one of ${FEATURES.join(', ')}, got ${describe(name)}`);
    const id = FEATURES.indexOf(name);
    if (id < 0) {
      const near = suggestion(name);
      throw new RangeError(`${param}[${i}]: unknown feature ${describe(name)} (${near ? `did you mean ${near}?` : `expected one of ${FEATURES.join(', ')}`})`);
    }
    const first = ids.indexOf(id);
    if (first >= 0) throw new RangeError(`${param}[${i}]: ${name} is already ${param}[${first}]; each feature may appear once`);
    if (inputs === 1 && NEEDS_X2.has(name)) {
      throw new RangeError(`${param}[${i}]: ${name} reads x2, but inputs is 1 (1-D data has x1 only); use x1, x1sq and sin1, or inputs: 2`);
    }
    ids.push(id);
  }
  return ids;
}

/** A RangeError naming param when a feature of a row of X (rows of d) would overflow float32. */
export function checkFeatureInputs(data, d, ids, param) {
  const sq1 = ids.includes(X1SQ), sq2 = ids.includes(X2SQ), prod = ids.includes(X1X2);
  if (!sq1 && !sq2 && !prod) return;
  for (let i = 0; i < data.length; i += d) {
    const x1 = data[i], x2 = d === 2 ? data[i + 1] : 0;
    for (const [on, v, j, name] of [[sq1, x1, i, 'x1sq'], [sq2, x2, i + 1, 'x2sq']]) {
      if (on && Math.abs(v) >= SQUARE_MAX) {
        throw new RangeError(`${param}: element ${j} is ${v}: its square (feature ${name}) overflows float32; ` +
          `scale the inputs below ${SQUARE_MAX.toExponential(2)}`);
      }
    }
    // The float64 product of two floats is exact: fround rounds it as float32 multiplication does.
    if (prod && !Number.isFinite(Math.fround(x1 * x2))) {
      throw new RangeError(`${param}: row ${i / d} (x1 = ${x1}, x2 = ${x2}): their product (feature x1x2) overflows float32; scale the inputs`);
    }
  }
}

/** lab.features(X, names, { inputs = 2 }): Float32Array n x names.length. */
export function makeFeatures(core) {
  const x = core.exports;
  const features = (X, names, value) => {
    const o = options(value, 'options', FEATURE_KEYS);
    const d = integer(o.inputs ?? 2, 'inputs', 1, 2);
    const ids = featureIds(names, 'names', d);
    const { data, width } = floatArray(X, 'X');
    if (width && width !== d) {
      throw new RangeError(`X: rows have ${width} value${width === 1 ? '' : 's'}, expected ${d}${width === 1 ? ' (pass { inputs: 1 } for 1-D data)' : ''}`);
    }
    if (data.length % d !== 0) throw new RangeError(`X: length ${data.length} is not a multiple of the ${d} inputs`);
    allFinite(data, 'X');
    checkFeatureInputs(data, d, ids, 'X');
    const n = data.length / d, k = ids.length;
    if (n * k > MAX_ELEMENTS) throw new RangeError(`X: ${n} rows x ${k} features is more than the ${MAX_ELEMENTS} values accepted`);
    const out = new Float32Array(n * k);
    if (n === 0) return out;
    const px = core.scratch(0, data.length * 4, 'X');
    const po = core.scratch(1, n * k * 4, 'X');
    const pi = core.scratch(2, k * 4, 'names');
    core.f32().set(data, px >> 2); // (views after every allocation: memory may have grown)
    new Int32Array(x.memory.buffer, pi, k).set(ids);
    const rc = x.features_make(po, px, n, d, pi, k);
    if (rc !== OK) throw statusError(rc, 'names');
    out.set(core.f32().subarray(po >> 2, (po >> 2) + n * k));
    return out;
  };
  features.names = FEATURES;
  return Object.freeze(features);
}
