/**
 * @module
 * Operations on sets of training frames (power, (N, L, C) flat): splitting a speaker's frames
 * into training and held-out parts, joining, subsampling, dB conversion and statistics, and the
 * augmented copies and non-speech negatives training and validation use.
 */
import type { Rng } from '../core/rng.js';
import { meanPower, mixAt } from './augment.js';
import { powerToDb } from './frames.js';
import type { SpeakerFrames } from './speaker-frames.js';
import type { FrameSet } from './trainer.js';

/** How many of `n` files of one speaker are held out whole: `share` of them, none when fewer than `minFiles`. */
export function heldFileCount(n: number, share: number, minFiles: number): number {
  if (n < minFiles || share <= 0) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * share)));
}

/**
 * Splits one speaker's frames into training and held-out sets. Clips from held-out files go
 * to held-out whole (a different session than anything trained on, as a broadcast is); with
 * no held-out file (a speaker given as one recording), the last `share` of the frames, after
 * a guard so no frame overlaps both.
 */
export function split(
  s: SpeakerFrames,
  heldFiles: Set<number>,
  share: number,
  size: number,
  guard: number,
): { train: FrameSet; held: FrameSet; wholeClips: boolean } {
  if (heldFiles.size > 0) {
    const train = concat(
      s.clips.filter((_, k) => !heldFiles.has(s.fileIndex[k]!)),
      size,
    );
    const held = concat(
      s.clips.filter((_, k) => heldFiles.has(s.fileIndex[k]!)),
      size,
    );
    if (train.count > 0 && held.count > 0) return { train, held, wholeClips: true };
  }
  const all = concat(s.clips, size);
  const nHeld = Math.floor(all.count * share);
  const nTrain = Math.max(0, all.count - nHeld - (nHeld > 0 ? guard : 0));
  return {
    train: { data: all.data.subarray(0, nTrain * size), count: nTrain },
    held: { data: all.data.subarray((all.count - nHeld) * size), count: nHeld },
    wholeClips: false,
  };
}

export function concat(sets: FrameSet[], size: number): FrameSet {
  const count = sets.reduce((a, s) => a + s.count, 0);
  const data = new Float32Array(count * size);
  let o = 0;
  for (const s of sets) {
    data.set(s.data.subarray(0, s.count * size), o);
    o += s.count * size;
  }
  return { data, count };
}

/** Every `step`-th frame of a set (to bound memory and scoring cost). */
export function subsample(s: FrameSet, max: number, size: number): FrameSet {
  if (s.count <= max) return s;
  const step = s.count / max;
  const data = new Float32Array(max * size);
  for (let i = 0; i < max; i++) data.set(s.data.subarray(Math.floor(i * step) * size, (Math.floor(i * step) + 1) * size), i * size);
  return { data, count: max };
}

/** Power frames → dB copy. */
export function toDb(s: FrameSet, size: number): Float32Array {
  return powerToDb(s.data.slice(0, s.count * size));
}

/** Scalar mean and std of the dB values of a sample of frames. */
export function dbStats(sets: FrameSet[], size: number): { mean: number; std: number } {
  let s = 0,
    s2 = 0,
    n = 0;
  for (const set of sets) {
    const stride = Math.max(1, Math.floor((set.count * size) / 200_000));
    for (let i = 0; i < set.count * size; i += stride) {
      const v = 10 * Math.log10(set.data[i]! > 1e-10 ? set.data[i]! : 1e-10);
      s += v;
      s2 += v * v;
      n++;
    }
  }
  const mean = s / n;
  return { mean, std: Math.sqrt(Math.max(s2 / n - mean * mean, 1e-6)) };
}

/** Non-speech frames: the noise bank at absolute levels between -75 and -20 dB (power re full scale). */
export function nonSpeech(bank: FrameSet, size: number, rng: Rng): FrameSet {
  const data = bank.data.slice(0, bank.count * size);
  for (let i = 0; i < bank.count; i++) {
    const g = 10 ** (rng.uniform(-75, -20) / 10);
    for (let j = i * size; j < (i + 1) * size; j++) data[j]! *= g;
  }
  return { data, count: bank.count };
}

/** Copies of `s` with a random frame of `bank` mixed into each at `lo`-`hi` dB SNR. */
export function augmented(s: FrameSet, bank: FrameSet, size: number, rng: Rng, lo: number, hi: number): FrameSet {
  const data = new Float32Array(s.count * size);
  for (let i = 0; i < s.count; i++) {
    const n = rng.int(bank.count);
    mixAt(
      s.data.subarray(i * size, (i + 1) * size),
      bank.data.subarray(n * size, (n + 1) * size),
      rng.uniform(lo, hi),
      data.subarray(i * size, (i + 1) * size),
    );
  }
  return { data, count: s.count };
}

/** The bank's frames (unit mean power) at the power of a random frame of `speech`, 0-16 dB below it. */
export function speechLevel(bank: FrameSet, speech: FrameSet, size: number, rng: Rng): FrameSet {
  const data = bank.data.slice(0, bank.count * size);
  if (speech.count === 0) return { data, count: bank.count };
  for (let i = 0; i < bank.count; i++) {
    const k = rng.int(speech.count);
    const g = meanPower(speech.data.subarray(k * size, (k + 1) * size)) * 10 ** (-rng.uniform(0, 16) / 10);
    for (let j = i * size; j < (i + 1) * size; j++) data[j]! *= g;
  }
  return { data, count: bank.count };
}

/** Indices of `k` of `n` items spread evenly (clips of one speaker recorded in order). */
export function spread(n: number, k: number): Set<number> {
  const out = new Set<number>();
  for (let j = 0; j < k; j++) out.add(Math.floor(((j + 0.5) * n) / k));
  return out;
}
