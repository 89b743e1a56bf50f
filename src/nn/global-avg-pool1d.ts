/**
 * @module
 * Global average pooling over L (PyTorch: `x.mean(dim=2)` or `AdaptiveAvgPool1d(1)` + flatten).
 */
import { expectRank } from './layout.js';
import { tf } from './tf.js';

/**
 * Mean over the length axis: (N, C, L) → (N, C) for `layout: 'ncl'` (default, as PyTorch),
 * (N, L, C) → (N, C) for `layout: 'nlc'`.
 *
 * @example
 * ```ts
 * globalAvgPool1d(tf.ones([8, 32, 19])).shape;                   // [8, 32]
 * globalAvgPool1d(tf.ones([8, 19, 32]), { layout: 'nlc' }).shape; // [8, 32]
 * ```
 */
export function globalAvgPool1d(x: tf.Tensor3D, opts: { layout?: 'ncl' | 'nlc' } = {}): tf.Tensor2D {
  expectRank('globalAvgPool1d', x, 3);
  return tf.mean(x, (opts.layout ?? 'ncl') === 'ncl' ? 2 : 1) as tf.Tensor2D;
}
