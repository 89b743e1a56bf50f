/**
 * @module
 * Online SGD on sparse examples for one or more weight vectors (one per class in
 * one-vs-rest), with the loss, lazy L2, adaptive/normalised rates, margin-safe updates and
 * averaging. Every update touches only the active slots: O(N) per example and vector.
 *
 * Legend: N = active entries of the example, D = slots, K = weight vectors.
 *
 * The true weight vector is `scale * w` (the scale trick): L2 shrinkage multiplies `scale`
 * instead of every weight. Averaging keeps `sum_t w_t = avg + sumScale * w` exactly, with
 * O(N) corrections per update (the lazy averaged SGD of Xu 2011, adapted to the scale).
 */
import { UsageError } from '../core/errors.js';

export type Loss = 'hinge' | 'logistic';

/** Learning settings (stored in the model). */
export interface LearnerOptions {
  /** `hinge` (linear SVM) or `logistic`. */
  loss: Loss;
  /** Base learning rate η. */
  learningRate: number;
  /** Schedule exponent when not adaptive: η_t = η · t^-powerT (0 = constant). */
  powerT: number;
  /** L2 regularisation λ (applied lazily). */
  l2: number;
  /** Per-slot AdaGrad rates. */
  adaptive: boolean;
  /** Per-slot rates scaled by the largest |x| seen for the slot, and by the mean example norm. */
  normalized: boolean;
  /** Importance-aware updates that never overshoot: hinge stops at margin 1; logistic follows the exact gradient flow. */
  invariant: boolean;
  /** Predict with the average of the weights over all updates. */
  average: boolean;
}

export const DEFAULT_LEARNER: LearnerOptions = {
  loss: 'hinge',
  learningRate: 0.5,
  powerT: 0.5,
  l2: 0,
  adaptive: true,
  normalized: true,
  invariant: true,
  average: false,
};

/** Checks learner options; throws UsageError naming the bad field. */
export function validateLearnerOptions(o: LearnerOptions): void {
  if (o.loss !== 'hinge' && o.loss !== 'logistic') throw new UsageError(`learner: loss must be hinge or logistic, got '${String(o.loss)}'`);
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw new UsageError(`learner: learningRate must be > 0, got ${o.learningRate}`);
  if (!(o.powerT >= 0) || o.powerT > 1) throw new UsageError(`learner: powerT must be in [0, 1], got ${o.powerT}`);
  if (!(o.l2 >= 0) || !Number.isFinite(o.l2)) throw new UsageError(`learner: l2 must be >= 0, got ${o.l2}`);
}

/** Counters that make up the training state besides the per-slot arrays. */
export interface LearnerCounters {
  /** Sum of importance weights seen. */
  t: number;
  /** Number of updates steps (examples learned). */
  steps: number;
  scale: number;
  /** Sum over examples of the normalised squared norm (normalised rates). */
  normSum: number;
  /** Sum of scales over steps (averaging). */
  sumScale: number;
}

/** The smallest scale kept before it is folded back into the weights. */
const MIN_SCALE = 1e-10;

/** Weights and training state of K vectors over D slots. */
export class SgdLearner {
  readonly options: LearnerOptions;
  /** Slots allocated (>= slots in use). */
  capacity: number;
  // w[k]: (D) scaled weights; g[k]: (D) AdaGrad sums; avg[k]: (D) averaging corrections; norm: (D) max |x|
  w: Float32Array[] = [];
  g: Float32Array[] = [];
  avg: Float64Array[] = [];
  norm: Float32Array;
  counters: LearnerCounters = { t: 0, steps: 0, scale: 1, normSum: 0, sumScale: 0 };
  /** Margins (before the update) of the last example, per vector: (K). */
  margins = new Float64Array(4);
  private rate = new Float32Array(256);
  private averaged: Float32Array[] | null = null;

  constructor(options: LearnerOptions, vectors: number, capacity: number) {
    validateLearnerOptions(options);
    this.options = { ...options };
    this.capacity = Math.max(1, capacity);
    this.norm = new Float32Array(this.options.normalized ? this.capacity : 0);
    for (let k = 0; k < vectors; k++) this.addVector();
  }

  get vectors(): number {
    return this.w.length;
  }

