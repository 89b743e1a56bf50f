/**
 * @module
 * `leanml text test`: top-1 figures on labelled lines. `accuracy` is precision at 1 (the best
 * label is one of the line's labels); precision, recall and F1 are macro averages over the
 * model's labels (each label's figures from the top-1 decisions), with the per-label figures.
 */
import { prf } from '../linear/metrics.js';
import { readLabelledLines, type LabelledLine } from './labelled-lines.js';
import type { TextModel } from './text-model.js';

export interface TextMetrics {
  n: number;
  accuracy: number;
  /** Correct top-1 labels over all gold labels (differs from accuracy only with multi-label lines). */
  recallAt1: number;
  precision: number;
  recall: number;
  f1: number;
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

/** Top-1 labels (indices) and gold label sets, to metrics. */
export function textMetrics(labels: string[], top1: Int32Array, gold: number[][]): TextMetrics {
  const C = labels.length;
  const tp = new Float64Array(C);
  const fp = new Float64Array(C);
  const fn = new Float64Array(C);
  const support = new Float64Array(C);
  let correct = 0;
  let goldTotal = 0;
  gold.forEach((g, i) => {
    const p = top1[i]!;
    goldTotal += g.length;
    for (const c of g) support[c]!++;
    if (g.includes(p)) {
      correct++;
      tp[p]!++;
    } else fp[p]!++;
    for (const c of g) if (c !== p) fn[c]!++;
  });
  const perLabel: TextMetrics['perLabel'] = {};
  let P = 0,
    R = 0,
    F = 0;
  labels.forEach((l, c) => {
    const m = prf(tp[c]!, fp[c]!, fn[c]!);
    perLabel[l] = { ...m, support: support[c]! };
    P += m.precision;
    R += m.recall;
    F += m.f1;
  });
  const n = gold.length;
  return { n, accuracy: n ? correct / n : 0, recallAt1: goldTotal ? correct / goldTotal : 0, precision: P / C, recall: R / C, f1: F / C, perLabel };
}

/** Evaluates a model on labelled lines (a path, `-` for stdin, or parsed lines). A label the model does not know is an error naming the line. */
export function testText(model: TextModel, input: string | LabelledLine[] | undefined, opts: { labelPrefix?: string } = {}): TextMetrics {
  const name = typeof input === 'string' ? input : 'input';
  const lines = Array.isArray(input) ? input : readLabelledLines(input, { labelPrefix: opts.labelPrefix });
  const set = model.encode(lines, name);
  const C = model.labels.length;
  const probs = model.probabilities(set);
  const top1 = new Int32Array(set.size);
  for (let i = 0; i < set.size; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + best]!) best = c;
    top1[i] = best;
  }
  const gold = Array.from({ length: set.size }, (_, i) => Array.from(set.labels.subarray(set.labelOffsets[i]!, set.labelOffsets[i + 1]!)));
  return textMetrics(model.labels, top1, gold);
}
