/**
 * @module
 * Builds an inverted-file index over unit-length word rows: spherical k-means (cosine is what
 * neighbour search ranks by) trained on a sample of the rows, then every row assigned to its
 * nearest centroid. Both steps score rows against centroids with the batched search kernel.
 * N = rows, K = lists, D = dim, S = sample rows.
 */
import { Rng } from '../core/rng.js';
import { searchBatch, type WordMatrix } from './word-search.js';

/** Defaults of `trainIvf`. */
export const DEFAULT_IVF_TRAIN = Object.freeze({
  /** k-means iterations over the sample. */
  iterations: 10,
  /** Sample rows per list the centroids are trained on (FAISS uses up to 256). */
  samplePerList: 64,
  seed: 1,
});

/** The default number of lists for `rows` words: about the square root, at least 1. */
export function defaultLists(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows)));
}

/** Row i of (N, D) `rows`: scoring against centroids works on row blocks of this size. */
const ASSIGN_BLOCK = 1024;

/** The nearest of K unit centroids (highest dot product) for each of the n rows in `rows`. */
export function assignRows(centroids: Float32Array, K: number, D: number, rows: Float32Array, n: number, out: Int32Array, outAt = 0): void {
  const m: WordMatrix = { rows: K, dim: D, dtype: 'f32', data: centroids };
  for (let r0 = 0; r0 < n; r0 += ASSIGN_BLOCK) {
    const b = Math.min(ASSIGN_BLOCK, n - r0);
    const q = rows.subarray(r0 * D, (r0 + b) * D);
    const res = searchBatch(
      m,
      q,
      new Float64Array(b).fill(1),
      1,
      Array.from({ length: b }, () => []),
    );
    for (let i = 0; i < b; i++) out[outAt + r0 + i] = res[i]![0]?.id ?? 0;
  }
}

/**
 * Spherical k-means centroids (K, D) for the N unit rows that `row(i, out)` writes, trained on a
 * deterministic sample of `K * samplePerList` rows (all rows when there are fewer).
 */
export function trainIvf(
  N: number,
  D: number,
  K: number,
  row: (i: number, out: Float32Array) => void,
  opts: { iterations?: number; samplePerList?: number; seed?: number } = {},
): Float32Array {
  const o = { ...DEFAULT_IVF_TRAIN, ...opts };
  const rng = new Rng(o.seed);
  const S = Math.min(N, K * o.samplePerList);
  // a sample without repeats: a partial Fisher-Yates shuffle of the row ids
  const ids = new Int32Array(N);
  for (let i = 0; i < N; i++) ids[i] = i;
  for (let i = 0; i < S; i++) {
    const j = i + Math.floor(rng.next() * (N - i));
    const t = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = t;
  }
  const sample = new Float32Array(S * D);
  for (let i = 0; i < S; i++) row(ids[i]!, sample.subarray(i * D, (i + 1) * D));
  const centroids = new Float32Array(K * D);
  // start from K distinct sample rows
  for (let c = 0; c < K; c++) centroids.set(sample.subarray((c % S) * D, ((c % S) + 1) * D), c * D);
  const assign = new Int32Array(S);
  const sums = new Float64Array(K * D);
  const counts = new Int32Array(K);
  for (let it = 0; it < o.iterations; it++) {
    assignRows(centroids, K, D, sample, S, assign);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < S; i++) {
      const c = assign[i]!;
      counts[c]!++;
      for (let j = 0; j < D; j++) sums[c * D + j]! += sample[i * D + j]!;
    }
    for (let c = 0; c < K; c++) {
      if (counts[c] === 0) {
        // an empty list takes a random sample row, so that every list can be used
        const r = Math.floor(rng.next() * S);
        centroids.set(sample.subarray(r * D, (r + 1) * D), c * D);
        continue;
      }
      let n = 0;
      for (let j = 0; j < D; j++) n += sums[c * D + j]! * sums[c * D + j]!;
      const a = n > 0 ? 1 / Math.sqrt(n) : 0;
      for (let j = 0; j < D; j++) centroids[c * D + j] = sums[c * D + j]! * a;
    }
  }
  return centroids;
}

/**
 * The row order of an indexed store from every row's list: `ids` (position -> row id, lists in
 * order, ids ascending within a list), `positions` (row id -> position) and the K + 1 list starts.
 */
export function listOrder(assign: Int32Array, K: number): { ids: Int32Array; positions: Int32Array; offsets: Int32Array } {
  const N = assign.length;
  const offsets = new Int32Array(K + 1);
  for (let i = 0; i < N; i++) offsets[assign[i]! + 1]!++;
  for (let c = 0; c < K; c++) offsets[c + 1]! += offsets[c]!;
  const fill = offsets.slice(0, K);
  const ids = new Int32Array(N);
  const positions = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const p = fill[assign[i]!]!++;
    ids[p] = i;
    positions[i] = p;
  }
  return { ids, positions, offsets };
}
