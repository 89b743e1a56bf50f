/**
 * @module
 * FiLM (feature-wise linear modulation, Perez et al. 2018): a context vector sets a scale γ
 * and shift β per channel of a conv feature map, `y = γ ⊙ x + β` — conditional normalisation
 * without statistics. γ and β come from one `Linear` named `proj` whose output is [γ, β]
 * (PyTorch: `gamma, beta = self.proj(c).chunk(2, dim=-1)`).
 */
import { ShapeError } from '../core/errors.js';
import { expectRank } from './layout.js';
import { Linear } from './linear.js';
import { Module, type InitOptions } from './module.js';
import { tf } from './tf.js';

/**
 * Feature-wise scale and shift of (N, C, L) maps from (N, context) vectors.
 *
 * @example
 * ```ts
 * const film = new FiLM(6, 4);                   // proj = nn.Linear(6, 8)
 * const y = film.forward(tf.ones([2, 4, 9]), tf.ones([2, 6])); // (2, 4, 9)
 * ```
 */
export class FiLM extends Module {
  readonly contextSize: number;
  readonly channels: number;
  readonly proj: Linear;

  constructor(contextSize: number, channels: number, opts: InitOptions = {}) {
    super();
    this.contextSize = contextSize;
    this.channels = channels;
    this.proj = this.addModule('proj', new Linear(contextSize, 2 * channels, opts));
  }

  /** γ and β, each (N, C). */
  scaleShift(context: tf.Tensor2D): { gamma: tf.Tensor2D; beta: tf.Tensor2D } {
    expectRank('FiLM', context, 2, 1, this.contextSize, 'context features');
    return tf.tidy(() => {
      const [gamma, beta] = tf.split(this.proj.forward(context), 2, 1) as tf.Tensor2D[];
      return { gamma: gamma!, beta: beta! };
    });
  }

  /** x (N, L, C) channels-last. */
  forwardNlc(x: tf.Tensor3D, context: tf.Tensor2D): tf.Tensor3D {
    expectRank('FiLM', x, 3, 2, this.channels);
    if (context.shape[0] !== x.shape[0]) throw new ShapeError(`FiLM: ${context.shape[0]} context vectors for a batch of ${x.shape[0]}`);
    return tf.tidy(() => {
      const { gamma, beta } = this.scaleShift(context);
      return tf.add(tf.mul(x, tf.expandDims(gamma, 1)), tf.expandDims(beta, 1)) as tf.Tensor3D;
    });
  }

  /** x (N, C, L), as PyTorch. */
  forward(x: tf.Tensor3D, context: tf.Tensor2D): tf.Tensor3D {
    expectRank('FiLM', x, 3, 1, this.channels);
    if (context.shape[0] !== x.shape[0]) throw new ShapeError(`FiLM: ${context.shape[0]} context vectors for a batch of ${x.shape[0]}`);
    return tf.tidy(() => {
      const { gamma, beta } = this.scaleShift(context);
      return tf.add(tf.mul(x, tf.expandDims(gamma, 2)), tf.expandDims(beta, 2)) as tf.Tensor3D;
    });
  }
}
