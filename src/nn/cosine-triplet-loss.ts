/**
 * @module
 * The cosine triplet loss of the speaker net: `max(0, margin + a·n − a·p)` per triplet, with
 * a, p, n unit-length embeddings (so the dot products are cosine similarities).
 */
import { ShapeError } from '../core/errors.js';
import { l2Normalize } from './l2-normalize.js';
import { tf } from './tf.js';

export interface TripletLossOptions {
  /** Default 0.3 (the published speaker net). */
  margin?: number;
  /** `mean` (default), `sum` or `none` (per triplet, shape (B)). */
  reduction?: 'mean' | 'sum' | 'none';
  /** L2-normalise the inputs first. Default false (the net's output is already normalised). */
  normalize?: boolean;
}

/**
 * Triplet loss over (B, D) anchors, positives and negatives.
 *
 * @example
 * ```ts
 * const loss = cosineTripletLoss(a, p, n, { margin: 0.3 }); // scalar, mean over the batch
 * ```
 */
export function cosineTripletLoss(anchor: tf.Tensor2D, positive: tf.Tensor2D, negative: tf.Tensor2D, opts: TripletLossOptions = {}): tf.Tensor {
  for (const [name, t] of [
    ['positive', positive],
    ['negative', negative],
  ] as const) {
    if (t.rank !== 2 || t.shape[0] !== anchor.shape[0] || t.shape[1] !== anchor.shape[1]) {
      throw new ShapeError(`cosineTripletLoss: ${name} has shape ${JSON.stringify(t.shape)} but anchor has ${JSON.stringify(anchor.shape)}`);
    }
  }
  const margin = opts.margin ?? 0.3;
  return tf.tidy(() => {
    const [a, p, n] = opts.normalize ? [l2Normalize(anchor), l2Normalize(positive), l2Normalize(negative)] : [anchor, positive, negative];
    const ap = tf.sum(tf.mul(a, p), 1);
    const an = tf.sum(tf.mul(a, n), 1);
    const per = tf.relu(tf.add(tf.sub(an, ap), margin));
    const reduction = opts.reduction ?? 'mean';
    return reduction === 'none' ? per : reduction === 'sum' ? tf.sum(per) : tf.mean(per);
  });
}
