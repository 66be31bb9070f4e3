// The instance of the WebAssembly core one lab uses: its exports, views over
// its memory, scratch allocations reused across calls, and the registry that
// frees forgotten networks. Internal: networks and data sets hold it, the
// Lab's public face does not show it.

export class Core {
  #x; // the wasm exports
  #view = null; // Float32Array over memory.buffer, rebuilt when memory grows
  #scratch = [0, 0, 0]; // reusable allocations by slot
  #scratchBytes = [0, 0, 0];
  #registry;

  constructor(exports) {
    this.exports = exports;
    this.#x = exports;
    this.#registry = typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((ptr) => exports.mlp_free(ptr)) : null;
    Object.freeze(this);
  }

  /** A Float32Array over all of wasm memory (valid until memory next grows). */
  f32() {
    const buffer = this.#x.memory.buffer;
    if (this.#view === null || this.#view.buffer !== buffer) this.#view = new Float32Array(buffer);
    return this.#view;
  }

  /** A reusable allocation of at least `bytes` in `slot`; valid until the
   *  next scratch() call on the same slot. */
  scratch(slot, bytes, param) {
    if (this.#scratchBytes[slot] < bytes) {
      if (this.#scratch[slot]) this.#x.free(this.#scratch[slot]);
      this.#scratch[slot] = 0;
      this.#scratchBytes[slot] = 0;
      const size = Math.max(bytes, 1024);
      const ptr = this.#x.malloc(size);
      if (!ptr) throw new RangeError(`${param}: too large for WebAssembly memory (${bytes} bytes)`);
      this.#scratch[slot] = ptr;
      this.#scratchBytes[slot] = size;
    }
    return this.#scratch[slot];
  }

  /** malloc that throws a RangeError naming `param` instead of returning 0. */
  alloc(bytes, param) {
    const ptr = this.#x.malloc(Math.max(bytes, 4));
    if (!ptr) throw new RangeError(`${param}: too large for WebAssembly memory (${bytes} bytes)`);
    return ptr;
  }

  free(ptr) { if (ptr) this.#x.free(ptr); }

  track(owner, ptr) { if (this.#registry) this.#registry.register(owner, ptr, owner); }
  untrack(owner) { if (this.#registry) this.#registry.unregister(owner); }
}
