/**
 * @module
 * `trainSpeakerModel`: from the target's recordings and other speakers' recordings to a
 * ready model — frames and silence handling, training with triplet mining, held-out
 * validation, the memory, and the threshold at the held-out equal-error point.
 * Legend: C = mel bins, L = columns per frame, D = embedding dim.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { initBackend } from '../nn/index.js';
import { mixAt, noiseBank } from './augment.js';
import { columnSeconds, presetConfig, type PresetName, type SpeakerConfig } from './config.js';
import { EmbeddingNet } from './embedding-net.js';
import { cutFrames, frameStarts, powerToDb } from './frames.js';
import { EmbeddingMemory } from './memory.js';
import { loadPowerMel, melCenters } from './power-mel.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, SpeakerModel } from './speaker-model.js';
import { SpeechGate } from './speech-gate.js';
import { equalErrorThreshold, gaussianEqualErrorThreshold } from './threshold.js';
import { trainEmbedding, type FrameSet } from './trainer.js';
import { VERSION } from '../version.js';

/** Options of `trainSpeakerModel`. */
export interface TrainSpeakerOptions {
  /** Default `default`. */
  preset?: PresetName;
  /** Training steps (default: the preset's). */
  steps?: number;
  seed?: number;
  /** Adjusts the preset's configuration before training (tests use tiny nets; benchmarks try variants). */
  configure?: (cfg: SpeakerConfig) => void;
  /** Least seconds of target speech accepted. Default 10. */
  minTargetSeconds?: number;
  progress?: Progress;
  /** Warnings and notes (default: none). */
  log?: (line: string) => void;
}

const AUDIO_EXT = /\.(wav|wave|flac|mp3|ogg|opus|m4a|aac|webm|mka|mkv|mp4)$/i;

/** Files of one speaker path: the file itself, or the audio files under a directory (sorted). */
export function speakerFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new NotFoundError(`${path}: no such file or directory`);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (AUDIO_EXT.test(name)) out.push(p);
    }
  };
  walk(path);
  if (out.length === 0) throw new NotFoundError(`${path}: directory holds no audio files (${AUDIO_EXT.source})`);
  return out;
}

/** Speech frames (power, (N, L, C)) of one speaker, in file order, plus bookkeeping. */
interface SpeakerFrames {
  frames: Float32Array;
  count: number;
  speechSeconds: number;
  rates: number[];
}

/** Cuts a speaker's files into frames; with a gate, only frames that are mostly speech are kept. */
async function speakerFrames(files: string[], cfg: SpeakerConfig, useGate: boolean, warn: (s: string) => void): Promise<SpeakerFrames> {
  const { audio } = cfg;
  const L = audio.frameColumns;
  const C = audio.nMels;
  const parts: Float32Array[] = [];
  let count = 0;
  let speechCols = 0;
  const rates: number[] = [];
  for (const file of files) {
    const mel = await loadPowerMel(file, audio);
    rates.push(mel.info.sampleRate);
    const gate = new SpeechGate(melCenters(audio), columnSeconds(audio), cfg.detect.gate ?? {}).push(mel.data, mel.nFrames);
    const speech = gate.reduce((s, g) => s + g, 0);
    speechCols += speech;
    if (speech === 0) { warn(`${file}: no speech found (silent or too quiet); skipped`); continue; }
    if (mel.nFrames < L) { warn(`${file}: shorter than one ${(L * columnSeconds(audio)).toFixed(1)} s frame; skipped`); continue; }
    let starts = frameStarts(mel.nFrames, L, cfg.train.hopColumns);
    if (useGate) {
      starts = starts.filter((s) => {
        let g = 0;
        for (let c = s; c < s + L; c++) g += gate[c]!;
        return g >= L / 2;
      });
    }
    const f = cutFrames(mel.data, C, mel.nFrames, L, starts);
    parts.push(f.data);
    count += f.count;
  }
  const frames = new Float32Array(count * L * C);
  let o = 0;
  for (const p of parts) { frames.set(p, o); o += p.length; }
  return { frames, count, speechSeconds: speechCols * columnSeconds(audio), rates };
}

/** Splits frames into train and held-out (the last `share`, after a guard so no frame overlaps both). */
function split(s: SpeakerFrames, share: number, size: number, guard: number): { train: FrameSet; held: FrameSet } {
  const nHeld = Math.floor(s.count * share);
  const nTrain = Math.max(0, s.count - nHeld - (nHeld > 0 ? guard : 0));
  return {
    train: { data: s.frames.subarray(0, nTrain * size), count: nTrain },
    held: { data: s.frames.subarray((s.count - nHeld) * size), count: nHeld },
  };
}

