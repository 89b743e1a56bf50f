/**
 * @module
 * `trainSpeakerModel`: from the target's recordings and other speakers' recordings to a
 * ready model, in four steps — read every speaker's speech as frames (short clips joined, see
 * speaker-frames.ts) and split off held-out files; train the ensemble's nets; score a held-out
 * broadcast and store every threshold candidate; set the threshold the configuration asks for
 * (the default: the fixed 0.7, then per-file calibration at detection, see file-threshold.ts).
 * Legend: C = mel bins, L = columns per frame, D = embedding dim.
 */
import { TrainingError, UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { initBackend } from '../nn/index.js';
import { noiseBank } from './augment.js';
import { DEFAULT_SPEAKER_TRAIN, presetConfig, type PresetName, type SpeakerConfig, type ThresholdMode } from './config.js';
import { EmbeddingNet } from './embedding-net.js';
import { DEFAULT_FILE_CALIBRATION } from './file-threshold.js';
import { augmented, concat, dbStats, heldFileCount, nonSpeech, speechLevel, split, spread, subsample, toDb } from './frame-sets.js';
import { EmbeddingMemory } from './memory.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  SpeakerModel,
  memberFiles,
  thresholdCandidates,
  type EnsembleMember,
  type TrainingReport,
} from './speaker-model.js';
import { speakerFiles, speakerFrames, type SpeakerFrames } from './speaker-frames.js';
import { calibrationScores, type CalibrationFile } from './calibration.js';
import { bestF1Threshold, equalErrorThreshold, falseAlarmThreshold, gaussianEqualErrorThreshold, missRate, type BestF1 } from './threshold.js';
import { trainEmbedding, type FrameSet } from './trainer.js';
import { VERSION } from '../version.js';

/** Options of `trainSpeakerModel`. */
export interface TrainSpeakerOptions {
  /** Default `DEFAULT_SPEAKER_TRAIN.preset`. */
  preset?: PresetName;
  /** Training steps (default: the preset's). */
  steps?: number;
  seed?: number;
  /** Nets in the ensemble (default: the preset's). */
  ensemble?: number;
  /** How the threshold is chosen (default: the preset's; see `SpeakerConfig.detect.thresholdMode`). */
  thresholdMode?: ThresholdMode;
  /** Calibrate the threshold per file at detection (file-threshold.ts); default: the preset's. */
  perFileCalibration?: boolean;
  /** Adjusts the preset's configuration before training (tests use tiny nets; benchmarks try variants). */
  configure?: (cfg: SpeakerConfig) => void;
  /** Least seconds of target speech accepted. Default `DEFAULT_SPEAKER_TRAIN.minTargetSeconds`. */
  minTargetSeconds?: number;
  progress?: Progress;
  /** Warnings and notes (default: none). */
  log?: (line: string) => void;
}

/** Seed distance between ensemble members (so ensembles of neighbouring base seeds share no net). */
const MEMBER_SEED_STRIDE = 1000;

/** Held-out false-alarm rate of the `low-fa` threshold. */
const LOW_FALSE_ALARM = 0.01;

/** One other speaker's frames and which of its files are held out. */
interface OtherSpeaker {
  path: string;
  frames: SpeakerFrames;
  held: Set<number>;
  unseen: boolean;
  files: string[];
}

/** Everything training reads from the audio: frames, splits, input normalisation. */
interface TrainingData {
  targetFiles: string[];
  target: SpeakerFrames;
  targetHeld: Set<number>;
  others: OtherSpeaker[];
  heldSpeakers: number;
  tSplit: { train: FrameSet; held: FrameSet; wholeClips: boolean };
  othersTrain: FrameSet;
  othersHeld: FrameSet;
  wholeClips: boolean;
  norm: { mean: number; std: number };
  speakers: NonNullable<TrainingReport['speakers']>;
}

