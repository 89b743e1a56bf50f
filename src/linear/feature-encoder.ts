/**
 * @module
 * Turns a parsed line into a sparse vector of (slot, value): each feature is hashed into
 * 2^bits slots or looked up exactly by name; word n-grams and namespace crosses are built on
 * the fly; a bias feature is added; repeated slots are merged so every slot appears once.
 *
 * Legend: F = features on the line, N = encoded entries (features + n-grams + crosses + bias).
 * Names in lookup mode: `token` (default namespace), `ns^token`, `a b` (n-gram), `x*y` (cross), `x*y*z` (cubic cross).
 */
import { UsageError } from '../core/errors.js';
import { FeatureLookup, NS_SEPARATOR } from './feature-lookup.js';
import { crossHash, murmur3, ngramHash } from './murmur-hash.js';
import type { ParsedLine } from './parsed-line.js';

/** `lookup`: exact names, ids grow as features appear; `hash`: 2^bits slots, no names kept. */
export type FeatureMode = 'lookup' | 'hash';

/** How features become slots. Stored in the model; fixed once training starts. */
export interface FeatureConfig {
  /** `lookup`: exact names, ids grow as features appear; `hash`: 2^bits slots, no names kept. */
  mode: FeatureMode;
  /** log2 of the number of slots in hash mode. */
  bits: number;
  /** Longest word n-gram (1 = tokens only) built from consecutive features of a namespace. */
  ngrams: number;
  /**
   * Namespaces to cross, by first character: pairs (`'ab'` crosses namespaces a* with b*) and
   * triples (`'abc'`, cubic: every a*, b*, c* feature triple).
   */
  interactions: string[];
  /** Whether a constant bias feature is added. */
  bias: boolean;
  /** Lookup mode: the most distinct features kept; later new features are ignored (bounded memory). */
  maxFeatures: number;
  /** Repeated features: `count` sums their values; `log` maps a sum v to sign(v)·log(1+|v|); `binary` keeps 1. */
  repeats: 'count' | 'log' | 'binary';
  /** Scale each example (bias excluded) to unit L2 norm. */
  unitNorm: boolean;
}

export const DEFAULT_FEATURES: Readonly<FeatureConfig> = Object.freeze({
  mode: 'lookup',
  bits: 22,
  ngrams: 1,
  interactions: Object.freeze([]) as unknown as string[],
  bias: true,
  maxFeatures: 1 << 24,
  repeats: 'count',
  unitNorm: true,
});

/** The lookup key of the bias feature: starts with a NUL byte, which whitespace tokens in text never are alone. */
export const BIAS_KEY = Buffer.from('\u0000bias', 'latin1');
const BIAS_HASH = murmur3(BIAS_KEY, 0, BIAS_KEY.length, 0);

/** Checks a feature configuration; throws UsageError naming the bad field. */
export function validateFeatureConfig(c: FeatureConfig): void {
  if (c.mode !== 'lookup' && c.mode !== 'hash') throw new UsageError(`features: mode must be lookup or hash, got '${String(c.mode)}'`);
  if (!Number.isInteger(c.bits) || c.bits < 1 || c.bits > 30) throw new UsageError(`features: bits must be an integer in [1, 30], got ${c.bits}`);
  if (!Number.isInteger(c.ngrams) || c.ngrams < 1 || c.ngrams > 8) throw new UsageError(`features: ngrams must be an integer in [1, 8], got ${c.ngrams}`);
  for (const q of c.interactions)
    if (q.length !== 2 && q.length !== 3)
      throw new UsageError(`features: each interaction is two or three namespace characters (like 'ab' or 'abc'), got '${q}'`);
  if (c.repeats !== 'count' && c.repeats !== 'log' && c.repeats !== 'binary')
    throw new UsageError(`features: repeats must be count, log or binary, got '${String(c.repeats)}'`);
  if (typeof c.unitNorm !== 'boolean') throw new UsageError('features: unitNorm must be a boolean');
  if (!Number.isInteger(c.maxFeatures) || c.maxFeatures < 1 || c.maxFeatures > 1 << 30)
    throw new UsageError(`features: maxFeatures must be in [1, 2^30], got ${c.maxFeatures}`);
}

