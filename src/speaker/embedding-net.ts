/**
 * @module
 * The embedding net: Conv1d(C→F, k3) → ReLU → MaxPool1d(2) → Conv1d(F→F, k3) → ReLU → global
 * average pool → Linear(F→D, no bias) → L2 normalisation. With F = 32, D = 16 it is the
 * published net. Frames go in channels-last, (N, L, C), so no transposes are needed.
 */
import { Conv1d, globalAvgPool1d, l2Normalize, Linear, MaxPool1d, Module, tf } from '../nn/index.js';
import { embedBlockFrames } from './block-embedding.js';

/** The net's shape. */
export interface EmbeddingNetShape {
  /** Input channels (mel bins). */
  channels: number;
  filters: number;
  dim: number;
}

export class EmbeddingNet extends Module {
  readonly shape: EmbeddingNetShape;
  private readonly conv1: Conv1d;
  private readonly conv2: Conv1d;
  private readonly pool = new MaxPool1d(2);
  private readonly fc: Linear;

  constructor(shape: EmbeddingNetShape, seed = 0) {
    super();
    this.shape = shape;
    this.conv1 = this.addModule('conv1', new Conv1d(shape.channels, shape.filters, 3, { seed }));
    this.conv2 = this.addModule('conv2', new Conv1d(shape.filters, shape.filters, 3, { seed: seed + 1 }));
    this.fc = this.addModule('fc', new Linear(shape.filters, shape.dim, { bias: false, seed: seed + 2 }));
  }

  /** The convolutional trunk: (N, L, C) → (N, ⌊(L − 2) / 2⌋ − 2, F), before pooling over time. */
  trunk(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => tf.relu(this.conv2.forwardNlc(this.pool.forwardNlc(tf.relu(this.conv1.forwardNlc(x))))));
  }

  /** (N, L, C) normalised log-mel frames → (N, D) unit embeddings. */
  forward(x: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.fc.forward(globalAvgPool1d(this.trunk(x), { layout: 'nlc' })) as tf.Tensor2D, { axis: 1 }));
  }

  /**
   * Embeddings of many overlapping frames of one spectrogram at the cost of one pass: the
   * trunk is convolutional, so it runs once over the whole block and each frame averages its
   * own window of the trunk's output. Equal to `embed` on the cut frames when every frame
   * starts an even number of columns after the block start (so max-pool pairs line up);
   * odd starts get a second pass shifted by one column.
   * block: (T, C) dB columns, channels last; starts: frame start columns within the block.
   * out: (N, D)
   */
  embedBlock(block: Float32Array, T: number, L: number, starts: Int32Array, norm: { mean: number; std: number }): Float32Array {
    const C = this.shape.channels;
    const fc = this.fc.weight.dataSync() as Float32Array; // (F, D)
    const runTrunk = (columns: Float32Array, n: number) => {
      const h = tf.tidy(() => {
        const x = tf.tensor3d(columns, [1, n, C]);
        return this.trunk(tf.div(tf.sub(x, norm.mean), norm.std) as tf.Tensor3D);
      });
      const P = h.shape[1];
      const data = h.dataSync() as Float32Array; // (P, F)
      h.dispose();
      return { data, P };
    };
    return embedBlockFrames(runTrunk, block, T, L, starts, this.shape, fc);
  }

  /**
   * Embeds frames (N, L, C) given as a flat buffer, in batches, returning (N, D).
   * `mean`/`std` standardise the input first.
   */
  embed(frames: Float32Array, n: number, L: number, norm: { mean: number; std: number }, batch = 256): Float32Array {
    const C = this.shape.channels;
    const D = this.shape.dim;
    const out = new Float32Array(n * D);
    for (let i = 0; i < n; i += batch) {
      const b = Math.min(batch, n - i);
      const e = tf.tidy(() => {
        const x = tf.tensor3d(frames.subarray(i * L * C, (i + b) * L * C), [b, L, C]);
        return this.forward(tf.div(tf.sub(x, norm.mean), norm.std) as tf.Tensor3D);
      });
      out.set(e.dataSync() as Float32Array, i * D);
      e.dispose();
    }
    return out;
  }
}