/** The preset's configuration with the caller's overrides. */
function resolveConfig(opts: TrainSpeakerOptions): SpeakerConfig {
  const cfg = presetConfig(opts.preset ?? DEFAULT_SPEAKER_TRAIN.preset);
  if (opts.steps !== undefined) cfg.train.steps = opts.steps;
  if (opts.seed !== undefined) cfg.train.seed = opts.seed;
  if (opts.ensemble !== undefined) cfg.train.ensemble = opts.ensemble;
  if (opts.thresholdMode !== undefined) cfg.detect.thresholdMode = opts.thresholdMode;
  if (opts.perFileCalibration !== undefined) cfg.detect.calibration = opts.perFileCalibration ? { ...DEFAULT_FILE_CALIBRATION } : null;
  opts.configure?.(cfg);
  const n = cfg.train.ensemble ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`speaker train: ensemble must be an integer 1-64, got ${n}`);
  return cfg;
}

/** One line per speaker: files, joined short clips, seconds of speech. */
function speakerLine(role: string, path: string, files: number, f: SpeakerFrames): NonNullable<TrainingReport['speakers']>[number] {
  return {
    role,
    path,
    files,
    usedFiles: f.usedFiles.length,
    joinedFiles: f.joinedFiles,
    speechSeconds: Math.round(f.speechSeconds * 10) / 10,
    frames: f.count,
  };
}

/**
 * Step 1: every speaker's frames, whole held-out files picked (a different session than
 * anything trained on, as a broadcast is), the split, and the input normalisation.
 */
async function readTrainingData(
  targets: string[],
  others: string[],
  cfg: SpeakerConfig,
  opts: TrainSpeakerOptions,
  warn: (s: string) => void,
): Promise<TrainingData> {
  const { audio } = cfg;
  const size = audio.frameColumns * audio.nMels;
  const useGate = cfg.detect.gate !== null;
  const targetFiles = targets.flatMap(speakerFiles);
  const targetHeld = spread(targetFiles.length, heldFileCount(targetFiles.length, cfg.train.heldOut, 3));
  const target = await speakerFrames(targetFiles, cfg, useGate, warn, targetHeld);
  const speakers = [speakerLine('target', targets.join(', '), targetFiles.length, target)];
  opts.log?.(
    `target: ${target.speechSeconds.toFixed(1)} s of speech in ${target.usedFiles.length} of ${targetFiles.length} files (${target.joinedFiles} short clips joined)`,
  );
  const minSeconds = opts.minTargetSeconds ?? DEFAULT_SPEAKER_TRAIN.minTargetSeconds;
  if (target.speechSeconds < minSeconds || target.count < 10) {
    throw new UsageError(
      `speaker train: only ${target.speechSeconds.toFixed(1)} s of target speech (${target.count} frames, short clips joined) in ${targets.join(', ')}; need at least ${minSeconds} s`,
    );
  }
  // the last `heldOutSpeakers` other speakers (when at least two remain for training) are
  // held out whole: a broadcast holds voices training never heard
  const heldSpeakers = Math.max(0, Math.min(cfg.train.heldOutSpeakers, others.length - 2));
  const otherSets: OtherSpeaker[] = [];
  for (const [k, p] of others.entries()) {
    const files = speakerFiles(p);
    const unseen = k >= others.length - heldSpeakers;
    const held = unseen ? new Set(files.keys()) : spread(files.length, heldFileCount(files.length, cfg.train.heldOut, 2));
    const s = await speakerFrames(files, cfg, useGate, warn, held);
    speakers.push(speakerLine('other', p, files.length, s));
    opts.log?.(
      `other speaker ${p}: ${s.speechSeconds.toFixed(1)} s of speech in ${s.usedFiles.length} of ${files.length} files (${s.joinedFiles} short clips joined)`,
    );
    if (s.count === 0) warn(`${p}: no usable frames; this speaker is left out`);
    else otherSets.push({ path: p, frames: s, held, unseen, files });
  }
  if (otherSets.length === 0) throw new UsageError(`speaker train: none of the other speakers (${others.join(', ')}) has usable speech`);
  const rateOf = new Map<number, string>();
  for (const [f, r] of [
    ...targetFiles.map((f, i): [string, number] => [f, target.rates[i]!]),
    ...otherSets.flatMap((o) => o.files.map((f, i): [string, number] => [f, o.frames.rates[i]!])),
  ])
    if (r !== undefined && !rateOf.has(r)) rateOf.set(r, f);
  if (rateOf.size > 1)
    warn(
      `training audio has mixed sample rates (${[...rateOf]
        .sort((a, b) => a[0] - b[0])
        .map(([r, f]) => `${r} Hz, e.g. ${f}`)
        .join('; ')}); all are resampled to ${audio.sampleRate} Hz, but a band missing in some files acts as a channel difference`,
    );

  const guard = Math.ceil(audio.frameColumns / cfg.train.hopColumns);
  const tSplit = split(target, targetHeld, cfg.train.heldOut, size, guard);
  const oSplits = otherSets.map((s) =>
    s.unseen
      ? { train: { data: new Float32Array(0), count: 0 }, held: concat(s.frames.clips, size), wholeClips: true }
      : split(s.frames, s.held, cfg.train.heldOut, size, guard),
  );
  const othersTrain = concat(
    oSplits.map((s) => s.train),
    size,
  );
  return {
    targetFiles,
    target,
    targetHeld,
    others: otherSets,
    heldSpeakers,
    tSplit,
    othersTrain,
    othersHeld: concat(
      oSplits.map((s) => s.held),
      size,
    ),
    wholeClips: tSplit.wholeClips && oSplits.some((s) => s.wholeClips),
    norm: dbStats([tSplit.train, othersTrain], size),
    speakers,
  };
}

