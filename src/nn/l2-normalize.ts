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
  // sqrt(max(‖x‖², eps²)) = max(‖x‖, eps), but the clamp comes before the square root: the
  // gradient of sqrt at an all-zero row is 0/0 = NaN, and one such row (a frame whose ReLUs
  // are all off) poisoned every weight of a speaker net in training. PyTorch's norm backward
  // masks that case to 0, which the clamp-first order gives too.
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), eps * eps))) as T);
}
