/**
 * @module
 * Threshold selection on held-out scores: the equal-error point, where the miss rate on
 * target scores equals the false-alarm rate on non-target scores.
 */
import { UsageError } from '../core/errors.js';
import { mergeSegments } from './segments.js';

/** The equal-error threshold and the error rate there. */
export interface EqualError {
  threshold: number;
  /** (miss + false alarm) / 2 at the threshold. */
  eer: number;
}

/**
 * Threshold at the equal-error point of `targets` vs `nonTargets` (decision: score > threshold).
 * Sweeps every distinct score; the threshold returned sits midway between the two scores where
 * miss and false-alarm rates cross.
 */
export function equalErrorThreshold(targets: ArrayLike<number>, nonTargets: ArrayLike<number>): EqualError {
  if (targets.length === 0 || nonTargets.length === 0)
    throw new UsageError(`equalErrorThreshold: need target and non-target scores, got ${targets.length} and ${nonTargets.length}`);
  const all = new Float64Array(targets.length + nonTargets.length);
  const isT = new Uint8Array(all.length);
  for (let i = 0; i < targets.length; i++) {
    all[i] = targets[i]!;
    isT[i] = 1;
  }
  for (let i = 0; i < nonTargets.length; i++) all[targets.length + i] = nonTargets[i]!;
  const order = Array.from(all.keys()).sort((a, b) => all[a]! - all[b]!);
  // threshold below order[k]: everything from k on is accepted
  let misses = 0; // targets at or below the threshold
  let fas = nonTargets.length; // non-targets above it
  let best = { threshold: all[order[0]!]! - 1e-6, eer: Infinity, gap: Infinity };
  const consider = (thr: number): void => {
    const m = misses / targets.length;
    const f = fas / nonTargets.length;
    const gap = Math.abs(m - f);
    if (gap < best.gap || (gap === best.gap && (m + f) / 2 < best.eer)) best = { threshold: thr, eer: (m + f) / 2, gap };
  };
  consider(best.threshold);
  for (let k = 0; k < order.length; k++) {
    if (isT[order[k]!]) misses++;
    else fas--;
    const here = all[order[k]!]!;
    const next = k + 1 < order.length ? all[order[k + 1]!]! : here + 1e-6;
    if (next === here) continue;
    consider((here + next) / 2);
  }
  return { threshold: best.threshold, eer: best.eer };
}

/**
 * The equal-error point of normal fits to the two score sets: the t where
 * Φ((t − μt)/σt) = 1 − Φ((t − μn)/σn), i.e. t = (μt·σn + μn·σt) / (σt + σn), with the error
 * rate Φ(−(μt − μn)/(σt + σn)). Unlike the empirical point it stays well defined when held-out
 * scores barely overlap (a well-trained net): the empirical point then lands anywhere in the
 * gap, typically hugging one class, while detection-time scores of the target sit lower
 * (frames straddle pauses and neighbours).
 */
export function gaussianEqualErrorThreshold(targets: ArrayLike<number>, nonTargets: ArrayLike<number>): EqualError {
  if (targets.length < 2 || nonTargets.length < 2)
    throw new UsageError(`gaussianEqualErrorThreshold: need at least 2 target and 2 non-target scores, got ${targets.length} and ${nonTargets.length}`);
  const stats = (x: ArrayLike<number>): [number, number] => {
    let s = 0,
      s2 = 0;
    for (let i = 0; i < x.length; i++) {
      s += x[i]!;
      s2 += x[i]! * x[i]!;
    }
    const m = s / x.length;
    return [m, Math.sqrt(Math.max((s2 - x.length * m * m) / (x.length - 1), 1e-12))];
  };
  const [mt, st] = stats(targets);
  const [mn, sn] = stats(nonTargets);
  const z = (mt - mn) / (st + sn);
  return { threshold: (mt * sn + mn * st) / (st + sn), eer: 0.5 * erfc(z / Math.SQRT2) };
}

/** Complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * The lowest threshold at which at most `rate` of `nonTargets` score above it (decision:
 * score > threshold): a precision-oriented point that ignores the target scores.
 */
