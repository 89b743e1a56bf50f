/**
 * @module
 * Per-file calibration of the decision threshold on the file's own score distribution. A
 * recording in which the target speaks holds two populations of speech columns: the target's
 * (high scores) and everyone else's (low). Music, another channel or another language move
 * both populations, so a fixed threshold that suits a studio recording cuts whole target turns
 * under a bed. Here a two-component normal mixture is fitted (EM) to the gated column scores;
 * when the two components are well apart and the upper one looks like a target (its mean above
 * `minUpperMean`, its weight above `minUpperShare`), the threshold is the point between the
 * means where the two weighted densities cross, kept within [`lowest`, `highest`]. Otherwise
 * (one population: no target in the file, or no contrast) the model's threshold stays.
 * Nothing here looks at truth; the cost is one pass over the column scores.
 */

/** Settings of the per-file calibration (stored in the model's configuration). */
export interface FileCalibrationOptions {
  /** Lowest threshold the calibration may set. */
  lowest: number;
  /** Highest threshold the calibration may set. */
  highest: number;
  /** Least separation of the two components, |μ₂ − μ₁| / sqrt((σ₁² + σ₂²) / 2). */
  minSeparation: number;
  /** Least weight of the upper component (share of speech columns). */
  minUpperShare: number;
  /** Least mean score of the upper component. */
  minUpperMean: number;
}

/** Defaults, chosen on the development sets (docs/speaker.md). */
export const DEFAULT_FILE_CALIBRATION: Readonly<FileCalibrationOptions> = Object.freeze({
  lowest: 0.5,
  highest: 0.8,
  minSeparation: 2,
  minUpperShare: 0.03,
  minUpperMean: 0.6,
});

/** A fitted two-component normal mixture (component 1 the lower). */
export interface Mixture {
  weight: [number, number];
  mean: [number, number];
  std: [number, number];
}

/** What the calibration decided, for reports and `--format json`. */
export interface FileThreshold {
  threshold: number;
  /** True when the mixture was used; false when the model's threshold stayed. */
  calibrated: boolean;
  mixture: Mixture | null;
  reason: string;
}

/** Columns fitted at most (every k-th gated column beyond this). */
const MAX_POINTS = 20_000;
const EM_ITERATIONS = 60;
const MIN_STD = 0.01;

/** Gated, finite column scores, evenly subsampled to at most `MAX_POINTS`. */
function speechScores(scores: Float32Array, gate: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (gate[i] && Number.isFinite(scores[i]!)) n++;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const out = new Float64Array(Math.ceil(n / step));
  let k = 0;
  let j = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!gate[i] || !Number.isFinite(scores[i]!)) continue;
    if (k++ % step === 0 && j < out.length) out[j++] = scores[i]!;
  }
  return out.subarray(0, j);
}

const normalPdf = (x: number, m: number, s: number): number => Math.exp(-0.5 * ((x - m) / s) ** 2) / s;

/** Fits a two-component 1-D normal mixture by EM, started from the lower and upper thirds. */
export function fitTwoNormals(x: Float64Array): Mixture | null {
  if (x.length < 20) return null;
  const sorted = Float64Array.from(x).sort();
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  let m1 = q(0.2),
    m2 = q(0.85);
  let s1 = Math.max(MIN_STD, (q(0.4) - q(0.05)) / 2),
    s2 = Math.max(MIN_STD, (q(0.97) - q(0.7)) / 2);
  let w1 = 0.6,
    w2 = 0.4;
  if (!(m2 > m1)) return null;
  for (let it = 0; it < EM_ITERATIONS; it++) {
    let r1 = 0,
      r2 = 0,
      a1 = 0,
      a2 = 0,
      b1 = 0,
      b2 = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const p1 = w1 * normalPdf(v, m1, s1);
      const p2 = w2 * normalPdf(v, m2, s2);
      const g = p1 + p2 > 0 ? p2 / (p1 + p2) : v > (m1 + m2) / 2 ? 1 : 0;
      r1 += 1 - g;
      r2 += g;
      a1 += (1 - g) * v;
      a2 += g * v;
      b1 += (1 - g) * v * v;
      b2 += g * v * v;
    }
    if (r1 < 1 || r2 < 1) return null;
    m1 = a1 / r1;
    m2 = a2 / r2;
    s1 = Math.max(MIN_STD, Math.sqrt(Math.max(0, b1 / r1 - m1 * m1)));
    s2 = Math.max(MIN_STD, Math.sqrt(Math.max(0, b2 / r2 - m2 * m2)));
    w1 = r1 / x.length;
    w2 = r2 / x.length;
  }
  return m1 <= m2 ? { weight: [w1, w2], mean: [m1, m2], std: [s1, s2] } : { weight: [w2, w1], mean: [m2, m1], std: [s2, s1] };
}

/** The point between the means where the weighted densities of the two components cross. */
export function crossingPoint(m: Mixture): number {
  const d = (x: number): number => m.weight[1] * normalPdf(x, m.mean[1], m.std[1]) - m.weight[0] * normalPdf(x, m.mean[0], m.std[0]);
  let lo = m.mean[0];
  let hi = m.mean[1];
  if (d(lo) >= 0) return lo;
  if (d(hi) <= 0) return hi;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (d(mid) > 0) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The threshold for one file from its column `scores` and speech `gate` (detection's
 * curves), starting from the model's `threshold`.
 */
export function fileThreshold(
  scores: Float32Array,
  gate: Uint8Array,
  threshold: number,
  opts: FileCalibrationOptions = DEFAULT_FILE_CALIBRATION,
): FileThreshold {
  const keep = (reason: string, mixture: Mixture | null = null): FileThreshold => ({ threshold, calibrated: false, mixture, reason });
  const mix = fitTwoNormals(speechScores(scores, gate));
  if (!mix) return keep('too few speech columns for a fit');
  const sep = (mix.mean[1] - mix.mean[0]) / Math.sqrt((mix.std[0] ** 2 + mix.std[1] ** 2) / 2);
  if (sep < opts.minSeparation) return keep(`one population of scores (separation ${sep.toFixed(2)} < ${opts.minSeparation})`, mix);
  if (mix.weight[1] < opts.minUpperShare) return keep(`upper population too small (${(mix.weight[1] * 100).toFixed(1)}% of speech)`, mix);
  if (mix.mean[1] < opts.minUpperMean) return keep(`upper population scores too low for the target (mean ${mix.mean[1].toFixed(3)})`, mix);
  const t = Math.min(opts.highest, Math.max(opts.lowest, crossingPoint(mix)));
  return { threshold: t, calibrated: true, mixture: mix, reason: `two populations (separation ${sep.toFixed(2)})` };
}
