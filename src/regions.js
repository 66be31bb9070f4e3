// net.linearRegions(): the linear regions of a ReLU / pReLU network (the
// chapter's exercise 4), computed by src/regions.c. This module checks the
// options, stages the arrays and turns statuses into errors.

import { describe, finiteNumber, integer, options } from './checks.js';
import { ACTIVATIONS } from './names.js';
import { OK, ERR_LIMIT, statusError } from './errors.js';

export const REGIONS_1D_KEYS = Object.freeze(['from', 'to']);
export const REGIONS_2D_KEYS = Object.freeze(['range', 'resolution']);
export const MAX_RESOLUTION = 512; // REGIONS_MAX_RES in src/mlp_lab.h
export const MAX_PIECES = 65536; // REGIONS_MAX_PIECES
const PIECEWISE = Object.freeze(['relu', 'prelu', 'identity']);

// [lo, hi] from an array (or typed array) of two finite numbers, lo < hi.
function rangeOf(value) {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) || value.length !== 2) {
    throw new TypeError(`range: expected [lo, hi], an array of two numbers, got ${describe(value)}`);
  }
  const lo = finiteNumber(value[0], 'range[0]'), hi = finiteNumber(value[1], 'range[1]');
  if (!(lo < hi)) throw new RangeError(`range: lo must be below hi, got [${lo}, ${hi}]`);
  return [lo, hi];
}

/**
 * The core's answer for a network: block = { x (exports), core (core.js), params,
 * sizes, n, out32 } (network.js stages the sizes; out32 is an int32 slot).
 * config: the network's config. value: the options.
 */
export function linearRegions(block, config, value) {
  const { layers, activation, alpha, features } = config;
  // The regions are those of the plane of the network's inputs: input
  // features other than x1, x2 as they are (x1², sin x1 ...) are no longer
  // linear in it.
  if (features && features.some((f, i) => f !== ['x1', 'x2'][i])) {
    throw new RangeError(`features: linearRegions() needs the raw inputs (x1${config.inputs === 2 ? ', x2' : ''}); ` +
      `this network's features ${features.join(', ')} are not linear in them`);
  }
  const d = layers[0];
  if (d !== 1 && d !== 2) {
    throw new RangeError(`layers[0]: linearRegions() needs a network with 1 input ({ from, to }) or 2 inputs ` +
      `({ range, resolution }); this one has ${d} inputs`);
  }
  if (layers.length > 2 && !PIECEWISE.includes(activation)) {
    throw new RangeError(`activation: linearRegions() needs piecewise linear hidden units (relu, prelu or identity); ` +
      `this network uses ${activation}`);
  }
  const { x, core, params, sizes, n, out32 } = block;
  const act = ACTIVATIONS.indexOf(activation);
  if (d === 1) {
    const o = options(value, 'options', REGIONS_1D_KEYS);
    const from = finiteNumber(o.from, 'from'), to = finiteNumber(o.to, 'to');
    if (!(from < to)) throw new RangeError(`to: must be above from, got from = ${from}, to = ${to}`);
    let cap = 1024, count;
    for (;;) {
      const out = core.scratch(1, cap * 8, 'from');
      const rc = x.regions_1d(out, out32, cap, params, sizes, n, act, alpha, from, to);
      if (rc === ERR_LIMIT) {
        throw new RangeError(`from: finding the breakpoints on (${from}, ${to}) took more than ${MAX_PIECES} intervals; ` +
          'narrow the interval');
      }
      if (rc !== OK) throw statusError(rc, 'from');
      count = new Int32Array(x.memory.buffer, out32, 1)[0];
      if (count <= cap) return { breakpoints: new Float64Array(x.memory.buffer, out, count).slice(), pieces: count + 1 };
      cap = count;
    }
  }
  const o = options(value, 'options', REGIONS_2D_KEYS);
  const [lo, hi] = rangeOf(o.range);
  const k = integer(o.resolution, 'resolution', 2, MAX_RESOLUTION);
  const ids = core.scratch(1, k * k * 4, 'resolution');
  const rc = x.regions_2d(ids, out32, params, sizes, n, act, alpha, lo, hi, k);
  if (rc !== OK) throw statusError(rc, 'resolution');
  const buffer = x.memory.buffer;
  return { regions: new Int32Array(buffer, out32, 1)[0], patterns: new Uint32Array(buffer, ids, k * k).slice() };
}
