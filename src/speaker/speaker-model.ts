/**
 * @module
 * A trained speaker model and its directory: `model.json` (format version, leanml version,
 * the full configuration incl. audio settings, input normalisation, thresholds, training
 * report), `net.safetensors` (PyTorch names and layouts), `memory.npy` (target embeddings) and
 * `cohort.npy` (other speakers' embeddings, when the score is cohort-normalised). An ensemble
 * (nets trained with different seeds on the same data) adds `net-K.safetensors`,
 * `memory-K.npy` (and `cohort-K.npy`) for members K = 1.., listed in `model.json` `members`;
 * its score is the mean of the members' scores. `loadSpeakerModel(dir)` restores it in one call.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, NotFoundError } from '../core/errors.js';
import { readNpy, writeNpy } from '../core/npy.js';
import { loadSafetensors, saveSafetensors } from '../nn/safetensors.js';
import { VERSION } from '../version.js';
import type { SpeakerConfig, ThresholdMode } from './config.js';
import type { EmbeddingNet } from './embedding-net.js';
import { InferenceNet, initInferenceBackend } from './inference-net.js';
import { EmbeddingMemory } from './memory.js';

/** Format tag and version of model directories this leanml reads and writes. */
export const MODEL_FORMAT = 'leanml-speaker';
export const MODEL_FORMAT_VERSION = 1;

/** What training measured, stored with the model. */
export interface TrainingReport {
  targetSeconds: number;
  targetFrames: number;
  otherSpeakers: number;
  /** Other speakers held out whole (not trained on) for the threshold. */
  heldOutSpeakers?: number;
  negativeFrames: number;
  seconds: number;
  finalLoss: number;
  miningFrom: number;
  /** Per ensemble member (when more than one): its seed, final loss, mining start and training seconds. */
  members?: { seed: number; finalLoss: number; miningFrom: number; seconds: number }[];
  /**
   * Held-out scores: empirical equal-error point, that of normal fits, the 1%-false-alarm
   * point, the point of best held-out F1 of detection's segments (with that F1 and the range
   * of near-best thresholds), and the error rates at the fixed threshold. `wholeClips`: scores are the columns
   * of a broadcast of held-out files (`targetFiles`, `nonTargetFiles`) scored by detection
   * (calibration.ts); otherwise held-out frames from the end of the training recordings.
   */
  heldOut: {
    targetFrames: number;
    nonTargetFrames: number;
    eer: number;
    eerThreshold: number;
    gaussianEer: number;
    gaussianEerThreshold: number;
    wholeClips?: boolean;
    targetFiles?: number;
    nonTargetFiles?: number;
    lowFalseAlarmThreshold?: number;
    missAtLowFalseAlarm?: number;
    bestF1Threshold?: number;
    bestF1?: number;
    bestF1Range?: [number, number];
    missAtFixed?: number;
    falseAlarmAtFixed?: number;
  };
  /** Per speaker path: files given, files with speech, short clips joined, seconds of speech, frames (absent in older models). */
  speakers?: { role: string; path: string; files: number; usedFiles: number; joinedFiles: number; speechSeconds: number; frames: number }[];
  warnings: string[];
}

/**
 * The threshold each mode gives, from a training report's held-out figures and the fixed
 * threshold; modes the report has no figure for (older models, no held-out broadcast) are absent.
 */
export function thresholdCandidates(h: TrainingReport['heldOut'], fixedThreshold: number): Partial<Record<ThresholdMode, number>> {
  const out: Partial<Record<ThresholdMode, number>> = { fixed: fixedThreshold, eer: h.eerThreshold, 'eer-normal': h.gaussianEerThreshold };
  if (h.bestF1Threshold !== undefined) out['max-f1'] = h.bestF1Threshold;
  if (h.lowFalseAlarmThreshold !== undefined) out['low-fa'] = h.lowFalseAlarmThreshold;
  return out;
}

/**
 * What scoring needs of a net: a trainable `EmbeddingNet`, or the `InferenceNet` that
 * `loadSpeakerModel` builds for detection.
 */
export type FrameEmbedder = Pick<EmbeddingNet, 'shape' | 'embedBlock' | 'embed' | 'stateDict' | 'dispose'>;

/** One net of a model with its own memory (and cohort): the first is the model's own. */
export interface EnsembleMember {
  net: FrameEmbedder;
  memory: EmbeddingMemory;
  cohort: EmbeddingMemory | null;
}

