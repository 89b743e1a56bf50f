/**
 * @module
 * Batched nearest-neighbour search over a word matrix: many queries scored as one blocked
 * matrix product (a block of rows against groups of four queries, four independent
 * accumulators so the CPU overlaps them), the k best per query kept with the C++'s heap moves (`StdHeap`), so that ties come out in
 * the CLI's order.
 * B = queries, N = rows (words), D = dim.
 */
import { StdHeap } from './std-heap.js';

/** A word matrix in one of the store's element types; int8 rows carry a scale each. */
export interface WordMatrix {
  rows: number;
  dim: number;
  dtype: 'f32' | 'f16' | 'int8';
  /** (N, D) row-major. f16 values are raw IEEE half bits. */
  data: Float32Array | Uint16Array | Int8Array;
  /** int8 only: (N) per-row scales. */
  scales?: Float32Array;
}

const F16 = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) t[h] = halfToFloat(h);
  return t;
})();

/** IEEE 754 half bits to a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** A number to IEEE 754 half bits (round to nearest even). */
export function floatToHalf(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Row `i` of `m` as float32 into `out`. */
export function decodeRow(m: WordMatrix, i: number, out: Float32Array): Float32Array {
  const D = m.dim, o = i * D;
  if (m.dtype === 'f32') out.set((m.data as Float32Array).subarray(o, o + D));
  else if (m.dtype === 'f16') {
    const d = m.data as Uint16Array;
    for (let j = 0; j < D; j++) out[j] = F16[d[o + j]!]!;
  } else {
    const d = m.data as Int8Array, s = m.scales![i]!;
    for (let j = 0; j < D; j++) out[j] = d[o + j]! * s;
  }
  return out;
}

const ROW_BLOCK = 128;

/**
 * The k rows with the highest `dot(row, q_b) / norms[b]` for every query b, best first;
 * rows listed in `banned[b]` are skipped (the query words themselves, as the CLI does).
 * queries: (B, D) row-major.
 */
export function searchBatch(
  m: WordMatrix,
  queries: Float32Array,
  norms: Float64Array,
  k: number,
  banned: number[][],
): { id: number; score: number }[][] {
  const D = m.dim, N = m.rows, B = norms.length;
  const heaps = Array.from({ length: B }, () => new StdHeap(k));
  const block = new Float32Array(ROW_BLOCK * D);
  const isF32 = m.dtype === 'f32';
  const f32 = m.data as Float32Array;
  const fr = Math.fround;
  for (let r0 = 0; r0 < N; r0 += ROW_BLOCK) {
    const rn = Math.min(ROW_BLOCK, N - r0);
    // rows of this block as float32: a view for f32, decoded once per block otherwise
    let src: Float32Array;
    let base: number;
    if (isF32) {
      src = f32;
      base = r0 * D;
    } else {
      for (let r = 0; r < rn; r++) decodeRow(m, r0 + r, block.subarray(r * D, (r + 1) * D));
      src = block;
      base = 0;
    }
    let b = 0;
    for (; b + 4 <= B; b += 4) {
      const q0 = b * D, q1 = q0 + D, q2 = q1 + D, q3 = q2 + D;
      for (let r = 0; r < rn; r++) {
        const o = base + r * D;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let j = 0; j < D; j++) {
          const v = src[o + j]!;
          s0 += v * queries[q0 + j]!;
          s1 += v * queries[q1 + j]!;
          s2 += v * queries[q2 + j]!;
          s3 += v * queries[q3 + j]!;
        }
        const id = r0 + r;
        push(heaps[b]!, banned[b]!, id, fr(fr(s0) / norms[b]!));
        push(heaps[b + 1]!, banned[b + 1]!, id, fr(fr(s1) / norms[b + 1]!));
        push(heaps[b + 2]!, banned[b + 2]!, id, fr(fr(s2) / norms[b + 2]!));
        push(heaps[b + 3]!, banned[b + 3]!, id, fr(fr(s3) / norms[b + 3]!));
      }
    }
    for (; b < B; b++) {
      const q0 = b * D;
      for (let r = 0; r < rn; r++) {
        const o = base + r * D;
        let s0 = 0;
        for (let j = 0; j < D; j++) s0 += src[o + j]! * queries[q0 + j]!;
        push(heaps[b]!, banned[b]!, r0 + r, fr(fr(s0) / norms[b]!));
      }
    }
  }
  return heaps.map((h) => h.sorted());
}

function push(h: StdHeap, banned: number[], id: number, score: number): void {
  if (h.skips(score)) return;
  if (banned.length > 0 && banned.includes(id)) return;
  h.push(score, id);
}
