/**
 * @module
 * A trained speaker model and its directory: `model.json` (format version, leanml version,
 * the full configuration incl. audio settings, input normalisation, thresholds, training
 * report), `net.safetensors` (PyTorch names and layouts), `memory.npy` (target embeddings) and
 * `cohort.npy` (other speakers' embeddings, when the score is cohort-normalised).
 * `loadSpeakerModel(dir)` restores it in one call.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, NotFoundError } from '../core/errors.js';
import { readNpy, writeNpy } from '../core/npy.js';
import { initBackend, loadSafetensors, saveSafetensors } from '../nn/index.js';
import { VERSION } from '../version.js';
import type { SpeakerConfig } from './config.js';
import { EmbeddingNet } from './embedding-net.js';
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
  /**
   * Held-out scores: empirical equal-error point, that of normal fits, the 1%-false-alarm
   * point, and the error rates at the fixed threshold. `wholeClips`: scores are the columns
   * of a broadcast of held-out files (`targetFiles`, `nonTargetFiles`) scored by detection
   * (calibration.ts); otherwise held-out frames from the end of the training recordings.
   */
  heldOut: {
    targetFrames: number; nonTargetFrames: number; eer: number; eerThreshold: number; gaussianEer: number; gaussianEerThreshold: number;
    wholeClips?: boolean; targetFiles?: number; nonTargetFiles?: number; lowFalseAlarmThreshold?: number; missAtLowFalseAlarm?: number; missAtFixed?: number; falseAlarmAtFixed?: number;
  };
  warnings: string[];
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
}

/** A loaded (or freshly trained) speaker model. */
export class SpeakerModel {
  constructor(
    readonly meta: ModelMeta,
    readonly net: EmbeddingNet,
    readonly memory: EmbeddingMemory,
    readonly cohort: EmbeddingMemory | null,
  ) {}

  get config(): SpeakerConfig {
    return this.meta.config;
  }

  /**
   * Scores unit embeddings (N, D): top-k-mean cosine to the memory, minus the same against
   * the cohort when the config says so.
   */
  score(embeddings: Float32Array): Float32Array {
    const k = this.config.detect.topK;
    const s = this.memory.score(embeddings, k);
    if (this.cohort) {
      const c = this.cohort.score(embeddings, k);
      for (let i = 0; i < s.length; i++) s[i]! -= c[i]!;
    }
    return s;
  }

  /** Writes the model directory (created if needed). */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify(this.meta, null, 2)}\n`);
    saveSafetensors(join(dir, 'net.safetensors'), this.net.stateDict(), { format: 'pt', leanml: VERSION });
    writeNpy(join(dir, 'memory.npy'), this.memory.data, [this.memory.size, this.memory.dim]);
    if (this.cohort) writeNpy(join(dir, 'cohort.npy'), this.cohort.data, [this.cohort.size, this.cohort.dim]);
  }

  dispose(): void {
    this.net.dispose();
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
    throw new FormatError(`${path}: model format version ${String(meta.formatVersion)} (written by leanml ${String(meta.leanml)}), but this leanml ${VERSION} reads version ${MODEL_FORMAT_VERSION}; retrain the model with this version`);
  }
  const c = meta.config;
  if (!c?.audio || !c.net || !c.detect || !(meta.norm?.std > 0) || !Number.isFinite(meta.threshold)) throw new FormatError(`${path}: incomplete model description (config, norm or threshold missing)`);
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

/** Loads a model directory written by `SpeakerModel.save` (initialising the TF.js backend). */
export async function loadSpeakerModel(dir: string): Promise<SpeakerModel> {
  const meta = readMeta(dir);
  await initBackend();
  const { audio, net: shape } = meta.config;
  const net = new EmbeddingNet({ channels: audio.nMels, filters: shape.filters, dim: shape.dim });
  try {
    net.loadStateDict(loadSafetensors(join(dir, 'net.safetensors')));
  } catch (err) {
    net.dispose();
    throw new FormatError(`${join(dir, 'net.safetensors')}: ${(err as Error).message}`, { cause: err });
  }
  const memory = readMemory(join(dir, 'memory.npy'), shape.dim);
  const cohort = meta.config.detect.cohort ? readMemory(join(dir, 'cohort.npy'), shape.dim) : null;
  return new SpeakerModel(meta, net, memory, cohort);
}
