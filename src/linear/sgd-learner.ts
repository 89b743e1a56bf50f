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

export const DEFAULT_LEARNER: Readonly<LearnerOptions> = Object.freeze({
  loss: 'hinge',
  learningRate: 0.5,
  powerT: 0.5,
  l2: 0,
  adaptive: true,
  // per-slot normalisation lost 1-3 points on text in our measurements; unit-norm examples
  // (the encoder's default) already make the step independent of the input scale
  normalized: false,
  invariant: true,
  average: false,
});

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
  /**
   * Per-slot state of vector k, interleaved so one cache line serves a feature's update:
   * state[k]: (D, stride) = [w (scaled weight), g (AdaGrad sum, if adaptive), norm (max |x|, if normalized)].
   */
  state: Float32Array[] = [];
  /** Floats per slot in `state`. */
  readonly stride: number;
  /** Offsets of g and norm within a slot (-1 when absent). */
  readonly gOff: number;
  readonly normOff: number;
  // avg[k]: (D) averaging corrections (only when averaging)
  avg: Float64Array[] = [];
  counters: LearnerCounters = { t: 0, steps: 0, scale: 1, normSum: 0, sumScale: 0 };
  /** Margins (before the update) of the last example, per vector: (K). */
  margins = new Float64Array(4);
  private rate = new Float32Array(256);
  private dloss = new Float64Array(4);
  private averaged: Float32Array[] | null = null;

  constructor(options: LearnerOptions, vectors: number, capacity: number) {
    validateLearnerOptions(options);
    this.options = { ...options };
    this.capacity = Math.max(1, capacity);
    this.gOff = this.options.adaptive ? 1 : -1;
    this.normOff = this.options.normalized ? 1 + (this.options.adaptive ? 1 : 0) : -1;
    this.stride = 1 + (this.options.adaptive ? 1 : 0) + (this.options.normalized ? 1 : 0);
    for (let k = 0; k < vectors; k++) this.addVector();
  }

  get vectors(): number {
    return this.state.length;
  }

  /** Adds a zero vector (a new class); returns its index. */
  addVector(): number {
    this.state.push(new Float32Array(this.capacity * this.stride));
    this.avg.push(new Float64Array(this.options.average ? this.capacity : 0));
    if (this.margins.length < this.state.length) this.margins = new Float64Array(this.state.length * 2);
    this.averaged = null;
    return this.state.length - 1;
  }

  /** Copies a per-slot field (0 = w, gOff, normOff) of vector k into or out of a flat (D) array. */
  field(k: number, off: number, slots: number): Float32Array {
    const out = new Float32Array(slots);
    const st = this.state[k]!;
    for (let i = 0; i < slots; i++) out[i] = st[i * this.stride + off]!;
    return out;
  }

  setField(k: number, off: number, values: Float32Array): void {
    const st = this.state[k]!;
    for (let i = 0; i < values.length; i++) st[i * this.stride + off] = values[i]!;
    this.averaged = null;
  }

  /** Makes vector `to` the negation of vector `from` (binary -> one-vs-rest), state included. */
  copyNegated(from: number, to: number): void {
    this.foldScale();
    const src = this.state[from]!;
    const dst = this.state[to]!;
    dst.set(src);
    for (let i = 0; i < dst.length; i += this.stride) dst[i] = -dst[i]!;
    const a = this.avg[from]!;
    const b = this.avg[to]!;
    for (let i = 0; i < a.length; i++) b[i] = -a[i]!;
    this.averaged = null;
  }

  /** Negates vector k (when the positive class of a binary model changes). */
  negate(k: number): void {
    if (this.state.length === 1) {
      // one vector: flip the shared scale instead of touching every slot
      this.counters.scale = -this.counters.scale;
      this.counters.sumScale = -this.counters.sumScale;
    } else {
      const st = this.state[k]!;
      for (let i = 0; i < st.length; i += this.stride) st[i] = -st[i]!;
    }
    const a = this.avg[k]!;
    for (let i = 0; i < a.length; i++) a[i] = -a[i]!;
    this.averaged = null;
  }

  /** Grows every per-slot array to hold at least `slots` slots. */
  ensureCapacity(slots: number): void {
    if (slots <= this.capacity) return;
    // grow by half: a lookup's slots grow one by one, and doubling would hold up to twice the memory
    let cap = this.capacity;
    while (cap < slots) cap = Math.ceil(cap * 1.5);
    this.state = this.state.map((a) => {
      const b = new Float32Array(cap * this.stride);
      b.set(a);
      return b;
    });
    this.avg = this.avg.map((a) => {
      if (a.length === 0) return a;
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    });
    this.capacity = cap;
    this.averaged = null;
  }

  /** Raw margin of vector k with the current (not averaged) weights. */
  margin(k: number, idx: Int32Array, val: Float32Array, n: number): number {
    const st = this.state[k]!;
    const stride = this.stride;
    let s = 0;
    for (let i = 0; i < n; i++) s += st[idx[i]! * stride]! * val[i]!;
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
   * Learns one example. `positive`: with one vector, 0 when the example is of the positive
   * class (target +1), else 1 (target -1); with K vectors, the index of the true class.
   * Stores the margins before the update in `margins` (progressive validation reads them).
   */
  learn(idx: Int32Array, val: Float32Array, n: number, positive: number, importance: number): void {
    const K = this.state.length;
    if (importance <= 0 || n === 0) {
      for (let k = 0; k < K; k++) this.margins[k] = n === 0 ? 0 : this.margin(k, idx, val, n);
      return;
    }
    const o = this.options;
    if (K === 1 && this.stride === 2 && o.adaptive && o.invariant && o.loss === 'hinge' && !o.average && o.l2 === 0) {
      this.learnHingeAdaGrad(idx, val, n, positive === 0 ? 1 : -1, importance);
      return;
    }
    const c = this.counters;
    this.averaged = null;
    c.t += importance;
    c.steps += 1;
    // losses' derivatives at the margins before any change (as scikit-learn's plain SGD)
    if (this.dloss.length < K) this.dloss = new Float64Array(K * 2);
    for (let k = 0; k < K; k++) {
      const y = K === 1 ? (positive === 0 ? 1 : -1) : k === positive ? 1 : -1;
      const p = this.margin(k, idx, val, n);
      this.margins[k] = p;
      const m0 = y * p;
      this.dloss[k] = o.loss === 'hinge' ? (m0 <= 1 ? -y : 0) : -y / (1 + Math.exp(m0));
    }
    let shrunk = 1;
    if (o.l2 > 0) {
      // lazy L2: shrink every weight at once through the scale
      const eta = o.adaptive ? o.learningRate / Math.sqrt(c.t) : o.learningRate * c.t ** -o.powerT;
      shrunk = Math.max(0, 1 - eta * o.l2);
      c.scale *= shrunk;
      if (Math.abs(c.scale) < MIN_SCALE) this.foldScale();
    }
    let avgNorm = 1;
    if (o.normalized) {
      let sum = 0;
      const stride = this.stride;
      const off = this.normOff;
      for (let k = 0; k < K; k++) {
        const st = this.state[k]!;
        for (let i = 0; i < n; i++) {
          const at = idx[i]! * stride + off;
          const ax = Math.abs(val[i]!);
          if (ax > st[at]!) st[at] = ax;
          if (k === 0) {
            const r = val[i]! / st[at]!;
            sum += r * r;
          }
        }
      }
      c.normSum += sum * importance;
      avgNorm = c.normSum / c.t;
    }
    if (this.rate.length < n) this.rate = new Float32Array(n * 2);
    const scheduled = o.adaptive ? o.learningRate : o.learningRate * c.t ** -o.powerT;
    for (let k = 0; k < K; k++) {
      const d = this.dloss[k]!;
      if (d === 0) continue;
      const y = K === 1 ? (positive === 0 ? 1 : -1) : k === positive ? 1 : -1;
      // the safe (invariant) step starts from the margin after shrinkage
      this.step(k, idx, val, n, y, y * this.margins[k]! * shrunk, d, importance, scheduled / avgNorm);
    }
    if (o.average) c.sumScale += c.scale;
  }

  /**
   * `learn` for the default settings on a binary problem (one vector, hinge, AdaGrad,
   * invariant, no normalisation, averaging or L2), fused into one function over locals: the
   * same arithmetic in the same order as the general path, without its per-vector arrays and
   * option branches. Slots are [w, g] pairs.
   */
  private learnHingeAdaGrad(idx: Int32Array, val: Float32Array, n: number, y: number, importance: number): void {
    const c = this.counters;
    this.averaged = null;
    c.t += importance;
    c.steps += 1;
    const st = this.state[0]!;
    const scale = c.scale;
    let s = 0;
    for (let i = 0; i < n; i++) s += st[idx[i]! << 1]! * val[i]!;
    const p = s * scale;
    this.margins[0] = p;
    const m0 = y * p;
    if (!(m0 <= 1)) return;
    // hinge derivative -y: d^2 = 1
    if (this.rate.length < n) this.rate = new Float32Array(n * 2);
    const rate = this.rate;
    const eta = this.options.learningRate;
    let cx = 0;
    for (let i = 0; i < n; i++) {
      const at = (idx[i]! << 1) + 1;
      const x = val[i]!;
      const G = st[at]! + importance * x * x;
      st[at] = G;
      const r = eta / Math.sqrt(G);
      rate[i] = r;
      cx += r * x * x;
    }
    if (!(cx > 0)) return;
    const m1 = Math.min(1, m0 + cx * importance);
    const inv = (((m1 - m0) / cx) * y) / scale;
    for (let i = 0; i < n; i++) st[idx[i]! << 1]! += inv * rate[i]! * val[i]!;
  }

  private step(k: number, idx: Int32Array, val: Float32Array, n: number, y: number, m0: number, d: number, importance: number, eta: number): void {
    const o = this.options;
    const st = this.state[k]!;
    const stride = this.stride;
    const rate = this.rate;
    // per-slot rates r_i (the step on w_i is -r_i * d * x_i per unit of importance), and
    // cx = sum r_i x_i^2, how far the margin moves per unit step, in the same pass
    let cx = 0;
    if (o.adaptive) {
      const gOff = this.gOff;
      const normOff = this.normOff;
      const d2 = importance * d * d;
      for (let i = 0; i < n; i++) {
        const at = idx[i]! * stride;
        const x = val[i]!;
        const G = st[at + gOff]! + d2 * x * x;
        st[at + gOff] = G;
        let r = eta / Math.sqrt(G);
        if (normOff > 0) r /= st[at + normOff]!;
        rate[i] = r;
        cx += r * x * x;
      }
    } else if (o.normalized) {
      const normOff = this.normOff;
      for (let i = 0; i < n; i++) {
        const nm = st[idx[i]! * stride + normOff]!;
        const r = eta / (nm * nm);
        rate[i] = r;
        cx += r * val[i]! * val[i]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        rate[i] = eta;
        cx += eta * val[i]! * val[i]!;
      }
    }
    // tau: multiplier of y * r_i * x_i; the margin moves by tau * cx
    let tau: number;
    if (o.invariant) {
      if (!(cx > 0)) return;
      const m1 = o.loss === 'hinge' ? Math.min(1, m0 + cx * importance) : logisticFlow(m0, cx * importance);
      tau = (m1 - m0) / cx;
    } else {
      tau = -d * y * importance;
    }
    const inv = (tau * y) / this.counters.scale;
    if (o.average) {
      const a = this.avg[k]!;
      const B = this.counters.sumScale;
      for (let i = 0; i < n; i++) {
        const slot = idx[i]!;
        const dv = inv * rate[i]! * val[i]!;
        a[slot]! -= B * dv;
        st[slot * stride]! += dv;
      }
    } else {
      for (let i = 0; i < n; i++) st[idx[i]! * stride]! += inv * rate[i]! * val[i]!;
    }
  }

  /** Folds the scale into the weights (rare: only when shrinkage made it tiny, or before saving). */
  foldScale(): void {
    const c = this.counters;
    if (c.scale === 1) return;
    const s = c.scale;
    for (const st of this.state) for (let i = 0; i < st.length; i += this.stride) st[i]! *= s;
    c.sumScale = s !== 0 ? c.sumScale / s : 0;
    c.scale = 1;
    this.averaged = null;
  }

  /** The averaged weights, (avg + sumScale * w) / steps, cached until the next update: (K)(D). */
  averagedWeights(): Float32Array[] {
    if (this.averaged) return this.averaged;
    const c = this.counters;
    const T = Math.max(1, c.steps);
    this.averaged = this.state.map((st, k) => {
      const a = this.avg[k]!;
      const out = new Float32Array(this.capacity);
      for (let i = 0; i < out.length; i++) out[i] = (a[i]! + c.sumScale * st[i * this.stride]!) / T;
      return out;
    });
    return this.averaged;
  }

  /** The weights prediction uses for vector k as a flat (D) array, true scale (averaged when averaging). */
  predictionWeights(k: number): Float32Array {
    if (this.options.average) return this.averagedWeights()[k]!;
    this.foldScale();
    return this.field(k, 0, this.capacity);
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
