/**
 * @module
 * The conv1d autoencoder of the notes: encoder Conv1d → MaxPool1d (keeping argmax indices) →
 * Conv1d; decoder ConvTranspose1d → MaxUnpool1d (with the encoder's indices) →
 * ConvTranspose1d, ReLU between stages. For a (1, 128, 44) log-mel frame: c1 (1, 16, 42),
 * m1 (1, 16, 21), c2 (1, 16, 19); d1 (1, 16, 21), u1 (1, 16, 42), d2 (1, 128, 44).
 * Parameter names as the PyTorch module `enc1`, `enc2`, `dec1`, `dec2`.
 */
import { Conv1d } from './conv1d.js';
import { ConvTranspose1d } from './conv-transpose1d.js';
import { expectRank, toChannelsFirst, toChannelsLast } from './layout.js';
import { maxPool1dWithIndices, maxUnpool1d } from './max-pool1d.js';
import { Module, type InitOptions } from './module.js';
import { tf } from './tf.js';

export interface ConvAutoencoderOptions extends InitOptions {
  /** Input channels (mel bins). Default 128. */
  channels?: number;
  /** Channels of the code. Default 16. */
  hidden?: number;
  /** Conv kernel size. Default 3. */
  kernelSize?: number;
  /** Pool window (= stride). Default 2. */
  pool?: number;
}

/** Every stage of one pass, (N, C, L) as PyTorch; `indices` int32. */
export type AutoencoderStages = {
  c1: tf.Tensor3D;
  m1: tf.Tensor3D;
  indices: tf.Tensor3D;
  c2: tf.Tensor3D;
  d1: tf.Tensor3D;
  u1: tf.Tensor3D;
  d2: tf.Tensor3D;
};

/**
 * Conv1d autoencoder with max-pool indices and max-unpool.
 *
 * @example
 * ```ts
 * const ae = new ConvAutoencoder();                   // 128 → 16 channels
 * const { c2, d2 } = ae.stages(tf.randomNormal([1, 128, 44])); // c2 (1, 16, 19) code, d2 (1, 128, 44)
 * const opt = new Adam(ae.trainableVariables());
 * opt.minimize(() => tf.losses.meanSquaredError(x, ae.forward(x)));
 * ```
 */
export class ConvAutoencoder extends Module {
  readonly enc1: Conv1d;
  readonly enc2: Conv1d;
  readonly dec1: ConvTranspose1d;
  readonly dec2: ConvTranspose1d;
  readonly pool: number;

  constructor(opts: ConvAutoencoderOptions = {}) {
    super();
    const c = opts.channels ?? 128;
    const h = opts.hidden ?? 16;
    const k = opts.kernelSize ?? 3;
    const seed = opts.seed ?? 0;
    this.pool = opts.pool ?? 2;
    this.enc1 = this.addModule('enc1', new Conv1d(c, h, k, { seed, trainable: opts.trainable }));
    this.enc2 = this.addModule('enc2', new Conv1d(h, h, k, { seed: seed + 1, trainable: opts.trainable }));
    this.dec1 = this.addModule('dec1', new ConvTranspose1d(h, h, k, { seed: seed + 2, trainable: opts.trainable }));
    this.dec2 = this.addModule('dec2', new ConvTranspose1d(h, c, k, { seed: seed + 3, trainable: opts.trainable }));
  }

  /** Channels-last pass: every stage (N, L, C). */
  stagesNlc(x: tf.Tensor3D): AutoencoderStages {
    expectRank('ConvAutoencoder', x, 3, 2, this.enc1.inChannels);
    return tf.tidy(() => {
      const c1 = this.enc1.forwardNlc(x);
      const { values: m1, indices } = maxPool1dWithIndices(c1, this.pool);
      const c2 = this.enc2.forwardNlc(tf.relu(m1));
      const d1 = this.dec1.forwardNlc(tf.relu(c2));
      const u1 = maxUnpool1d(d1, indices, this.pool, { outputLength: c1.shape[1] });
      const d2 = this.dec2.forwardNlc(tf.relu(u1));
      return { c1, m1, indices, c2, d1, u1, d2 };
    });
  }

  /** Every stage, (N, C, L) in and out as PyTorch. */
  stages(x: tf.Tensor3D): AutoencoderStages {
    return tf.tidy(() => {
      const s = this.stagesNlc(toChannelsLast(x));
      const out = {} as AutoencoderStages;
      for (const [k, v] of Object.entries(s)) out[k as keyof AutoencoderStages] = toChannelsFirst(v);
      return out;
    });
  }

  /** The reconstruction d2, (N, C, L) → (N, C, L). */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => toChannelsFirst(this.stagesNlc(toChannelsLast(x)).d2));
  }

  /** The code c2 (N, hidden, L'). */
  encode(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => toChannelsFirst(this.stagesNlc(toChannelsLast(x)).c2));
  }
}
