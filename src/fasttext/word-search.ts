/**
 * @module
 * Batched nearest-neighbour search over a word matrix: many queries scored as one blocked
 * matrix product (a block of rows against groups of four queries, four independent
 * accumulators so the CPU overlaps them), the k best per query kept with the C++'s heap moves (`StdHeap`), so that ties come out in
 * the CLI's order. int8 matrices with a residual are searched in two stages: the int8 rows
 * shortlist `k * SHORTLIST_FACTOR` candidates per query, then those are rescored from the rows
 * with their residual added (about 12 bits per value), which is what recall needs: the ten
 * nearest words are often separated by less than int8's rounding error.
 * B = queries, N = rows (words), D = dim.
 */
import { halfToFloat } from '../core/half.js';
import { StdHeap } from './std-heap.js';
import { dotsKernel, type DotsKernel } from './wasm/dots-wasm.js';

/** A word matrix in one of the store's element types; int8 rows carry a scale each. */
export interface WordMatrix {
  rows: number;
  dim: number;
  dtype: 'f32' | 'f16' | 'int8';
  /** (N, D) row-major. f16 values are raw IEEE half bits. */
  data: Float32Array | Uint16Array | Int8Array;
  /** int8 only: (N) per-row scales. */
  scales?: Float32Array;
  /** int8 only, optional: (N, ceil(D / 2)) packed 4-bit residuals (see `encodeRows`). */
  residual?: Uint8Array;
  /** int8 only, optional: (D) row added to every decoded row (the store quantised rows minus it). */
  mean?: Float32Array;
}

/** The residual's step is the row's int8 scale divided by this (values -7..7 cover half a step). */
export const RESIDUAL_STEPS = 14;
/** Candidates per wanted neighbour that the int8 stage passes on to rescoring. */
export const SHORTLIST_FACTOR = 8;

// built on first use: importing this module (every model open does) should not cost 65,536 conversions
let f16Table: Float32Array | null = null;
function f16(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = halfToFloat(h);
  }
  return f16Table;
}

/** Row `i` of `m` as float32 into `out` (int8 rows with their residual when `m` has one). */
export function decodeRow(m: WordMatrix, i: number, out: Float32Array): Float32Array {
  const D = m.dim,
    o = i * D;
  if (m.dtype === 'f32') out.set((m.data as Float32Array).subarray(o, o + D));
  else if (m.dtype === 'f16') {
    const d = m.data as Uint16Array,
      F16 = f16();
    for (let j = 0; j < D; j++) out[j] = F16[d[o + j]!]!;
  } else {
    const d = m.data as Int8Array,
      s = m.scales![i]!;
    const mean = m.mean;
    if (mean) for (let j = 0; j < D; j++) out[j] = Math.fround(d[o + j]! * s + mean[j]!);
    else for (let j = 0; j < D; j++) out[j] = d[o + j]! * s;
    const res = m.residual;
    if (res) {
      const rb = (D + 1) >> 1,
        ro = i * rb,
        step = s / RESIDUAL_STEPS;
      for (let j = 0; j < D; j++) {
        const b = res[ro + (j >> 1)]!;
        out[j] = Math.fround(out[j]! + (((j & 1) === 0 ? b & 15 : b >> 4) - 8) * step);
      }
    }
  }
  return out;
}

const ROW_BLOCK = 128;

/**
 * The k rows with the highest `dot(row, q_b) / norms[b]` for every query b, best first;
 * rows listed in `banned[b]` are skipped (the query words themselves, as the CLI does).
 * queries: (B, D) row-major. With `exact`, f32 matrices are scored with float32 rounding at
 * every step, like the C++ `dotRow`, so scores and ties match fastText to the last digit.
 * Otherwise the WebAssembly SIMD kernel scores blocks of rows (several times faster; sums in
 * another order, so the last printed digit can differ).
 */