function concat(sets: FrameSet[], size: number): FrameSet {
  const count = sets.reduce((a, s) => a + s.count, 0);
  const data = new Float32Array(count * size);
  let o = 0;
  for (const s of sets) { data.set(s.data.subarray(0, s.count * size), o); o += s.count * size; }
  return { data, count };
}

/** Every `step`-th frame of a set (to bound memory and scoring cost). */
function subsample(s: FrameSet, max: number, size: number): FrameSet {
  if (s.count <= max) return s;
  const step = s.count / max;
  const data = new Float32Array(max * size);
  for (let i = 0; i < max; i++) data.set(s.data.subarray(Math.floor(i * step) * size, (Math.floor(i * step) + 1) * size), i * size);
  return { data, count: max };
}

/** Power frames → dB copy. */
function toDb(s: FrameSet, size: number): Float32Array {
  return powerToDb(s.data.slice(0, s.count * size));
}

/** Scalar mean and std of the dB values of a sample of frames. */
function dbStats(sets: FrameSet[], size: number): { mean: number; std: number } {
  let s = 0, s2 = 0, n = 0;
  for (const set of sets) {
    const stride = Math.max(1, Math.floor((set.count * size) / 200_000));
    for (let i = 0; i < set.count * size; i += stride) {
      const v = 10 * Math.log10(set.data[i]! > 1e-10 ? set.data[i]! : 1e-10);
      s += v; s2 += v * v; n++;
    }
  }
  const mean = s / n;
  return { mean, std: Math.sqrt(Math.max(s2 / n - mean * mean, 1e-6)) };
}

/** Non-speech frames: the noise bank at absolute levels between -75 and -20 dB (power re full scale). */
function nonSpeech(bank: FrameSet, size: number, rng: Rng): FrameSet {
  const data = bank.data.slice(0, bank.count * size);
  for (let i = 0; i < bank.count; i++) {
    const g = 10 ** (rng.uniform(-75, -20) / 10);
    for (let j = i * size; j < (i + 1) * size; j++) data[j]! *= g;
  }
  return { data, count: bank.count };
}

/** Copies of `s` with noise from `bank` mixed in at 3-25 dB SNR. */
function augmented(s: FrameSet, bank: FrameSet, size: number, rng: Rng): FrameSet {
  const data = new Float32Array(s.count * size);
  for (let i = 0; i < s.count; i++) {
    const n = rng.int(bank.count);
    mixAt(s.data.subarray(i * size, (i + 1) * size), bank.data.subarray(n * size, (n + 1) * size), rng.uniform(3, 25), data.subarray(i * size, (i + 1) * size));
  }
  return { data, count: s.count };
}

/**
 * Trains a speaker model for the voice in `targets` (files or directories, all the target)
 * against `others` (each path one other speaker: a file or a directory of clips).
 *
 * @example
 * const model = await trainSpeakerModel(['anna/'], ['bob/', 'carol.wav']);
 * model.save('anna-model');
 */
