/**
 * @module
 * Supervised prediction from a hidden vector, as fastText 0.9.2's losses do it: softmax,
 * one-vs-all and negative sampling (sigmoid from the 512-entry lookup table), hierarchical
 * softmax (depth-first search of the Huffman tree built from the label counts). Scores are
 * kept as `log(p + 1e-5)` in float32 and turned back with `exp`, exactly as `predict-prob`
 * prints them.
 */
import type { LossName } from './args.js';
import type { RowMatrix } from './matrix.js';
import { expf } from './expf.js';
import { StdHeap } from './std-heap.js';

/** One predicted label index and its probability as the CLI prints it. */
export interface LabelScore {
  index: number;
  prob: number;
}

const fr = Math.fround;
const SIGMOID_TABLE_SIZE = 512;
const MAX_SIGMOID = 8;

const SIGMOID_TABLE = (() => {
  const t = new Float32Array(SIGMOID_TABLE_SIZE + 1);
  for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
    const x = fr(fr((i * 2 * MAX_SIGMOID) / SIGMOID_TABLE_SIZE) - MAX_SIGMOID);
    t[i] = 1 / (1 + expf(-x));
  }
  return t;
})();

/** `Loss::sigmoid`: the table lookup, not the exact function. */
export function tableSigmoid(x: number): number {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  const i = Math.trunc(fr(fr(fr(fr(x + MAX_SIGMOID) * SIGMOID_TABLE_SIZE) / MAX_SIGMOID) / 2));
  return SIGMOID_TABLE[i]!;
}

/** `std_log`: log(x + 1e-5) with x and the result in float32. */
function stdLog(x: number): number {
  return fr(Math.log(fr(x) + 1e-5));
}

interface Node {
  left: number;
  right: number;
}

/** The Huffman tree of `HierarchicalSoftmaxLoss::buildTree`. */
export function buildTree(counts: ArrayLike<number>): Node[] {
  const osz = counts.length;
  const n = 2 * osz - 1;
  const tree: Node[] = [];
  const count = new Float64Array(Math.max(n, 0)).fill(1e15);
  for (let i = 0; i < n; i++) tree.push({ left: -1, right: -1 });
  for (let i = 0; i < osz; i++) count[i] = counts[i]!;
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < n; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && count[leaf]! < count[node]!) mini[j] = leaf--;
      else mini[j] = node++;
    }
    tree[i]!.left = mini[0]!;
    tree[i]!.right = mini[1]!;
    count[i] = count[mini[0]!]! + count[mini[1]!]!;
  }
  return tree;
}

/** fastText's k-best heap over (log score, label index); `sorted` turns scores into probabilities. */
class KBest extends StdHeap {
  get full(): boolean {
    return this.size === this.k;
  }
  get min(): number {
    return this.front;
  }
  labels(): LabelScore[] {
    return this.sorted().map((it) => ({ index: it.id, prob: expf(it.score) }));
  }
}

/** The prediction rule of a supervised model: its loss and output matrix. */
export class Predictor {
  private tree: Node[] | null = null;

  constructor(
    readonly loss: LossName,
    readonly output: RowMatrix,
    labelCounts: ArrayLike<number>,
  ) {
    if (loss === 'hs') this.tree = buildTree(labelCounts);
  }

  /** The k best labels for `hidden` whose probability is >= threshold, best first. */
  predict(hidden: Float32Array, k: number, threshold: number): LabelScore[] {
    const osz = this.output.rows;
    const heap = new KBest(Math.min(k, Math.max(osz, 1)));
    if (this.tree) {
      this.dfs(heap, threshold, 2 * osz - 2, 0, hidden);
      return heap.labels();
    }
    const out = new Float32Array(osz);
    for (let i = 0; i < osz; i++) out[i] = this.output.dotRow(hidden, i);
    if (this.loss === 'softmax') {
      let max = out[0]!;
      for (let i = 0; i < osz; i++) max = Math.max(out[i]!, max);
      let z = 0;
      for (let i = 0; i < osz; i++) {
        out[i] = Math.exp(fr(out[i]! - max)); // double exp here (the C++ calls ::exp), expf elsewhere
        z = fr(z + out[i]!);
      }
      for (let i = 0; i < osz; i++) out[i] = out[i]! / z;
    } else {
      for (let i = 0; i < osz; i++) out[i] = tableSigmoid(out[i]!);
    }
    for (let i = 0; i < osz; i++) {
      if (out[i]! < threshold) continue;
      const s = stdLog(out[i]!);
      if (heap.full && s < heap.min) continue;
      heap.push(s, i);
    }
    return heap.labels();
  }

  private dfs(heap: KBest, threshold: number, node: number, score: number, hidden: Float32Array): void {
    if (score < stdLog(threshold)) return;
    if (heap.full && score < heap.min) return;
    const t = this.tree![node]!;
    if (t.left === -1 && t.right === -1) {
      heap.push(score, node);
      return;
    }
    let f = this.output.dotRow(hidden, node - this.output.rows);
    f = fr(1 / fr(1 + expf(-f)));
    this.dfs(heap, threshold, t.left, fr(score + stdLog(1 - f)), hidden);
    this.dfs(heap, threshold, t.right, fr(score + stdLog(f)), hidden);
  }
}
