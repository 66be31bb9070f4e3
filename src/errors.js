// The C core's statuses (src/mlp_lab.h) and the errors the package throws for them.

export const OK = 0, ERR_ARG = -1, ERR_NOMEM = -2, ERR_LABEL = -3, ERR_NONFINITE = -4, ERR_OVERSHOT = -5, ERR_LIMIT = -6;

function what(loss) {
  return Number.isNaN(loss) ? 'NaN' : 'infinite';
}

/**
 * Thrown by step() and gradients(), and reported by fit() (history.error),
 * when training cannot go on because the loss or an update is not finite.
 * `reason` says which, and `lr` the learning rate it blames:
 * - 'update': this update (at lr) would make a parameter overflow; it was
 *   not applied, the parameters are unchanged.
 * - 'overshot': the loss is not finite with the parameters the previous
 *   update (at lr) made; they were restored to those before that update and
 *   the optimizer state was reset, so training can go on at a lower rate.
 * - 'parameters': the loss is not finite before any update on this batch,
 *   with parameters no update can be undone to (new, set with setParams or
 *   fromJSON, or just restored): the inputs or the parameters are too large
 *   for float32; lr is null.
 * - 'loss' (gradients()): the loss is not finite; nothing was changed.
 */
export class DivergedError extends Error {
  /** restored: what fit() put back instead, e.g. "the parameters at the start of epoch 3 (loss 0.2)". */
  constructor({ reason, lr = null, loss, inputMax = null, restored = null }) {
    lr = lr === null ? null : shortestFloat32(lr);
    let message;
    if (reason === 'update') {
      message = `training diverged: at learning rate ${lr} this update would make the parameters overflow, ` +
        `so it was not applied (${restored ? `the network has ${restored}` : 'the parameters are unchanged'}). ` +
        `Lower the learning rate (try ${shortestFloat32(lr / 10)}), add L2 weight decay, or use the adam optimizer.`;
    } else if (reason === 'overshot') {
      message = `training diverged: the step at learning rate ${lr} overshot (the loss became ${what(loss)}); ` +
        `${restored ? `the network has ${restored}` : 'the parameters were restored to those before it'} and the ` +
        `optimizer state was reset. Train on with a lower learning rate (try ${shortestFloat32(lr / 10)}) or the adam optimizer.`;
    } else if (reason === 'parameters') {
      message = `training cannot start: the loss is already ${what(loss)} on this batch with the current parameters, ` +
        `before any update (the largest |x| in X is ${inputMax}): the inputs X or the parameters are too large for ` +
        'float32. Scale the inputs, or set smaller parameters (setParams, or a new network).';
    } else {
      message = `the loss is ${what(loss)} for these parameters and data: the network has diverged (a step() undoes ` +
        'the update that overshot) or the inputs or parameters are too large for float32.';
    }
    super(message);
    this.name = 'DivergedError';
    this.code = 'DIVERGED';
    this.reason = reason;
    this.lr = lr;
    this.loss = loss;
  }
}

/** The shortest decimal that is the same float32 as x: the rate as it was
 *  written (1e12, not 999999995904, once it has been through C). */
export function shortestFloat32(x) {
  const f = Math.fround(x);
  for (let p = 1; p < 17; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return v;
  }
  return f;
}

/** The error for a status that is not OK (or a DivergedError's); param names the input at fault. */
export function statusError(rc, param) {
  switch (rc) {
    case ERR_NOMEM: return new RangeError(`${param}: out of WebAssembly memory`);
    case ERR_LABEL: return new RangeError(`${param}: a label is not an integer class index`);
    case ERR_ARG: return new RangeError(`${param}: rejected by the core as out of range`);
    default: return new Error(`mlp-lab: unexpected status ${rc}`);
  }
}
