/**
 * @module
 * `Conv1d`, equal to `torch.nn.Conv1d` (zero padding, stride, dilation, optional bias).
 * Weight stored as (K, CI, CO) for `tf.conv1d`; PyTorch's `weight` is (CO, CI, K).
 */
import { Rng } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import { expectRank, toChannelsFirst, toChannelsLast } from './layout.js';
import { Module, uniformInit, type InitOptions } from './module.js';
import { tf } from './tf.js';

export interface Conv1dOptions extends InitOptions {
  /** Default 1. */
  stride?: number;
  /** Zeros added at both ends, as PyTorch's integer `padding`. Default 0. */
  padding?: number;
  /** Default 1. */
  dilation?: number;
  /** Default true. */
  bias?: boolean;
}

/**
 * 1-D convolution over (N, C, L) batches, as `torch.nn.Conv1d(inChannels, outChannels, kernelSize)`.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(128, 32, 3);                 // torch.nn.Conv1d(128, 32, 3)
 * conv.loadStateDict(loadSafetensors('conv.safetensors')); // 'weight' (32, 128, 3), 'bias' (32)
 * const y = conv.forward(tf.zeros([8, 128, 44]));      // (8, 32, 42)
 * ```
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  /** (K, CI, CO). */
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv1dOptions = {}) {
    super();
    for (const [n, v] of Object.entries({ inChannels, outChannels, kernelSize })) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`Conv1d: ${n} must be a positive integer, got ${v}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    const rng = new Rng(opts.seed ?? 0);
    const bound = 1 / Math.sqrt(inChannels * kernelSize);
    this.weight = this.addParameter('weight', [outChannels, inChannels, kernelSize], uniformInit(outChannels * inChannels * kernelSize, bound, rng), {
      perm: [2, 1, 0],
      trainable: opts.trainable,
    });
    this.bias = opts.bias === false ? null : this.addParameter('bias', [outChannels], uniformInit(outChannels, bound, rng), { trainable: opts.trainable });
  }

  /** (N, L, CI) → (N, L', CO), L' = ⌊(L + 2·padding − dilation·(K − 1) − 1) / stride⌋ + 1. */
  forwardNlc(x: tf.Tensor3D): tf.Tensor3D {
    expectRank('Conv1d', x, 3, 2, this.inChannels);
    return tf.tidy(() => {
      const xp =
        this.padding > 0
          ? tf.pad(x, [
              [0, 0],
              [this.padding, this.padding],
              [0, 0],
            ])
          : x;
      const y = tf.conv1d(xp, this.weight as tf.Tensor3D, this.stride, 'valid', 'NWC', this.dilation);
      return this.bias ? tf.add(y, this.bias) : y;
    });
  }

  /** (N, CI, L) → (N, CO, L'), as PyTorch. */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    expectRank('Conv1d', x, 3, 1, this.inChannels);
    return tf.tidy(() => toChannelsFirst(this.forwardNlc(toChannelsLast(x))));
  }
}