/** Files and seed of one ensemble member, as listed in `model.json`. */
export interface MemberFiles {
  net: string;
  memory: string;
  cohort?: string;
  seed: number;
}

/** The contents of `model.json`. */
export interface ModelMeta {
  format: string;
  formatVersion: number;
  leanml: string;
  config: SpeakerConfig;
  norm: { mean: number; std: number };
  /** The threshold `detect` uses unless told otherwise. */
  threshold: number;
  training: TrainingReport;
  /** Ensemble members (absent in single-net models written before ensembles: one member, `net.safetensors` + `memory.npy`). */
  members?: MemberFiles[];
}

/** File names of member `k` (member 0 keeps the single-net names, so old readers still find a net). */
export function memberFiles(k: number, cohort: boolean, seed: number): MemberFiles {
  const tag = k === 0 ? '' : `-${k}`;
  return { net: `net${tag}.safetensors`, memory: `memory${tag}.npy`, ...(cohort ? { cohort: `cohort${tag}.npy` } : {}), seed };
}

/** A loaded (or freshly trained) speaker model. */
export class SpeakerModel {
  constructor(
    readonly meta: ModelMeta,
    readonly net: FrameEmbedder,
    readonly memory: EmbeddingMemory,
    readonly cohort: EmbeddingMemory | null,
    /** Further ensemble members (none for a single net). */
    readonly extra: EnsembleMember[] = [],
  ) {}

  /** All nets with their memories, the model's own first. */
  get members(): EnsembleMember[] {
    return [{ net: this.net, memory: this.memory, cohort: this.cohort }, ...this.extra];
  }

  get config(): SpeakerConfig {
    return this.meta.config;
  }

  /**
   * Scores unit embeddings (N, D): top-k-mean cosine to the memory, minus the same against
   * the cohort when the config says so.
   */
  score(embeddings: Float32Array): Float32Array {
    return this.memberScore(this.members[0]!, embeddings);
  }

  /** One member's score of its own net's unit embeddings (N, D). */
  memberScore(m: EnsembleMember, embeddings: Float32Array): Float32Array {
    const k = this.config.detect.topK;
    const s = m.memory.score(embeddings, k);
    if (m.cohort) {
      const c = m.cohort.score(embeddings, k);
      for (let i = 0; i < s.length; i++) s[i]! -= c[i]!;
    }
    return s;
  }

  /**
   * Scores of frames cut from one block of dB columns (T, C) at `starts` (L columns each):
   * the mean over members of each net's score, all nets reading the same columns (the
   * mel/STFT is computed once). out: (N,)
   */
  scoreBlock(block: Float32Array, T: number, L: number, starts: Int32Array): Float32Array {
    return this.meanOver((m) => this.memberScore(m, m.net.embedBlock(block, T, L, starts, this.meta.norm)), starts.length);
  }

  /** Scores of `count` dB frames (N, L, C): the mean over members. out: (N,) */
  scoreFrames(db: Float32Array, count: number): Float32Array {
    return this.meanOver((m) => this.memberScore(m, m.net.embed(db, count, this.config.audio.frameColumns, this.meta.norm)), count);
  }

  private meanOver(f: (m: EnsembleMember) => Float32Array, n: number): Float32Array {
    const ms = this.members;
    if (ms.length === 1) return f(ms[0]!);
    const out = new Float32Array(n);
    for (const m of ms) {
      const s = f(m);
      for (let i = 0; i < n; i++) out[i]! += s[i]!;
    }
    for (let i = 0; i < n; i++) out[i]! /= ms.length;
    return out;
  }

