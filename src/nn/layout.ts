/**
 * @module
 * Layout conversion between PyTorch's channels-first sequences (N, C, L) and the
 * channels-last (N, L, C) that TensorFlow.js convolutions and pools run on. Layers take NCL at
 * their `forward` (as PyTorch) and NLC at `forwardNlc` (no transposes; chain these inside a net
 * and convert once at its edges).
 */
import { ShapeError } from '../core/errors.js';
import { tf } from './tf.js';

/** (N, C, L) → (N, L, C). */
export function toChannelsLast(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

/** (N, L, C) → (N, C, L). */
export function toChannelsFirst(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

/** Throws a ShapeError unless `x` has rank `rank` (and, if given, `dim` at `axis`). */
export function expectRank(op: string, x: tf.Tensor, rank: number, axis?: number, dim?: number, what = 'channels'): void {
  if (x.rank !== rank) throw new ShapeError(`${op}: input must be rank ${rank}, but got rank ${x.rank} (shape ${JSON.stringify(x.shape)})`);
  if (axis !== undefined && dim !== undefined && x.shape[axis] !== dim) {
    throw new ShapeError(`${op}: input must have ${dim} ${what} at axis ${axis}, but got shape ${JSON.stringify(x.shape)}`);
  }
}
