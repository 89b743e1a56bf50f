/**
 * @module
 * Opening models by path in Node: `openFastText` opens a `.bin`, `.ftz` or compact store, telling
 * them apart by their magic; `openBin` and `openStore` open one kind. (Pages read the same
 * formats from an `ArrayBuffer` or by range requests: `leanml/fasttext/web`.)
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { BinaryFile } from '../core/binary-reader.js';
import { BinModel } from './bin-model.js';
import type { ReadModelOptions } from './read-model.js';
import { STORE_MAGIC } from './store-format.js';
import { StoreModel, type StoreOpenOptions } from './store-model.js';
import type { VectorModel } from './vector-model.js';

/** Options of `openFastText`. */
export interface OpenOptions {
  /** Read the whole input matrix into memory instead of on demand (default false). */
  loadAll?: boolean;
  /** Indexed stores: lists scanned per neighbour query (0 = exact search). */
  nprobe?: number;
}

/** Opens a fastText `.bin` or `.ftz` file. */
export function openBin(path: string, opts: ReadModelOptions = {}): BinModel {
  return BinModel.fromSource(BinaryFile.open(path), opts);
}

/** Opens a compact store written by `convertToStore`. */
export function openStore(path: string, opts: StoreOpenOptions = {}): StoreModel {
  return StoreModel.fromSource(BinaryFile.open(path), opts);
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
  return isStore ? openStore(path, opts) : openBin(path, opts);
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
