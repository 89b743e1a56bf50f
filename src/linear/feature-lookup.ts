/**
 * @module
 * The exact feature lookup: feature names (as bytes) to dense ids. Keys are found by the hash
 * the parser computed while scanning, in an open-addressing table whose entries also hold the
 * key's length and first 16 bytes: a lookup reads one table entry and compares words with
 * the token's bytes (still in cache from the parse); only keys longer than 16 bytes read the
 * rest from the byte pool. No string is ever built. Ids are given in order of first
 * appearance and never change (weights are indexed by id).
 */
import { LimitError } from '../core/errors.js';
import { murmur3 } from './murmur-hash.js';

/** The byte between a namespace and a token in the key of a named namespace's feature (`ns^token`). */
export const NS_SEPARATOR = 94;

/** A lookup's contents, as sent between threads (the arrays may be transferred). */
export interface LookupParts {
  size: number;
  pool: Uint8Array;
  offsets: Int32Array;
  hashes: Uint32Array;
}

/** Words per table entry: id (-1 empty), hash, key length, pool offset, the key's first 16 bytes (4 LE words, zero-padded). */
const ENTRY = 8;
/** Key bytes held in a table entry. */
const HEAD = 16;

/** Maps byte strings to ids 0..size-1. */
export class FeatureLookup {
  size = 0;
  /** Key bytes of id i are `pool[offsets[i], offsets[i + 1])`. */
  pool: Uint8Array;
  offsets: Int32Array;
  hashes: Uint32Array;
  /** (slots, ENTRY); null until needed after `assign` (a model that is only saved never builds it). */
  private table: Int32Array | null = null;
  private mask = 0;
  // the key being looked up: its first 16 bytes as words (set by `packHead`)
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.pool = new Uint8Array(cap * 8);
    this.offsets = new Int32Array(cap + 1);
    this.hashes = new Uint32Array(cap);
    this.buildTable(cap);
  }

  /**
   * The id of the key `buf[start, end)` whose murmur3 (seed 0) is `hash`, or -1. With a
   * namespace `buf[nsStart, nsEnd)` (non-empty), the key is `namespace^token`, compared in
   * place: no key is ever assembled.
   */
  find(buf: Uint8Array, start: number, end: number, hash: number, nsStart = 0, nsEnd = 0): number {
    if (this.table === null) this.buildTable(this.size);
    const table = this.table!;
    const mask = this.mask;
    const nsLen = nsEnd - nsStart;
    const len = nsLen > 0 ? nsLen + 1 + end - start : end - start;
    this.packHead(buf, start, end, nsStart, nsEnd);
    const { w0, w1, w2, w3 } = this;
    const h = hash | 0;
    for (let p = hash & mask; ; p = (p + 1) & mask) {
      const e = p * ENTRY;
      const id = table[e]!;
      if (id < 0) return -1;
      if (table[e + 1] !== h || table[e + 2] !== len || table[e + 4] !== w0 || table[e + 5] !== w1 || table[e + 6] !== w2 || table[e + 7] !== w3) continue;
      if (len <= HEAD || this.tailEquals(table[e + 3]!, buf, start, end, nsStart, nsEnd)) return id;
    }
  }

  /** Adds the key `buf[start, end)` (or `namespace^token`, as in `find`), which must not be present, and returns its id. */
  add(buf: Uint8Array, start: number, end: number, hash: number, nsStart = 0, nsEnd = 0): number {
    const nsLen = nsEnd - nsStart;
    const len = nsLen > 0 ? nsLen + 1 + end - start : end - start;
    if (this.size + 1 >= this.hashes.length) this.growEntries();
    if (this.table === null) this.buildTable(this.size);
    if ((this.size + 1) * 2 > this.mask + 1) this.buildTable(this.size + 1);
    const id = this.size++;
    const o = this.offsets[id]!;
    if (o + len > this.pool.length) {
      let cap = this.pool.length * 2;
      while (cap < o + len) cap *= 2;
      if (cap > 0x7fffffff) throw new LimitError('feature lookup: names exceed 2 GiB');
      const p = new Uint8Array(cap);
      p.set(this.pool.subarray(0, o));
      this.pool = p;
    }
    if (nsLen > 0) {
      this.pool.set(buf.subarray(nsStart, nsEnd), o);
      this.pool[o + nsLen] = NS_SEPARATOR;
      this.pool.set(buf.subarray(start, end), o + nsLen + 1);
    } else {
      this.pool.set(buf.subarray(start, end), o);
    }
    this.offsets[id + 1] = o + len;
    this.hashes[id] = hash >>> 0;
    this.insert(id);
    return id;
  }

  /** `find`, else `add` when `grow` (else -1). */
  findOrAdd(buf: Uint8Array, start: number, end: number, hash: number, grow: boolean): number {
    const id = this.find(buf, start, end, hash);
    return id >= 0 || !grow ? id : this.add(buf, start, end, hash);
  }

  /** Convenience for names given as strings. */
  findString(name: string): number {
    const b = Buffer.from(name, 'utf8');
    return this.find(b, 0, b.length, murmur3(b, 0, b.length, 0));
  }

  /** The key of `id` as text. */
  name(id: number): string {
    return Buffer.from(this.pool.buffer, this.pool.byteOffset + this.offsets[id]!, this.offsets[id + 1]! - this.offsets[id]!).toString('utf8');
  }

  /** Rebuilds a lookup from serialised `offsets` (size+1) and `pool`; hashes are recomputed. */
  static fromParts(offsets: Int32Array, pool: Uint8Array): FeatureLookup {
    const size = offsets.length - 1;
    const hashes = new Uint32Array(size);
    for (let id = 0; id < size; id++) hashes[id] = murmur3(pool, offsets[id]!, offsets[id + 1]!, 0);
    const lookup = new FeatureLookup(16);
    lookup.assign({ size, pool, offsets, hashes });
    return lookup;
  }

  /** A copy of the contents, trimmed to the size. */
  parts(): LookupParts {
    return { size: this.size, pool: this.pool.slice(0, this.offsets[this.size]!), offsets: this.offsets.slice(0, this.size + 1), hashes: this.hashes.slice(0, this.size) };
  }

  /** Replaces the contents by `parts` (e.g. a parse worker's lookup); the table is built when first needed. */
  assign(parts: LookupParts): void {
    const { size } = parts;
    this.size = size;
    this.pool = parts.pool.length > 0 ? parts.pool : new Uint8Array(16);
    this.offsets = new Int32Array(Math.max(16, size + 1) + 1);
    this.offsets.set(parts.offsets.subarray(0, size + 1));
    this.hashes = new Uint32Array(Math.max(16, size + 1));
    this.hashes.set(parts.hashes.subarray(0, size));
    this.table = null;
  }

  /** Sets w0..w3 to the first 16 bytes of the key (`ns^token` or the token), little-endian, zero-padded. */
  private packHead(buf: Uint8Array, start: number, end: number, nsStart: number, nsEnd: number): void {
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    if (nsEnd === nsStart) {
      const n = Math.min(end - start, HEAD);
      for (let k = 0; k < n; k++) {
        const b = buf[start + k]! << ((k & 3) << 3);
        if (k < 4) w0 |= b;
        else if (k < 8) w1 |= b;
        else if (k < 12) w2 |= b;
        else w3 |= b;
      }
    } else {
      const nsLen = nsEnd - nsStart;
      const n = Math.min(nsLen + 1 + end - start, HEAD);
      for (let k = 0; k < n; k++) {
        const c = k < nsLen ? buf[nsStart + k]! : k === nsLen ? NS_SEPARATOR : buf[start + k - nsLen - 1]!;
        const b = c << ((k & 3) << 3);
        if (k < 4) w0 |= b;
        else if (k < 8) w1 |= b;
        else if (k < 12) w2 |= b;
        else w3 |= b;
      }
    }
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** Whether the key's bytes past the first 16 equal the pool's at `o` (the lengths are equal). */
  private tailEquals(o: number, buf: Uint8Array, start: number, end: number, nsStart: number, nsEnd: number): boolean {
    const pool = this.pool;
    const nsLen = nsEnd - nsStart;
    const len = nsLen > 0 ? nsLen + 1 + end - start : end - start;
    for (let k = HEAD; k < len; k++) {
      const c = nsLen === 0 ? buf[start + k]! : k < nsLen ? buf[nsStart + k]! : k === nsLen ? NS_SEPARATOR : buf[start + k - nsLen - 1]!;
      if (pool[o + k] !== c) return false;
    }
    return true;
  }

  private insert(id: number): void {
    const table = this.table!;
    const mask = this.mask;
    const h = this.hashes[id]!;
    let p = h & mask;
    while (table[p * ENTRY]! >= 0) p = (p + 1) & mask;
    const e = p * ENTRY;
    const o = this.offsets[id]!;
    const len = this.offsets[id + 1]! - o;
    this.packHead(this.pool, o, o + len, 0, 0);
    table[e] = id;
    table[e + 1] = h | 0;
    table[e + 2] = len;
    table[e + 3] = o;
    table[e + 4] = this.w0;
    table[e + 5] = this.w1;
    table[e + 6] = this.w2;
    table[e + 7] = this.w3;
  }

  private growEntries(): void {
    const cap = this.hashes.length * 2;
    const offsets = new Int32Array(cap + 1);
    offsets.set(this.offsets);
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    this.offsets = offsets;
    this.hashes = hashes;
  }

  /** A table for `entries` keys at most half full, holding the current ones. */
  private buildTable(entries: number): void {
    let slots = 32;
    while (slots < entries * 2) slots *= 2;
    this.table = new Int32Array(slots * ENTRY).fill(-1);
    this.mask = slots - 1;
    for (let id = 0; id < this.size; id++) this.insert(id);
  }
}