/** Encodes parsed lines into (slot, value) lists; one instance per model, scratch reused. */
export class FeatureEncoder {
  readonly config: FeatureConfig;
  /** Lookup mode only. */
  readonly lookup: FeatureLookup | null;
  /** Encoded example: slots idx[0, n), values val[0, n). */
  idx = new Int32Array(256);
  val = new Float32Array(256);
  n = 0;
  /** Lookup mode: new features ignored because maxFeatures was reached. */
  dropped = 0;

  private readonly mask: number;
  private readonly crossA: Int32Array;
  private readonly crossB: Int32Array;
  /** Third namespace of cubic interactions (-1 for pairs). */
  private readonly crossC: Int32Array;
  // token slots and values of a line `takesTokens` accepts: (F)
  tokSlot = new Int32Array(64);
  tokVal = new Float32Array(64);
  // per line feature hash, weighted value, key range (lookup): (F)
  private fh = new Uint32Array(64);
  private fv = new Float32Array(64);
  private keyStart = new Int32Array(64);
  private keyEnd = new Int32Array(64);
  private keys = Buffer.alloc(4096);
  private keysUsed = 0;
  // small open-addressing table merging repeated slots: slot -> position in idx
  private dedupSlot = new Int32Array(512);
  private dedupPos = new Int32Array(512);
  private dedupGen = new Int32Array(512);
  private gen = 0;

  constructor(config: FeatureConfig, lookup?: FeatureLookup) {
    validateFeatureConfig(config);
    this.config = { ...config, interactions: [...config.interactions] };
    this.mask = config.mode === 'hash' ? (1 << config.bits) - 1 : 0;
    this.crossA = Int32Array.from(config.interactions, (q) => q.charCodeAt(0));
    this.crossB = Int32Array.from(config.interactions, (q) => q.charCodeAt(1));
    this.crossC = Int32Array.from(config.interactions, (q) => (q.length === 3 ? q.charCodeAt(2) : -1));
    if (config.mode === 'lookup') {
      this.lookup = lookup ?? new FeatureLookup();
      if (this.lookup.size === 0) this.lookup.add(BIAS_KEY, 0, BIAS_KEY.length, BIAS_HASH);
    } else {
      this.lookup = null;
    }
  }

  /** Number of weight slots the encoded ids can reach (grows in lookup mode). */
  get slots(): number {
    return this.lookup ? this.lookup.size : 1 << this.config.bits;
  }

  /** The readable name of a slot: the feature name (lookup) or `#slot` (hash). */
  slotName(slot: number): string {
    if (!this.lookup) return `#${slot}`;
    return slot === 0 ? '<bias>' : this.lookup.name(slot);
  }

  /**
   * Encodes `line` into idx/val/n. `grow`: in lookup mode, unseen features get new ids
   * (training); otherwise they are skipped (prediction).
   */
  encode(line: ParsedLine, grow: boolean): number {
    if (this.takesTokens(line)) {
      // the common case: features map one to one to slots, resolved then merged in one tight pass
      const nf = this.resolveTokens(line, grow);
      return this.encodeTokenSlots(this.tokSlot, 0, this.tokVal, 0, nf, line.nsCount > 0 ? line.nsWeight[0]! : 1);
    }
    this.startLine();
    if (line.n > this.fh.length) this.growLineScratch(line.n);
    const lookupMode = this.lookup !== null;
    this.encodeFeatures(line, grow);
    if (this.config.repeats !== 'count' || this.config.unitNorm) this.transformValues();
    if (this.config.bias) this.push(lookupMode ? 0 : BIAS_HASH & this.mask, 1);
    return this.n;
  }

  /**
   * Whether `line` is the case `resolveTokens` + `encodeTokenSlots` cover: no n-grams or
   * crosses, and one weight for all its namespaces (each feature is one slot of one value).
   */
  takesTokens(line: ParsedLine): boolean {
    if (this.config.ngrams !== 1 || this.crossA.length !== 0) return false;
    const w = line.nsWeight[0];
    for (let s = 1; s < line.nsCount; s++) if (line.nsWeight[s] !== w) return false;
    return true;
  }