type MemberLog = { seed: number; finalLoss: number; miningFrom: number; seconds: number };

/**
 * Step 2: the ensemble's nets, each what a single training with its seed gives (its own net
 * init, noise bank, beds and batches) on the same frames; member 0 is the single net of the
 * base seed.
 */
function trainMembers(
  d: TrainingData,
  cfg: SpeakerConfig,
  opts: TrainSpeakerOptions,
  warn: (s: string) => void,
): { members: EnsembleMember[]; logs: MemberLog[]; negativeFrames: number } {
  const { audio } = cfg;
  const size = audio.frameColumns * audio.nMels;
  const nMembers = cfg.train.ensemble ?? 1;
  const members: EnsembleMember[] = [];
  const logs: MemberLog[] = [];
  let negativeFrames = 0;
  for (let k = 0, retry = 0; k < nMembers; k++) {
    const tm = performance.now();
    const seed = cfg.train.seed + k * MEMBER_SEED_STRIDE + retry;
    const mcfg: SpeakerConfig = { ...cfg, train: { ...cfg.train, seed } };
    const rng = new Rng(seed + 5);
    const bank = cfg.train.augment ? noiseBank(audio, seed + 11) : null;
    const negatives = bank ? concat([d.othersTrain, nonSpeech(bank, size, rng)], size) : d.othersTrain;
    negativeFrames = negatives.count;
    const net = new EmbeddingNet({ channels: audio.nMels, filters: cfg.net.filters, dim: cfg.net.dim }, seed);
    const beds = cfg.train.augment && cfg.train.bedMix > 0 ? noiseBank(audio, seed + 14, { tonal: true, clips: 24 }) : null;
    if (nMembers > 1) opts.log?.(`training ensemble member ${k + 1}/${nMembers} (seed ${seed})`);
    const log = trainEmbedding(
      net,
      { target: d.tSplit.train, negatives, noise: bank, beds, frameSize: size, norm: d.norm },
      mcfg,
      opts.progress ?? silentProgress,
    );
    const embedWith = (s: FrameSet): Float32Array => net.embed(toDb(s, size), s.count, audio.frameColumns, d.norm);
    const memory = new EmbeddingMemory(embedWith(subsample(d.tSplit.train, 600, size)), cfg.net.dim);
    const cohort = cfg.detect.cohort ? new EmbeddingMemory(embedWith(subsample(d.othersTrain, 500, size)), cfg.net.dim) : null;
    // a NaN member would turn every ensemble score into NaN (the L2-norm gradient at a zero
    // embedding once did, fixed in nn/l2-normalize.ts), so one is retrained with the next seed
    // (twice at most); past that the run failed, not the caller's input
    if (!memory.data.every(Number.isFinite) || (cohort && !cohort.data.every(Number.isFinite))) {
      net.dispose();
      if (retry >= 2) {
        for (const m of members) m.net.dispose();
        throw new TrainingError(`speaker train: training with seed ${seed} diverged (NaN weights) after ${retry} retries; try another --seed`);
      }
      warn(`training with seed ${seed} diverged (NaN weights); retrained with seed ${seed + 1}`);
      retry++;
      k--;
      continue;
    }
    retry = 0;
    members.push({ net, memory, cohort });
    logs.push({ seed, finalLoss: log.finalLoss, miningFrom: log.miningFrom, seconds: (performance.now() - tm) / 1000 });
  }
  return { members, logs, negativeFrames };
}

