/**
 * @module
 * Lines turned into embedding-row ids and label indices, in flat typed arrays, and the padded
 * batches the networks read: (B, L) for the bag (every id of a line), (B, T, S) for the GRU
 * (T tokens, each the mean of its S rows), with the true token counts for packing.
 *
 * Legend: N = lines, B = batch, T = tokens, S = rows per token, C = labels.
 */
import { FormatError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { StateDict } from '../nn/index.js';
import type { LabelledLine } from './labelled-lines.js';
import { EOS_TOKEN, PAD_ID, type Vocabulary } from './vocabulary.js';

export interface EncodedSet {
  size: number;
  /** Line i's tokens are tokenOffsets[i]..tokenOffsets[i+1] (at least one: `</s>` for an empty line). */
  tokenOffsets: Int32Array;
  /** Token k's rows are ids[idOffsets[k]..idOffsets[k+1]]. */
  idOffsets: Int32Array;
  ids: Int32Array;
  /** Line i's label indices are labels[labelOffsets[i]..labelOffsets[i+1]] (empty when unlabelled). */
  labelOffsets: Int32Array;
  labels: Int32Array;
  /** Source line numbers (1-based), for messages and reports. */
  lineNumbers: Int32Array;
}

/**
 * Encodes lines with a vocabulary and a label list. A label not in `labelNames` is an error
 * naming `name`, the line and the labels the model knows.
 */
export function encodeLines(lines: LabelledLine[], vocab: Vocabulary, labelNames: string[], name: string): EncodedSet {
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  const maxTokens = vocab.settings.maxTokens;
  const tokenOffsets = new Int32Array(lines.length + 1);
  const labelOffsets = new Int32Array(lines.length + 1);
  const idOffsets: number[] = [0];
  const ids: number[] = [];
  const labels: number[] = [];
  lines.forEach((l, i) => {
    const tokens = l.tokens.length ? l.tokens.slice(0, maxTokens) : [EOS_TOKEN];
    for (const t of tokens) {
      const r = vocab.tokenIds(t);
      for (let j = 0; j < r.length; j++) ids.push(r[j]!);
      idOffsets.push(ids.length);
    }
    tokenOffsets[i + 1] = tokenOffsets[i]! + tokens.length;
    for (const lab of l.labels) {
      const k = labelIndex.get(lab);
      if (k === undefined) {
        const known = labelNames.length > 12 ? `${labelNames.slice(0, 12).join(', ')}, … (${labelNames.length})` : labelNames.join(', ');
        throw new FormatError(`${name}:${l.line}: label '${lab}' was not seen in training (the model knows: ${known})`);
      }
      labels.push(k);
    }
    labelOffsets[i + 1] = labels.length;
  });
  return {
    size: lines.length,
    tokenOffsets,
    idOffsets: Int32Array.from(idOffsets),
    ids: Int32Array.from(ids),
    labelOffsets,
    labels: Int32Array.from(labels),
    lineNumbers: Int32Array.from(lines, (l) => l.line),
  };
}

/** The subset of `set` at `rows`, as a set of its own. */
export function subset(set: EncodedSet, rows: ArrayLike<number>): EncodedSet {
  const tokenOffsets = new Int32Array(rows.length + 1);
  const labelOffsets = new Int32Array(rows.length + 1);
  const idOffsets: number[] = [0];
  const ids: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let k = set.tokenOffsets[r]!; k < set.tokenOffsets[r + 1]!; k++) {
      for (let j = set.idOffsets[k]!; j < set.idOffsets[k + 1]!; j++) ids.push(set.ids[j]!);
      idOffsets.push(ids.length);
    }
    tokenOffsets[i + 1] = tokenOffsets[i]! + set.tokenOffsets[r + 1]! - set.tokenOffsets[r]!;
    for (let j = set.labelOffsets[r]!; j < set.labelOffsets[r + 1]!; j++) labels.push(set.labels[j]!);
    labelOffsets[i + 1] = labels.length;
  }
  return {
    size: rows.length,
    tokenOffsets,
    idOffsets: Int32Array.from(idOffsets),
    ids: Int32Array.from(ids),
    labelOffsets,
    labels: Int32Array.from(labels),
    lineNumbers: Int32Array.from(rows, (r) => set.lineNumbers[r]!),
  };
}

