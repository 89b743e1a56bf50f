/**
 * @module
 * fastText's dictionary (words, then labels) held as one byte blob with offsets and an
 * open-addressing table keyed by the FNV-1a hash, so that millions of words cost a few
 * flat arrays instead of millions of strings, and lookups work on raw bytes (words that are
 * not valid UTF-8 are found as fastText finds them).
 */
import type { ByteSource } from '../core/byte-source.js';
import { FormatError } from '../core/errors.js';
import { fnv1a32 } from './hash.js';
import { forEachSubword, wrapWord } from './subwords.js';

/** `entry_type` of the C++. */
export const WORD = 0;
export const LABEL = 1;
/** fastText's end-of-sentence token. */
export const EOS = '</s>';
const EOS_BYTES = new TextEncoder().encode(EOS);
const MAX_WORD_BYTES = 1 << 20;
const MAX_ENTRIES = 1 << 30;

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** A string as UTF-8 bytes; bytes pass through unchanged. */
export function toBytes(word: string | Uint8Array): Uint8Array {
  return typeof word === 'string' ? encoder.encode(word) : word;
}

/** The parts of a dictionary, as stored in a model or a compact store. */
export interface DictionaryParts {
  nwords: number;
  nlabels: number;
  ntokens: number;
  /** Concatenated entry bytes. */
  blob: Uint8Array;
  /** Entry i is `blob[starts[i], starts[i + 1])`; length size + 1. */
  starts: Int32Array;
  /** Occurrence counts (kept as float64: counts exceed 2^31). */
  counts: Float64Array;
  /** -1 when not pruned; otherwise the number of kept n-gram buckets. */
  pruneSize: number;
  /** Pruned models: original bucket id -> row offset after nwords, as sorted parallel arrays. */
  pruneKeys: Int32Array;
  pruneValues: Int32Array;
}

/** Lookup, subwords and word n-grams over a fastText dictionary. */
export class Dictionary {
  readonly nwords: number;
  readonly nlabels: number;
  readonly size: number;
  readonly ntokens: number;
  readonly blob: Uint8Array;
  readonly starts: Int32Array;
  readonly counts: Float64Array;
  readonly pruneSize: number;
  readonly pruneKeys: Int32Array;
  readonly pruneValues: Int32Array;
  readonly minn: number;
  readonly maxn: number;
  readonly bucket: number;
  private table: Int32Array;
  private mask: number;

  constructor(parts: DictionaryParts, opts: { minn: number; maxn: number; bucket: number; table?: Int32Array }) {
    this.nwords = parts.nwords;
    this.nlabels = parts.nlabels;
    this.size = parts.nwords + parts.nlabels;
    this.ntokens = parts.ntokens;
    this.blob = parts.blob;
    this.starts = parts.starts;
    this.counts = parts.counts;
    this.pruneSize = parts.pruneSize;
    this.pruneKeys = parts.pruneKeys;
    this.pruneValues = parts.pruneValues;
    this.minn = opts.minn;
    this.maxn = opts.maxn;
    this.bucket = opts.bucket;
    this.table = opts.table ?? buildTable(parts.blob, parts.starts, this.size);
    this.mask = this.table.length - 1;
  }

  /** The lookup table (stored by the compact store so it opens without rebuilding it). */
  get hashTable(): Int32Array {
    return this.table;
  }

  /** Bytes of entry `id`. */
  entryBytes(id: number): Uint8Array {
    return this.blob.subarray(this.starts[id]!, this.starts[id + 1]!);
  }

  /** Entry `id` decoded as UTF-8 (invalid bytes become U+FFFD). */
  entry(id: number): string {
    return utf8.decode(this.entryBytes(id));
  }

  /** Label `i` (0-based among labels). */
  label(i: number): string {
    return this.entry(this.nwords + i);
  }

  /** Id of `word`, or -1. Duplicate entries resolve to the last one, as the C++ table does. */
  id(word: Uint8Array, hash = fnv1a32(word)): number {
    return this.idAt(word, 0, word.length, hash);
  }

