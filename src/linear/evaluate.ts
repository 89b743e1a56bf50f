/**
 * @module
 * Evaluation and batch prediction over a labelled file, streamed: accuracy, and precision,
 * recall, F1 and ROC AUC of the positive class (binary) or macro-averaged (multi-class).
 */
import { FormatError } from '../core/errors.js';
import { forEachLine } from './byte-lines.js';
import type { LinearModel, Prediction } from './linear-model.js';
import { prf, rocAuc, ScoreList, type Metrics } from './metrics.js';

export interface EvaluateOptions {
  /** Count and skip malformed lines instead of stopping (default false). */
  skipBad?: boolean;
}

/** Evaluates `model` on a labelled file (`-`/undefined = stdin). Lines must be in the model's format. */
export async function evaluate(model: LinearModel, input: string | undefined, options: EvaluateOptions = {}): Promise<Metrics & { skipped: number }> {
  const name = input === undefined || input === '-' ? '<stdin>' : input;
  const L = model.labels.length;
  const K = model.learner.vectors;
  // confusion counts per class: true positives, predicted, actual
  const tp = new Float64Array(L);
  const predicted = new Float64Array(L);
  const actual = new Float64Array(L);
  const posScores = new ScoreList();
  const negScores = new ScoreList();
  const margins = new Float64Array(Math.max(K, 1));
  let n = 0;
  let correct = 0;
  let skipped = 0;
  await forEachLine(input, (buf, start, end, lineNo) => {
    if (isBlank(buf, start, end)) return;
    const err = model.parseLine(buf, start, end);
    const line = model.parsed;
    const what = err ?? (line.labelStart < 0 ? 'no label' : null);
    if (what !== null) {
      if (!options.skipBad) throw new FormatError(`${name}:${lineNo}: ${what}`);
      skipped++;
      return;
    }
    const y = model.labelIndex(line.buf, line.labelStart, line.labelEnd, false);
    model.marginsOfParsed(margins);
    const pred = model.predictedIndex(margins);
    n++;
    if (y >= 0) actual[y]!++;
    predicted[pred]!++;
    if (pred === y) {
      correct++;
      tp[y]!++;
    }
    if (K === 1) (y === model.positive ? posScores : negScores).push(margins[0]!);
  });
  if (n === 0) throw new FormatError(`${name}: no examples (empty input)`);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let auc: number | null = null;
  if (K === 1) {
    const p = model.positive;
    ({ precision, recall, f1 } = prf(tp[p]!, predicted[p]! - tp[p]!, posScores.length - tp[p]!));
    const a = rocAuc(posScores.view(), negScores.view());
    auc = Number.isNaN(a) ? null : a;
  } else {
    for (let j = 0; j < L; j++) {
      const r = prf(tp[j]!, predicted[j]! - tp[j]!, actual[j]! - tp[j]!);
      precision += r.precision / L;
      recall += r.recall / L;
      f1 += r.f1 / L;
    }
  }
  return { n, accuracy: correct / n, precision, recall, f1, auc, skipped };
}

/** Predicts every non-blank line of `input`, streamed; `onPrediction` gets the prediction and line number; `afterChunk` is awaited between input chunks. */
export async function predictFile(
  model: LinearModel,
  input: string | undefined,
  onPrediction: (p: Prediction, lineNo: number) => void,
  options: EvaluateOptions & { afterChunk?: () => Promise<void> | void } = {},
): Promise<{ n: number; skipped: number }> {
  const name = input === undefined || input === '-' ? '<stdin>' : input;
  let n = 0;
  let skipped = 0;
  await forEachLine(
    input,
    (buf, start, end, lineNo) => {
      if (isBlank(buf, start, end)) return;
      const err = model.parseLine(buf, start, end);
      if (err !== null) {
        if (!options.skipBad) throw new FormatError(`${name}:${lineNo}: ${err}`);
        skipped++;
        return;
      }
      n++;
      onPrediction(model.predictParsed(), lineNo);
    },
    options.afterChunk,
  );
  return { n, skipped };
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
