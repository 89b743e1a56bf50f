/**
 * @module
 * `openFastText`: opens a `.bin`, `.ftz` or compact store, telling them apart by their magic.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { BinModel } from './bin-model.js';
import { STORE_MAGIC } from './store-format.js';
import { StoreModel } from './store-model.js';
import type { VectorModel } from './vector-model.js';

/** Options of `openFastText`. */
export interface OpenOptions {
  /** Read the whole input matrix into memory instead of on demand (default false). */
  loadAll?: boolean;
}

/**
 * Opens a fastText model or compact store. Opening reads the header and dictionary only;
 * matrix rows are read when a lookup needs them.
 * @example
 * const m = openFastText('cc.en.300.bin');
 * m.nearestNeighbors('leanness', 5);
 */
export function openFastText(path: string, opts: OpenOptions = {}): VectorModel {
  const head = sniff(path);
  const isStore = head.length === 8 && head.every((b, i) => b === STORE_MAGIC[i]);
  return isStore ? StoreModel.open(path, opts) : BinModel.open(path, opts);
}

/** The first 8 bytes of a file (fewer if it is shorter). */
export function sniff(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(8);
    const n = readSync(fd, b, 0, 8, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
