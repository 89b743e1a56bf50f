/**
 * @module
 * Unit-length rows, as `torch.nn.functional.normalize(x, p=2, dim=-1, eps=1e-12)`.
 */
import { tf } from './tf.js';

/**
 * `x / max(‖x‖₂, eps)` along `axis` (default the last).
 *
 * @example
 * ```ts
 * l2Normalize(tf.tensor2d([[3, 4]])).arraySync(); // [[0.6, 0.8]]
 * ```
 */
export function l2Normalize<T extends tf.Tensor>(x: T, opts: { axis?: number; eps?: number } = {}): T {
  const axis = opts.axis ?? -1;
  const eps = opts.eps ?? 1e-12;
  return tf.tidy(() => tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), axis, true)), eps)) as T);
}
