/**
 * @module
 * `EmbeddingBag` with a padding index, equal to `torch.nn.EmbeddingBag(num, dim, mode,
 * padding_idx)` on padded (B, T) id batches: PAD ids add nothing, the PAD row stays zero and
 * gets no gradient, `mean` divides by each sample's true length (an all-PAD sample gives
 * zeros), and `unitNorm` L2-normalises each bag. One gather for the whole batch.
 *
 * Legend: B = batch, T = padded length, V = vocabulary, D = embedding size, S = total true ids.
 */
import { Rng } from '../core/rng.js';
import { ShapeError, UsageError } from '../core/errors.js';
import { l2Normalize } from './l2-normalize.js';
import { Module, type InitOptions } from './module.js';
import { tf } from './tf.js';

export interface EmbeddingBagOptions extends InitOptions {
  /** `sum` or `mean` (default, over the true length). */
  mode?: 'sum' | 'mean';
  /** The PAD id (PyTorch's `padding_idx`). Default 0; `null` for none. */
  paddingIdx?: number | null;
  /** L2-normalise each bag's vector. Default false. */
  unitNorm?: boolean;
}

/** Ids as a padded batch: flat (B·T) int32 values, or a (B, T) int32 tensor. */
export type PaddedIds = { ids: Int32Array; batch: number; length: number } | tf.Tensor2D;

/**
 * Pads token-id lists into one (B, T) batch with `padId` (T = the longest list).
 *
 * @example
 * ```ts
 * padIds([[3, 7], [5]]); // { ids: Int32Array [3, 7, 5, 0], batch: 2, length: 2 }
 * ```
 */
export function padIds(lists: ArrayLike<number>[], opts: { padId?: number; length?: number } = {}): { ids: Int32Array; batch: number; length: number } {
  const padId = opts.padId ?? 0;
  const length = opts.length ?? lists.reduce((m, l) => Math.max(m, l.length), 0);
  const ids = new Int32Array(lists.length * length).fill(padId);
  lists.forEach((l, b) => {
    if (l.length > length) throw new ShapeError(`padIds: list ${b} has ${l.length} ids, more than length ${length}`);
    for (let t = 0; t < l.length; t++) ids[b * length + t] = l[t]!;
  });
  return { ids, batch: lists.length, length };
}

/**
 * Bags of embeddings over padded id batches.
 *
 * @example
 * ```ts
 * const bag = new EmbeddingBag(10_000, 64, { mode: 'mean', paddingIdx: 0 }); // nn.EmbeddingBag(10000, 64, mode='mean', padding_idx=0)
 * const v = bag.forward(padIds([[3, 7, 7], [5]]));                           // (2, 64)
 * ```
 */