  /** Id of the word `bytes[start, end)` whose FNV-1a hash is `hash`, or -1 (no copy of the word is made). */
  idAt(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const { table, mask, blob, starts } = this;
    const len = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = table[slot]!;
      if (id < 0) return -1;
      const s = starts[id]!;
      if (starts[id + 1]! - s !== len) continue;
      let k = 0;
      while (k < len && blob[s + k] === bytes[start + k]) k++;
      if (k === len) return id;
    }
  }

  /** Whether entry `id` is a label. */
  isLabel(id: number): boolean {
    return id >= this.nwords;
  }

  /** Row of bucket `b` in the input matrix, or -1 when pruning dropped it (`Dictionary::pushHash`). */
  bucketRow(b: number): number {
    if (this.pruneSize === 0 || b < 0) return -1;
    if (this.pruneSize > 0) {
      const keys = this.pruneKeys;
      let lo = 0,
        hi = keys.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const k = keys[mid]!;
        if (k === b) return this.nwords + this.pruneValues[mid]!;
        if (k < b) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    }
    return this.nwords + b;
  }

  /**
   * Input rows of a word, as `Dictionary::getSubwords(word)`: its own row when in the
   * vocabulary, then the rows of its character n-grams (none for `</s>`).
   */
  subwordRows(word: Uint8Array, id = this.id(word), out: number[] = []): number[] {
    if (id >= 0) out.push(id);
    if (!isEos(word)) {
      forEachSubword(wrapWord(word), this.minn, this.maxn, this.bucket, (b) => {
        const row = this.bucketRow(b);
        if (row >= 0) out.push(row);
      });
    }
    return out;
  }

  /**
   * The n-grams and rows `print-ngrams` pairs up (`FastText::getNgramVectors`): the word itself
   * when in the vocabulary, then each n-gram; `row` is -1 for an n-gram dropped by pruning.
   * The C++ pairs the i-th kept row with the i-th n-gram string even when pruning dropped
   * some (its lists then disagree); `ngramRowsAsPrinted` reproduces that pairing.
   */
  ngramRowsAsPrinted(word: Uint8Array): { ngram: Uint8Array; row: number }[] {
    const id = this.id(word);
    const rows: number[] = [];
    const names: Uint8Array[] = [];
    if (id >= 0) {
      rows.push(id);
      names.push(this.entryBytes(id));
    }
    if (!isEos(word)) {
      const w = wrapWord(word);
      forEachSubword(w, this.minn, this.maxn, this.bucket, (b, s, e) => {
        const row = this.bucketRow(b);
        if (row >= 0) rows.push(row);
        names.push(w.slice(s, e));
      });
    }
    return rows.map((row, i) => ({ ngram: names[i]!, row }));
  }
}

/** Whether `word` is `</s>`. */
export function isEos(word: Uint8Array): boolean {
  if (word.length !== EOS_BYTES.length) return false;
  for (let i = 0; i < word.length; i++) if (word[i] !== EOS_BYTES[i]) return false;
  return true;
}

function buildTable(blob: Uint8Array, starts: Int32Array, size: number): Int32Array {
  let cap = 1;
  while (cap < size * 2 + 2) cap *= 2;
  const table = new Int32Array(cap).fill(-1);
  const mask = cap - 1;
  for (let id = 0; id < size; id++) {
    const s = starts[id]!,
      e = starts[id + 1]!;
    let slot = fnv1a32(blob, s, e) & mask;
    for (;;) {
      const other = table[slot]!;
      if (other < 0 || sameBytes(blob, starts[other]!, starts[other + 1]!, s, e)) break;
      slot = (slot + 1) & mask;
    }
    table[slot] = id; // a duplicate replaces the earlier entry, as in Dictionary::load
  }
  return table;
}

function sameBytes(blob: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (blob[s1 + k] !== blob[s2 + k]) return false;
  return true;
}

/**
 * Reads a dictionary as `Dictionary::save` wrote it, starting at `offset`. Returns the parts
 * and the offset just after them. Entries are parsed from large chunks (no per-word reads),
 * and every count is bounded by the bytes left in the file before anything is allocated.
 */
