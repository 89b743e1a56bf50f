/**
 * @module
 * The two networks, named as their PyTorch twins (bench/text_reference.py) so weights go both
 * ways unchanged:
 *   bag: `embedding` = EmbeddingBag(V, D, mean, padding_idx=0) over every row id of a line
 *        (optionally unit-normalised) → `fc` Linear(D, C)
 *   gru: each token = mean of its rows (`embedding`, the same EmbeddingBag over (B·T, S)) →
 *        `gru` GRU(D, H) over the packed batch → last valid state → `fc` Linear(H, C)
 *
 * Legend: B = batch, T = tokens, S = rows per token, L = row ids per line, D = embedding,
 * H = hidden, C = labels.
 */
import { EmbeddingBag, GRU, Linear, Module, packBatch, unpackRows, tf, type PackedBatch } from '../nn/index.js';
import type { NetSettings } from './settings.js';
import { PAD_ID } from './vocabulary.js';

/** A padded bag batch: ids (B, L). */
export interface BagInput {
  kind: 'bag';
  ids: Int32Array;
  batch: number;
  length: number;
}

/** A padded sequence batch: ids (B, T, S) and true token counts. */
export interface SequenceInput {
  kind: 'sequence';
  ids: Int32Array;
  batch: number;
  steps: number;
  rowsPerToken: number;
  lengths: Int32Array;
}

/** Logits and, for the GRU, the packing (rows of `logits` are in packed order then). */
export interface NetOutput {
  /** (B, C). */
  logits: tf.Tensor2D;
  /** Set for the GRU: `logits` rows follow `packed.sortedIndices`. */
  packed?: PackedBatch;
}

export class TextNet extends Module {
  readonly settings: NetSettings;
  readonly numLabels: number;
  readonly embedding: EmbeddingBag;
  readonly gru: GRU | null;
  readonly fc: Linear;

  constructor(vocabSize: number, numLabels: number, settings: NetSettings, seed = 0) {
    super();
    this.settings = { ...settings };
    this.numLabels = numLabels;
    const bag = settings.arch === 'bag';
    this.embedding = this.addModule(
      'embedding',
      new EmbeddingBag(vocabSize, settings.dim, { mode: 'mean', paddingIdx: PAD_ID, unitNorm: bag && settings.unitNorm, seed }),
    );
    this.gru = bag ? null : this.addModule('gru', new GRU(settings.dim, settings.hidden, { seed: seed + 1 }));
    this.fc = this.addModule('fc', new Linear(bag ? settings.dim : settings.hidden, numLabels, { seed: seed + 2 }));
  }

  /** Token embeddings (B, T, D) of a sequence batch: each token the mean of its S rows. */
  tokenEmbeddings(x: SequenceInput): tf.Tensor3D {
    const { batch: B, steps: T, rowsPerToken: S } = x;
    const D = this.settings.dim;
    return tf.tidy(() => {
      if (S === 1) {
        // One row per token: a plain gather (the PAD row is zero; padded steps never reach the GRU's live rows, so it gets no gradient).
        return tf.reshape(tf.gather(this.embedding.weight, tf.tensor1d(x.ids, 'int32')), [B, T, D]) as tf.Tensor3D;
      }
      return tf.reshape(this.embedding.forward({ ids: x.ids, batch: B * T, length: S }), [B, T, D]) as tf.Tensor3D;
    });
  }

  /** Logits; for the GRU in packed order (see `NetOutput.packed`; the caller disposes `packed.data`). */
  forwardRaw(x: BagInput | SequenceInput): NetOutput {
    if (x.kind === 'bag') {
      if (this.gru) throw new Error('TextNet: a GRU net needs a sequence batch');
      return { logits: tf.tidy(() => this.fc.forward(this.embedding.forward(x)) as tf.Tensor2D) };
    }
    if (!this.gru) throw new Error('TextNet: a bag net needs a bag batch');
    const emb = this.tokenEmbeddings(x);
    const packed = packBatch(emb, x.lengths);
    emb.dispose();
    const gru = this.gru;
    const logits = tf.tidy(() => {
      const { output, hN } = gru.forwardPacked(packed);
      output.dispose();
      return this.fc.forward(hN) as tf.Tensor2D;
    });
    return { logits, packed };
  }

  /** Logits (B, C) in the caller's order. */
  forward(x: BagInput | SequenceInput): tf.Tensor2D {
    const out = this.forwardRaw(x);
    if (!out.packed) return out.logits;
    const back = unpackRows(out.logits, out.packed);
    out.logits.dispose();
    out.packed.data.dispose();
    return back;
  }
}
