/**
 * @module
 * `detectSpeaker`: streams a recording through the model in chunks (memory: a few chunks of
 * mel columns plus a few bytes per 46 ms column for the score curve), scores overlapping
 * frames, spreads frame scores over the columns they cover, smooths, gates and merges into
 * segments.
 * Legend: C = mel bins, T = columns, L = columns per frame.
 */
import type { AudioInfo } from '../audio/index.js';
import { UsageError } from '../core/errors.js';
import { columnSeconds } from './config.js';
import type { Detection } from './formats.js';
import { streamPowerMel, melCenters } from './power-mel.js';
import { islandSmooth, medianSmooth, mergeSegments } from './segments.js';
import { fileThreshold, type FileThreshold } from './file-threshold.js';
import type { SpeakerModel } from './speaker-model.js';
import { dilateMask, SpeechGate } from './speech-gate.js';

/** Options of `detectSpeaker`. */
export interface DetectOptions {
  /** Overrides the model's threshold (and turns per-file calibration off). */
  threshold?: number;
  /** Mel columns per streamed chunk. Default 2048 (~95 s). */
  chunkColumns?: number;
  /** Warnings (default: none). */
  log?: (line: string) => void;
  /**
   * Decode and resample in a worker thread, on a second core, while this thread computes the
   * mel spectrogram and runs the nets. Same result. Default true.
   */
  worker?: boolean;
}

/** A detection with the per-column curve behind it (for reports). */
export interface DetectResult extends Detection {
  /** Seconds per column of `scores` and `gate`. */
  columnSeconds: number;
  /** Smoothed column scores (NaN where no frame reached). */
  scores: Float32Array;
  /** Speech gate per column (all ones without a gate). */
  gate: Uint8Array;
  /** Mean mel power per column: the loudness envelope the report draws under the score curve. */
  level?: Float32Array;
  info: AudioInfo;
  /** Per-file calibration of the threshold (null when the model has none or a threshold was given). */
  calibration?: FileThreshold | null;
  warnings: string[];
}

/** A growable typed array. */
class Grow<T extends Float32Array | Uint8Array> {
  length = 0;
  constructor(public buf: T) {}
  ensure(n: number): void {
    if (n <= this.buf.length) return;
    const b = new (this.buf.constructor as new (n: number) => T)(Math.max(n, this.buf.length * 2));
    b.set(this.buf);
    this.buf = b;
  }
  view(): T {
    return this.buf.subarray(0, this.length) as T;
  }
}

/**
 * Finds where the model's target speaks in the recording at `path`.
 *
 * @example
 * const model = await loadSpeakerModel('anna-model');
 * const { segments } = await detectSpeaker(model, 'broadcast.mp3');
 */