/**
 * Step 3: held-out scores, as `detect` scores. With whole held-out files: a broadcast of them
 * run through detection (calibration.ts). With one recording per speaker: frames from the end
 * of the training recordings, clean and (when augmenting) under unseen beds, band noise or hiss
 * at 10-22 dB SNR, plus unseen non-speech at speech level among the non-targets.
 */
async function heldOutFigures(
  model: SpeakerModel,
  d: TrainingData,
  cfg: SpeakerConfig,
  warn: (s: string) => void,
): Promise<{ heldOut: TrainingReport['heldOut']; fromBroadcast: boolean }> {
  const size = cfg.audio.frameColumns * cfg.audio.nMels;
  const heldPaths = (files: string[], sf: SpeakerFrames, held: Set<number>, target: boolean): CalibrationFile[] =>
    sf.usedFiles.filter((i) => held.has(i)).map((i) => ({ path: files[i]!, target }));
  const calibFiles = d.wholeClips
    ? [...heldPaths(d.targetFiles, d.target, d.targetHeld, true), ...d.others.flatMap((o) => heldPaths(o.files, o.frames, o.held, false))]
    : [];
  let tScores: Float32Array = new Float32Array(0);
  let nScores: Float32Array = new Float32Array(0);
  let heldT = 0;
  let heldN = 0;
  let bestF1: BestF1 | null = null;
  if (calibFiles.length > 0) {
    const c = await calibrationScores(model, calibFiles, { seed: cfg.train.seed + 13, augment: cfg.train.augment });
    tScores = c.target;
    nScores = c.nonTarget;
    heldT = calibFiles.filter((f) => f.target).length;
    heldN = calibFiles.length - heldT;
    if (tScores.length >= 2 && nScores.length >= 2) bestF1 = bestF1Threshold(c.broadcasts, { maxGap: cfg.detect.maxGap, minDuration: cfg.detect.minDuration });
  } else {
    let ft = d.tSplit.held;
    let fn = d.othersHeld;
    if (cfg.train.augment) {
      const bank = noiseBank(cfg.audio, cfg.train.seed + 12, { clips: 12 });
      const hr = new Rng(cfg.train.seed + 13);
      ft = concat([d.tSplit.held, augmented(d.tSplit.held, bank, size, hr, 10, 22)], size);
      fn = concat([d.othersHeld, augmented(d.othersHeld, bank, size, hr, 10, 22), speechLevel(bank, d.othersHeld, size, hr)], size);
    }
    if (ft.count >= 2 && fn.count >= 2) {
      tScores = model.scoreFrames(toDb(ft, size), ft.count);
      nScores = model.scoreFrames(toDb(fn, size), fn.count);
    }
    heldT = ft.count;
    heldN = fn.count;
  }
  const fixed = cfg.detect.fixedThreshold;
  const enough = tScores.length >= 2 && nScores.length >= 2;
  if (!enough) warn('too little audio to hold out frames for validation; using the fixed threshold');
  const eq = enough ? equalErrorThreshold(tScores, nScores) : { threshold: fixed, eer: Number.NaN };
  const geq = enough ? gaussianEqualErrorThreshold(tScores, nScores) : eq;
  const lowFa = enough ? falseAlarmThreshold(nScores, LOW_FALSE_ALARM) : fixed;
  const heldOut: TrainingReport['heldOut'] = {
    targetFrames: tScores.length,
    nonTargetFrames: nScores.length,
    wholeClips: d.wholeClips,
    targetFiles: calibFiles.length ? heldT : undefined,
    nonTargetFiles: calibFiles.length ? heldN : undefined,
    eer: eq.eer,
    eerThreshold: eq.threshold,
    gaussianEer: geq.eer,
    gaussianEerThreshold: geq.threshold,
    lowFalseAlarmThreshold: lowFa,
    missAtLowFalseAlarm: enough ? missRate(tScores, lowFa) : Number.NaN,
    ...(bestF1 ? { bestF1Threshold: bestF1.threshold, bestF1: bestF1.f1, bestF1Range: bestF1.range } : {}),
    missAtFixed: enough ? missRate(tScores, fixed) : Number.NaN,
    falseAlarmAtFixed: enough ? 1 - missRate(nScores, fixed) : Number.NaN,
  };
  return { heldOut, fromBroadcast: enough && calibFiles.length > 0 };
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
  const cfg = resolveConfig(opts);
  const warnings: string[] = [];
  const warn = (s: string): void => {
    warnings.push(s);
    opts.log?.(`warning: ${s}`);
  };
  await initBackend();

  const data = await readTrainingData(targets, others, cfg, opts, warn);
  const { members, logs, negativeFrames } = trainMembers(data, cfg, opts, warn);
  const [first, ...extra] = members;
  const model = new SpeakerModel(
    {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      leanml: VERSION,
      config: cfg,
      norm: data.norm,
      threshold: cfg.detect.fixedThreshold,
      training: null as never,
      members: logs.map((m, k) => memberFiles(k, cfg.detect.cohort, m.seed)),
    },
    first!.net,
    first!.memory,
    first!.cohort,
    extra,
  );
  const { heldOut, fromBroadcast } = await heldOutFigures(model, data, cfg, warn);
  // held-out frames of the training recordings score the target higher than any broadcast
  // (their equal-error point at 0.94-0.96 halved recall), so without a held-out broadcast the
  // fixed threshold is the better guess
  if (!fromBroadcast && Number.isFinite(heldOut.eer) && cfg.detect.thresholdMode !== 'fixed')
    warn(
      `no whole file of the target and of another speaker could be held out, so the threshold is the fixed ${cfg.detect.fixedThreshold}; give several recordings per speaker for a calibrated one`,
    );
  // max-f1 without a held-out broadcast (no best-F1 point): the normal-fit equal-error point
  const chosen = thresholdCandidates(heldOut, cfg.detect.fixedThreshold)[cfg.detect.thresholdMode] ?? heldOut.gaussianEerThreshold;
  model.meta.threshold = fromBroadcast ? chosen : cfg.detect.fixedThreshold;
  model.meta.training = {
    targetSeconds: data.target.speechSeconds,
    targetFrames: data.target.count,
    otherSpeakers: data.others.length - data.heldSpeakers,
    heldOutSpeakers: data.heldSpeakers,
    negativeFrames,
    seconds: (performance.now() - t0) / 1000,
    finalLoss: logs[0]!.finalLoss,
    miningFrom: logs[0]!.miningFrom,
    ...(logs.length > 1 ? { members: logs } : {}),
    speakers: data.speakers,
    heldOut,
    warnings,
  };
  return model;
}
