/**
 * @module
 * From per-frame scores to time markers: frame scores are spread over the mel columns each
 * frame covers (overlap-add mean), optionally smoothed, thresholded, ANDed with the speech gate,
 * and the positive runs merged into segments (short gaps filled, short blips dropped).
 */

/** One detected stretch of the target voice. */
export interface Segment {
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  /** Mean column score over the segment. */
  score: number;
}

/** How columns become segments. */
export interface SegmentOptions {
  /** Decision threshold on the column score. */
  threshold: number;
  /** Seconds per column (hop length / sample rate). */
  columnSeconds: number;
  /** Gaps shorter than this (seconds) between positive runs are filled. Default 0. */
  maxGap?: number;
  /** Runs shorter than this (seconds) after gap filling are dropped. Default 0. */
  minDuration?: number;
  /** Column offset of `scores[0]` (for streaming). Default 0. */
  offsetColumns?: number;
}

/**
 * Overlap-add mean of frame scores onto columns: frame f covers columns
 * [starts[f], starts[f] + frameCols). Columns no frame covers get NaN.
 * out: (nCols,)
 */
export function columnScores(frameScores: Float32Array, starts: Int32Array, frameCols: number, nCols: number): Float32Array {
  const sum = new Float64Array(nCols);
  const count = new Int32Array(nCols);
  for (let f = 0; f < frameScores.length; f++) {
    const end = Math.min(nCols, starts[f]! + frameCols);
    for (let c = Math.max(0, starts[f]!); c < end; c++) {
      sum[c]! += frameScores[f]!;
      count[c]!++;
    }
  }
  const out = new Float32Array(nCols);
  for (let c = 0; c < nCols; c++) out[c] = count[c]! > 0 ? sum[c]! / count[c]! : Number.NaN;
  return out;
}

/** Centred moving median over `width` columns (odd), NaNs ignored; width <= 1 returns a copy. */
export function medianSmooth(x: Float32Array, width: number): Float32Array {
  const out = x.slice();
  if (width <= 1) return out;
  const h = Math.floor(width / 2);
  const win: number[] = [];
  for (let i = 0; i < x.length; i++) {
    win.length = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(x.length - 1, i + h); j++) if (!Number.isNaN(x[j]!)) win.push(x[j]!);
    if (win.length === 0) continue;
    win.sort((a, b) => a - b);
    const m = win.length >> 1;
    out[i] = win.length % 2 ? win[m]! : (win[m - 1]! + win[m]!) / 2;
  }
  return out;
}

/**
 * Positive columns (score > threshold and, when given, gate[c] set) merged into segments.
 * Gaps up to `maxGap` are filled only between two positive runs; the segment score is the
 * mean score of its positive columns.
 */
export function mergeSegments(scores: Float32Array, gate: Uint8Array | null, opts: SegmentOptions): Segment[] {
  const { threshold, columnSeconds } = opts;
  const maxGapCols = Math.round((opts.maxGap ?? 0) / columnSeconds);
  const minCols = Math.round((opts.minDuration ?? 0) / columnSeconds);
  const offset = opts.offsetColumns ?? 0;
  const runs: { a: number; b: number; sum: number; n: number }[] = [];
  let c = 0;
  while (c < scores.length) {
    if (!(scores[c]! > threshold && (gate === null || gate[c]))) {
      c++;
      continue;
    }
    const a = c;
    let sum = 0;
    while (c < scores.length && scores[c]! > threshold && (gate === null || gate[c])) sum += scores[c++]!;
    const last = runs[runs.length - 1];
    if (last && a - last.b <= maxGapCols) {
      last.b = c;
      last.sum += sum;
      last.n += c - a;
    } else runs.push({ a, b: c, sum, n: c - a });
  }
  return runs
    .filter((r) => r.b - r.a >= minCols)
    .map((r) => ({ start: (offset + r.a) * columnSeconds, end: (offset + r.b) * columnSeconds, score: r.sum / r.n }));
}

/**
 * Gate-aware smoothing: every island of open gate (a run of speech columns) shorter than
 * `maxColumns` takes the mean score of its columns. Pauses bound the islands, so a turn is
 * judged as a whole and its edges come from the gate, not from 2 s frames that straddle the
 * pause and the neighbouring speaker. Longer islands keep their column scores (several
 * speakers may talk without a pause). NaN columns are skipped.
 */
export function islandSmooth(scores: Float32Array, gate: Uint8Array, maxColumns: number): Float32Array {
  const out = scores.slice();
  let c = 0;
  while (c < scores.length) {
    if (!gate[c]) {
      c++;
      continue;
    }
    const a = c;
    let sum = 0,
      n = 0;
    while (c < scores.length && gate[c]) {
      if (!Number.isNaN(scores[c]!)) {
        sum += scores[c]!;
        n++;
      }
      c++;
    }
    if (c - a <= maxColumns && n > 0) out.fill(sum / n, a, c);
  }
  return out;
}
