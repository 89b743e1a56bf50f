/**
 * @module
 * Training-time robustness: a bank of non-speech sounds (coloured noise, noise in random
 * bands, tonal music-like beds, near silence) as mel power frames. Mixing them into speech
 * frames in the power domain (|S+N|² ≈ |S|² + |N|² per mel bin) costs an addition per value,
 * and the bank alone gives the net non-speech negatives, which the original method lacks
 * (its room tone scores like speech).
 * Legend: C = mel bins, L = columns per frame.
 */
import { Rng } from '../core/rng.js';
import { melSpectrogram } from '../audio/index.js';
import type { AudioSettings } from './config.js';
import { cutFrames, frameStarts, type Frames } from './frames.js';

function colouredNoise(n: number, rng: Rng, pole: number): Float32Array {
  const out = new Float32Array(n);
  let y = 0;
  for (let i = 0; i < n; i++) {
    y = pole * y + (1 - pole) * rng.normal();
    out[i] = y;
  }
  return out;
}

/** Noise through a 2nd-order band-pass (RBJ biquad) at `f0` Hz with quality `q`; `highpass` for a high-pass at f0. */
function filteredNoise(n: number, rng: Rng, sr: number, f0: number, q: number, highpass: boolean): Float32Array {
  const out = new Float32Array(n);
  const w0 = (2 * Math.PI * f0) / sr;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const [b0, b1, b2] = highpass ? [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2] : [alpha, 0, -alpha];
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < n; i++) {
    const x0 = rng.normal();
    const y0 = (b0 * x0 + b1 * x1 + b2 * x2 + 2 * cos * y1 - (1 - alpha) * y2) / a0;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
    out[i] = y0;
  }
  return out;
}

/** Sustained harmonic tones in random chords (fundamentals 80-700 Hz), a music-like bed. */
function tones(n: number, rng: Rng, sr: number): Float32Array {
  const out = new Float32Array(n);
  const noteLen = Math.round(sr * rng.uniform(0.5, 2.5));
  const nHarm = 2 + rng.int(7);
  const roll = rng.uniform(0.5, 2);
  for (let start = 0; start < n; start += noteLen) {
    const voices = 1 + rng.int(4);
    for (let v = 0; v < voices; v++) {
      const f0 = 80 * 2 ** (rng.int(36) / 12);
      const decay = rng.uniform(0, 2);
      for (let i = start; i < Math.min(n, start + noteLen); i++) {
        const t = (i - start) / sr;
        let s = 0;
        for (let h = 1; h <= nHarm && f0 * h < sr / 2; h++) s += Math.sin(2 * Math.PI * f0 * h * t) / h ** roll;
        out[i]! += s * Math.min(1, t / 0.03) * Math.exp(-decay * t);
      }
    }
  }
  return out;
}

/**
 * A bank of non-speech mel power frames, (N, L, C), each scaled to unit mean power: coloured
 * noise, band noise, hiss and tonal beds, or (`tonal`) tonal beds only.
 */
export function noiseBank(audio: AudioSettings, seed: number, opts: { clips?: number; seconds?: number; tonal?: boolean } = {}): Frames {
  const rng = new Rng(seed);
  const sr = audio.sampleRate;
  const n = Math.round((opts.seconds ?? 5) * sr);
  const clips = opts.clips ?? 24;
  const parts: Frames[] = [];
  for (let k = 0; k < clips; k++) {
    let x: Float32Array;
    switch (opts.tonal ? 3 + (k % 3) : k % 6) {
      case 0:
        x = colouredNoise(n, rng, rng.uniform(0, 0.99));
        break;
      case 1:
        x = filteredNoise(n, rng, sr, rng.uniform(150, 9000), rng.uniform(0.5, 3), false);
        break;
      case 2:
        x = filteredNoise(n, rng, sr, rng.uniform(1500, 9000), 0.7, true);
        break;
      case 3:
      case 4:
        x = tones(n, rng, sr);
        break;
      default: {
        x = tones(n, rng, sr);
        const y = colouredNoise(n, rng, 0.9);
        for (let i = 0; i < n; i++) x[i]! += 0.3 * y[i]!;
      }
    }
    const mel = melSpectrogram(x, { sampleRate: sr, nFft: audio.nFft, hopLength: audio.hopLength, nMels: audio.nMels, fMin: audio.fMin, fMax: audio.fMax });
    const f = cutFrames(mel.data, mel.nMels, mel.nFrames, audio.frameColumns, frameStarts(mel.nFrames, audio.frameColumns, 11));
    for (let i = 0; i < f.count; i++) normalizePower(f.data.subarray(i * f.length * f.channels, (i + 1) * f.length * f.channels));
    parts.push(f);
  }
  const total = parts.reduce((s, p) => s + p.count, 0);
  const data = new Float32Array(total * audio.frameColumns * audio.nMels);
  let o = 0;
  for (const p of parts) {
    data.set(p.data, o);
    o += p.data.length;
  }
  return { data, starts: new Int32Array(total), count: total, length: audio.frameColumns, channels: audio.nMels };
}

/** Mean of a power frame. */
export function meanPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function normalizePower(x: Float32Array): void {
  const m = meanPower(x);
  if (m > 0) for (let i = 0; i < x.length; i++) x[i]! /= m;
}

/** out = speech + noise · g, with g putting the noise `snrDb` below the speech frame's mean power. */
export function mixAt(speech: Float32Array, noise: Float32Array, snrDb: number, out: Float32Array): void {
  const g = meanPower(speech) * 10 ** (-snrDb / 10);
  for (let i = 0; i < out.length; i++) out[i] = speech[i]! + g * noise[i]!;
}

/** Kinds of background `backgroundSignal` makes. */
export type BackgroundKind = 'tonal' | 'band' | 'hiss';

/**
 * `n` samples of a background at unit mean power: a tonal music-like bed, noise in a random
 * band inside the speech range, or hiss above it.
 */
export function backgroundSignal(kind: BackgroundKind, n: number, sr: number, rng: Rng): Float32Array {
  const x =
    kind === 'tonal'
      ? tones(n, rng, sr)
      : kind === 'band'
        ? filteredNoise(n, rng, sr, rng.uniform(300, 3500), rng.uniform(0.7, 3), false)
        : filteredNoise(n, rng, sr, rng.uniform(4000, 8000), 0.7, true);
  normalizePower(x);
  return x;
}