  /** Writes the model directory (created if needed). */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const seeds = this.meta.members?.map((m) => m.seed) ?? [];
    const files = this.members.map((m, k) => memberFiles(k, m.cohort !== null, seeds[k] ?? this.config.train.seed));
    this.meta.members = files;
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify(this.meta, null, 2)}\n`);
    for (const [k, m] of this.members.entries()) {
      const f = files[k]!;
      saveSafetensors(join(dir, f.net), m.net.stateDict(), { format: 'pt', leanml: VERSION });
      writeNpy(join(dir, f.memory), m.memory.data, [m.memory.size, m.memory.dim]);
      if (m.cohort && f.cohort) writeNpy(join(dir, f.cohort), m.cohort.data, [m.cohort.size, m.cohort.dim]);
    }
  }

  dispose(): void {
    for (const m of this.members) m.net.dispose();
  }
}

function readMeta(dir: string): ModelMeta {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new NotFoundError(`${dir}: not a speaker model directory (no model.json)`);
  let meta: ModelMeta;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as ModelMeta;
  } catch (err) {
    throw new FormatError(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  if (meta?.format !== MODEL_FORMAT) throw new FormatError(`${path}: format is '${String(meta?.format)}', expected '${MODEL_FORMAT}'`);
  if (meta.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new FormatError(
      `${path}: model format version ${String(meta.formatVersion)} (written by leanml ${String(meta.leanml)}), but this leanml ${VERSION} reads version ${MODEL_FORMAT_VERSION}; retrain the model with this version`,
    );
  }
  const c = meta.config;
  if (!c?.audio || !c.net || !c.detect || !(meta.norm?.std > 0) || !Number.isFinite(meta.threshold))
    throw new FormatError(`${path}: incomplete model description (config, norm or threshold missing)`);
  return meta;
}

function readMemory(path: string, dim: number): EmbeddingMemory {
  if (!existsSync(path)) throw new NotFoundError(`${path}: missing`);
  const a = readNpy(path);
  if (a.shape.length !== 2 || a.shape[1] !== dim || !(a.data instanceof Float32Array)) {
    throw new FormatError(`${path}: expected float32 (M, ${dim}), got ${a.data.constructor.name} (${a.shape.join(', ')})`);
  }
  return new EmbeddingMemory(a.data, dim);
}

/** Options of `loadSpeakerModel`. */
export interface LoadSpeakerModelOptions {
  /**
   * Build trainable `EmbeddingNet`s (the full TensorFlow.js with gradients) instead of the
   * inference-only `InferenceNet`s detection uses. Default false.
   */
  trainable?: boolean;
}

/**
 * Loads a model directory written by `SpeakerModel.save` (initialising the TF.js backend).
 * Its nets are `InferenceNet`s (tfjs-core and the WASM backend only) unless `trainable`.
 */
export async function loadSpeakerModel(dir: string, opts: LoadSpeakerModelOptions = {}): Promise<SpeakerModel> {
  const meta = readMeta(dir);
  // the trainable net pulls in the whole of TensorFlow.js: only when asked for
  const Trainable = opts.trainable ? (await import('./embedding-net.js')).EmbeddingNet : null;
  if (opts.trainable) await (await import('../nn/backend.js')).initBackend();
  else await initInferenceBackend();
  const { audio, net: shape } = meta.config;
  const useCohort = meta.config.detect.cohort;
  const files = meta.members ?? [memberFiles(0, useCohort, meta.config.train?.seed ?? 0)];
  if (!Array.isArray(files) || files.length === 0 || files.length > 64) throw new FormatError(`${join(dir, 'model.json')}: 'members' must list 1-64 nets`);
  const members: EnsembleMember[] = [];
  try {
    for (const f of files) {
      if (typeof f?.net !== 'string' || typeof f.memory !== 'string' || /[\\/]/.test(f.net + f.memory + (f.cohort ?? '')))
        throw new FormatError(`${join(dir, 'model.json')}: bad member entry ${JSON.stringify(f)}`);
      const netShape = { channels: audio.nMels, filters: shape.filters, dim: shape.dim };
      let net: FrameEmbedder;
      try {
        const sd = loadSafetensors(join(dir, f.net));
        if (Trainable) {
          const t = new Trainable(netShape);
          try {
            t.loadStateDict(sd);
          } catch (err) {
            t.dispose();
            throw err;
          }
          net = t;
        } else net = new InferenceNet(netShape, sd);
      } catch (err) {
        throw new FormatError(`${join(dir, f.net)}: ${(err as Error).message}`, { cause: err });
      }
      members.push({ net, memory: undefined as unknown as EmbeddingMemory, cohort: null }); // disposed on a later error
      const m = members[members.length - 1]!;
      m.memory = readMemory(join(dir, f.memory), shape.dim);
      if (useCohort) {
        if (!f.cohort) throw new FormatError(`${join(dir, 'model.json')}: member ${f.net} has no cohort file but the configuration uses a cohort`);
        m.cohort = readMemory(join(dir, f.cohort), shape.dim);
      }
    }
  } catch (err) {
    for (const m of members) m.net.dispose();
    throw err;
  }
  const [first, ...extra] = members;
  return new SpeakerModel(meta, first!.net, first!.memory, first!.cohort, extra);
}
