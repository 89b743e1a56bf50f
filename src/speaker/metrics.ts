/**
 * @module
 * Frame-level evaluation of detected segments against truth: both are rasterised at a fixed
 * resolution (10 ms by default) and compared frame by frame.
 */

/** A time interval in seconds. */
export interface Interval {
  start: number;
  end: number;
}

/** Frame-level scores of a detection. */
export interface FrameMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** (missed + false alarm) / target time. */
  detectionErrorRate: number;
  targetSeconds: number;
  missedSeconds: number;
  falseAlarmSeconds: number;
}

/** Rasterises intervals into `n` frames of `step` seconds (a frame is set if its centre is inside). */
export function rasterize(intervals: Interval[], n: number, step = 0.01): Uint8Array {
  const out = new Uint8Array(n);
  for (const iv of intervals) {
    const a = Math.max(0, Math.ceil(iv.start / step - 0.5));
    const b = Math.min(n, Math.ceil(iv.end / step - 0.5));
    for (let i = a; i < b; i++) out[i] = 1;
  }
  return out;
}

/** Frame-level precision, recall, F1 and detection error rate over `duration` seconds. */
export function frameMetrics(detected: Interval[], truth: Interval[], duration: number, step = 0.01): FrameMetrics {
  const n = Math.ceil(duration / step);
  const d = rasterize(detected, n, step);
  const t = rasterize(truth, n, step);
  let tp = 0,
    fp = 0,
    fn = 0;
  for (let i = 0; i < n; i++) {
    if (d[i] && t[i]) tp++;
    else if (d[i]) fp++;
    else if (t[i]) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    precision,
    recall,
    f1,
    detectionErrorRate: tp + fn > 0 ? (fn + fp) / (tp + fn) : 0,
    targetSeconds: (tp + fn) * step,
    missedSeconds: fn * step,
    falseAlarmSeconds: fp * step,
  };
}
