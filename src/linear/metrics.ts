/**
 * @module
 * Classification metrics: accuracy, precision, recall, F1 of a positive class, and ROC AUC
 * from scores (ties count one half), computed by sorting the two classes' scores.
 */

/** What `leanml linear test` prints. */
export interface Metrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** ROC AUC of the positive class (binary models), null for multi-class. */
  auc: number | null;
}

/** Precision, recall and F1 from counts (0 when undefined). */
export function prf(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** ROC AUC: the probability that a random positive scores above a random negative (ties 1/2). NaN without both classes. */
export function rocAuc(positiveScores: Float64Array, negativeScores: Float64Array): number {
  const pos = Float64Array.from(positiveScores).sort();
  const neg = Float64Array.from(negativeScores).sort();
  if (pos.length === 0 || neg.length === 0) return NaN;
  let below = 0; // negatives strictly below the current positive score
  let equal = 0;
  let sum = 0;
  let j = 0;
  for (let i = 0; i < pos.length; i++) {
    const s = pos[i]!;
    while (j < neg.length && neg[j]! < s) j++;
    below = j;
    let e = j;
    while (e < neg.length && neg[e] === s) e++;
    equal = e - j;
    sum += below + 0.5 * equal;
  }
  return sum / (pos.length * neg.length);
}

/** A growable Float64Array. */
export class ScoreList {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