export function readDictionary(file: ByteSource, offset: number): { parts: DictionaryParts; end: number } {
  const p = file.path;
  const head = file.read(offset, 28);
  const dv = new DataView(head.buffer, head.byteOffset, 28);
  const size = dv.getInt32(0, true);
  const nwords = dv.getInt32(4, true);
  const nlabels = dv.getInt32(8, true);
  const ntokens = Number(dv.getBigInt64(12, true));
  const pruneSizeBig = dv.getBigInt64(20, true);
  if (size < 0 || nwords < 0 || nlabels < 0 || size !== nwords + nlabels || size > MAX_ENTRIES) {
    throw new FormatError(`${p}: dictionary at byte ${offset} has size ${size} but nwords ${nwords} + nlabels ${nlabels}`);
  }
  // Each entry takes at least 10 bytes (terminator, count, type).
  if (size * 10 > file.size - offset - 28) {
    throw new FormatError(`${p}: truncated: dictionary at byte ${offset} claims ${size} entries but only ${file.size - offset - 28} bytes follow`);
  }
  if (pruneSizeBig < -1n || pruneSizeBig * 8n > BigInt(file.size)) {
    throw new FormatError(`${p}: dictionary at byte ${offset + 20} has an invalid pruned size ${pruneSizeBig}`);
  }
  const pruneSize = Number(pruneSizeBig);
  let pos = offset + 28;
  const starts = new Int32Array(size + 1);
  const counts = new Float64Array(size);
  let blob = new Uint8Array(Math.max(16, Math.min(size * 12, 1 << 26)));
  let blobLen = 0;
  const CHUNK = 1 << 22;
  let chunk: Uint8Array = new Uint8Array(0);
  let chunkStart = pos;
  let chunkView = new DataView(chunk.buffer);
  const refill = (at: number, need: number) => {
    const len = Math.min(Math.max(CHUNK, need), file.size - at);
    chunk = file.read(at, len);
    chunkView = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunkStart = at;
  };
  refill(pos, 0);
  for (let i = 0; i < size; i++) {
    let rel = pos - chunkStart;
    let end = chunk.indexOf(0, rel);
    while ((end < 0 || end + 10 > chunk.length) && chunkStart + chunk.length < file.size) {
      const need = rel === 0 ? chunk.length * 2 : CHUNK;
      if (need > 2 * (MAX_WORD_BYTES + CHUNK)) throw new FormatError(`${p}: dictionary entry ${i} at byte ${pos} is longer than ${MAX_WORD_BYTES} bytes`);
      refill(pos, need);
      rel = 0;
      end = chunk.indexOf(0);
    }
    if (end < 0) throw new FormatError(`${p}: truncated: dictionary entry ${i} at byte ${pos} has no terminator`);
    if (end + 10 > chunk.length) throw new FormatError(`${p}: truncated: dictionary entry ${i} at byte ${pos} ends past the end of the file`);
    const wlen = end - rel;
    if (wlen > MAX_WORD_BYTES) throw new FormatError(`${p}: dictionary entry ${i} at byte ${pos} is longer than ${MAX_WORD_BYTES} bytes`);
    if (blobLen + wlen > blob.length) {
      const grown = new Uint8Array(Math.max(blob.length * 2, blobLen + wlen));
      grown.set(blob.subarray(0, blobLen));
      blob = grown;
    }
    blob.set(chunk.subarray(rel, end), blobLen);
    starts[i] = blobLen;
    blobLen += wlen;
    counts[i] = Number(chunkView.getBigInt64(end + 1, true));
    const type = chunk[end + 9]!;
    const expected = i < nwords ? WORD : LABEL;
    if (type !== expected) {
      throw new FormatError(
        `${p}: dictionary entry ${i} at byte ${pos} has type ${type}, expected ${expected} (${nwords} words come before ${nlabels} labels)`,
      );
    }
    pos += wlen + 10;
  }
  starts[size] = blobLen;
  const pruneKeys = new Int32Array(Math.max(0, pruneSize));
  const pruneValues = new Int32Array(Math.max(0, pruneSize));
  if (pruneSize > 0) {
    const raw = file.read(pos, pruneSize * 8);
    const rv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    // sort (key, position) pairs packed in one float64 (0 <= key < 2^31, position < 2^22: below
    // 2^53); of equal keys the last pair wins, as `pruneidx_[first] = second` does
    const order = new Float64Array(pruneSize);
    let packed = pruneSize <= 1 << 22;
    for (let i = 0; packed && i < pruneSize; i++) packed = rv.getInt32(i * 8, true) >= 0;
    for (let i = 0; i < pruneSize; i++) order[i] = packed ? rv.getInt32(i * 8, true) * 2 ** 22 + i : i;
    if (packed) order.sort();
    else {
      const keyOf = (i: number) => rv.getInt32(i * 8, true);
      const idx = Array.from({ length: pruneSize }, (_, i) => i).sort((a, b) => keyOf(a) - keyOf(b) || a - b);
      idx.forEach((v, i) => (order[i] = v));
    }
    let n = 0;
    for (let j = 0; j < pruneSize; j++) {
      const i = packed ? order[j]! % 2 ** 22 : order[j]!;
      const key = rv.getInt32(i * 8, true);
      if (n > 0 && pruneKeys[n - 1] === key) n--; // a later pair for the same key replaces the earlier
      pruneKeys[n] = key;
      pruneValues[n] = rv.getInt32(i * 8 + 4, true);
      n++;
    }
    pos += pruneSize * 8;
    return {
      parts: {
        nwords,
        nlabels,
        ntokens,
        blob: blob.slice(0, blobLen),
        starts,
        counts,
        pruneSize,
        pruneKeys: pruneKeys.subarray(0, n),
        pruneValues: pruneValues.subarray(0, n),
      },
      end: pos,
    };
  }
  return { parts: { nwords, nlabels, ntokens, blob: blob.slice(0, blobLen), starts, counts, pruneSize, pruneKeys, pruneValues }, end: pos };
}
