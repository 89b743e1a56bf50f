/**
 * @module
 * Threshold selection on held-out scores: the equal-error point, where the miss rate on
 * target scores equals the false-alarm rate on non-target scores.
 */
import { UsageError } from '../core/errors.js';

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
  if (targets.length === 0 || nonTargets.length === 0) throw new UsageError(`equalErrorThreshold: need target and non-target scores, got ${targets.length} and ${nonTargets.length}`);
  const all = new Float64Array(targets.length + nonTargets.length);
  const isT = new Uint8Array(all.length);
  for (let i = 0; i < targets.length; i++) { all[i] = targets[i]!; isT[i] = 1; }
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