export async function detectSpeaker(model: SpeakerModel, path: string, opts: DetectOptions = {}): Promise<DetectResult> {
  const cfg = model.config;
  const { audio, detect } = cfg;
  const L = audio.frameColumns;
  const C = audio.nMels;
  const hop = detect.hopColumns;
  const colSec = columnSeconds(audio);
  const baseThreshold = opts.threshold ?? model.meta.threshold;
  if (!Number.isFinite(baseThreshold)) throw new UsageError(`speaker detect: threshold must be a number, got ${baseThreshold}`);
  const warnings: string[] = [];
  const warn = (s: string): void => {
    warnings.push(s);
    opts.log?.(`warning: ${s}`);
  };

  const gate = new SpeechGate(melCenters(audio), colSec, detect.gate ?? {});
  const gateCols = new Grow(new Uint8Array(4096));
  const sum = new Grow(new Float32Array(4096));
  const cnt = new Grow(new Uint8Array(4096));
  const level = new Grow(new Float32Array(4096));
  // pending dB columns (pendT, C), channels last, starting at column `pendStart`
  let pend = new Float32Array(0);
  let pendT = 0;
  let pendStart = 0;
  let nextFrame = 0;
  let info: AudioInfo | null = null;
  let maxPower = 0;

  const scoreFrames = (starts: Int32Array): void => {
    if (starts.length === 0) return;
    const local = starts.map((s) => s - pendStart);
    const s = model.scoreBlock(pend, pendT, L, local); // every ensemble member reads the same mel columns
    for (let i = 0; i < starts.length; i++) {
      for (let c = starts[i]!; c < starts[i]! + L; c++) {
        sum.buf[c]! += s[i]!;
        cnt.buf[c]!++;
      }
    }
  };

  for await (const chunk of streamPowerMel(path, audio, {
    chunkFrames: opts.chunkColumns ?? 2048,
    onInfo: (i) => {
      info = i;
    },
    worker: opts.worker ?? true,
  })) {
    const T = chunk.nFrames;
    const g = gate.push(chunk.data, T);
    gateCols.ensure(gateCols.length + T);
    gateCols.buf.set(g, gateCols.length);
    gateCols.length += T;
    sum.ensure(gateCols.length);
    cnt.ensure(gateCols.length);
    level.ensure(gateCols.length);
    sum.length = cnt.length = gateCols.length;
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) level.buf[level.length + t]! += chunk.data[c * T + t]! / C;
    level.length = gateCols.length;
    // append the chunk, transposed to (T, C) and in dB, to the pending columns
    const merged = new Float32Array(C * (pendT + T));
    merged.set(pend.subarray(0, pendT * C));
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < T; t++) {
        const v = chunk.data[c * T + t]!;
        if (v > maxPower) maxPower = v;
        merged[(pendT + t) * C + c] = 10 * Math.log10(v > 1e-10 ? v : 1e-10);
      }
    }
    pend = merged;
    pendT += T;
    const end = pendStart + pendT;
    const starts: number[] = [];
    for (; nextFrame + L <= end; nextFrame += hop) starts.push(nextFrame);
    scoreFrames(Int32Array.from(starts));
    // keep only the columns later frames (and a tail frame) may still need
    const keepFrom = Math.max(pendStart, Math.min(nextFrame, end - L));
    const drop = keepFrom - pendStart;
    if (drop > 0) {
      pend = pend.slice(drop * C, pendT * C);
      pendT -= drop;
      pendStart = keepFrom;
    }
  }
  const T = gateCols.length;
  // the tail no hop reached: one more frame ending at the last column
  if (T >= L && (T - L) % hop !== 0) {
    const need = T - L;
    if (need < pendStart) throw new Error('detectSpeaker: internal error: tail frame columns already dropped');
    scoreFrames(Int32Array.of(need));
  }
  if (T < L) warn(`${path}: shorter than one ${(L * colSec).toFixed(1)} s frame; nothing scored`);
  if (maxPower < 1e-9) warn(`${path}: the recording is silent`);

  const raw = new Float32Array(T);
  for (let c = 0; c < T; c++) raw[c] = cnt.buf[c]! > 0 ? sum.buf[c]! / cnt.buf[c]! : Number.NaN;
  const gateMask = detect.gate ? dilateMask(gateCols.view(), gate.dilateColumns) : new Uint8Array(T).fill(1);
  let scores = medianSmooth(raw, detect.smoothColumns);
  if (detect.gate && detect.islandSeconds > 0) scores = islandSmooth(scores, gateMask, Math.round(detect.islandSeconds / colSec));
  const calibration = opts.threshold === undefined && detect.calibration ? fileThreshold(scores, gateMask, baseThreshold, detect.calibration) : null;
  const threshold = calibration?.threshold ?? baseThreshold;
  const segments = mergeSegments(scores, gateMask, { threshold, columnSeconds: colSec, maxGap: detect.maxGap, minDuration: detect.minDuration });
  const fileInfo = info as AudioInfo | null;
  const duration = fileInfo?.duration ?? T * colSec;
  return { duration, threshold, segments, columnSeconds: colSec, scores, gate: gateMask, level: level.view(), info: fileInfo!, calibration, warnings };
}
