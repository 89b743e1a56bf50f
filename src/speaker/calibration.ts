/**
 * @module
 * Threshold calibration on a held-out broadcast: held-out recordings (whole files of the
 * target and of other speakers, never a training file) are strung together in random order,
 * with pauses of room tone between them and music-like breaks after some of them, and run
 * through `detectSpeaker` itself — overlapping frames, top-k scores against the memory,
 * column spreading, the speech gate, island smoothing. The column scores inside target files
 * are the target scores, those inside other files, pauses and breaks the non-target ones.
 * Beside the clean broadcast, a copy under a tonal bed (10-22 dB below each recording) stands
 * for the conditions detection meets. Held-out frames scored alone miss what moves broadcast scores (turn boundaries,
 * pauses, islands), so their equal-error point lands far from where a broadcast wants it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMono, writeWav } from '../audio/index.js';
import { Rng } from '../core/rng.js';
import { backgroundSignal } from './augment.js';
import { detectSpeaker } from './detect.js';
import type { SpeakerModel } from './speaker-model.js';

/** A held-out recording and whether it is the target. */
export interface CalibrationFile {
  path: string;
  target: boolean;
}

/** One scored held-out broadcast, column by column, as `detect` saw it. */
export interface CalibrationBroadcast {
  /** Smoothed column scores (NaN where no frame reached). */
  scores: Float32Array;
  /** Speech gate per column. */
  gate: Uint8Array;
  /** 1 where the column's centre lies in a target recording. */
  isTarget: Uint8Array;
  columnSeconds: number;
}

/** Column scores of the held-out broadcasts, by truth. */
export interface CalibrationScores {
  target: Float32Array;
  nonTarget: Float32Array;
  /** The broadcasts themselves (clean, then the copy under a bed), for decisions made on segments. */
  broadcasts: CalibrationBroadcast[];
  /** Seconds of held-out broadcast scored (all variants). */
  seconds: number;
}

/** Options of `calibrationScores`. */
export interface CalibrationOptions {
  seed?: number;
  /** Also score a copy under a tonal bed, and insert music-like breaks. Default true. */
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
  // random order, a pause between recordings as between turns of a broadcast, and a
  // music-like break (non-target) after about every fourth recording
  const order = files.map((f, i) => ({ f, key: rng.next(), i })).sort((a, b) => a.key - b.key);
  const parts: { samples: Float32Array; target: boolean; kind: 'speech' | 'pause' | 'break' }[] = [];
  for (const { f } of order) {
    const x = await loadMono(f.path, sr);
    parts.push({ samples: x, target: f.target, kind: 'speech' });
    parts.push({ samples: new Float32Array(Math.round(sr * rng.uniform(0.3, 1.5))), target: false, kind: 'pause' });
    if (augment && rng.next() < 0.25) {
      parts.push({ samples: new Float32Array(Math.round(sr * rng.uniform(3, 6))), target: false, kind: 'break' });
      parts.push({ samples: new Float32Array(Math.round(sr * rng.uniform(0.3, 1.5))), target: false, kind: 'pause' });
    }
  }
  const total = parts.reduce((s, p) => s + p.samples.length, 0);
  const clean = new Float32Array(total);
  const isTarget = new Uint8Array(total);
  const recordings = parts.filter((p) => p.kind === 'speech');
  const speechPower = recordings.reduce((s, p) => s + signalPower(p.samples), 0) / Math.max(1, recordings.length);
  // the bed of the second copy: 10-22 dB below the speech, a new level for each recording
  // (one level for the whole copy made the threshold depend on one random draw)
  const bedGain = new Float32Array(total);
  let o = 0;
  let g = 0;
  for (const p of parts) {
    if (p.kind === 'speech') {
      clean.set(p.samples, o);
      g = Math.sqrt(speechPower * 10 ** (-rng.uniform(10, 22) / 10));
    } else if (p.kind === 'pause') {
      // room tone 40 dB below the speech
      const a = Math.sqrt(speechPower * 1e-4);
      for (let i = 0; i < p.samples.length; i++) clean[o + i] = a * rng.normal();
    } else {
      // a break: a tonal bed 3-16 dB below the speech
      const m = backgroundSignal('tonal', p.samples.length, sr, rng);
      const b = Math.sqrt(speechPower * 10 ** (-rng.uniform(3, 16) / 10));
      for (let i = 0; i < m.length; i++) clean[o + i] = b * m[i]!;
    }
    bedGain.fill(g, o, o + p.samples.length);
    if (p.target) isTarget.fill(1, o, o + p.samples.length);
    o += p.samples.length;
  }
  const variants: Float32Array[] = [clean];
  // (band noise inside the speech band at these levels closed the speech gate on every column:
  // a copy under it added no scored column, so there is none)
  if (augment) {
    const bed = backgroundSignal('tonal', total, sr, rng);
    variants.push(Float32Array.from(clean, (v, i) => v + bedGain[i]! * bed[i]!));
  }
  const dir = mkdtempSync(join(tmpdir(), 'leanml-speaker-calib-'));
  const t: number[] = [];
  const n: number[] = [];
  const broadcasts: CalibrationBroadcast[] = [];
  try {
    for (const [k, x] of variants.entries()) {
      const path = join(dir, `held-out-${k}.wav`);
      writeWav(path, [x], sr);
      const r = await detectSpeaker(model, path, { threshold: 0 });
      const hop = r.columnSeconds * sr;
      const colTarget = new Uint8Array(r.scores.length);
      for (let c = 0; c < r.scores.length; c++) {
        colTarget[c] = isTarget[Math.min(total - 1, Math.round((c + 0.5) * hop))]!;
        const s = r.scores[c]!;
        if (!r.gate[c] || !Number.isFinite(s)) continue; // detection reports gated columns only
        (colTarget[c] ? t : n).push(s);
      }
      broadcasts.push({ scores: r.scores, gate: r.gate, isTarget: colTarget, columnSeconds: r.columnSeconds });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { target: Float32Array.from(t), nonTarget: Float32Array.from(n), broadcasts, seconds: (variants.length * total) / sr };
}

/** Mean square of a waveform. */
function signalPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? s / x.length : 0;
}
