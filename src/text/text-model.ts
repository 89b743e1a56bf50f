/**
 * @module
 * A trained text classifier and its directory: `model.json` (format and versions, settings,
 * labels, training report), `vocab.txt` (one `token<TAB>count` per row from 1) and
 * `weights.safetensors` (PyTorch names and layouts: `embedding.weight`, `gru.*_l0`, `fc.*`).
 * `loadTextModel(dir)` restores it in one call; `save` writes a new directory beside the
 * target and renames it into place, so a failed save leaves nothing half-written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FormatError, NotFoundError, UsageError } from '../core/errors.js';
import { initBackend, loadSafetensors, saveSafetensors, tf } from '../nn/index.js';
import { VERSION } from '../version.js';
import { bagBatch, encodeLines, sequenceBatch, type EncodedSet } from './encoded-set.js';
import { parseLabelledLines, type LabelledLine } from './labelled-lines.js';
import { checkSettings, DEFAULT_PREDICT_K, type TextSettings } from './settings.js';
import { TextNet, type BagInput, type SequenceInput } from './text-net.js';
import { Vocabulary } from './vocabulary.js';

export const TEXT_MODEL_FORMAT = 'leanml-text';
export const TEXT_MODEL_FORMAT_VERSION = 1;

/** What training measured, stored with the model. */
export interface TextTrainingReport {
  trainLines: number;
  validationLines: number;
  epochs: number;
  bestEpoch: number;
  /** Per epoch: mean training loss, held-out loss and accuracy (null without a held-out split), seconds. */
  history: { epoch: number; trainLoss: number; validationLoss: number | null; validationAccuracy: number | null; seconds: number }[];
  validationLoss: number | null;
  validationAccuracy: number | null;
  seconds: number;
  backend: string;
}

/** The contents of `model.json`. */
export interface TextModelMeta {
  format: string;
  formatVersion: number;
  leanml: string;
  versions: { leanml: string; tfjs: string };
  settings: TextSettings;
  labels: string[];
  vocabularySize: number;
  training: TextTrainingReport;
}

/** One prediction: labels with probabilities, best first. */
export type TextPrediction = { label: string; probability: number }[];

export class TextModel {
  constructor(
    readonly meta: TextModelMeta,
    readonly vocab: Vocabulary,
    readonly net: TextNet,
  ) {}

  get labels(): string[] {
    return this.meta.labels;
  }

  get settings(): TextSettings {
    return this.meta.settings;
  }

  /** The network input for `rows` of an encoded set. */
  input(set: EncodedSet, rows: ArrayLike<number>): BagInput | SequenceInput {
    return this.settings.net.arch === 'bag' ? { kind: 'bag', ...bagBatch(set, rows) } : { kind: 'sequence', ...sequenceBatch(set, rows) };
  }

  /** Class probabilities (N, C) of every line of `set`, in order, computed `batchSize` lines at a time. */
  probabilities(set: EncodedSet, batchSize = 256): Float32Array {
    const C = this.labels.length;
    const out = new Float32Array(set.size * C);
    for (let a = 0; a < set.size; a += batchSize) {
      const rows = Int32Array.from({ length: Math.min(batchSize, set.size - a) }, (_, i) => a + i);
      const p = tf.tidy(() => tf.softmax(this.net.forward(this.input(set, rows))));
      out.set(p.dataSync() as Float32Array, a * C);
      p.dispose();
    }
    return out;
  }

  /** The k most probable labels of each text (tokens split on whitespace; labels in the text are ignored). */
  predict(texts: string[], k = DEFAULT_PREDICT_K): TextPrediction[] {
    const lines: LabelledLine[] = texts.map((t, i) => ({ labels: [], tokens: t.split(/\s+/).filter((w) => w.length > 0), line: i + 1 }));
    return this.predictLines(lines, k);
  }