export function searchBatch(
  m: WordMatrix,
  queries: Float32Array,
  norms: Float64Array,
  k: number,
  banned: number[][],
  opts: { exact?: boolean } = {},
): { id: number; score: number }[][] {
  if (m.residual) {
    const shortlist = searchBatch({ ...m, residual: undefined }, queries, norms, Math.min(m.rows, k * SHORTLIST_FACTOR), banned, opts);
    return rescore(m, shortlist, queries, norms, k);
  }
  const kern = opts.exact ? null : dotsKernel();
  if (kern) return searchWasm(kern, m, queries, norms, k, banned);
  const D = m.dim,
    N = m.rows,
    B = norms.length;
  const heaps = Array.from({ length: B }, () => new StdHeap(k));
  const block = new Float32Array(ROW_BLOCK * D);
  const isF32 = m.dtype === 'f32';
  const scores = new Float64Array(4 * ROW_BLOCK);
  for (let r0 = 0; r0 < N; r0 += ROW_BLOCK) {
    const rn = Math.min(ROW_BLOCK, N - r0);
    // rows of this block as float32: a view for f32, decoded once per block otherwise
    let src: Float32Array;
    let base: number;
    if (isF32) {
      src = m.data as Float32Array;
      base = r0 * D;
    } else {
      for (let r = 0; r < rn; r++) decodeRow(m, r0 + r, block.subarray(r * D, (r + 1) * D));
      src = block;
      base = 0;
    }
    for (let b = 0; b < B; b += 4) {
      const nq = Math.min(4, B - b);
      if (nq === 4) {
        if (isF32) dots4Exact(src, base, rn, D, queries, b * D, scores);
        else dots4(src, base, rn, D, queries, b * D, scores);
      } else {
        for (let q = 0; q < nq; q++) dots1(src, base, rn, D, queries, (b + q) * D, scores, q, isF32);
      }
      for (let q = 0; q < nq; q++) {
        const h = heaps[b + q]!,
          ban = banned[b + q]!,
          nrm = norms[b + q]!;
        for (let r = 0; r < rn; r++) {
          const score = Math.fround(scores[r * 4 + q]! / nrm);
          if (h.skips(score)) continue;
          if (ban.length > 0 && ban.includes(r0 + r)) continue;
          h.push(score, r0 + r);
        }
      }
    }
  }
  return heaps.map((h) => h.sorted());
}

/** The k best of each query's candidates, scored from the rows with their residual. */
function rescore(
  m: WordMatrix,
  shortlist: { id: number; score: number }[][],
  queries: Float32Array,
  norms: Float64Array,
  k: number,
): { id: number; score: number }[][] {
  const D = m.dim,
    row = new Float32Array(D);
  return shortlist.map((cands, b) => {
    // candidates in row order, so that equal scores meet the heap as in a full scan
    const ids = cands.map((c) => c.id).sort((x, y) => x - y);
    const h = new StdHeap(k),
      q0 = b * D;
    for (const id of ids) {
      decodeRow(m, id, row);
      let s = 0;
      for (let j = 0; j < D; j++) s += row[j]! * queries[q0 + j]!;
      const score = Math.fround(s / norms[b]!);
      if (!h.skips(score)) h.push(score, id);
    }
    return h.sorted();
  });
}

// scores[r * 4 + q] = dot(row r, query q) for four queries at once: four independent
// accumulators per row let the CPU overlap them.
function dots4Exact(src: Float32Array, base: number, rn: number, D: number, Q: Float32Array, q0: number, scores: Float64Array): void {
  const fr = Math.fround;
  const q1 = q0 + D,
    q2 = q1 + D,
    q3 = q2 + D;
  for (let r = 0; r < rn; r++) {
    const o = base + r * D;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let j = 0; j < D; j++) {
      const v = src[o + j]!;
      s0 = fr(s0 + fr(v * Q[q0 + j]!));
      s1 = fr(s1 + fr(v * Q[q1 + j]!));
      s2 = fr(s2 + fr(v * Q[q2 + j]!));
      s3 = fr(s3 + fr(v * Q[q3 + j]!));
    }
    scores[r * 4] = s0;
    scores[r * 4 + 1] = s1;
    scores[r * 4 + 2] = s2;
    scores[r * 4 + 3] = s3;
  }
}

