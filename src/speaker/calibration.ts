/**
 * @module
 * Threshold calibration on a held-out broadcast: held-out recordings (whole files of the
 * target and of other speakers, never a training file) are strung together in random order,
 * with music-like breaks between some of them, and run through `detectSpeaker` itself —
 * overlapping frames, top-k scores against the memory, column spreading, the speech gate,
 * island smoothing. The column scores inside target files are the target scores, those
 * inside other files and breaks the non-target ones. Beside the clean broadcast, copies
 * under a tonal bed and under band noise at random SNR stand for the conditions detection
 * meets. Held-out frames scored alone miss what moves broadcast scores (turn boundaries,
 * pauses, islands), so their equal-error point lands far from where a broadcast wants it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMono, writeWav } from '../audio/index.js';
import { Rng } from '../core/rng.js';
import { backgroundSignal, type BackgroundKind } from './augment.js';
import { detectSpeaker } from './detect.js';
import type { SpeakerModel } from './speaker-model.js';

/** A held-out recording and whether it is the target. */
export interface CalibrationFile {
  path: string;
  target: boolean;
}

/** Column scores of the held-out broadcasts, by truth. */
export interface CalibrationScores {
  target: Float32Array;
  nonTarget: Float32Array;
  /** Seconds of held-out broadcast scored (all variants). */
  seconds: number;
}

/** Options of `calibrationScores`. */
export interface CalibrationOptions {
  seed?: number;
  /** Also score copies under a tonal bed and under band noise, and insert music-like breaks. Default true. */
  augment?: boolean;
}

/**
 * Scores the held-out broadcasts built from `files` with `model` (whose memory must not
 * contain them).
 */
export async function calibrationScores(model: SpeakerModel, files: CalibrationFile[], opts: CalibrationOptions = {}): Promise<CalibrationScores> {
  const sr = model.config.audio.sampleRate;
  const rng = new Rng(opts.seed ?? 0);
  const augment = opts.augment ?? true;
  // random order; a music-like break (non-target) after about every fourth recording
  const order = files.map((f, i) => ({ f, key: rng.next(), i })).sort((a, b) => a.key - b.key);
  const parts: { samples: Float32Array; target: boolean; break?: boolean }[] = [];
  for (const { f } of order) {
    const x = await loadMono(f.path, sr);
    parts.push({ samples: x, target: f.target });
    if (augment && rng.next() < 0.25) parts.push({ samples: new Float32Array(Math.round(sr * rng.uniform(3, 6))), target: false, break: true });
  }
  const total = parts.reduce((s, p) => s + p.samples.length, 0);
  const clean = new Float32Array(total);
  const isTarget = new Uint8Array(total);
  const recordings = parts.filter((p) => !p.break);
  const speechPower = recordings.reduce((s, p) => s + signalPower(p.samples), 0) / Math.max(1, recordings.length);
  let o = 0;
  for (const p of parts) {
    if (!p.break) clean.set(p.samples, o);
    else {
      // a break: a tonal bed 3-16 dB below the speech
      const m = backgroundSignal('tonal', p.samples.length, sr, rng);
      const g = Math.sqrt(speechPower * 10 ** (-rng.uniform(3, 16) / 10));
      for (let i = 0; i < m.length; i++) clean[o + i] = g * m[i]!;
    }
    if (p.target) isTarget.fill(1, o, o + p.samples.length);
    o += p.samples.length;
  }
  const variants: Float32Array[] = [clean];
  if (augment) {
    for (const kind of ['tonal', 'band'] as BackgroundKind[]) {
      const bed = backgroundSignal(kind, total, sr, rng);
      const g = Math.sqrt(speechPower * 10 ** (-rng.uniform(10, 22) / 10));
      variants.push(Float32Array.from(clean, (v, i) => v + g * bed[i]!));
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-calib-'));
  const t: number[] = [];
  const n: number[] = [];
  try {
    for (const [k, x] of variants.entries()) {
      const path = join(dir, `held-out-${k}.wav`);
      writeWav(path, [x], sr);
      const r = await detectSpeaker(model, path, { threshold: 0 });
      const hop = r.columnSeconds * sr;
      for (let c = 0; c < r.scores.length; c++) {
        const s = r.scores[c]!;
        if (!r.gate[c] || !Number.isFinite(s)) continue; // detection reports gated columns only
        (isTarget[Math.min(total - 1, Math.round((c + 0.5) * hop))] ? t : n).push(s);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { target: Float32Array.from(t), nonTarget: Float32Array.from(n), seconds: (variants.length * total) / sr };
}

/** Mean square of a waveform. */
function signalPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? s / x.length : 0;
}
