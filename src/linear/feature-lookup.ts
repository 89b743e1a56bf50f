/**
 * @module
 * The exact feature lookup: feature names (as bytes) to dense ids. Keys are found by the hash
 * the parser computed while scanning, in an open-addressing table whose entries also hold the
 * key's length and place in the byte pool: a probe reads one table entry, and only a hash
 * (and length) hit compares the key's bytes with the token's, in place. No string is ever
 * built. Ids are given in order of first appearance and never change (weights are indexed by
 * id). Memory: 16 bytes per table slot (at most 3/4 full), the key bytes, 4 bytes per key.
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
}

/** Words per table entry: id (-1 empty), hash, key length, key offset in the pool. */
const ENTRY = 4;

/** Maps byte strings to ids 0..size-1. */
export class FeatureLookup {
  size = 0;
  /** Key bytes of id i are `pool[offsets[i], offsets[i + 1])`. */
  pool: Uint8Array;
  offsets: Int32Array;
  /** (slots, ENTRY); null until needed after `assign` (a model that is only saved never builds it). */
  private table: Int32Array | null = null;
  private mask = 0;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.pool = new Uint8Array(cap * 8);
    this.offsets = new Int32Array(cap + 1);
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
    const h = hash | 0;
    const pool = this.pool;
    const tokLen = end - start;
    for (let p = hash & mask; ; p = (p + 1) & mask) {
      const e = p * ENTRY;
      const id = table[e]!;
      if (id < 0) return -1;
      if (table[e + 1] !== h || table[e + 2] !== len) continue;
      let o = table[e + 3]!;
      if (nsLen > 0) {
        let k = 0;
        while (k < nsLen && pool[o + k] === buf[nsStart + k]) k++;
        if (k < nsLen || pool[o + nsLen] !== NS_SEPARATOR) continue;
        o += nsLen + 1;
      }
      let k = 0;
      while (k < tokLen && pool[o + k] === buf[start + k]) k++;
      if (k === tokLen) return id;
    }
  }

  /** Adds the key `buf[start, end)` (or `namespace^token`, as in `find`), which must not be present, and returns its id. */
  add(buf: Uint8Array, start: number, end: number, hash: number, nsStart = 0, nsEnd = 0): number {
    const nsLen = nsEnd - nsStart;
    const len = nsLen > 0 ? nsLen + 1 + end - start : end - start;
    if (this.size + 2 >= this.offsets.length) this.growEntries();
    if (this.table === null) this.buildTable(this.size);
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.buildTable(this.size + 1);
    const id = this.size++;
    const o = this.offsets[id]!;
    if (o + len > this.pool.length) {
      let cap = Math.ceil(this.pool.length * 1.5);
      while (cap < o + len) cap = Math.ceil(cap * 1.5);
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
    this.insert(this.table!, this.mask, id, hash);
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

  /** Rebuilds a lookup from serialised `offsets` (size+1) and `pool`. */
  static fromParts(offsets: Int32Array, pool: Uint8Array): FeatureLookup {
    const lookup = new FeatureLookup(16);
    lookup.assign({ size: offsets.length - 1, pool, offsets });
    return lookup;
  }

  /**
   * The contents as views of this lookup's own arrays, to be transferred to another thread
   * without a copy (the transfer detaches them: the lookup is unusable afterwards).
   */
  release(): LookupParts {
    return { size: this.size, pool: this.pool.subarray(0, this.offsets[this.size]!), offsets: this.offsets.subarray(0, this.size + 1) };
  }

  /** A copy of the contents, trimmed to the size. */
  parts(): LookupParts {
    return { size: this.size, pool: this.pool.slice(0, this.offsets[this.size]!), offsets: this.offsets.slice(0, this.size + 1) };
  }

  /**
   * Replaces the contents by `parts` (e.g. a parse worker's lookup), whose arrays it adopts;
   * the table is built when first needed (a model that is only saved never builds it).
   */
  assign(parts: LookupParts): void {
    this.size = parts.size;
    this.pool = parts.pool.length > 0 ? parts.pool : new Uint8Array(16);
    this.offsets = parts.offsets;
    if (this.offsets.length < this.size + 2) this.growEntries();
    this.table = null;
  }

  /** Puts `id` (key hash `hash`) into `table` at its first free slot from the hash on. */
  private insert(table: Int32Array, mask: number, id: number, hash: number): void {
    let p = hash & mask;
    while (table[p * ENTRY]! >= 0) p = (p + 1) & mask;
    const e = p * ENTRY;
    const o = this.offsets[id]!;
    table[e] = id;
    table[e + 1] = hash | 0;
    table[e + 2] = this.offsets[id + 1]! - o;
    table[e + 3] = o;
  }

  private growEntries(): void {
    const offsets = new Int32Array(Math.max(17, Math.ceil(this.offsets.length * 1.5)));
    offsets.set(this.offsets);
    this.offsets = offsets;
  }

  /**
   * A table for `entries` keys, at most 3/4 full, holding the current ones (linear probing
   * stays short at 3/4 with murmur3's spread, and a lookup of 2^18 + a few keys keeps 2^19
   * slots). Hashes come from the old table, or are computed from the keys after `assign`.
   */
  private buildTable(entries: number): void {
    let slots = 32;
    while (slots * 3 < entries * 4) slots *= 2;
    const table = new Int32Array(slots * ENTRY).fill(-1);
    const mask = slots - 1;
    const old = this.table;
    if (old !== null) {
      for (let e = 0; e < old.length; e += ENTRY) if (old[e]! >= 0) this.insert(table, mask, old[e]!, old[e + 1]!);
    } else {
      for (let id = 0; id < this.size; id++) this.insert(table, mask, id, murmur3(this.pool, this.offsets[id]!, this.offsets[id + 1]!, 0));
    }
    this.table = table;
    this.mask = mask;
  }
}