  /**
   * The slot of each feature of a line `takesTokens` accepts, into tokSlot/tokVal (values
   * unscaled); returns how many. Hashing masks the key hash; the lookup finds the key by its
   * hash, comparing bytes only on a hash hit, and (with `grow`) adds unseen keys. Features
   * without a slot (unseen when not growing, or past `maxFeatures`) are left out.
   */
  resolveTokens(line: ParsedLine, grow: boolean): number {
    if (line.n > this.tokSlot.length) this.growTokenScratch(line.n);
    const slot = this.tokSlot;
    const val = this.tokVal;
    const value = line.value;
    const lookup = this.lookup;
    let n = 0;
    if (lookup === null) {
      const mask = this.mask;
      for (let s = 0; s < line.nsCount; s++) {
        const seed = line.nsEnd[s]! > line.nsStart[s]! && !line.hashed ? murmur3(line.buf, line.nsStart[s]!, line.nsEnd[s]!, 0) : 0;
        for (let f = line.nsFirst[s]!; f < line.nsLast[s]!; f++) {
          slot[n] = (line.hashed ? line.hash[f]! : murmur3(line.buf, line.tokStart[f]!, line.tokEnd[f]!, seed)) & mask;
          val[n++] = value[f]!;
        }
      }
      return n;
    }
    const buf = line.buf;
    const { tokStart, tokEnd } = line;
    for (let s = 0; s < line.nsCount; s++) {
      const ns0 = line.nsStart[s]!;
      const ns1 = line.nsEnd[s]!;
      for (let f = line.nsFirst[s]!; f < line.nsLast[s]!; f++) {
        const h = line.hashed ? line.hash[f]! : this.keyHash(buf, ns0, ns1, tokStart[f]!, tokEnd[f]!);
        let id = lookup.find(buf, tokStart[f]!, tokEnd[f]!, h, ns0, ns1);
        if (id < 0) {
          if (!grow) continue;
          if (lookup.size >= this.config.maxFeatures) {
            this.dropped++;
            continue;
          }
          id = lookup.add(buf, tokStart[f]!, tokEnd[f]!, h, ns0, ns1);
        }
        slot[n] = id;
        val[n++] = value[f]!;
      }
    }
    return n;
  }

  /**
   * Encodes a line given as its feature slots `slot[slotAt, slotAt + nf)` and values
   * `value[valueAt, ...)` (scaled by `w`), from `resolveTokens`, maybe on another thread:
   * repeated slots merged, values transformed, the bias added. Returns the number of entries.
   */
  encodeTokenSlots(slot: Int32Array, slotAt: number, value: Float32Array, valueAt: number, nf: number, w: number): number {
    this.startLine();
    this.mergeTokenSlots(slot, slotAt, value, valueAt, nf, w);
    if (this.config.repeats !== 'count' || this.config.unitNorm) this.transformValues();
    if (this.config.bias) this.push(this.lookup !== null ? 0 : BIAS_HASH & this.mask, 1);
    return this.n;
  }

  /** murmur3 (seed 0) of the lookup key of a token: the token, or `ns^token` in a named namespace. */
  private keyHash(buf: Buffer, ns0: number, ns1: number, t0: number, t1: number): number {
    if (ns1 === ns0) return murmur3(buf, t0, t1, 0);
    const ks = this.keysUsed;
    this.appendKey(buf, ns0, ns1);
    this.appendByte(NS_SEPARATOR);
    this.appendKey(buf, t0, t1);
    const h = murmur3(this.keys, ks, this.keysUsed, 0);
    this.keysUsed = ks;
    return h;
  }

  private startLine(): void {
    this.n = 0;
    if (++this.gen === 0x7fffffff) {
      this.dedupGen.fill(0);
      this.gen = 1;
    }
  }

