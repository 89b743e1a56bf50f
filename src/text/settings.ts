/**
 * @module
 * The settings of a text classifier: architecture, vocabulary and training. Defaults are
 * defined once here, printed by `leanml text train --help` and stored with every model.
 */
import { UsageError } from '../core/errors.js';

/** `bag`: mean of the token (and sub-word) embeddings → linear; `gru`: packed GRU over token embeddings → linear. */
export type TextArch = 'bag' | 'gru';

/** How tokens become embedding rows. */
export interface VocabSettings {
  /** Tokens seen fewer times in training have no row of their own (they share hashed buckets). */
  minCount: number;
  /** Hashed rows shared by unknown/rare tokens and character n-grams (fastText's `bucket`). */
  buckets: number;
  /** Character n-grams of `<token>` from minn to maxn (0 = none), hashed into the buckets, as fastText. */
  minn: number;
  maxn: number;
  /** Tokens per line kept (the first ones); longer lines are cut. */
  maxTokens: number;
}

/** The network. */
export interface NetSettings {
  arch: TextArch;
  /** Embedding size. */
  dim: number;
  /** GRU hidden size (gru only). */
  hidden: number;
  /** L2-normalise the bag vector (bag only). */
  unitNorm: boolean;
}

/** Training. */
export interface TrainSettings {
  /** Most passes over the training lines; early stopping may end sooner. */
  epochs: number;
  /** Epochs without a better held-out loss before training stops (0 = never stop early). */
  patience: number;
  batchSize: number;
  /** Adam learning rate. */
  lr: number;
  /** Share of the training lines held out for early stopping and the reported validation figure. */
  validation: number;
  seed: number;
}

export interface TextSettings {
  vocab: VocabSettings;
  net: NetSettings;
  train: TrainSettings;
}

/** Defaults of every setting (used by the CLI and the API). */
export const DEFAULT_TEXT_SETTINGS: Readonly<TextSettings> = Object.freeze({
  vocab: Object.freeze({ minCount: 2, buckets: 20_000, minn: 0, maxn: 0, maxTokens: 256 }),
  net: Object.freeze({ arch: 'bag' as TextArch, dim: 64, hidden: 64, unitNorm: false }),
  train: Object.freeze({ epochs: 20, patience: 2, batchSize: 32, lr: 0.01, validation: 0.1, seed: 1 }),
});

/** Labels per line `predict` returns unless told. */
export const DEFAULT_PREDICT_K: number = 1;

/** Deep-merges partial settings over the defaults and checks every value. */
export function resolveSettings(partial: { vocab?: Partial<VocabSettings>; net?: Partial<NetSettings>; train?: Partial<TrainSettings> } = {}): TextSettings {
  const s: TextSettings = {
    vocab: { ...DEFAULT_TEXT_SETTINGS.vocab, ...stripUndefined(partial.vocab) },
    net: { ...DEFAULT_TEXT_SETTINGS.net, ...stripUndefined(partial.net) },
    train: { ...DEFAULT_TEXT_SETTINGS.train, ...stripUndefined(partial.train) },
  };
  checkSettings(s);
  return s;
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function int(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`text settings: ${name} must be an integer in [${min}, ${max}], got ${v}`);
}

/** Throws a `UsageError` naming the first bad setting. */
export function checkSettings(s: TextSettings): void {
  int('minCount', s.vocab.minCount, 1, 1e9);
  int('buckets', s.vocab.buckets, 1, 1 << 24);
  int('minn', s.vocab.minn, 0, 20);
  int('maxn', s.vocab.maxn, 0, 20);
  if (s.vocab.maxn > 0 && s.vocab.minn < 1) throw new UsageError(`text settings: minn must be at least 1 when maxn is ${s.vocab.maxn}`);
  if (s.vocab.maxn > 0 && s.vocab.minn > s.vocab.maxn) throw new UsageError(`text settings: minn ${s.vocab.minn} is above maxn ${s.vocab.maxn}`);
  int('maxTokens', s.vocab.maxTokens, 1, 100_000);
  if (s.net.arch !== 'bag' && s.net.arch !== 'gru') throw new UsageError(`text settings: arch must be bag or gru, got '${String(s.net.arch)}'`);
  int('dim', s.net.dim, 1, 4096);
  int('hidden', s.net.hidden, 1, 4096);
  int('epochs', s.train.epochs, 1, 100_000);
  int('patience', s.train.patience, 0, 100_000);
  int('batchSize', s.train.batchSize, 1, 1 << 16);
  int('seed', s.train.seed, 0, 2 ** 32 - 1);
  if (!(s.train.lr > 0 && s.train.lr < 100)) throw new UsageError(`text settings: lr must be in (0, 100), got ${s.train.lr}`);
  if (!(s.train.validation >= 0 && s.train.validation < 1)) throw new UsageError(`text settings: validation must be in [0, 1), got ${s.train.validation}`);
}