/** Number of tokens of line i. */
export function tokenCount(set: EncodedSet, i: number): number {
  return set.tokenOffsets[i + 1]! - set.tokenOffsets[i]!;
}

/** Bag batch: every row id of each line, padded with PAD. ids (B, L) row-major. */
export function bagBatch(set: EncodedSet, rows: ArrayLike<number>): { ids: Int32Array; batch: number; length: number } {
  let L = 1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    L = Math.max(L, set.idOffsets[set.tokenOffsets[r + 1]!]! - set.idOffsets[set.tokenOffsets[r]!]!);
  }
  const ids = new Int32Array(rows.length * L).fill(PAD_ID);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const a = set.idOffsets[set.tokenOffsets[r]!]!;
    const b = set.idOffsets[set.tokenOffsets[r + 1]!]!;
    ids.set(set.ids.subarray(a, b), i * L);
  }
  return { ids, batch: rows.length, length: L };
}

/** Sequence batch: ids (B, T, S) row-major padded with PAD, and each line's token count. */
export function sequenceBatch(
  set: EncodedSet,
  rows: ArrayLike<number>,
): { ids: Int32Array; batch: number; steps: number; rowsPerToken: number; lengths: Int32Array } {
  let T = 1;
  let S = 1;
  const lengths = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    lengths[i] = tokenCount(set, r);
    T = Math.max(T, lengths[i]!);
    for (let k = set.tokenOffsets[r]!; k < set.tokenOffsets[r + 1]!; k++) S = Math.max(S, set.idOffsets[k + 1]! - set.idOffsets[k]!);
  }
  const ids = new Int32Array(rows.length * T * S).fill(PAD_ID);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const k0 = set.tokenOffsets[r]!;
    for (let t = 0; t < lengths[i]!; t++) {
      const k = k0 + t;
      ids.set(set.ids.subarray(set.idOffsets[k]!, set.idOffsets[k + 1]!), (i * T + t) * S);
    }
  }
  return { ids, batch: rows.length, steps: T, rowsPerToken: S, lengths };
}

/** Targets (B, C): each line's labels share probability 1 (fastText's multi-label softmax target). */
export function targetBatch(set: EncodedSet, rows: ArrayLike<number>, numLabels: number): Float32Array {
  const out = new Float32Array(rows.length * numLabels);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const a = set.labelOffsets[r]!;
    const b = set.labelOffsets[r + 1]!;
    for (let j = a; j < b; j++) out[i * numLabels + set.labels[j]!] = 1 / (b - a);
  }
  return out;
}

/**
 * Batches of one epoch: a seeded shuffle, then within pools of 50 batches the lines sorted by
 * length (so a batch pads little), then the batches shuffled. Every line appears once.
 */
export function epochBatches(set: EncodedSet, batchSize: number, rng: Rng): Int32Array[] {
  const order = Int32Array.from({ length: set.size }, (_, i) => i);
  rng.shuffle(order);
  const pool = batchSize * 50;
  const batches: Int32Array[] = [];
  for (let p = 0; p < order.length; p += pool) {
    const part = Array.from(order.subarray(p, p + pool)).sort((a, b) => tokenCount(set, a) - tokenCount(set, b));
    for (let i = 0; i < part.length; i += batchSize) batches.push(Int32Array.from(part.slice(i, i + batchSize)));
  }
  const idx = Int32Array.from(batches.keys());
  rng.shuffle(idx);
  return Array.from(idx, (i) => batches[i]!);
}

/**
 * The arrays of an encoded set as named int32 tensors `<prefix>.<field>`, to write with
 * `saveSafetensors` for another framework (the PyTorch twin in bench/ reads them).
 */
export function encodedSetTensors(set: EncodedSet, prefix: string): StateDict {
  const t = (a: Int32Array): { data: Int32Array; shape: number[] } => ({ data: a, shape: [a.length] });
  return {
    [`${prefix}.tokenOffsets`]: t(set.tokenOffsets),
    [`${prefix}.idOffsets`]: t(set.idOffsets),
    [`${prefix}.ids`]: t(set.ids),
    [`${prefix}.labelOffsets`]: t(set.labelOffsets),
    [`${prefix}.labels`]: t(set.labels),
  };
}