  /**
   * Merges repeated slots of a line's features: the same result as `push` one by one, with
   * the merge table inlined and sized once per line.
   */
  private mergeTokenSlots(slots: Int32Array, slotAt: number, value: Float32Array, valueAt: number, nf: number, w: number): void {
    // room for every token and the bias without growing inside the loop
    while ((nf + 1) * 2 >= this.dedupSlot.length) this.growEncoded();
    const idx = this.idx;
    const val = this.val;
    const dSlot = this.dedupSlot;
    const dPos = this.dedupPos;
    const dGen = this.dedupGen;
    const dMask = dSlot.length - 1;
    const gen = this.gen;
    let n = this.n;
    for (let f = 0; f < nf; f++) {
      const slot = slots[slotAt + f]!;
      const v = value[valueAt + f]! * w;
      let p = (slot ^ (slot >>> 16)) & dMask;
      for (;;) {
        if (dGen[p] !== gen) {
          dGen[p] = gen;
          dSlot[p] = slot;
          dPos[p] = n;
          idx[n] = slot;
          val[n] = v;
          n++;
          break;
        }
        if (dSlot[p] === slot) {
          val[dPos[p]!]! += v;
          break;
        }
        p = (p + 1) & dMask;
      }
    }
    this.n = n;
  }

  /** The general path (n-grams, crosses, namespaces of different weights): features pushed one by one. */
  private encodeFeatures(line: ParsedLine, grow: boolean): void {
    const lookupMode = this.lookup !== null;
    // n-grams and crosses are named after their parts' keys, so keep those
    const keepKeys = this.config.ngrams > 1 || this.crossA.length > 0;
    if (lookupMode) this.keysUsed = 0;
    const buf = line.buf;
    for (let s = 0; s < line.nsCount; s++) {
      const ns0 = line.nsStart[s]!;
      const ns1 = line.nsEnd[s]!;
      const named = ns1 > ns0;
      const w = line.nsWeight[s]!;
      const seed = named && !lookupMode && !line.hashed ? murmur3(buf, ns0, ns1, 0) : 0;
      for (let f = line.nsFirst[s]!; f < line.nsLast[s]!; f++) {
        const v = line.value[f]! * w;
        this.fv[f] = v;
        if (!lookupMode) {
          const h = line.hashed ? line.hash[f]! >>> 0 : murmur3(buf, line.tokStart[f]!, line.tokEnd[f]!, seed);
          this.fh[f] = h;
          this.push(h & this.mask, v);
        } else if (!keepKeys) {
          // the key is the token (or ns^token): look it up in place
          const h = line.hashed ? line.hash[f]! : this.keyHash(buf, ns0, ns1, line.tokStart[f]!, line.tokEnd[f]!);
          this.pushKey(buf, line.tokStart[f]!, line.tokEnd[f]!, h, v, grow, ns0, ns1);
        } else {
          const ks = this.keysUsed;
          if (named) {
            this.appendKey(buf, ns0, ns1);
            this.appendByte(NS_SEPARATOR);
          }
          this.appendKey(buf, line.tokStart[f]!, line.tokEnd[f]!);
          this.keyStart[f] = ks;
          this.keyEnd[f] = this.keysUsed;
          const kh = line.hashed ? line.hash[f]! : murmur3(this.keys, ks, this.keysUsed, 0);
          this.pushKey(this.keys, ks, this.keysUsed, kh, v, grow);
        }
      }
    }
    if (this.config.ngrams > 1) this.encodeNgrams(line, grow);
    if (this.crossA.length > 0) this.encodeCrosses(line, grow);
  }

