/**
 * @module
 * The exact feature lookup: feature names (as bytes) to dense ids, in an open-addressing
 * table over a byte pool, so lookups compare bytes of the input line and never build strings.
 * Ids are given in order of first appearance and never change (weights are indexed by id).
 */
import { LimitError } from '../core/errors.js';
import { murmur3 } from './murmur-hash.js';

/** Maps byte strings to ids 0..size-1. */
export class FeatureLookup {
  size = 0;
  /** Key bytes of id i are `pool[offsets[i], offsets[i + 1])`. */
  pool: Uint8Array;
  offsets: Int32Array;
  hashes: Uint32Array;
  // open addressing: table[2p] = id (-1 empty), table[2p + 1] = its hash, so a probe that
  // misses on the hash touches one cache line only
  private table: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.pool = new Uint8Array(cap * 8);
    this.offsets = new Int32Array(cap + 1);
    this.hashes = new Uint32Array(cap);
    let tableSize = 32;
    while (tableSize < cap * 2) tableSize *= 2;
    this.table = new Int32Array(tableSize * 2).fill(-1);
    this.mask = tableSize - 1;
  }

  /** The id of `buf[start, end)` whose murmur3 (seed 0) is `hash`, or -1. */
  find(buf: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    const { table, mask, offsets, pool } = this;
    const h = hash | 0;
    for (let p = hash & mask; ; p = (p + 1) & mask) {
      const id = table[2 * p]!;
      if (id < 0) return -1;
      if (table[2 * p + 1] !== h) continue;
      const o = offsets[id]!;
      if (offsets[id + 1]! - o !== len) continue;
      let k = 0;
      while (k < len && pool[o + k] === buf[start + k]) k++;
      if (k === len) return id;
    }
  }

  /** Adds `buf[start, end)` (which must not be present) and returns its id. */
  add(buf: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    if (this.size + 1 >= this.hashes.length) this.growEntries();
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
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
    this.pool.set(buf.subarray(start, end), o);
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
    const lookup = new FeatureLookup(size + 1);
    lookup.pool = pool.length > 0 ? pool : new Uint8Array(16);
    lookup.offsets.set(offsets);
    for (let id = 0; id < size; id++) {
      const h = murmur3(pool, offsets[id]!, offsets[id + 1]!, 0);
      lookup.hashes[id] = h;
      lookup.size = id + 1;
      lookup.insert(id);
    }
    return lookup;
  }

  private insert(id: number): void {
    const { table, mask } = this;
    const h = this.hashes[id]!;
    let p = h & mask;
    while (table[2 * p]! >= 0) p = (p + 1) & mask;
    table[2 * p] = id;
    table[2 * p + 1] = h | 0;
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

  private rehash(size: number): void {
    this.table = new Int32Array(size * 2).fill(-1);
    this.mask = size - 1;
    for (let id = 0; id < this.size; id++) this.insert(id);
  }
}
