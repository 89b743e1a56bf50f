/**
 * @module
 * Keeps the k largest scores of a stream with a binary min-heap: O(n log k), no sorting of
 * the whole stream. Ties keep the item pushed first.
 */

/** One kept item: its id and score. */
export interface Scored {
  id: number;
  score: number;
}

/** The k highest-scoring ids pushed so far. */
export class TopK {
  readonly k: number;
  private ids: Int32Array;
  private scores: Float64Array;
  private order: Float64Array; // push order, to break ties in favour of earlier items
  private size = 0;
  private pushed = 0;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`TopK: k must be a non-negative integer, got ${k}`);
    this.k = k;
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
    this.order = new Float64Array(k);
  }

  /** Number of items kept (at most k). */
  get length(): number {
    return this.size;
  }

  /** The smallest kept score, or -Infinity while fewer than k items are kept. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  // a is "less" than b when its score is lower, or equal and pushed later
  private less(i: number, j: number): boolean {
    const si = this.scores[i]!;
    const sj = this.scores[j]!;
    return si < sj || (si === sj && this.order[i]! > this.order[j]!);
  }

  private swap(i: number, j: number): void {
    const id = this.ids[i]!,
      s = this.scores[i]!,
      o = this.order[i]!;
    this.ids[i] = this.ids[j]!;
    this.scores[i] = this.scores[j]!;
    this.order[i] = this.order[j]!;
    this.ids[j] = id;
    this.scores[j] = s;
    this.order[j] = o;
  }

  /** Offers `id` with `score`; returns true if it was kept. NaN scores are never kept. */
  push(id: number, score: number): boolean {
    const seq = this.pushed++;
    if (this.k === 0 || Number.isNaN(score)) return false;
    if (this.size < this.k) {
      let i = this.size++;
      this.ids[i] = id;
      this.scores[i] = score;
      this.order[i] = seq;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.less(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return true;
    }
    if (score <= this.scores[0]!) return false;
    this.ids[0] = id;
    this.scores[0] = score;
    this.order[0] = seq;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < this.size && this.less(l, m)) m = l;
      if (r < this.size && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return true;
  }

  /** The kept items, highest score first (ties: pushed first comes first). */
  sorted(): Scored[] {
    const idx = Array.from({ length: this.size }, (_, i) => i);
    idx.sort((a, b) => this.scores[b]! - this.scores[a]! || this.order[a]! - this.order[b]!);
    return idx.map((i) => ({ id: this.ids[i]!, score: this.scores[i]! }));
  }
}

/** The k largest entries of `scores`, highest first. */
export function topK(scores: ArrayLike<number>, k: number): Scored[] {
  const t = new TopK(Math.min(k, scores.length));
  for (let i = 0; i < scores.length; i++) t.push(i, scores[i]!);
  return t.sorted();
}
