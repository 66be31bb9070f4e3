// The one piece of state widgets share: the loaded lab (compiled WASM module
// and its instance). Everything else is per widget.

import { load } from '../src/mlp-lab.js';

let labPromise = null;

/** Load the package once per page; later calls get the same lab. */
export function getLab() {
  if (!labPromise) {
    labPromise = load().catch((e) => {
      labPromise = null; // allow a retry after a failure
      throw e;
    });
  }
  return labPromise;
}
