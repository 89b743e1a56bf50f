/**
 * @module
 * Search through an inverted-file index (see `store-format.ts`): the queries are scored against
 * the list centroids, and only the rows of each query's `nprobe` nearest lists are scanned (the
 * same two-stage `searchBatch` as a full scan, run once per list for all the queries probing it).
 * The rows come from a callback, so the same code searches a store in memory and the lists a page
 * fetched by range requests.
 * B = queries, K = lists, D = dim; row positions are in list order (`offsets`).
 */
import { StdHeap } from './std-heap.js';
import { decodeRow, searchBatch, SHORTLIST_FACTOR, type WordMatrix } from './word-search.js';

/** The index part of a store: K unit-length centroids and the K + 1 list starts (row positions). */
export interface IvfIndex {
  lists: number;
  dim: number;
  /** (K, D) row-major. */
  centroids: Float32Array;
  /** List l holds row positions [offsets[l], offsets[l + 1]). */
  offsets: Int32Array;
}

/** Search settings of an indexed store. */
export const DEFAULT_IVF = Object.freeze({
  /** Lists scanned per query; 0 scans every row (exact search). */
  nprobe: 16,
});

/** The `nprobe` lists nearest each query (highest centroid dot product), nearest first. */
export function nearestLists(ix: IvfIndex, queries: Float32Array, nprobe: number): Int32Array[] {
  const B = queries.length / ix.dim;
  const m: WordMatrix = { rows: ix.lists, dim: ix.dim, dtype: 'f32', data: ix.centroids };
  const res = searchBatch(
    m,
    queries,
    new Float64Array(B).fill(1),
    Math.min(nprobe, ix.lists),
    Array.from({ length: B }, () => []),
  );
  return res.map((r) => Int32Array.from(r, (s) => s.id));
}

/** The distinct lists of `probes`, in ascending order (the order their bytes lie in the file). */
export function probedLists(probes: Int32Array[]): number[] {
  const set = new Set<number>();
  for (const p of probes) for (const l of p) set.add(l);
  return [...set].sort((a, b) => a - b);
}

/**
 * The k best rows (by position) for every query among the rows of its probed lists, best first.
 * `listRows(l)` gives list l's rows as a matrix whose row 0 is position `offsets[l]`;
 * `banned[b]` holds positions to skip. Two stages, as a full scan: int8 rows (without their
 * residual) shortlist `k * SHORTLIST_FACTOR` candidates per query across its lists, and only those
 * are rescored with the residual (rescoring per list would decode far more rows than the lists hold).
 */
export function searchLists(
  ix: IvfIndex,
  probes: Int32Array[],
  rowsOf: (l: number) => WordMatrix,
  queries: Float32Array,
  norms: Float64Array,
  k: number,
  banned: number[][],
): { id: number; score: number }[][] {
  const D = ix.dim,
    B = probes.length;
  const cache = new Map<number, WordMatrix>();
  const listRows = (l: number): WordMatrix => {
    let m = cache.get(l);
    if (!m) cache.set(l, (m = rowsOf(l)));
    return m;
  };
  const byList = new Map<number, number[]>();
  probes.forEach((p, b) => {
    for (const l of p) {
      let qs = byList.get(l);
      if (!qs) byList.set(l, (qs = []));
      qs.push(b);
    }
  });
  const lists = [...byList.keys()].sort((a, b) => a - b);
  const refine = lists.some((l) => listRows(l).residual !== undefined);
  const want = refine ? k * SHORTLIST_FACTOR : k;
  // every query's best candidates across its lists
  const heaps = Array.from({ length: B }, () => new StdHeap(want));
  for (const l of lists) {
    const start = ix.offsets[l]!,
      rows = ix.offsets[l + 1]! - start;
    if (rows === 0) continue;
    const qs = byList.get(l)!;
    const q = new Float32Array(qs.length * D);
    const n = new Float64Array(qs.length);
    const ban: number[][] = [];
    qs.forEach((b, i) => {
      q.set(queries.subarray(b * D, (b + 1) * D), i * D);
      n[i] = norms[b]!;
      ban.push(banned[b]!.filter((p) => p >= start && p < start + rows).map((p) => p - start));
    });
    const m = listRows(l);
    const res = searchBatch(refine ? { ...m, residual: undefined } : m, q, n, Math.min(want, rows), ban);
    res.forEach((r, i) => {
      const h = heaps[qs[i]!]!;
      for (const s of r) if (!h.skips(s.score)) h.push(s.score, s.id + start);
    });
  }
  const best = heaps.map((h) => h.sorted());
  if (!refine) return best;
  // rescore the shortlist from the rows with their residual (as `searchBatch`'s second stage)
  const row = new Float32Array(D);
  return best.map((cands, b) => {
    const h = new StdHeap(k),
      q0 = b * D;
    for (const pos of cands.map((c) => c.id).sort((x, y) => x - y)) {
      const l = listOf(ix.offsets, pos);
      decodeRow(listRows(l), pos - ix.offsets[l]!, row);
      let s = 0;
      for (let j = 0; j < D; j++) s += row[j]! * queries[q0 + j]!;
      const score = Math.fround(s / norms[b]!);
      if (!h.skips(score)) h.push(score, pos);
    }
    return h.sorted();
  });
}

/** The list holding row position `pos` (the last list starting at or before it that is not empty). */
export function listOf(offsets: Int32Array, pos: number): number {
  let lo = 0,
    hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows `[start, start + count)` of `m` as a matrix of their own (views, no copy). */
export function rowSlice(m: WordMatrix, start: number, count: number): WordMatrix {
  const D = m.dim,
    rb = (D + 1) >> 1;
  return {
    rows: count,
    dim: D,
    dtype: m.dtype,
    data: m.data.subarray(start * D, (start + count) * D),
    scales: m.scales?.subarray(start, start + count),
    residual: m.residual?.subarray(start * rb, (start + count) * rb),
    mean: m.mean,
  };
}
