/**
 * @module
 * The pooling half of `embedBlock`, shared by the trainable net and the inference net: given
 * the trunk's output over a whole block, each frame averages its own window of trunk positions,
 * goes through the bias-free linear layer and is L2-normalised. Pure TypeScript, so the
 * inference path loads no more of TensorFlow.js than its trunk needs.
 * Legend: T = columns, C = mel bins, F = filters, D = embedding size, P = trunk positions.
 */
import type { EmbeddingNetShape } from './embedding-net.js';

/** Runs the convolutional trunk over `n` columns (n, C): returns its output (P, F). */
export type RunTrunk = (columns: Float32Array, n: number) => { data: Float32Array; P: number };

/**
 * Embeddings (N, D) of frames of L columns at `starts` within a (T, C) block. Frames starting
 * on an even column share one trunk pass, odd ones a second pass shifted by one column (so
 * max-pool pairs line up). `fc`: the linear layer's weight, (F, D).
 */
export function embedBlockFrames(
  runTrunk: RunTrunk,
  block: Float32Array,
  T: number,
  L: number,
  starts: Int32Array,
  shape: EmbeddingNetShape,
  fc: Float32Array,
): Float32Array {
  const C = shape.channels;
  const F = shape.filters;
  const D = shape.dim;
  const W = Math.floor((L - 2) / 2) - 2; // trunk positions per frame
  const out = new Float32Array(starts.length * D);
  const pooled = new Float64Array(F);
  for (const parity of [0, 1]) {
    const idx: number[] = [];
    starts.forEach((s, i) => {
      if ((s & 1) === parity) idx.push(i);
    });
    if (idx.length === 0) continue;
    const n = T - parity;
    if (n < L) continue;
    const { data: hv, P } = runTrunk(block.subarray(parity * C, T * C), n);
    // prefix sums over positions: pre[(p + 1) F + f] = sum of hv[0..p] in channel f
    const pre = new Float64Array((P + 1) * F);
    for (let p = 0; p < P; p++) for (let f = 0; f < F; f++) pre[(p + 1) * F + f] = pre[p * F + f]! + hv[p * F + f]!;
    for (const i of idx) {
      const q0 = (starts[i]! - parity) / 2;
      for (let f = 0; f < F; f++) pooled[f] = (pre[(q0 + W) * F + f]! - pre[q0 * F + f]!) / W;
      let ss = 0;
      for (let d = 0; d < D; d++) {
        let v = 0;
        for (let f = 0; f < F; f++) v += pooled[f]! * fc[f * D + d]!;
        out[i * D + d] = v;
        ss += v * v;
      }
      const inv = 1 / Math.max(Math.sqrt(ss), 1e-12);
      for (let d = 0; d < D; d++) out[i * D + d]! *= inv;
    }
  }
  return out;
}
