/**
 * @module
 * `inspect`: opens up the lines a model gets wrong. The decision is the margin between the
 * predicted label's logit and the best gold label's, m = (w_pred − w_gold)·v + (b_pred − b_gold).
 * GRU: the gates of every step and unit (`GRU.inspect`, the same fused weights as training),
 * summarised per token, and each token's move of the margin, m(h_t) − m(h_{t−1}) with
 * m(h_{−1}) from the zero state. Bag: each token's exact additive share of the margin (its rows'
 * sum over the line's row count, through the unit norm when the model uses one).
 *
 * Legend: T = tokens of a line, H = hidden units, D = embedding size.
 */
import { tf } from '../nn/index.js';
import { sequenceBatch, subset } from './encoded-set.js';
import { readLabelledLines, type LabelledLine } from './labelled-lines.js';
import type { TextModel } from './text-model.js';
import { EOS_TOKEN } from './vocabulary.js';

/** A token's push on the margin: > 0 towards the wrong prediction, < 0 towards the gold label. */
export interface TokenMove {
  index: number;
  token: string;
  delta: number;
}

/** Gates of one line: each (T, H) row-major, and their means over units per token. */
export interface LineGates {
  hidden: number;
  reset: Float32Array;
  update: Float32Array;
  candidate: Float32Array;
  meanReset: Float32Array;
  meanUpdate: Float32Array;
  /** Mean |candidate| over units, per token. */
  meanCandidate: Float32Array;
}

export interface InspectedError {
  /** 1-based line in the input. */
  line: number;
  tokens: string[];
  gold: string[];
  predicted: string;
  probability: number;
  /** The probability of the best gold label. */
  goldProbability: number;
  /** Margin of the prediction over the best gold label (logits). */
  margin: number;
  /** Per token, in order: its move of the margin. */
  deltas: Float32Array;
  /** Tokens sorted by |delta|, largest first. */
  moved: TokenMove[];
  gates?: LineGates;
}

export interface InspectResult {
  arch: 'bag' | 'gru';
  lines: number;
  errorCount: number;
  errors: InspectedError[];
  /** Over the shown errors: tokens whose moves sum furthest towards wrong decisions. */
  topTokens: { token: string; total: number; count: number }[];
}

function argmax(a: Float32Array, from: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (a[from + c]! > a[from + best]!) best = c;
  return best;
}

/**
 * Finds the first `errors` misclassified lines of a labelled input and opens them up.
 *
 * @example
 * ```ts
 * const r = inspectErrors(model, 'test.txt', { errors: 20 });
 * r.errors[0].moved[0]; // { index: 4, token: 'free', delta: 1.8 }: pushed the margin towards the wrong label
 * ```
 */
/** Defaults of `inspectErrors` (and of `leanml text inspect`). */
export const DEFAULT_INSPECT: Readonly<{ errors: number; top: number }> = Object.freeze({
  /** Misclassified lines opened up (the first in the input). */
  errors: 20,
  /** Tokens per line that moved the decision most. */
  top: 5,
});