  /** Adds a zero vector (a new class); returns its index. */
  addVector(): number {
    this.w.push(new Float32Array(this.capacity));
    this.g.push(new Float32Array(this.options.adaptive ? this.capacity : 0));
    this.avg.push(new Float64Array(this.options.average ? this.capacity : 0));
    if (this.margins.length < this.w.length) this.margins = new Float64Array(this.w.length * 2);
    this.averaged = null;
    return this.w.length - 1;
  }

  /** Makes vector `to` the negation of vector `from` (binary -> one-vs-rest), state included. */
  copyNegated(from: number, to: number): void {
    const src = this.w[from]!;
    const dst = this.w[to]!;
    for (let i = 0; i < src.length; i++) dst[i] = -src[i]!;
    this.g[to]!.set(this.g[from]!);
    const a = this.avg[from]!;
    const b = this.avg[to]!;
    for (let i = 0; i < a.length; i++) b[i] = -a[i]!;
    this.averaged = null;
  }

  /** Negates vector k (when the positive class of a binary model changes). */
  negate(k: number): void {
    const w = this.w[k]!;
    for (let i = 0; i < w.length; i++) w[i] = -w[i]!;
    const a = this.avg[k]!;
    for (let i = 0; i < a.length; i++) a[i] = -a[i]!;
    this.averaged = null;
  }

  /** Grows every per-slot array to hold at least `slots` slots. */
  ensureCapacity(slots: number): void {
    if (slots <= this.capacity) return;
    let cap = this.capacity;
    while (cap < slots) cap *= 2;
    const grow32 = (a: Float32Array): Float32Array => {
      if (a.length === 0) return a;
      const b = new Float32Array(cap);
      b.set(a);
      return b;
    };
    this.w = this.w.map(grow32);
    this.g = this.g.map(grow32);
    this.avg = this.avg.map((a) => {
      if (a.length === 0) return a;
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    });
    this.norm = grow32(this.norm);
    this.capacity = cap;
    this.averaged = null;
  }

