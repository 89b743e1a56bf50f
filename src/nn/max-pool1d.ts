/**
 * @module
 * `MaxPool1d` (equal to `torch.nn.MaxPool1d` with padding 0, floor mode) and
 * `maxPool1dWithIndices` / `maxUnpool1d`, which return and consume PyTorch's argmax indices
 * (positions along L in the input, per sample and channel) for the conv autoencoder.
 */
import { UsageError, ShapeError } from '../core/errors.js';
import { expectRank, toChannelsFirst, toChannelsLast } from './layout.js';
import { tf } from './tf.js';

function checkWindow(op: string, kernelSize: number, stride: number): void {
  if (!Number.isInteger(kernelSize) || kernelSize < 1) throw new UsageError(`${op}: kernelSize must be a positive integer, got ${kernelSize}`);
  if (!Number.isInteger(stride) || stride < 1) throw new UsageError(`${op}: stride must be a positive integer, got ${stride}`);
}

/** (1, L', 1) int32: the input position where each window starts. */
function windowStarts(lo: number, kernelSize: number): tf.Tensor3D {
  return tf.tensor3d(
    Int32Array.from({ length: lo }, (_, i) => i * kernelSize),
    [1, lo, 1],
    'int32',
  );
}

/**
 * Max pooling over L, as `torch.nn.MaxPool1d(kernelSize, stride)` (stride defaults to the kernel size).
 *
 * @example
 * ```ts
 * const pool = new MaxPool1d(2);
 * pool.forward(tf.zeros([8, 32, 42])).shape; // [8, 32, 21]
 * ```
 */
export class MaxPool1d {
  readonly kernelSize: number;
  readonly stride: number;
  constructor(kernelSize: number, opts: { stride?: number } = {}) {
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    checkWindow('MaxPool1d', this.kernelSize, this.stride);
  }

  /** (N, L, C) → (N, ⌊(L − K) / S⌋ + 1, C). */
  forwardNlc(x: tf.Tensor3D): tf.Tensor3D {
    expectRank('MaxPool1d', x, 3);
    if (x.shape[1] < this.kernelSize) throw new ShapeError(`MaxPool1d: input length ${x.shape[1]} is shorter than the kernel ${this.kernelSize}`);
    return tf.tidy(() => {
      const [n, l, c] = x.shape;
      const y = tf.maxPool(tf.reshape(x, [n, l, 1, c]) as tf.Tensor4D, [this.kernelSize, 1], [this.stride, 1], 'valid');
      return tf.reshape(y, [n, y.shape[1], c]) as tf.Tensor3D;
    });
  }

  /** (N, C, L) → (N, C, L'), as PyTorch. */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    expectRank('MaxPool1d', x, 3);
    return tf.tidy(() => toChannelsFirst(this.forwardNlc(toChannelsLast(x))));
  }
}

/**
 * Max pooling with non-overlapping windows (stride = kernel size) that also returns the argmax
 * of each window as PyTorch's `return_indices=True` does: the position along L in the input.
 * Gradients flow to the selected element only (the first maximum on ties, as PyTorch).
 * Channels-last: x (N, L, C) → values (N, L', C) and int32 indices (N, L', C).
 *
 * @example
 * ```ts
 * const { values, indices } = maxPool1dWithIndices(x, 2); // torch.nn.MaxPool1d(2, return_indices=True)
 * const restored = maxUnpool1d(values, indices, 2);       // torch.nn.MaxUnpool1d(2)
 * ```
 */
export function maxPool1dWithIndices(x: tf.Tensor3D, kernelSize: number): { values: tf.Tensor3D; indices: tf.Tensor3D } {
  checkWindow('maxPool1dWithIndices', kernelSize, kernelSize);
  expectRank('maxPool1dWithIndices', x, 3);
  const [n, l, c] = x.shape;
  const lo = Math.floor(l / kernelSize);
  if (lo < 1) throw new ShapeError(`maxPool1dWithIndices: input length ${l} is shorter than the kernel ${kernelSize}`);
  return tf.tidy(() => {
    // windows: (N, L', K, C)
    const windows = tf.reshape(lo * kernelSize === l ? x : tf.slice(x, [0, 0, 0], [n, lo * kernelSize, c]), [n, lo, kernelSize, c]);
    const arg = tf.argMax(windows, 2) as tf.Tensor3D; // (N, L', C), first maximum
    // One-hot selection keeps the gradient on the argmax only (tf.max would split it among ties).
    const sel = tf.transpose(tf.oneHot(arg, kernelSize), [0, 1, 3, 2]); // (N, L', K, C)
    const values = tf.sum(tf.mul(windows, sel), 2) as tf.Tensor3D;
    const offsets = windowStarts(lo, kernelSize);
    const indices = tf.add(arg, offsets) as tf.Tensor3D;
    return { values, indices };
  });
}

/**
 * The inverse of `maxPool1dWithIndices` (as `torch.nn.MaxUnpool1d(kernelSize)`): each value goes
 * back to its index, everything else is zero. Output length defaults to (L' − 1)·K + K, as
 * PyTorch; pass `outputLength` (≥ that) to restore an input whose tail the pool dropped.
 * Channels-last: values, indices (N, L', C) → (N, outputLength, C). Differentiable in `values`.
 */
export function maxUnpool1d(values: tf.Tensor3D, indices: tf.Tensor3D, kernelSize: number, opts: { outputLength?: number } = {}): tf.Tensor3D {
  checkWindow('maxUnpool1d', kernelSize, kernelSize);
  expectRank('maxUnpool1d', values, 3);
  if (values.shape.some((d, i) => d !== indices.shape[i]))
    throw new ShapeError(`maxUnpool1d: values ${JSON.stringify(values.shape)} and indices ${JSON.stringify(indices.shape)} must have the same shape`);
  const [n, lo, c] = values.shape;
  const outLen = opts.outputLength ?? lo * kernelSize;
  if (outLen < lo * kernelSize) throw new ShapeError(`maxUnpool1d: outputLength ${outLen} is shorter than ${lo * kernelSize}`);
  return tf.tidy(() => {
    const offsets = windowStarts(lo, kernelSize);
    // Position inside the window; an index outside its own window cannot come from this pool.
    const within = tf.sub(tf.cast(indices, 'int32'), offsets) as tf.Tensor3D;
    const sel = tf.transpose(tf.oneHot(within, kernelSize), [0, 1, 3, 2]); // (N, L', K, C)
    const spread = tf.reshape(tf.mul(sel, tf.expandDims(values, 2)), [n, lo * kernelSize, c]) as tf.Tensor3D;
    return outLen === lo * kernelSize
      ? spread
      : tf.pad(spread, [
          [0, 0],
          [0, outLen - lo * kernelSize],
          [0, 0],
        ]);
  });
}