  /** Predictions for parsed lines. */
  predictLines(lines: LabelledLine[], k = DEFAULT_PREDICT_K): TextPrediction[] {
    if (lines.length === 0) return [];
    const set = this.encode(
      lines.map((l) => ({ ...l, labels: [] })),
      'input',
    );
    const C = this.labels.length;
    const probs = this.probabilities(set);
    const kk = Math.min(Math.max(1, k), C);
    return lines.map((_, i) => {
      const row = Array.from(probs.subarray(i * C, (i + 1) * C), (p, c) => ({ label: this.labels[c]!, probability: p }));
      row.sort((a, b) => b.probability - a.probability);
      return row.slice(0, kk);
    });
  }

  /** Encodes lines with this model's vocabulary and labels (`name` is used in errors). */
  encode(lines: LabelledLine[], name: string): EncodedSet {
    return encodeLines(lines, this.vocab, this.labels, name);
  }

  /** Writes the model directory atomically (a sibling temp directory renamed into place). */
  save(dir: string): void {
    if (existsSync(dir)) {
      const entries = readdirSync(dir);
      if (entries.length > 0 && !entries.includes('model.json')) throw new UsageError(`${dir}: exists and is not a model directory; refusing to replace it`);
    }
    const parent = dirname(dir);
    mkdirSync(parent, { recursive: true });
    const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
    mkdirSync(tmp);
    try {
      writeFileSync(join(tmp, 'model.json'), `${JSON.stringify(this.meta, null, 2)}\n`);
      writeFileSync(join(tmp, 'vocab.txt'), this.vocab.serialize());
      saveSafetensors(join(tmp, 'weights.safetensors'), this.net.stateDict(), { format: 'pt', leanml: VERSION });
      if (existsSync(dir)) {
        const old = `${tmp}.old`;
        renameSync(dir, old);
        renameSync(tmp, dir);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(tmp, dir);
      }
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  dispose(): void {
    this.net.dispose();
  }
}

/** Parses `text` as lines to predict (labels optional). */
export function parseTexts(text: string, name: string): LabelledLine[] {
  return parseLabelledLines(text, name, { requireLabels: false });
}

function readMeta(dir: string): TextModelMeta {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new NotFoundError(`${dir}: not a text model directory (no model.json)`);
  let meta: TextModelMeta;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as TextModelMeta;
  } catch (err) {
    throw new FormatError(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  if (meta?.format !== TEXT_MODEL_FORMAT) throw new FormatError(`${path}: format is '${String(meta?.format)}', expected '${TEXT_MODEL_FORMAT}'`);
  if (meta.formatVersion !== TEXT_MODEL_FORMAT_VERSION) {
    throw new FormatError(
      `${path}: model format version ${String(meta.formatVersion)} (written by leanml ${String(meta.leanml)}), but this leanml ${VERSION} reads version ${TEXT_MODEL_FORMAT_VERSION}; retrain the model with this version`,
    );
  }
  if (!meta.settings?.vocab || !meta.settings.net || !meta.settings.train) throw new FormatError(`${path}: settings missing`);
  try {
    checkSettings(meta.settings);
  } catch (err) {
    throw new FormatError(`${path}: ${(err as Error).message}`);
  }
  if (!Array.isArray(meta.labels) || meta.labels.length < 1 || meta.labels.some((l) => typeof l !== 'string'))
    throw new FormatError(`${path}: 'labels' must be a non-empty list of strings`);
  return meta;
}

/** Loads a model directory written by `TextModel.save` (initialising the TF.js backend). */
export async function loadTextModel(dir: string): Promise<TextModel> {
  const meta = readMeta(dir);
  const vocabPath = join(dir, 'vocab.txt');
  if (!existsSync(vocabPath)) throw new NotFoundError(`${vocabPath}: missing`);
  const vocab = Vocabulary.parse(readFileSync(vocabPath, 'utf8'), meta.settings.vocab, vocabPath);
  if (vocab.size !== meta.vocabularySize) throw new FormatError(`${vocabPath}: ${vocab.size} embedding rows, but model.json says ${meta.vocabularySize}`);
  await initBackend();
  const net = new TextNet(vocab.size, meta.labels.length, meta.settings.net);
  const weights = join(dir, 'weights.safetensors');
  try {
    net.loadStateDict(loadSafetensors(weights));
  } catch (err) {
    net.dispose();
    throw new FormatError(`${weights}: ${(err as Error).message}`, { cause: err });
  }
  return new TextModel(meta, vocab, net);
}