export class EmbeddingBag extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly mode: 'sum' | 'mean';
  readonly paddingIdx: number | null;
  readonly unitNorm: boolean;
  /** (V, D), as PyTorch. */
  readonly weight: tf.Variable;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingBagOptions = {}) {
    super();
    if (!Number.isInteger(numEmbeddings) || numEmbeddings < 1 || !Number.isInteger(embeddingDim) || embeddingDim < 1) {
      throw new UsageError(`EmbeddingBag: sizes must be positive integers, got ${numEmbeddings} × ${embeddingDim}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.mode = opts.mode ?? 'mean';
    this.paddingIdx = opts.paddingIdx === undefined ? 0 : opts.paddingIdx;
    if (this.paddingIdx !== null && (this.paddingIdx < 0 || this.paddingIdx >= numEmbeddings))
      throw new UsageError(`EmbeddingBag: paddingIdx ${this.paddingIdx} outside [0, ${numEmbeddings})`);
    this.unitNorm = opts.unitNorm ?? false;
    // PyTorch initialises embeddings N(0, 1) and zeroes the padding row.
    const rng = new Rng(opts.seed ?? 0);
    const init = Float32Array.from({ length: numEmbeddings * embeddingDim }, () => rng.normal());
    if (this.paddingIdx !== null) init.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    this.weight = this.addParameter('weight', [numEmbeddings, embeddingDim], init, { trainable: opts.trainable });
  }

  private idsTensor(ids: PaddedIds): tf.Tensor2D {
    if (ids instanceof tf.Tensor) {
      if (ids.rank !== 2 || ids.dtype !== 'int32') throw new ShapeError(`EmbeddingBag: ids must be a rank-2 int32 tensor, got rank ${ids.rank} ${ids.dtype}`);
      return ids;
    }
    if (ids.ids.length !== ids.batch * ids.length)
      throw new ShapeError(`EmbeddingBag: ${ids.ids.length} ids do not fill a (${ids.batch}, ${ids.length}) batch`);
    for (let i = 0; i < ids.ids.length; i++) {
      const id = ids.ids[i]!;
      if (!(id >= 0 && id < this.numEmbeddings)) throw new UsageError(`EmbeddingBag: id ${id} at position ${i} is outside [0, ${this.numEmbeddings})`);
    }
    return tf.tensor2d(ids.ids, [ids.batch, ids.length], 'int32');
  }

  /** Padded (B, T) ids → (B, D). */
  forward(ids: PaddedIds): tf.Tensor2D {
    return tf.tidy(() => {
      const idt = this.idsTensor(ids);
      const [b, t] = idt.shape;
      const rows = tf.reshape(tf.gather(this.weight, tf.reshape(idt, [b * t])), [b, t, this.embeddingDim]);
      let out: tf.Tensor;
      if (this.paddingIdx === null) {
        out = this.mode === 'sum' ? tf.sum(rows, 1) : tf.mean(rows, 1);
      } else {
        // The mask keeps PAD positions out of the sum and, through the product, out of the
        // gradient: the PAD row's gradient is exactly zero, as in PyTorch.
        const mask = tf.cast(tf.notEqual(idt, this.paddingIdx), 'float32'); // (B, T)
        // (B, 1, T) · (B, T, D): the masked sum as a batched product, several times faster on
        // wasm than multiply + sum over the middle axis.
        out = tf.reshape(tf.matMul(tf.expandDims(mask, 1), rows), [b, this.embeddingDim]);
        if (this.mode === 'mean') out = tf.div(out, tf.maximum(tf.sum(mask, 1, true), 1));
      }
      return (this.unitNorm ? l2Normalize(out) : out) as tf.Tensor2D;
    });
  }

  /**
   * The unpadded form (PyTorch's 1-D `input` + `offsets`): `ids` holds all bags back to back,
   * `offsets[b]` where bag b starts. PAD ids are skipped as in `forward`. → (B, D).
   */
  forwardRagged(ids: Int32Array, offsets: Int32Array): tf.Tensor2D {
    const b = offsets.length;
    const segments = new Int32Array(ids.length);
    const counts = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      const start = offsets[i]!;
      const end = i + 1 < b ? offsets[i + 1]! : ids.length;
      if (start < 0 || end < start || end > ids.length)
        throw new ShapeError(`EmbeddingBag.forwardRagged: offsets[${i}] = ${start} is out of order or past ${ids.length} ids`);
      for (let j = start; j < end; j++) {
        const id = ids[j]!;
        if (!(id >= 0 && id < this.numEmbeddings)) throw new UsageError(`EmbeddingBag: id ${id} at position ${j} is outside [0, ${this.numEmbeddings})`);
        // PAD ids go to a segment past the end, which unsortedSegmentSum drops.
        segments[j] = id === this.paddingIdx ? b : i;
        if (id !== this.paddingIdx) counts[i]!++;
      }
    }
    return tf.tidy(() => {
      const rows = tf.gather(this.weight, tf.tensor1d(ids, 'int32')); // (S, D)
      let out: tf.Tensor = tf.unsortedSegmentSum(rows, tf.tensor1d(segments, 'int32'), b + 1);
      out = tf.slice(out, [0, 0], [b, this.embeddingDim]);
      if (this.mode === 'mean')
        out = tf.div(
          out,
          tf.tensor2d(
            counts.map((c) => Math.max(c, 1)),
            [b, 1],
          ),
        );
      return (this.unitNorm ? l2Normalize(out) : out) as tf.Tensor2D;
    });
  }
}
