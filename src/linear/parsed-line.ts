/**
 * @module
 * One input line after parsing, before features are looked up or hashed: the label and
 * importance weight, and the features as byte ranges of the line grouped by namespace.
 * A single instance is reused line after line (no allocation per line).
 *
 * Legend: F = features on the line, S = namespaces on the line.
 */

/** Namespace character of the default namespace (fastText and libsvm lines, VW's `| a b`). */
export const DEFAULT_NAMESPACE = 32;

/** A parsed line; the parsers fill it, the feature encoder reads it. */
export class ParsedLine {
  /** The bytes the ranges below point into. */
  buf: Buffer = Buffer.alloc(0);
  /** Label bytes `buf[labelStart, labelEnd)`; labelStart < 0 when the line has no label. */
  labelStart = -1;
  labelEnd = -1;
  /** Importance weight of the example (VW); 1 otherwise. */
  weight = 1;
  /** Number of features. */
  n = 0;
  // tokStart, tokEnd, value: (F)
  tokStart = new Int32Array(64);
  tokEnd = new Int32Array(64);
  value = new Float32Array(64);
  /**
   * Key hash of each feature, when the parser computed it while scanning (`hashed`): murmur3
   * (seed 0) of the token in the default namespace; in a named one, what the encoder's mode
   * keys it by (see `parseVw`).
   */
  hash = new Int32Array(64);
  hashed = false;
  /** Number of namespaces. */
  nsCount = 0;
  // nsChar, nsStart, nsEnd, nsFirst, nsLast, nsWeight: (S); features of namespace s are [nsFirst[s], nsLast[s])
  nsChar = new Int32Array(8);
  nsStart = new Int32Array(8);
  nsEnd = new Int32Array(8);
  nsFirst = new Int32Array(8);
  nsLast = new Int32Array(8);
  nsWeight = new Float32Array(8);

  /** Starts a new line over `buf`. */
  reset(buf: Buffer): void {
    this.buf = buf;
    this.labelStart = -1;
    this.labelEnd = -1;
    this.weight = 1;
    this.n = 0;
    this.nsCount = 0;
    this.hashed = false;
  }

  /** Opens a namespace named `buf[start, end)` (empty = default) with a weight. */
  beginNamespace(start: number, end: number, weight: number): void {
    if (this.nsCount === this.nsChar.length) this.growNamespaces();
    const s = this.nsCount++;
    this.nsChar[s] = end > start ? this.buf[start]! : DEFAULT_NAMESPACE;
    this.nsStart[s] = start;
    this.nsEnd[s] = end;
    this.nsWeight[s] = weight;
    this.nsFirst[s] = this.n;
    this.nsLast[s] = this.n;
  }

  /** Adds a feature `buf[start, end)` with `value` to the namespace opened last. */
  addFeature(start: number, end: number, value: number): void {
    if (this.n === this.tokStart.length) this.growFeatures();
    const f = this.n++;
    this.tokStart[f] = start;
    this.tokEnd[f] = end;
    this.value[f] = value;
    this.nsLast[this.nsCount - 1] = this.n;
  }

  /** `addFeature` with the feature's key hash already computed. */
  addHashedFeature(start: number, end: number, value: number, hash: number): void {
    if (this.n === this.tokStart.length) this.growFeatures();
    const f = this.n++;
    this.tokStart[f] = start;
    this.tokEnd[f] = end;
    this.value[f] = value;
    this.hash[f] = hash;
    this.nsLast[this.nsCount - 1] = this.n;
  }

  /** The label as text, or null. */
  label(): string | null {
    return this.labelStart < 0 ? null : this.buf.toString('utf8', this.labelStart, this.labelEnd);
  }

  private growFeatures(): void {
    const cap = this.tokStart.length * 2;
    const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.tokStart = grow(this.tokStart, (n) => new Int32Array(n));
    this.tokEnd = grow(this.tokEnd, (n) => new Int32Array(n));
    this.value = grow(this.value, (n) => new Float32Array(n));
    this.hash = grow(this.hash, (n) => new Int32Array(n));
  }

  private growNamespaces(): void {
    const cap = this.nsChar.length * 2;
    const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.nsChar = grow(this.nsChar, (n) => new Int32Array(n));
    this.nsStart = grow(this.nsStart, (n) => new Int32Array(n));
    this.nsEnd = grow(this.nsEnd, (n) => new Int32Array(n));
    this.nsFirst = grow(this.nsFirst, (n) => new Int32Array(n));
    this.nsLast = grow(this.nsLast, (n) => new Int32Array(n));
    this.nsWeight = grow(this.nsWeight, (n) => new Float32Array(n));
  }
}

/** 1 for bytes that separate tokens (space, tab, vertical tab, form feed, carriage return): one load per byte in the parsers' loops. */
export const SPACE = new Uint8Array(256);
for (const c of [32, 9, 11, 12, 13]) SPACE[c] = 1;

/** Whether byte `c` separates tokens. */
export function isSpace(c: number): boolean {
  return SPACE[c] === 1;
}