  /** Raw margin of vector k with the current (not averaged) weights. */
  margin(k: number, idx: Int32Array, val: Float32Array, n: number): number {
    const w = this.w[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += w[idx[i]!]! * val[i]!;
    return s * this.counters.scale;
  }

  /** Margin of vector k with the weights used for prediction (averaged when averaging). */
  predictMargin(k: number, idx: Int32Array, val: Float32Array, n: number): number {
    if (!this.options.average) return this.margin(k, idx, val, n);
    const w = this.averagedWeights()[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += w[idx[i]!]! * val[i]!;
    return s;
  }

  /**
   * Learns one example: `target(k)` is +1 or -1 for vector k. Stores the margins before the
   * update in `margins` (progressive validation reads them).
   */
  learn(idx: Int32Array, val: Float32Array, n: number, positive: number, importance: number): void {
    if (importance <= 0 || n === 0) return;
    const o = this.options;
    const c = this.counters;
    this.averaged = null;
    c.t += importance;
    c.steps += 1;
    if (o.l2 > 0) {
      // lazy L2: shrink every weight at once through the scale
      const eta = o.adaptive ? o.learningRate / Math.sqrt(c.t) : o.learningRate * Math.pow(c.t, -o.powerT);
      const shrink = 1 - eta * o.l2;
      c.scale *= shrink > 0 ? shrink : 0;
      if (c.scale < MIN_SCALE) this.foldScale();
    }
    let avgNorm = 1;
    if (o.normalized) {
      const norm = this.norm;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const slot = idx[i]!;
        const ax = Math.abs(val[i]!);
        if (ax > norm[slot]!) norm[slot] = ax;
        const r = val[i]! / norm[slot]!;
        sum += r * r;
      }
      c.normSum += sum * importance;
      avgNorm = c.normSum / c.t;
    }
    if (this.rate.length < n) this.rate = new Float32Array(n * 2);
    const scheduled = o.adaptive ? o.learningRate : o.learningRate * Math.pow(c.t, -o.powerT);
    const K = this.w.length;
    for (let k = 0; k < K; k++) {
      const y = K === 1 ? (positive === 0 ? 1 : -1) : k === positive ? 1 : -1;
      const p = this.margin(k, idx, val, n);
      this.margins[k] = p;
      const m0 = y * p;
      // d = dLoss/dp
      let d: number;
      if (o.loss === 'hinge') d = m0 <= 1 ? -y : 0;
      else d = -y / (1 + Math.exp(m0));
      if (d === 0) continue;
      this.step(k, idx, val, n, y, m0, d, importance, scheduled / avgNorm);
    }
    if (o.average) c.sumScale += c.scale;
  }

  private step(k: number, idx: Int32Array, val: Float32Array, n: number, y: number, m0: number, d: number, importance: number, eta: number): void {
    const o = this.options;
    const c = this.counters;
    const w = this.w[k]!;
    const rate = this.rate;
    // per-slot rates r_i (the step on w_i is -r_i * d * x_i per unit of importance)
    if (o.adaptive) {
      const g = this.g[k]!;
      for (let i = 0; i < n; i++) {
        const slot = idx[i]!;
        const gi = d * val[i]!;
        const G = g[slot]! + importance * gi * gi;
        g[slot] = G;
        let r = eta / Math.sqrt(G);
        if (o.normalized) r /= this.norm[slot]!;
        rate[i] = r;
      }
    } else if (o.normalized) {
      for (let i = 0; i < n; i++) {
        const nm = this.norm[idx[i]!]!;
        rate[i] = eta / (nm * nm);
      }
    } else {
      for (let i = 0; i < n; i++) rate[i] = eta;
    }
    // tau: multiplier of y * r_i * x_i; the margin moves by tau * sum(r_i x_i^2)
    let tau: number;
    if (o.invariant) {
      let cx = 0;
      for (let i = 0; i < n; i++) cx += rate[i]! * val[i]! * val[i]!;
      if (!(cx > 0)) return;
      const m1 = o.loss === 'hinge' ? Math.min(1, m0 + cx * importance) : logisticFlow(m0, cx * importance);
      tau = (m1 - m0) / cx;
    } else {
      tau = -d * y * importance;
    }
    const inv = (tau * y) / c.scale;
    if (o.average) {
      const a = this.avg[k]!;
      const B = c.sumScale;
      for (let i = 0; i < n; i++) {
        const slot = idx[i]!;
        const dv = inv * rate[i]! * val[i]!;
        a[slot] -= B * dv;
        w[slot] += dv;
      }
    } else {
      for (let i = 0; i < n; i++) w[idx[i]!] += inv * rate[i]! * val[i]!;
    }
  }

  /** Folds the scale into the weights (rare: only when shrinkage made it tiny, or before saving). */
  foldScale(): void {
    const c = this.counters;
    if (c.scale === 1) return;
    const s = c.scale;
    for (const w of this.w) for (let i = 0; i < w.length; i++) w[i] *= s;
    c.sumScale = s > 0 ? c.sumScale / s : 0;
    c.scale = 1;
    this.averaged = null;
  }

  /** The averaged weights, (avg + sumScale * w) / steps, cached until the next update. */
  averagedWeights(): Float32Array[] {
    if (this.averaged) return this.averaged;
    const c = this.counters;
    const T = Math.max(1, c.steps);
    this.averaged = this.w.map((w, k) => {
      const a = this.avg[k]!;
      const out = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) out[i] = (a[i]! + c.sumScale * w[i]!) / T;
      return out;
    });
    return this.averaged;
  }

  /** The weights prediction uses for vector k, unscaled (averaged when averaging). */
  predictionWeights(k: number): Float32Array {
    if (this.options.average) return this.averagedWeights()[k]!;
    this.foldScale();
    return this.w[k]!;
  }
}

/**
 * Margin after following the logistic-loss gradient flow for `c` units (importance times
 * sum r_i x_i^2): solves m + e^m = m0 + e^m0 + c (Newton, monotone), so the update is the one
 * infinitely many tiny steps would make and never overshoots.
 */
export function logisticFlow(m0: number, c: number): number {
  // work with u = m - m0 >= 0: f(u) = u + e^m0 (e^u - 1) - c
  const e0 = Math.exp(Math.min(m0, 700));
  let u = c / (1 + e0); // first-order guess, an upper bound since f is convex
  for (let it = 0; it < 50; it++) {
    const eu = Math.exp(u);
    const f = u + e0 * (eu - 1) - c;
    const fp = 1 + e0 * eu;
    const next = u - f / fp;
    if (Math.abs(next - u) <= 1e-12 * (1 + Math.abs(u))) {
      u = next;
      break;
    }
    u = next;
  }
  return m0 + Math.max(0, u);
}
