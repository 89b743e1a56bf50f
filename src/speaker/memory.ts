/**
 * @module
 * The memory of target embeddings and top-k-mean cosine scoring: a frame's score is the mean
 * of its k highest cosine similarities to the memory (embeddings are unit length, so cosine is
 * a dot product; the whole batch is one matrix product).
 */
import { ShapeError, UsageError } from '../core/errors.js';

/** Unit-length embeddings of the target's training frames. */
export class EmbeddingMemory {
  /** memory: (M, D), rows unit length. */
  readonly data: Float32Array;
  readonly size: number;
  readonly dim: number;

  constructor(data: Float32Array, dim: number) {
    if (dim <= 0 || data.length % dim !== 0) throw new ShapeError(`EmbeddingMemory: ${data.length} values are not a whole number of ${dim}-dim rows`);
    this.data = data;
    this.dim = dim;
    this.size = data.length / dim;
    if (this.size === 0) throw new UsageError('EmbeddingMemory: the memory is empty');
  }

  /**
   * Top-k-mean cosine score of each query row. queries: (N, D) unit rows. out: (N,)
   * Uses min(k, size) neighbours. `skipSelf` ignores exact self-matches (score >= 1 - 1e-6)
   * once, for scoring the memory's own frames leave-one-out.
   */
  score(queries: Float32Array, k: number, opts: { skipSelf?: boolean } = {}): Float32Array {
    const D = this.dim;
    if (queries.length % D !== 0) throw new ShapeError(`EmbeddingMemory.score: queries of length ${queries.length} are not ${D}-dim rows`);
    const N = queries.length / D;
    const kk = Math.max(1, Math.min(k, this.size - (opts.skipSelf ? 1 : 0)));
    const out = new Float32Array(N);
    const best = new Float32Array(kk + 1);
    for (let n = 0; n < N; n++) {
      best.fill(-Infinity);
      let skipped = !opts.skipSelf;
      const q = n * D;
      for (let m = 0; m < this.size; m++) {
        let s = 0;
        const o = m * D;
        for (let d = 0; d < D; d++) s += queries[q + d]! * this.data[o + d]!;
        if (!skipped && s >= 1 - 1e-6) {
          skipped = true;
          continue;
        }
        if (s <= best[kk - 1]!) continue;
        // insertion into the sorted (descending) top-k list
        let i = kk - 1;
        while (i > 0 && best[i - 1]! < s) {
          best[i] = best[i - 1]!;
          i--;
        }
        best[i] = s;
      }
      let sum = 0;
      for (let i = 0; i < kk; i++) sum += best[i]!;
      out[n] = sum / kk;
    }
    return out;
  }
}
