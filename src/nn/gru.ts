/**
 * @module
 * `GRU`, equal to a one-layer `torch.nn.GRU(inputSize, hiddenSize, batch_first=True)` with
 * PyTorch's weights (`weight_ih_l0` (3H, I), `weight_hh_l0` (3H, H), `bias_ih_l0`,
 * `bias_hh_l0`, gates in r, z, n order):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 − z) ⊙ n + z ⊙ h
 * Variable lengths run packed (sorted, only live sequences computed at each step), so padded
 * steps change neither outputs (zeros there, as `pad_packed_sequence`) nor the final state.
 * `inspect` returns the gates per step and unit; `forward` does not keep them.
 *
 * Legend: B = batch, T = steps, I = input size, H = hidden size.
 */
import { Rng } from '../core/rng.js';
import { ShapeError, UsageError } from '../core/errors.js';
import { expectRank } from './layout.js';
import { Module, uniformInit, type InitOptions } from './module.js';
import { packBatch, unpackRows, type PackedBatch } from './packed-batch.js';
import { tf } from './tf.js';

/** What a GRU returns: all steps' hidden states and the last valid one per sequence. */
export type GruOutput = {
  /** (B, T, H); zeros after each sequence's length. */
  output: tf.Tensor3D;
  /** (B, H): the hidden state after each sequence's last valid step. */
  hN: tf.Tensor2D;
};

/** Gates recorded by `GRU.inspect`, each (B, T, H) row-major in the caller's order, zeros past a sequence's end. */
export interface GruGates {
  reset: Float32Array;
  update: Float32Array;
  candidate: Float32Array;
  hidden: Float32Array;
  shape: [number, number, number];
}

/**
 * One-layer GRU over batch-first sequences.
 *
 * @example
 * ```ts
 * const gru = new GRU(5, 7).load('gru.safetensors');      // torch.save_file(nn.GRU(5, 7, batch_first=True).state_dict())
 * const { output, hN } = gru.forward(x, { lengths: [6, 3, 5, 1] }); // x (4, 6, 5)
 * const gates = gru.inspect(x, { lengths: [6, 3, 5, 1] });          // gates.reset[(b*T + t)*H + j]
 * ```
 */
