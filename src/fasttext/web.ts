/**
 * @module
 * The fastText reader for browsers (and any JavaScript runtime): nothing on this entry point's
 * import graph needs Node. Models come from bytes in memory (`openModelBytes`, e.g. a `.ftz`
 * fetched whole) or, for compact stores, from HTTP range requests (`openRemoteStore`), so that a
 * page can look up words and neighbours in a multi-gigabyte store on a static host.
 * @example
 * const lid = openModelBytes(await (await fetch('lid.176.ftz')).arrayBuffer(), 'lid.176.ftz');
 * lid.predict('Bonjour à tous', 1); // [{ label: '__label__fr', prob: 0.98... }]
 * const store = await openRemoteStore('/files/cc.en.300.ivf.store');
 * await store.nearestNeighbors('leanness', 10);
 * store.stats; // { requests, bytesFetched, size }
 */
import { MemorySource } from '../core/byte-source.js';
import { HttpRangeSource, type HttpRangeOptions } from '../core/http-range-source.js';
import { BinModel } from './bin-model.js';
import { RemoteStore, type RemoteStoreOptions } from './remote-store.js';
import { STORE_MAGIC } from './store-format.js';
import { StoreModel } from './store-model.js';
import type { VectorModel } from './vector-model.js';

export { MemorySource, type ByteSource, BinaryCursor } from '../core/byte-source.js';
export { syncToAsync, type AsyncByteSource, type ByteRange, type SourceStats } from '../core/async-source.js';
export { HttpRangeSource, HttpSourceError, DEFAULT_HTTP_RANGE, type HttpRangeOptions } from '../core/http-range-source.js';
export { LeanmlError, FormatError, UsageError } from '../core/errors.js';
export { BinModel } from './bin-model.js';
export { StoreModel, type StoreOpenOptions } from './store-model.js';
export { RemoteStore, type RemoteStoreOptions } from './remote-store.js';
export { VectorModel, LABEL_PREFIX, type Neighbor, type Prediction } from './vector-model.js';
export { DEFAULT_IVF } from './ivf-search.js';
export { formatScore, formatVector } from './format-line.js';
export { splitWords, splitLines } from './tokens.js';

/** A `.bin`, `.ftz` or compact store held in memory (told apart by their magic); `name` appears in errors. */
export function openModelBytes(bytes: ArrayBuffer | Uint8Array, name = 'buffer'): VectorModel {
  const src = new MemorySource(bytes, name);
  const head = src.size >= 8 ? src.read(0, 8) : new Uint8Array(0);
  const isStore = head.length === 8 && head.every((b, i) => b === STORE_MAGIC[i]);
  return isStore ? StoreModel.fromSource(src) : BinModel.fromSource(src);
}

/** A compact store on an HTTP host that answers range requests; reads only what each query needs. */
export async function openRemoteStore(url: string, opts: RemoteStoreOptions & HttpRangeOptions = {}): Promise<RemoteStore> {
  const { nprobe, ...http } = opts;
  const src = await HttpRangeSource.open(url, http);
  try {
    return await RemoteStore.open(src, { nprobe });
  } catch (err) {
    src.close();
    throw err;
  }
}