function dots4(src: Float32Array, base: number, rn: number, D: number, Q: Float32Array, q0: number, scores: Float64Array): void {
  const q1 = q0 + D,
    q2 = q1 + D,
    q3 = q2 + D;
  for (let r = 0; r < rn; r++) {
    const o = base + r * D;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let j = 0; j < D; j++) {
      const v = src[o + j]!;
      s0 += v * Q[q0 + j]!;
      s1 += v * Q[q1 + j]!;
      s2 += v * Q[q2 + j]!;
      s3 += v * Q[q3 + j]!;
    }
    scores[r * 4] = s0;
    scores[r * 4 + 1] = s1;
    scores[r * 4 + 2] = s2;
    scores[r * 4 + 3] = s3;
  }
}

function dots1(src: Float32Array, base: number, rn: number, D: number, Q: Float32Array, q0: number, scores: Float64Array, slot: number, exact: boolean): void {
  const fr = Math.fround;
  for (let r = 0; r < rn; r++) {
    const o = base + r * D;
    let s = 0;
    if (exact) for (let j = 0; j < D; j++) s = fr(s + fr(src[o + j]! * Q[q0 + j]!));
    else for (let j = 0; j < D; j++) s += src[o + j]! * Q[q0 + j]!;
    scores[r * 4 + slot] = s;
  }
}

/** `searchBatch` on the SIMD kernel: rows decoded to float32 a block at a time into its memory. */
function searchWasm(
  kern: DotsKernel,
  m: WordMatrix,
  queries: Float32Array,
  norms: Float64Array,
  k: number,
  banned: number[][],
): { id: number; score: number }[][] {
  const D = m.dim,
    N = m.rows,
    B = norms.length;
  const D4 = Math.ceil(D / 4) * 4;
  const heaps = Array.from({ length: B }, () => new StdHeap(k));
  const qsOff = 0;
  const rowsOff = qsOff + B * D4 * 4;
  const outOff = rowsOff + ROW_BLOCK * D4 * 4;
  const need = outOff + ROW_BLOCK * B * 4;
  const mem = kern.memory;
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
  const qs = new Float32Array(mem.buffer, qsOff, B * D4);
  const rows = new Float32Array(mem.buffer, rowsOff, ROW_BLOCK * D4);
  const out = new Float32Array(mem.buffer, outOff, ROW_BLOCK * B);
  qs.fill(0);
  for (let b = 0; b < B; b++) qs.set(queries.subarray(b * D, (b + 1) * D), b * D4);
  rows.fill(0);
  const f32 = m.dtype === 'f32' ? (m.data as Float32Array) : null;
  for (let r0 = 0; r0 < N; r0 += ROW_BLOCK) {
    const rn = Math.min(ROW_BLOCK, N - r0);
    if (f32 && D4 === D) rows.set(f32.subarray(r0 * D, (r0 + rn) * D));
    else for (let r = 0; r < rn; r++) decodeRow(m, r0 + r, rows.subarray(r * D4, r * D4 + D));
    kern.scores(rowsOff, rn, D4, qsOff, B, outOff);
    for (let q = 0; q < B; q++) {
      const h = heaps[q]!,
        ban = banned[q]!,
        nrm = norms[q]!;
      for (let r = 0; r < rn; r++) {
        const score = Math.fround(out[r * B + q]! / nrm);
        if (h.skips(score)) continue;
        if (ban.length > 0 && ban.includes(r0 + r)) continue;
        h.push(score, r0 + r);
      }
    }
  }
  return heaps.map((h) => h.sorted());
}
