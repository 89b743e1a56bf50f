/**
 * @module
 * `Linear`, equal to `torch.nn.Linear` (`y = x Wᵀ + b`). Weight stored as (in, out) so the
 * product needs no transpose; PyTorch's `weight` is (out, in).
 */
import { Rng } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import { expectRank } from './layout.js';
import { Module, uniformInit, type InitOptions } from './module.js';
import { tf } from './tf.js';

export interface LinearOptions extends InitOptions {
  /** Default true (the speaker net uses `bias: false`). */
  bias?: boolean;
}

/**
 * Fully connected layer over the last axis.
 *
 * @example
 * ```ts
 * const fc = new Linear(32, 16, { bias: false }); // torch.nn.Linear(32, 16, bias=False)
 * const y = fc.forward(tf.ones([4, 32]));         // (4, 16)
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** (in, out). */
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    if (!Number.isInteger(inFeatures) || inFeatures < 1 || !Number.isInteger(outFeatures) || outFeatures < 1) {
      throw new UsageError(`Linear: features must be positive integers, got ${inFeatures} → ${outFeatures}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const rng = new Rng(opts.seed ?? 0);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.addParameter('weight', [outFeatures, inFeatures], uniformInit(inFeatures * outFeatures, bound, rng), {
      perm: [1, 0],
      trainable: opts.trainable,
    });
    this.bias = opts.bias === false ? null : this.addParameter('bias', [outFeatures], uniformInit(outFeatures, bound, rng), { trainable: opts.trainable });
  }

  /** (..., in) → (..., out). */
  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) expectRank('Linear', x, Math.max(x.rank, 1), x.rank - 1, this.inFeatures, 'features');
    return tf.tidy(() => {
      const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D);
      let y: tf.Tensor = tf.matMul(flat, this.weight as tf.Tensor2D);
      if (this.bias) y = tf.add(y, this.bias);
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }
}
