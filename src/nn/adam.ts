/**
 * @module
 * `Adam`, equal to `torch.optim.Adam` (same bias correction and epsilon placement, L2
 * `weightDecay` added to the gradient) — tfjs's own `tf.train.adam` puts epsilon differently,
 * so results drift from PyTorch's; this one matches step for step.
 */
import { UsageError } from '../core/errors.js';
import { tf } from './tf.js';

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** L2 penalty added to the gradient, as PyTorch's `weight_decay`. Default 0. */
  weightDecay?: number;
}

/**
 * Adam over a fixed list of variables.
 *
 * @example
 * ```ts
 * const opt = new Adam(net.trainableVariables(), { lr: 1e-3 });
 * const loss = opt.minimize(() => cosineTripletLoss(a(), p(), n())); // one step, returns the loss
 * ```
 */
export class Adam {
  readonly variables: tf.Variable[];
  lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;

  constructor(variables: tf.Variable[], opts: AdamOptions = {}) {
    this.variables = variables;
    this.lr = opts.lr ?? 1e-3;
    [this.beta1, this.beta2] = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.lr > 0) || !(this.beta1 >= 0 && this.beta1 < 1) || !(this.beta2 >= 0 && this.beta2 < 1) || !(this.eps >= 0)) {
      throw new UsageError(`Adam: invalid hyper-parameters lr=${this.lr}, betas=[${this.beta1}, ${this.beta2}], eps=${this.eps}`);
    }
    this.m = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = variables.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /** Number of steps taken. */
  get steps(): number {
    return this.t;
  }

  /** One update from gradients given in the order of `variables` (or keyed by variable name). */
  step(grads: tf.Tensor[] | tf.NamedTensorMap): void {
    const list = Array.isArray(grads) ? grads : this.variables.map((x) => grads[x.name]!);
    this.t++;
    const bc1 = 1 - this.beta1 ** this.t;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** this.t);
    const stepSize = this.lr / bc1;
    tf.tidy(() => {
      this.variables.forEach((x, i) => {
        let g = list[i];
        if (!g) throw new UsageError(`Adam.step: no gradient for variable ${x.name}`);
        if (this.weightDecay) g = tf.add(g, tf.mul(x, this.weightDecay));
        const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        x.assign(tf.sub(x, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  /** Computes `loss()` and its gradients, takes one step, returns the loss value. */
  minimize(loss: () => tf.Scalar | tf.Tensor): number {
    const { value, grads } = tf.variableGrads(loss as () => tf.Scalar, this.variables);
    try {
      this.step(grads);
      return value.dataSync()[0]!;
    } finally {
      value.dispose();
      tf.dispose(grads);
    }
  }

  /** Frees the moment estimates. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
