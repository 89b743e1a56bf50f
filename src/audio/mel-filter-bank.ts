/**
 * @module
 * Triangular mel filter banks equal to `torchaudio.functional.melscale_fbanks` (0.13):
 * HTK or Slaney mel scale, no or Slaney (area) normalisation, frequency bins spaced over
 * `[0, sampleRate // 2]`.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_MEL } from './audio-defaults.js';

/** The mel scale: `htk` (`2595 log10(1 + f/700)`) or `slaney` (linear below 1 kHz, log above). */
export type MelScale = 'htk' | 'slaney';
/** Filter normalisation: none (peak 1) or `slaney` (each filter divided by its bandwidth, constant energy). */
export type MelNorm = 'none' | 'slaney';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/** Hertz to mels, as torchaudio's `_hz_to_mel`. */
export function hzToMel(freq: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + freq / 700);
  if (freq < MIN_LOG_HZ) return freq / F_SP;
  return MIN_LOG_MEL + Math.log(freq / MIN_LOG_HZ) / LOGSTEP;
}

/** Mels to hertz, as torchaudio's `_mel_to_hz`. */
export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel < MIN_LOG_MEL) return F_SP * mel;
  return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
}

/** Options of `melFilterBank`, named after torchaudio's `melscale_fbanks` arguments. */
export interface MelFilterBankOptions {
  /** Lowest frequency (Hz). Default 0. */
  fMin?: number;
  /** Highest frequency (Hz). Default `sampleRate // 2`. */
  fMax?: number;
  /** Default `'none'` (torchaudio's `norm=None`). */
  norm?: MelNorm;
  /** Default `'htk'`. */
  melScale?: MelScale;
}

/** A filter bank stored sparsely: filter m covers bins `[start[m], start[m] + weights[m].length)`. */
export interface MelFilterBank {
  nFreqs: number;
  nMels: number;
  start: Int32Array;
  weights: Float32Array[];
  /** The dense matrix (nFreqs, nMels), row-major, as torchaudio returns it. */
  dense(): Float32Array;
}

/**
 * The filter bank of torchaudio's `melscale_fbanks(nFreqs, fMin, fMax, nMels, sampleRate, norm, melScale)`.
 *
 * @example
 * const fb = melFilterBank(1025, 128, 22050); // n_fft 2048
 */
export function melFilterBank(nFreqs: number, nMels: number, sampleRate: number, opts: MelFilterBankOptions = {}): MelFilterBank {
  const fMin = opts.fMin ?? DEFAULT_MEL.fMin;
  const fMax = opts.fMax ?? Math.floor(sampleRate / 2);
  const scale = opts.melScale ?? DEFAULT_MEL.melScale;
  const norm = opts.norm ?? DEFAULT_MEL.norm;
  if (!Number.isInteger(nFreqs) || nFreqs < 2) throw new UsageError(`melFilterBank: nFreqs must be an integer >= 2, got ${nFreqs}`);
  if (!Number.isInteger(nMels) || nMels < 1) throw new UsageError(`melFilterBank: nMels must be a positive integer, got ${nMels}`);
  if (!(fMin >= 0 && fMax > fMin)) throw new UsageError(`melFilterBank: need 0 <= fMin < fMax, got fMin ${fMin}, fMax ${fMax}`);
  if (scale !== 'htk' && scale !== 'slaney') throw new UsageError(`melFilterBank: melScale must be 'htk' or 'slaney', got '${scale as string}'`);
  if (norm !== 'none' && norm !== 'slaney') throw new UsageError(`melFilterBank: norm must be 'none' or 'slaney', got '${norm as string}'`);

  // torchaudio: all_freqs = linspace(0, sample_rate // 2, n_freqs) (integer division kept).
  const top = Math.floor(sampleRate / 2);
  const freqs = new Float64Array(nFreqs);
  for (let i = 0; i < nFreqs; i++) freqs[i] = (top * i) / (nFreqs - 1);
  const mMin = hzToMel(fMin, scale);
  const mMax = hzToMel(fMax, scale);
  const fPts = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) fPts[i] = melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1), scale);

  const start = new Int32Array(nMels);
  const weights: Float32Array[] = [];
  const column = new Float64Array(nFreqs);
  for (let m = 0; m < nMels; m++) {
    const lower = fPts[m]!;
    const centre = fPts[m + 1]!;
    const upper = fPts[m + 2]!;
    const enorm = norm === 'slaney' ? 2 / (upper - lower) : 1;
    let first = -1;
    let last = -1;
    for (let i = 0; i < nFreqs; i++) {
      const down = (freqs[i]! - lower) / (centre - lower);
      const up = (upper - freqs[i]!) / (upper - centre);
      const w = Math.max(0, Math.min(down, up)) * enorm;
      column[i] = w;
      if (w > 0) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) {
      // An empty filter (too many mels for n_fft); torchaudio warns and keeps the zero row.
      start[m] = 0;
      weights.push(new Float32Array(0));
    } else {
      start[m] = first;
      weights.push(Float32Array.from(column.subarray(first, last + 1)));
    }
  }
  return {
    nFreqs,
    nMels,
    start,
    weights,
    dense() {
      const d = new Float32Array(nFreqs * nMels);
      for (let m = 0; m < nMels; m++) weights[m]!.forEach((w, i) => (d[(start[m]! + i) * nMels + m] = w));
      return d;
    },
  };
}