export class GRU extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** (I, 3H): `weight_ih_l0` transposed, so x·W needs no transpose. */
  readonly weightIh: tf.Variable;
  /** (H, 3H). */
  readonly weightHh: tf.Variable;
  readonly biasIh: tf.Variable;
  readonly biasHh: tf.Variable;

  constructor(inputSize: number, hiddenSize: number, opts: InitOptions = {}) {
    super();
    if (!Number.isInteger(inputSize) || inputSize < 1 || !Number.isInteger(hiddenSize) || hiddenSize < 1) {
      throw new UsageError(`GRU: sizes must be positive integers, got input ${inputSize}, hidden ${hiddenSize}`);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const h = hiddenSize;
    const rng = new Rng(opts.seed ?? 0);
    const bound = 1 / Math.sqrt(h); // PyTorch: U(-1/√H, 1/√H) for every RNN parameter
    const t = opts.trainable;
    this.weightIh = this.addParameter('weight_ih_l0', [3 * h, inputSize], uniformInit(3 * h * inputSize, bound, rng), { perm: [1, 0], trainable: t });
    this.weightHh = this.addParameter('weight_hh_l0', [3 * h, h], uniformInit(3 * h * h, bound, rng), { perm: [1, 0], trainable: t });
    this.biasIh = this.addParameter('bias_ih_l0', [3 * h], uniformInit(3 * h, bound, rng), { trainable: t });
    this.biasHh = this.addParameter('bias_hh_l0', [3 * h], uniformInit(3 * h, bound, rng), { trainable: t });
  }

  /** One step for the `bs` live sequences: gi (bs, 3H) input projection, h (bs, H). */
  private cell(gi: tf.Tensor2D, h: tf.Tensor2D): { r: tf.Tensor2D; z: tf.Tensor2D; n: tf.Tensor2D; h: tf.Tensor2D } {
    const H = this.hiddenSize;
    const bs = gi.shape[0];
    // One product for all three gates (the fused path).
    const gh = tf.add(tf.matMul(h, this.weightHh as tf.Tensor2D), this.biasHh) as tf.Tensor2D;
    const [giR, giZ, giN] = tf.split(gi, 3, 1) as tf.Tensor2D[];
    const ghRZ = tf.slice(gh, [0, 0], [bs, 2 * H]);
    const ghN = tf.slice(gh, [0, 2 * H], [bs, H]);
    const rz = tf.sigmoid(tf.add(tf.concat([giR!, giZ!], 1), ghRZ));
    const r = tf.slice(rz, [0, 0], [bs, H]) as tf.Tensor2D;
    const z = tf.slice(rz, [0, H], [bs, H]) as tf.Tensor2D;
    const n = tf.tanh(tf.add(giN!, tf.mul(r, ghN))) as tf.Tensor2D;
    // h' = n + z ⊙ (h − n) = (1 − z) ⊙ n + z ⊙ h
    const hNew = tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
    return { r, z, n, h: hNew };
  }

  /** Runs packed sequences (sorted order). `record` receives each step's gates for the live rows. */
  private run(
    packed: PackedBatch,
    h0: tf.Tensor2D | undefined,
    record?: (t: number, g: { r: tf.Tensor2D; z: tf.Tensor2D; n: tf.Tensor2D; h: tf.Tensor2D }) => void,
  ): GruOutput {
    const H = this.hiddenSize;
    const [b, steps, i] = packed.data.shape;
    if (i !== this.inputSize)
      throw new ShapeError(`GRU: input must have ${this.inputSize} features at axis 2, but got shape ${JSON.stringify(packed.data.shape)}`);
    return tf.tidy(() => {
      // Input projections of all steps at once: (B, T, 3H).
      const gi = tf.reshape(tf.add(tf.matMul(tf.reshape(packed.data, [b * steps, i]), this.weightIh as tf.Tensor2D), this.biasIh), [b, steps, 3 * H]);
      // One (B, 3H) tensor per step, split once: slicing step t out of the whole (B, T, 3H)
      // tensor made every step's gradient a (B, T, 3H) pad, quadratic in T.
      const giSteps = tf.unstack(gi, 1) as tf.Tensor2D[];
      let h: tf.Tensor2D = h0 ? (tf.gather(h0, tf.tensor1d(packed.sortedIndices, 'int32')) as tf.Tensor2D) : tf.zeros([b, H]);
      const outs: tf.Tensor2D[] = [];
      const finals: tf.Tensor2D[] = []; // hidden states of sequences that ended, last-ended first
      for (let t = 0; t < steps; t++) {
        const bs = packed.batchSizes[t]!;
        const prev = t === 0 ? b : packed.batchSizes[t - 1]!;
        if (bs < prev) {
          // Sequences bs..prev ended at step t − 1: their state is final.
          finals.push(tf.slice(h, [bs, 0], [prev - bs, H]));
          h = tf.slice(h, [0, 0], [bs, H]);
        }
        const giT = bs < b ? (tf.slice(giSteps[t]!, [0, 0], [bs, 3 * H]) as tf.Tensor2D) : giSteps[t]!;
        const g = this.cell(giT, h);
        if (record) record(t, g);
        h = g.h;
        outs.push(bs < b ? tf.concat([h, tf.zeros([b - bs, H])], 0) : h);
      }
      finals.push(h);
      const hN = tf.concat(finals.reverse(), 0) as tf.Tensor2D;
      return { output: tf.stack(outs, 1) as tf.Tensor3D, hN };
    });
  }

  private packInput(x: tf.Tensor3D, lengths?: ArrayLike<number>): PackedBatch {
    expectRank('GRU', x, 3, 2, this.inputSize, 'features');
    return packBatch(x, lengths ?? new Int32Array(x.shape[0]).fill(x.shape[1]));
  }

  /**
   * Padded (B, T, I) batch → outputs (B, T, H) and last valid states (B, H), in the caller's
   * order. `lengths` defaults to T for every row; `h0` (B, H) defaults to zeros.
   */
  forward(x: tf.Tensor3D, opts: { lengths?: ArrayLike<number>; h0?: tf.Tensor2D } = {}): GruOutput {
    const packed = this.packInput(x, opts.lengths);
    try {
      return tf.tidy(() => {
        const r = this.run(packed, opts.h0);
        const output = unpackRows(r.output, packed);
        // Pad to the caller's T when every sequence is shorter.
        const padT = x.shape[1] - output.shape[1];
        return {
          output:
            padT > 0
              ? tf.pad(output, [
                  [0, 0],
                  [0, padT],
                  [0, 0],
                ])
              : output,
          hN: unpackRows(r.hN, packed),
        };
      });
    } finally {
      packed.data.dispose();
    }
  }

  /** Like `forward` on a batch already packed with `packBatch`: results stay in packed order. */
  forwardPacked(packed: PackedBatch, opts: { h0?: tf.Tensor2D } = {}): GruOutput {
    return this.run(packed, opts.h0);
  }

  /**
   * Runs the GRU and returns, per sequence, step and unit, the reset gate r, update gate z,
   * candidate state n and hidden state h, in the caller's order — for debugging what the
   * network does on its errors. Slower than `forward` (it copies every gate out).
   */
  inspect(x: tf.Tensor3D, opts: { lengths?: ArrayLike<number>; h0?: tf.Tensor2D } = {}): GruGates {
    const packed = this.packInput(x, opts.lengths);
    const [b, steps] = [x.shape[0], x.shape[1]];
    const H = this.hiddenSize;
    const gates = {
      reset: new Float32Array(b * steps * H),
      update: new Float32Array(b * steps * H),
      candidate: new Float32Array(b * steps * H),
      hidden: new Float32Array(b * steps * H),
    };
    try {
      const out = this.run(packed, opts.h0, (t, g) => {
        const parts: [Float32Array, tf.Tensor2D][] = [
          [gates.reset, g.r],
          [gates.update, g.z],
          [gates.candidate, g.n],
          [gates.hidden, g.h],
        ];
        for (const [dst, src] of parts) {
          const v = src.dataSync() as Float32Array;
          for (let s = 0; s < src.shape[0]; s++) {
            const orig = packed.sortedIndices[s]!;
            dst.set(v.subarray(s * H, (s + 1) * H), (orig * steps + t) * H);
          }
        }
      });
      tf.dispose([out.output, out.hN]);
    } finally {
      packed.data.dispose();
    }
    return { ...gates, shape: [b, steps, H] };
  }
}
