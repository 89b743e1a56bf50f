/**
 * @module
 * `ConvTranspose1d`, equal to `torch.nn.ConvTranspose1d` (stride, padding, output_padding,
 * optional bias; dilation 1). PyTorch's `weight` is (CI, CO, K); stored as (K, CO, CI), the
 * filter `tf.conv2dTranspose` takes with a unit height.
 */
import { Rng } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import { expectRank, toChannelsFirst, toChannelsLast } from './layout.js';
import { Module, uniformInit, type InitOptions } from './module.js';
import { tf } from './tf.js';

export interface ConvTranspose1dOptions extends InitOptions {
  /** Default 1. */
  stride?: number;
  /** Cropped from both ends of the output, as PyTorch. Default 0. */
  padding?: number;
  /** Added to one end of the output, as PyTorch. Default 0. */
  outputPadding?: number;
  /** Default true. */
  bias?: boolean;
}

/**
 * Transposed 1-D convolution: L' = (L − 1)·stride − 2·padding + K + outputPadding.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose1d(16, 128, 3);   // torch.nn.ConvTranspose1d(16, 128, 3)
 * up.forward(tf.zeros([1, 16, 42])).shape;       // [1, 128, 44]
 * ```
 */
export class ConvTranspose1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;
  /** (K, CO, CI). */
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: ConvTranspose1dOptions = {}) {
    super();
    for (const [n, v] of Object.entries({ inChannels, outChannels, kernelSize })) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`ConvTranspose1d: ${n} must be a positive integer, got ${v}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.outputPadding = opts.outputPadding ?? 0;
    if (this.outputPadding >= this.stride)
      throw new UsageError(`ConvTranspose1d: outputPadding ${this.outputPadding} must be smaller than stride ${this.stride}`);
    const rng = new Rng(opts.seed ?? 0);
    // PyTorch's fan-in for a transposed conv weight (CI, CO, K) is CO·K.
    const bound = 1 / Math.sqrt(outChannels * kernelSize);
    this.weight = this.addParameter('weight', [inChannels, outChannels, kernelSize], uniformInit(inChannels * outChannels * kernelSize, bound, rng), {
      perm: [2, 1, 0],
      trainable: opts.trainable,
    });
    this.bias = opts.bias === false ? null : this.addParameter('bias', [outChannels], uniformInit(outChannels, bound, rng), { trainable: opts.trainable });
  }

  /** Output length for input length `l`. */
  outputLength(l: number): number {
    return (l - 1) * this.stride - 2 * this.padding + this.kernelSize + this.outputPadding;
  }

  /** (N, L, CI) → (N, L', CO). */
  forwardNlc(x: tf.Tensor3D): tf.Tensor3D {
    expectRank('ConvTranspose1d', x, 3, 2, this.inChannels);
    const [n, l] = x.shape;
    const full = (l - 1) * this.stride + this.kernelSize + this.outputPadding;
    return tf.tidy(() => {
      const filter = tf.reshape(this.weight, [1, this.kernelSize, this.outChannels, this.inChannels]) as tf.Tensor4D;
      let y = tf.conv2dTranspose(tf.reshape(x, [n, 1, l, this.inChannels]) as tf.Tensor4D, filter, [n, 1, full, this.outChannels], [1, this.stride], 'valid');
      let y3 = tf.reshape(y, [n, full, this.outChannels]) as tf.Tensor3D;
      if (this.padding > 0) y3 = tf.slice(y3, [0, this.padding, 0], [n, full - 2 * this.padding, this.outChannels]);
      y = y3 as unknown as tf.Tensor4D;
      return (this.bias ? tf.add(y3, this.bias) : y3) as tf.Tensor3D;
    });
  }

  /** (N, CI, L) → (N, CO, L'), as PyTorch. */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    expectRank('ConvTranspose1d', x, 3, 1, this.inChannels);
    return tf.tidy(() => toChannelsFirst(this.forwardNlc(toChannelsLast(x))));
  }
}
