/**
 * @module
 * PyTorch's pack/unpack for variable-length batches: sort a padded batch by length
 * (longest first), remember the permutation so labels can follow it and the original order
 * can be restored, and keep `batchSizes[t]` = how many sequences are still running at step t
 * (a recurrent layer then computes only those).
 *
 * Legend: B = batch, T = padded length, F = features per step.
 */
import { ShapeError } from '../core/errors.js';
import { expectRank } from './layout.js';
import { tf } from './tf.js';

/** A padded batch sorted by length, as `pack_padded_sequence(..., enforce_sorted=False)` keeps it. */
export interface PackedBatch {
  /** (B, T, F), rows in sorted order (longest first). */
  data: tf.Tensor3D;
  /** Lengths in sorted order. */
  lengths: Int32Array;
  /** batchSizes[t] = number of sequences longer than t (non-increasing). */
  batchSizes: Int32Array;
  /** sortedIndices[i] = original row of sorted row i. */
  sortedIndices: Int32Array;
  /** unsortedIndices[j] = sorted row of original row j. */
  unsortedIndices: Int32Array;
}

/**
 * Sorts a padded (B, T, F) batch by `lengths` (descending, stable) for a recurrent layer.
 *
 * @example
 * ```ts
 * const packed = packBatch(x, [2, 5, 3]);                 // rows reordered to lengths 5, 3, 2
 * const y = permuteRows(labels, packed.sortedIndices);     // labels follow the same permutation
 * const back = unpackRows(outputs, packed);                // outputs back in the caller's order
 * ```
 */
export function packBatch(padded: tf.Tensor3D, lengths: ArrayLike<number>): PackedBatch {
  expectRank('packBatch', padded, 3);
  const [b, t] = padded.shape;
  if (lengths.length !== b) throw new ShapeError(`packBatch: ${lengths.length} lengths for a batch of ${b}`);
  for (let i = 0; i < b; i++) {
    const l = lengths[i]!;
    if (!Number.isInteger(l) || l < 1 || l > t)
      throw new ShapeError(`packBatch: lengths[${i}] = ${l} must be an integer in [1, ${t}] (PyTorch rejects empty sequences too)`);
  }
  const order = Array.from({ length: b }, (_, i) => i).sort((p, q) => lengths[q]! - lengths[p]! || p - q);
  const sortedIndices = Int32Array.from(order);
  const unsortedIndices = new Int32Array(b);
  order.forEach((orig, sorted) => (unsortedIndices[orig] = sorted));
  const sortedLengths = Int32Array.from(order, (i) => lengths[i]!);
  const maxLen = sortedLengths[0]!;
  const batchSizes = new Int32Array(maxLen);
  for (let s = 0; s < maxLen; s++) {
    let n = 0;
    while (n < b && sortedLengths[n]! > s) n++;
    batchSizes[s] = n;
  }
  const isIdentity = order.every((o, i) => o === i);
  const data = tf.tidy(() => {
    const sorted = isIdentity ? tf.clone(padded) : tf.gather(padded, tf.tensor1d(sortedIndices, 'int32'));
    return (maxLen < t ? tf.slice(sorted, [0, 0, 0], [b, maxLen, padded.shape[2]]) : sorted) as tf.Tensor3D;
  });
  return { data, lengths: sortedLengths, batchSizes, sortedIndices, unsortedIndices };
}

/** Reorders rows of labels (or any per-sample array) into the packed order. */
export function permuteRows<T>(rows: ArrayLike<T>, sortedIndices: Int32Array): T[] {
  if (rows.length !== sortedIndices.length) throw new ShapeError(`permuteRows: ${rows.length} rows for a permutation of ${sortedIndices.length}`);
  return Array.from(sortedIndices, (i) => rows[i]!);
}

/** Puts the rows (axis 0) of a tensor computed in packed order back in the original order. */
export function unpackRows<T extends tf.Tensor>(sorted: T, packed: PackedBatch): T {
  if (sorted.shape[0] !== packed.unsortedIndices.length)
    throw new ShapeError(`unpackRows: ${sorted.shape[0]} rows for a batch of ${packed.unsortedIndices.length}`);
  return tf.tidy(() => tf.gather(sorted, tf.tensor1d(packed.unsortedIndices, 'int32')) as T);
}
