/**
 * @module
 * The bounded "k best" selection of fastText (`getNN`, `Loss::findKBest`, the hierarchical
 * softmax `dfs`), reproduced operation for operation: libstdc++'s `push_heap`, `pop_heap` and
 * `sort_heap` with fastText's comparator `l.first > r.first`. Equal scores are common
 * (table sigmoid, zero vectors); only the same heap moves give the CLI's order among them,
 * which `TopK`'s first-pushed-wins rule does not.
 */

/** A min-heap of (score, id) with at most `k` items, driven like the C++ vector-as-heap. */
export class StdHeap {
  readonly k: number;
  private scores: Float64Array;
  private ids: Int32Array;
  private n = 0;

  constructor(k: number) {
    this.k = k;
    this.scores = new Float64Array(k + 1);
    this.ids = new Int32Array(k + 1);
  }

  get size(): number {
    return this.n;
  }

  /** `heap.front().first`: the smallest kept score. */
  get front(): number {
    return this.scores[0]!;
  }

  /** Whether the C++ would skip `score` (`heap.size() == k && score < heap.front().first`). */
  skips(score: number): boolean {
    return this.n === this.k && score < this.scores[0]!;
  }

  /** `push_back` + `push_heap`, then `pop_heap` + `pop_back` when over k. */
  push(score: number, id: number): void {
    this.scores[this.n] = score;
    this.ids[this.n] = id;
    this.n++;
    this.siftUp(this.n - 1, 0, score, id);
    if (this.n > this.k) {
      this.popTo(this.n - 1);
      this.n--;
    }
  }

  // libstdc++ __push_heap: move the hole up while the parent compares "greater" (comp(parent, value)).
  private siftUp(hole: number, top: number, score: number, id: number): void {
    const s = this.scores,
      d = this.ids;
    let parent = (hole - 1) >> 1;
    while (hole > top && s[parent]! > score) {
      s[hole] = s[parent]!;
      d[hole] = d[parent]!;
      hole = parent;
      parent = (hole - 1) >> 1;
    }
    s[hole] = score;
    d[hole] = id;
  }

  // libstdc++ __pop_heap(first, last=result, result): moves the front to `result`, re-heaps [0, result).
  private popTo(result: number): void {
    const s = this.scores,
      d = this.ids;
    const vs = s[result]!,
      vd = d[result]!;
    s[result] = s[0]!;
    d[result] = d[0]!;
    const len = result;
    let hole = 0;
    let child = 0;
    while (child < (len - 1) >> 1) {
      child = 2 * (child + 1);
      if (s[child]! > s[child - 1]!) child--;
      s[hole] = s[child]!;
      d[hole] = d[child]!;
      hole = child;
    }
    if ((len & 1) === 0 && child === (len - 2) >> 1) {
      child = 2 * (child + 1);
      s[hole] = s[child - 1]!;
      d[hole] = d[child - 1]!;
      hole = child - 1;
    }
    this.siftUp(hole, 0, vs, vd);
  }

  /** `sort_heap`: the kept items, highest score first, in the C++'s order among equals. */
  sorted(): { id: number; score: number }[] {
    const n = this.sortInPlace();
    return Array.from({ length: n }, (_, i) => ({ id: this.ids[i]!, score: this.scores[i]! }));
  }

  /**
   * `sort_heap` without allocating: returns how many items were kept; `idAt(i)` and `scoreAt(i)`
   * read them, best first, until the next `push`. The heap is empty afterwards.
   */
  sortInPlace(): number {
    const n = this.n;
    for (let last = n; last > 1; last--) this.popTo(last - 1);
    this.n = 0;
    return n;
  }

  /** Id of the i-th best item after `sortInPlace`. */
  idAt(i: number): number {
    return this.ids[i]!;
  }

  /** Score of the i-th best item after `sortInPlace`. */
  scoreAt(i: number): number {
    return this.scores[i]!;
  }
}
