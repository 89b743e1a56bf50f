/**
 * @module
 * Layout of leanml's compact vector store: an 8-byte magic, a format version, a JSON header
 * naming every section's byte offset and length, then the sections, each starting on a 64-byte
 * boundary so a whole-file buffer can be viewed as typed arrays without copying.
 *
 *   "LMLFTVS\0" | u32 version | u32 header bytes | header JSON | pad | sections...
 *
 * Sections: dictionary (blob, starts, counts, hash table, pruned-bucket map), per-word norm
 * and subword count, the normalised word matrix (N, D) and the n-gram matrix (G, D) in
 * f32 / f16 / int8 (int8 with one float32 scale per row), and for supervised models the
 * output matrix (L, D) in f32. int8 stores (version 2 on) also keep a 4-bit residual of every
 * word row (two per byte): the int8 rows shortlist candidates, the residual rescores them
 * (see `word-search.ts`).
 *
 * From version 3, int8 word rows are stored minus their mean row (`wordMean`, D float32): trained
 * word vectors share a large common direction (|mean| 0.84 on the benchmark's trained model), and
 * quantising only what differs between rows cuts the rounding error by that much.
 *
 * From version 4, a store may carry an inverted-file index (`convert --index ivf`): the word rows
 * clustered by spherical k-means into L lists, the word-row sections (`words`, `wordScales`,
 * `wordResiduals`) stored list after list so that one list is one contiguous byte range, the L
 * unit-length centroids (`ivfCentroids`, (L, D) f32) and list starts (`ivfOffsets`, L + 1 row
 * positions) read at open, and the maps between row positions and word ids (`ivfIds`: position ->
 * id, `ivfPositions`: id -> position). A search scores the centroids and reads only the rows of
 * the `nprobe` nearest lists, which is what lets a page search a store on a static host by range
 * requests. Everything indexed by word id (dictionary, norms, subword counts) keeps id order.
 *
 * Versions: 1 had no residual section, 2 no mean, 3 no index; all are still read (v1 int8 search
 * is single-stage). Newer versions are refused.
 */
import type { FastTextArgs } from './args.js';

export const STORE_MAGIC = new Uint8Array([0x4c, 0x4d, 0x4c, 0x46, 0x54, 0x56, 0x53, 0x00]); // "LMLFTVS\0"
export const STORE_VERSION = 4;
/** Versions this reader understands. */
export const STORE_VERSIONS_READ = [1, 2, 3, 4];
export const STORE_ALIGN = 64;

/** Element type of the store's matrices. */
export type StoreDtype = 'f32' | 'f16' | 'int8';

/** Where a section lives: byte offset and length. */
export interface Section {
  offset: number;
  length: number;
}

/** The JSON header of a store. */
export interface StoreHeader {
  args: FastTextArgs;
  dtype: StoreDtype;
  /** Format version the file was written with (from the fixed header, not the JSON). */
  version?: number;
  nwords: number;
  nlabels: number;
  ntokens: number;
  pruneSize: number;
  /** Rows of the n-gram matrix (bucket, or the kept buckets of a pruned model). */
  ngramRows: number;
  /** What the store was converted from. */
  source: { path: string; format: string };
  /** Version 4 on, when converted with an index: its kind and number of lists. */
  index?: { kind: 'ivf'; lists: number };
  sections: Record<string, Section>;
}

/** Names of the sections, with their element byte size. */
export const SECTION_TYPES = {
  blob: 1,
  starts: 4,
  counts: 8,
  table: 4,
  pruneKeys: 4,
  pruneValues: 4,
  norms: 4,
  subwordCounts: 4,
  words: 0, // dtype
  wordScales: 4,
  wordResiduals: 1,
  wordMean: 4,
  ngrams: 0, // dtype
  ngramScales: 4,
  output: 4,
  ivfCentroids: 4,
  ivfOffsets: 4,
  ivfIds: 4,
  ivfPositions: 4,
} as const;

export type SectionName = keyof typeof SECTION_TYPES;

/** Bytes per element of `dtype`. */
export function dtypeBytes(dtype: StoreDtype): number {
  return dtype === 'f32' ? 4 : dtype === 'f16' ? 2 : 1;
}

/** `n` rounded up to the alignment. */
export function align(n: number): number {
  return Math.ceil(n / STORE_ALIGN) * STORE_ALIGN;
}

/** Bytes of one row's packed 4-bit residual. */
export function residualRowBytes(dim: number): number {
  return (dim + 1) >> 1;
}

/** Most lists an index may have (bounds what a header can make a reader allocate). */
export const MAX_IVF_LISTS = 1 << 20;