export function inspectErrors(
  model: TextModel,
  input: string | LabelledLine[] | undefined,
  opts: { errors?: number; top?: number; labelPrefix?: string } = {},
): InspectResult {
  const maxErrors = opts.errors ?? DEFAULT_INSPECT.errors;
  const name = typeof input === 'string' ? input : 'input';
  const lines = Array.isArray(input) ? input : readLabelledLines(input, { labelPrefix: opts.labelPrefix });
  const set = model.encode(lines, name);
  const C = model.labels.length;
  const probs = model.probabilities(set);
  const wrong: number[] = [];
  let errorCount = 0;
  for (let i = 0; i < set.size; i++) {
    const p = argmax(probs, i * C, C);
    const gold = set.labels.subarray(set.labelOffsets[i]!, set.labelOffsets[i + 1]!);
    if (!gold.includes(p)) {
      errorCount++;
      if (wrong.length < maxErrors) wrong.push(i);
    }
  }
  const fc = model.net.fc.stateDict();
  const W = fc['weight']!.data as Float32Array; // (C, K)
  const bias = fc['bias']!.data as Float32Array;
  const K = fc['weight']!.shape[1]!;
  const maxTokens = model.settings.vocab.maxTokens;
  const errors = wrong.map((i): InspectedError => {
    const pred = argmax(probs, i * C, C);
    const goldIdx = Array.from(set.labels.subarray(set.labelOffsets[i]!, set.labelOffsets[i + 1]!));
    const gold = goldIdx.reduce((b, c) => (probs[i * C + c]! > probs[i * C + b]! ? c : b), goldIdx[0]!);
    const dw = Float32Array.from({ length: K }, (_, k) => W[pred * K + k]! - W[gold * K + k]!);
    const db = bias[pred]! - bias[gold]!;
    const src = lines[i]!;
    const tokens = src.tokens.length ? src.tokens.slice(0, maxTokens) : [EOS_TOKEN];
    const one = subset(set, [i]);
    const r = model.settings.net.arch === 'gru' ? gruMoves(model, one, dw, db) : bagMoves(model, one, dw, db);
    const moved = Array.from(r.deltas, (delta, index) => ({ index, token: tokens[index]!, delta })).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
    return {
      line: set.lineNumbers[i]!,
      tokens,
      gold: goldIdx.map((c) => model.labels[c]!),
      predicted: model.labels[pred]!,
      probability: probs[i * C + pred]!,
      goldProbability: probs[i * C + gold]!,
      margin: r.margin,
      deltas: r.deltas,
      moved: moved.slice(0, opts.top ?? DEFAULT_INSPECT.top),
      gates: r.gates,
    };
  });
  const totals = new Map<string, { total: number; count: number }>();
  for (const e of errors) {
    e.deltas.forEach((d, t) => {
      const x = totals.get(e.tokens[t]!) ?? { total: 0, count: 0 };
      x.total += d;
      x.count++;
      totals.set(e.tokens[t]!, x);
    });
  }
  const topTokens = [...totals]
    .map(([token, x]) => ({ token, ...x }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 20);
  return { arch: model.settings.net.arch, lines: set.size, errorCount, errors, topTokens };
}

function dot(a: Float32Array, b: Float32Array, off: number, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[k]! * b[off + k]!;
  return s;
}

function gruMoves(model: TextModel, one: ReturnType<typeof subset>, dw: Float32Array, db: number): { margin: number; deltas: Float32Array; gates: LineGates } {
  const x = sequenceBatch(one, [0]);
  const T = x.lengths[0]!;
  const H = model.settings.net.hidden;
  const emb = model.net.tokenEmbeddings({ kind: 'sequence', ...x });
  const g = model.net.gru!.inspect(emb, { lengths: x.lengths });
  emb.dispose();
  const deltas = new Float32Array(T);
  let prev = db;
  for (let t = 0; t < T; t++) {
    const m = dot(dw, g.hidden, t * H, H) + db;
    deltas[t] = m - prev;
    prev = m;
  }
  const meanOf = (a: Float32Array, abs: boolean): Float32Array =>
    Float32Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let j = 0; j < H; j++) s += abs ? Math.abs(a[t * H + j]!) : a[t * H + j]!;
      return s / H;
    });
  const cut = (a: Float32Array): Float32Array => a.slice(0, T * H);
  const gates: LineGates = {
    hidden: H,
    reset: cut(g.reset),
    update: cut(g.update),
    candidate: cut(g.candidate),
    meanReset: meanOf(g.reset, false),
    meanUpdate: meanOf(g.update, false),
    meanCandidate: meanOf(g.candidate, true),
  };
  return { margin: prev, deltas, gates };
}

function bagMoves(model: TextModel, one: ReturnType<typeof subset>, dw: Float32Array, db: number): { margin: number; deltas: Float32Array; gates?: LineGates } {
  const D = model.settings.net.dim;
  const T = one.tokenOffsets[1]!;
  const nIds = one.idOffsets[T]!;
  const rows = tf.tidy(() => tf.gather(model.net.embedding.weight, tf.tensor1d(one.ids, 'int32')).dataSync() as Float32Array);
  // Each token's share of the line vector: the sum of its rows over the line's row count.
  const share = new Float64Array(T * D);
  const total = new Float64Array(D);
  for (let t = 0; t < T; t++) {
    for (let j = one.idOffsets[t]!; j < one.idOffsets[t + 1]!; j++) {
      if (one.ids[j] === 0) continue;
      for (let d = 0; d < D; d++) share[t * D + d]! += rows[j * D + d]! / nIds;
    }
    for (let d = 0; d < D; d++) total[d]! += share[t * D + d]!;
  }
  let scale = 1;
  if (model.settings.net.unitNorm) {
    let n2 = 0;
    for (let d = 0; d < D; d++) n2 += total[d]! ** 2;
    scale = 1 / Math.max(Math.sqrt(n2), 1e-12);
  }
  const deltas = new Float32Array(T);
  let margin = db;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += dw[d]! * share[t * D + d]!;
    deltas[t] = s * scale;
    margin += s * scale;
  }
  return { margin, deltas };
}