  private transformValues(): void {
    const val = this.val;
    const n = this.n;
    if (this.config.repeats === 'log') {
      for (let i = 0; i < n; i++) {
        const v = val[i]!;
        val[i] = v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
      }
    } else if (this.config.repeats === 'binary') {
      for (let i = 0; i < n; i++) val[i] = val[i]! > 0 ? 1 : val[i]! < 0 ? -1 : 0;
    }
    if (this.config.unitNorm) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += val[i]! * val[i]!;
      if (ss > 0) {
        const inv = 1 / Math.sqrt(ss);
        for (let i = 0; i < n; i++) val[i]! *= inv;
      }
    }
  }

  private encodeNgrams(line: ParsedLine, grow: boolean): void {
    const lookupMode = this.lookup !== null;
    for (let s = 0; s < line.nsCount; s++) {
      const last = line.nsLast[s]!;
      for (let f = line.nsFirst[s]!; f < last; f++) {
        let h = this.fh[f]!;
        let v = this.fv[f]!;
        for (let g = 1; g < this.config.ngrams && f + g < last; g++) {
          h = ngramHash(h, this.fh[f + g]!);
          v *= this.fv[f + g]!;
          if (!lookupMode) {
            this.push(h & this.mask, v);
          } else {
            // key: the tokens' keys joined by single spaces
            const ks = this.keysUsed;
            for (let k = 0; k <= g; k++) {
              if (k > 0) this.appendByte(32);
              this.appendKey(this.keys, this.keyStart[f + k]!, this.keyEnd[f + k]!);
            }
            this.pushKey(this.keys, ks, this.keysUsed, murmur3(this.keys, ks, this.keysUsed, 0), v, grow);
            this.keysUsed = ks;
          }
        }
      }
    }
  }

  private encodeCrosses(line: ParsedLine, grow: boolean): void {
    const lookupMode = this.lookup !== null;
    for (let q = 0; q < this.crossA.length; q++) {
      if (this.crossC[q]! >= 0) {
        this.encodeTriples(line, q, grow);
        continue;
      }
      for (let s1 = 0; s1 < line.nsCount; s1++) {
        if (line.nsChar[s1] !== this.crossA[q]) continue;
        for (let s2 = 0; s2 < line.nsCount; s2++) {
          if (line.nsChar[s2] !== this.crossB[q]) continue;
          for (let i = line.nsFirst[s1]!; i < line.nsLast[s1]!; i++) {
            // within one namespace, each unordered pair once
            const j0 = s1 === s2 ? i + 1 : line.nsFirst[s2]!;
            for (let j = j0; j < line.nsLast[s2]!; j++) {
              const v = this.fv[i]! * this.fv[j]!;
              if (!lookupMode) {
                this.push(crossHash(this.fh[i]!, this.fh[j]!) & this.mask, v);
              } else {
                const ks = this.keysUsed;
                this.appendKey(this.keys, this.keyStart[i]!, this.keyEnd[i]!);
                this.appendByte(42); // *
                this.appendKey(this.keys, this.keyStart[j]!, this.keyEnd[j]!);
                this.pushKey(this.keys, ks, this.keysUsed, murmur3(this.keys, ks, this.keysUsed, 0), v, grow);
                this.keysUsed = ks;
              }
            }
          }
        }
      }
    }
  }

  /**
   * Cubic interaction q: every feature triple of namespaces a*, b*, c*; within a repeated
   * namespace each unordered combination once (as pairs do), so `aaa` gives the triples i < j < k.
   */
  private encodeTriples(line: ParsedLine, q: number, grow: boolean): void {
    const lookupMode = this.lookup !== null;
    const A = this.crossA[q]!;
    const B = this.crossB[q]!;
    const C = this.crossC[q]!;
    for (let s1 = 0; s1 < line.nsCount; s1++) {
      if (line.nsChar[s1] !== A) continue;
      for (let s2 = 0; s2 < line.nsCount; s2++) {
        if (line.nsChar[s2] !== B) continue;
        for (let s3 = 0; s3 < line.nsCount; s3++) {
          if (line.nsChar[s3] !== C) continue;
          for (let i = line.nsFirst[s1]!; i < line.nsLast[s1]!; i++) {
            const j0 = s1 === s2 ? i + 1 : line.nsFirst[s2]!;
            for (let j = j0; j < line.nsLast[s2]!; j++) {
              const hij = crossHash(this.fh[i]!, this.fh[j]!);
              const vij = this.fv[i]! * this.fv[j]!;
              const k0 = s2 === s3 ? j + 1 : s1 === s3 ? i + 1 : line.nsFirst[s3]!;
              for (let k = k0; k < line.nsLast[s3]!; k++) {
                const v = vij * this.fv[k]!;
                if (!lookupMode) {
                  this.push(crossHash(hij, this.fh[k]!) & this.mask, v);
                } else {
                  const ks = this.keysUsed;
                  this.appendKey(this.keys, this.keyStart[i]!, this.keyEnd[i]!);
                  this.appendByte(42); // *
                  this.appendKey(this.keys, this.keyStart[j]!, this.keyEnd[j]!);
                  this.appendByte(42);
                  this.appendKey(this.keys, this.keyStart[k]!, this.keyEnd[k]!);
                  this.pushKey(this.keys, ks, this.keysUsed, murmur3(this.keys, ks, this.keysUsed, 0), v, grow);
                  this.keysUsed = ks;
                }
              }
            }
          }
        }
      }
    }
  }

  private pushKey(buf: Uint8Array, start: number, end: number, hash: number, v: number, grow: boolean, ns0 = 0, ns1 = 0): void {
    const lookup = this.lookup!;
    let id = lookup.find(buf, start, end, hash, ns0, ns1);
    if (id < 0) {
      if (!grow) return;
      if (lookup.size >= this.config.maxFeatures) {
        this.dropped++;
        return;
      }
      id = lookup.add(buf, start, end, hash, ns0, ns1);
    }
    this.push(id, v);
  }

  /** Appends (slot, v), adding v to the entry of slot if it is already there. */
  private push(slot: number, v: number): void {
    if (this.n * 2 >= this.dedupSlot.length) this.growEncoded();
    const mask = this.dedupSlot.length - 1;
    // hashed slots are already spread; lookup ids are dense, and linear probing handles runs
    let p = (slot ^ (slot >>> 16)) & mask;
    for (;;) {
      if (this.dedupGen[p] !== this.gen) {
        this.dedupGen[p] = this.gen;
        this.dedupSlot[p] = slot;
        this.dedupPos[p] = this.n;
        this.idx[this.n] = slot;
        this.val[this.n] = v;
        this.n++;
        return;
      }
      if (this.dedupSlot[p] === slot) {
        this.val[this.dedupPos[p]!]! += v;
        return;
      }
      p = (p + 1) & mask;
    }
  }

  private growEncoded(): void {
    const cap = this.dedupSlot.length * 2;
    if (this.idx.length < cap) {
      const idx = new Int32Array(cap);
      idx.set(this.idx.subarray(0, this.n));
      const val = new Float32Array(cap);
      val.set(this.val.subarray(0, this.n));
      this.idx = idx;
      this.val = val;
    }
    // rebuild the merge table for the entries so far
    this.dedupSlot = new Int32Array(cap);
    this.dedupPos = new Int32Array(cap);
    this.dedupGen = new Int32Array(cap);
    const mask = cap - 1;
    for (let e = 0; e < this.n; e++) {
      const slot = this.idx[e]!;
      let p = (slot ^ (slot >>> 16)) & mask;
      while (this.dedupGen[p] === this.gen) p = (p + 1) & mask;
      this.dedupGen[p] = this.gen;
      this.dedupSlot[p] = this.idx[e]!;
      this.dedupPos[p] = e;
    }
  }

  private growTokenScratch(n: number): void {
    let cap = this.tokSlot.length;
    while (cap < n) cap *= 2;
    this.tokSlot = new Int32Array(cap);
    this.tokVal = new Float32Array(cap);
  }

  private growLineScratch(n: number): void {
    let cap = this.fh.length;
    while (cap < n) cap *= 2;
    this.fh = new Uint32Array(cap);
    this.fv = new Float32Array(cap);
    this.keyStart = new Int32Array(cap);
    this.keyEnd = new Int32Array(cap);
  }

  private appendKey(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    if (this.keysUsed + len + 1 > this.keys.length) this.growKeys(this.keysUsed + len + 1);
    // src may be this.keys itself (n-grams, crosses): copyWithin-safe since we append past the source
    this.keys.set(src.subarray(start, end), this.keysUsed);
    this.keysUsed += len;
  }

  private appendByte(b: number): void {
    if (this.keysUsed + 1 > this.keys.length) this.growKeys(this.keysUsed + 1);
    this.keys[this.keysUsed++] = b;
  }

  private growKeys(min: number): void {
    let cap = this.keys.length * 2;
    while (cap < min) cap *= 2;
    const k = Buffer.alloc(cap);
    k.set(this.keys.subarray(0, this.keysUsed));
    this.keys = k;
  }
}
