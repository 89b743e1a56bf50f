/**
 * @module
 * Batched similarity of many examples to an anchor (or to several anchors): `examples · anchor`
 * as one matrix product, and the elementwise multiply-and-sum it replaces (kept as the
 * reference the benchmark compares against). With unit-length rows both are cosine scores.
 *
 * Legend: N = examples, M = anchors, D = embedding size.
 */
import { ShapeError } from '../core/errors.js';
import { tf } from './tf.js';

function check(op: string, examples: tf.Tensor2D, anchors: tf.Tensor): void {
  if (examples.rank !== 2) throw new ShapeError(`${op}: examples must be rank 2 (N, D), but got rank ${examples.rank}`);
  const d = anchors.shape[anchors.rank - 1];
  if ((anchors.rank !== 1 && anchors.rank !== 2) || d !== examples.shape[1]) {
    throw new ShapeError(`${op}: anchor must be (D) or (M, D) with D = ${examples.shape[1]}, but got shape ${JSON.stringify(anchors.shape)}`);
  }
}

/**
 * Scores of (N, D) examples against a (D) anchor → (N), or (M, D) anchors → (N, M), as one
 * matrix product.
 *
 * @example
 * ```ts
 * const scores = similarity(memory, l2Normalize(query)); // (N) cosine scores
 * ```
 */
export function similarity(examples: tf.Tensor2D, anchor: tf.Tensor1D | tf.Tensor2D): tf.Tensor {
  check('similarity', examples, anchor);
  return tf.tidy(() =>
    anchor.rank === 1
      ? tf.reshape(tf.matMul(examples, tf.reshape(anchor, [-1, 1])), [examples.shape[0]])
      : tf.matMul(examples, anchor as tf.Tensor2D, false, true),
  );
}

/** The same scores as `similarity` by elementwise multiply and sum (the slower route). */
export function similarityMulSum(examples: tf.Tensor2D, anchor: tf.Tensor1D | tf.Tensor2D): tf.Tensor {
  check('similarityMulSum', examples, anchor);
  return tf.tidy(() => (anchor.rank === 1 ? tf.sum(tf.mul(examples, anchor), 1) : tf.sum(tf.mul(tf.expandDims(examples, 1), tf.expandDims(anchor, 0)), 2)));
}