export async function trainSpeakerModel(targets: string[], others: string[], opts: TrainSpeakerOptions = {}): Promise<SpeakerModel> {
  const t0 = performance.now();
  if (targets.length === 0) throw new UsageError('speaker train: no target audio given');
  if (others.length === 0) throw new UsageError('speaker train: no other speakers given (the triplet loss needs negatives)');
  const cfg = presetConfig(opts.preset ?? 'default');
  if (opts.steps !== undefined) cfg.train.steps = opts.steps;
  if (opts.seed !== undefined) cfg.train.seed = opts.seed;
  opts.configure?.(cfg);
  const warnings: string[] = [];
  const warn = (s: string): void => { warnings.push(s); opts.log?.(`warning: ${s}`); };
  await initBackend();

  const { audio } = cfg;
  const size = audio.frameColumns * audio.nMels;
  const useGate = cfg.detect.gate !== null;
  const target = await speakerFrames(targets.flatMap(speakerFiles), cfg, useGate, warn);
  const minSeconds = opts.minTargetSeconds ?? 10;
  if (target.speechSeconds < minSeconds || target.count < 10) {
    throw new UsageError(`speaker train: only ${target.speechSeconds.toFixed(1)} s of target speech (${target.count} frames) in ${targets.join(', ')}; need at least ${minSeconds} s`);
  }
  const otherSets: SpeakerFrames[] = [];
  for (const p of others) {
    const s = await speakerFrames(speakerFiles(p), cfg, useGate, warn);
    if (s.count === 0) warn(`${p}: no usable frames; this speaker is left out`);
    else otherSets.push(s);
  }
  if (otherSets.length === 0) throw new UsageError(`speaker train: none of the other speakers (${others.join(', ')}) has usable speech`);
  const rates = [...new Set([...target.rates, ...otherSets.flatMap((s) => s.rates)])].sort((a, b) => a - b);
  if (rates.length > 1) warn(`training audio has mixed sample rates (${rates.join(', ')} Hz); all are resampled to ${audio.sampleRate} Hz, but bands missing in some files act as a channel difference`);

  const guard = Math.ceil(audio.frameColumns / cfg.train.hopColumns);
  const tSplit = split(target, cfg.train.heldOut, size, guard);
  const oSplits = otherSets.map((s) => split(s, cfg.train.heldOut, size, guard));
  const othersTrain = concat(oSplits.map((s) => s.train), size);
  const othersHeld = concat(oSplits.map((s) => s.held), size);
  const norm = dbStats([tSplit.train, othersTrain], size);

  const rng = new Rng(cfg.train.seed + 5);
  const bank = cfg.train.augment ? noiseBank(audio, cfg.train.seed + 11) : null;
  const heldBank = cfg.train.augment ? noiseBank(audio, cfg.train.seed + 12, { clips: 12 }) : null;
  const negatives = bank ? concat([othersTrain, nonSpeech(bank, size, rng)], size) : othersTrain;

  const net = new EmbeddingNet({ channels: audio.nMels, filters: cfg.net.filters, dim: cfg.net.dim }, cfg.train.seed);
  const log = trainEmbedding(net, { target: tSplit.train, negatives, noise: bank, frameSize: size, norm }, cfg, opts.progress ?? silentProgress);

  const embed = (s: FrameSet): Float32Array => net.embed(toDb(s, size), s.count, audio.frameColumns, norm);
  const D = cfg.net.dim;
  const memory = new EmbeddingMemory(embed(subsample(tSplit.train, 600, size)), D);
  const cohort = cfg.detect.cohort ? new EmbeddingMemory(embed(subsample(othersTrain, 500, size)), D) : null;
  const model = new SpeakerModel(
    { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, leanml: VERSION, config: cfg, norm, threshold: cfg.detect.fixedThreshold, training: null as never },
    net, memory, cohort,
  );

  // held-out frames, clean and (when augmenting) with unseen noise mixed in
  let heldT: FrameSet = tSplit.held;
  let heldN: FrameSet = othersHeld;
  if (heldBank) {
    const hr = new Rng(cfg.train.seed + 13);
    heldT = concat([tSplit.held, augmented(tSplit.held, heldBank, size, hr)], size);
    // speech only: non-speech is the gate's job at detection time
    heldN = concat([othersHeld, augmented(othersHeld, heldBank, size, hr)], size);
  }
  const enough = heldT.count >= 2 && heldN.count >= 2;
  const tScores = enough ? model.score(embed(heldT)) : new Float32Array(0);
  const nScores = enough ? model.score(embed(heldN)) : new Float32Array(0);
  const eq = enough ? equalErrorThreshold(tScores, nScores) : { threshold: cfg.detect.fixedThreshold, eer: Number.NaN };
  const geq = enough ? gaussianEqualErrorThreshold(tScores, nScores) : eq;
  if (!enough) warn('too little audio to hold out frames for validation; using the fixed threshold');
  model.meta.threshold = cfg.detect.thresholdMode === 'eer' && enough ? geq.threshold : cfg.detect.fixedThreshold;
  model.meta.training = {
    targetSeconds: target.speechSeconds,
    targetFrames: target.count,
    otherSpeakers: otherSets.length,
    negativeFrames: negatives.count,
    seconds: (performance.now() - t0) / 1000,
    finalLoss: log.finalLoss,
    miningFrom: log.miningFrom,
    heldOut: { targetFrames: heldT.count, nonTargetFrames: heldN.count, eer: eq.eer, eerThreshold: eq.threshold, gaussianEer: geq.eer, gaussianEerThreshold: geq.threshold },
    warnings,
  };
  return model;
}