export function falseAlarmThreshold(nonTargets: ArrayLike<number>, rate: number): number {
  if (nonTargets.length === 0) throw new UsageError('falseAlarmThreshold: no non-target scores');
  if (!(rate >= 0 && rate < 1)) throw new UsageError(`falseAlarmThreshold: rate must be in [0, 1), got ${rate}`);
  const sorted = Float64Array.from(nonTargets).sort();
  const allowed = Math.floor(rate * sorted.length); // scores allowed above the threshold
  return sorted[sorted.length - 1 - allowed]!;
}

/** Share of `scores` at or below `threshold` (misses, for target scores). */
export function missRate(scores: ArrayLike<number>, threshold: number): number {
  let m = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! <= threshold) m++;
  return scores.length ? m / scores.length : Number.NaN;
}

/** A held-out broadcast as `detect` scored it: column scores, gate and truth per column. */
export interface ScoredBroadcast {
  scores: Float32Array;
  gate: Uint8Array;
  isTarget: Uint8Array;
  columnSeconds: number;
}

/** The threshold of best held-out F1 and the F1 there. */
export interface BestF1 {
  threshold: number;
  f1: number;
  /** The range of thresholds within `tolerance` of the best F1 (the threshold is its middle). */
  range: [number, number];
}

/**
 * The threshold at which detection itself — segments from `mergeSegments` with the model's gap
 * filling and minimum duration, ANDed with the gate — reaches the best column-level F1 over all
 * `broadcasts` together. Candidates are `candidates` quantiles of the gated scores; F1 is flat
 * near its best when the classes barely overlap on held-out data, and then the middle of the
 * contiguous range of thresholds within `tolerance` of the best is taken, not an end of it
 * (an end hugs the highest non-target or the lowest target score).
 */
export function bestF1Threshold(broadcasts: ScoredBroadcast[], opts: { maxGap: number; minDuration: number; candidates?: number; tolerance?: number }): BestF1 {
  const all: number[] = [];
  for (const b of broadcasts) for (let c = 0; c < b.scores.length; c++) if (b.gate[c] && Number.isFinite(b.scores[c]!)) all.push(b.scores[c]!);
  if (all.length < 2 || !broadcasts.some((b) => b.isTarget.includes(1)))
    throw new UsageError('bestF1Threshold: need gated scores of target and non-target columns');
  all.sort((a, b) => a - b);
  const k = opts.candidates ?? 400;
  const cands: number[] = [];
  for (let i = 0; i <= k; i++) {
    const q = all[Math.min(all.length - 1, Math.floor((i / k) * (all.length - 1)))]!;
    const thr = i === 0 ? q - 1e-6 : q;
    if (cands.length === 0 || thr > cands[cands.length - 1]!) cands.push(thr);
  }
  const f1s = cands.map((thr) => {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (const b of broadcasts) {
      const det = new Uint8Array(b.scores.length);
      for (const s of mergeSegments(b.scores, b.gate, { threshold: thr, columnSeconds: b.columnSeconds, maxGap: opts.maxGap, minDuration: opts.minDuration })) {
        det.fill(1, Math.round(s.start / b.columnSeconds), Math.round(s.end / b.columnSeconds));
      }
      for (let c = 0; c < det.length; c++) {
        if (det[c]) {
          if (b.isTarget[c]) tp++;
          else fp++;
        } else if (b.isTarget[c]) fn++;
      }
    }
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  let best = 0;
  for (let i = 1; i < f1s.length; i++) if (f1s[i]! > f1s[best]!) best = i;
  const floor = f1s[best]! - (opts.tolerance ?? 0.002);
  let lo = best,
    hi = best;
  while (lo > 0 && f1s[lo - 1]! >= floor) lo--;
  while (hi < f1s.length - 1 && f1s[hi + 1]! >= floor) hi++;
  // F1 at candidate i holds for every threshold up to the next candidate (no score between)
  const top = cands[Math.min(hi + 1, cands.length - 1)]!;
  return { threshold: (cands[lo]! + top) / 2, f1: f1s[best]!, range: [cands[lo]!, top] };
}
