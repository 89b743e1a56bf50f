/**
 * @module
 * `InferenceNet`: the embedding net's forward pass for detection, on `@tensorflow/tfjs-core`
 * and its WASM backend alone. `speaker detect` needs no gradients or optimiser, so it skips
 * `nn`'s gradient bundle and training kernels at start-up. Each convolution runs as one fused
 * WASM kernel (convolution, bias and ReLU together) instead of three ops.
 *
 * Equal to `EmbeddingNet.embedBlock` up to float32 rounding (the fused kernel adds the bias
 * inside the convolution's sum rather than after it): the agreement test bounds the
 * difference of the embeddings at 1e-5.
 * Legend: T = columns, C = mel bins, F = filters, D = embedding size, P = trunk positions.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { ShapeError } from '../core/errors.js';
import { requireOptional, TFJS_INSTALL } from '../core/require-optional.js';
import type { StateDict } from '../nn/safetensors.js';
import { embedBlockFrames } from './block-embedding.js';
import type { EmbeddingNetShape } from './embedding-net.js';

const require = createRequire(import.meta.url);
// `require`, not `import`, as in nn/tf.ts: leanml's message when the optional package is missing, and a faster start
const tf = requireOptional<typeof TfCore>(require, '@tensorflow/tfjs-core', 'leanml/speaker', TFJS_INSTALL);

let ready: Promise<void> | null = null;

/** Selects tfjs's WASM backend (unless a backend is already active, e.g. tfjs-node or `initBackend`'s). */
export function initInferenceBackend(): Promise<void> {
  ready ??= (async () => {
    const active = tf.engine().backendName;
    if (active === 'wasm' || active === 'tensorflow') return;
    if (process.env['LEANML_BACKEND'] && process.env['LEANML_BACKEND'] !== 'wasm') {
      // another backend asked for by name: the full nn setup knows them all
      await (await import('../nn/backend.js')).initBackend();
      return;
    }
    const wasm = requireOptional<typeof TfWasm>(require, '@tensorflow/tfjs-backend-wasm', 'leanml/speaker', TFJS_INSTALL);
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
    if (!(await tf.setBackend('wasm'))) throw new Error('speaker: the tfjs wasm backend failed to initialise');
    await tf.ready();
  })();
  return ready;
}

function param(sd: StateDict, name: string, shape: number[]): Float32Array {
  const t = sd[name];
  if (!t) throw new ShapeError(`InferenceNet: state dict has no '${name}'`);
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i]))
    throw new ShapeError(`InferenceNet: '${name}' has shape (${t.shape.join(', ')}), expected (${shape.join(', ')})`);
  return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
}

/** PyTorch Conv1d weight (F, C, K) to tfjs conv2d filter (1, K, C, F). */
function convFilter(w: Float32Array, F: number, C: number, K: number): TfCore.Tensor4D {
  const out = new Float32Array(K * C * F);
  for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) out[(k * C + c) * F + f] = w[(f * C + c) * K + k]!;
  return tf.tensor4d(out, [1, K, C, F]);
}

/** The forward pass of a trained `EmbeddingNet` (PyTorch-named state dict), for inference only. */
export class InferenceNet {
  readonly shape: EmbeddingNetShape;
  private readonly sd: StateDict;
  private readonly w1: TfCore.Tensor4D;
  private readonly b1: TfCore.Tensor1D;
  private readonly w2: TfCore.Tensor4D;
  private readonly b2: TfCore.Tensor1D;
  /** fc weight as (F, D). */
  private readonly fc: Float32Array;

  /** Call `initInferenceBackend()` first. */
  constructor(shape: EmbeddingNetShape, sd: StateDict) {
    const { channels: C, filters: F, dim: D } = shape;
    this.shape = shape;
    this.sd = sd;
    const extra = Object.keys(sd).filter((k) => !['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc.weight'].includes(k));
    if (extra.length) throw new ShapeError(`InferenceNet: unexpected ${extra.join(', ')}`);
    const fcT = param(sd, 'fc.weight', [D, F]);
    this.fc = new Float32Array(F * D);
    for (let d = 0; d < D; d++) for (let f = 0; f < F; f++) this.fc[f * D + d] = fcT[d * F + f]!;
    this.w1 = convFilter(param(sd, 'conv1.weight', [F, C, 3]), F, C, 3);
    this.b1 = tf.tensor1d(param(sd, 'conv1.bias', [F]));
    this.w2 = convFilter(param(sd, 'conv2.weight', [F, F, 3]), F, F, 3);
    this.b2 = tf.tensor1d(param(sd, 'conv2.bias', [F]));
  }

  /** The trunk over a whole block: (n, C) columns → (P, F), P = ⌊(n − 2) / 2⌋ − 2. */
  private trunk(block: Float32Array, n: number, norm: { mean: number; std: number }): { data: Float32Array; P: number } {
    const C = this.shape.channels;
    const h = tf.tidy(() => {
      const x = tf.div(tf.sub(tf.tensor4d(block, [1, 1, n, C]), norm.mean), norm.std) as TfCore.Tensor4D;
      const a = tf.fused.conv2d({ x, filter: this.w1, strides: 1, pad: 'valid', bias: this.b1, activation: 'relu' });
      const p = tf.maxPool(a, [1, 2], [1, 2], 'valid');
      return tf.fused.conv2d({ x: p, filter: this.w2, strides: 1, pad: 'valid', bias: this.b2, activation: 'relu' });
    });
    const data = h.dataSync() as Float32Array;
    const P = h.shape[2];
    h.dispose();
    return { data, P };
  }

  /** As `EmbeddingNet.embedBlock`: (T, C) dB columns, frames of L columns at `starts` → (N, D) unit embeddings. */
  embedBlock(block: Float32Array, T: number, L: number, starts: Int32Array, norm: { mean: number; std: number }): Float32Array {
    return embedBlockFrames((columns, n) => this.trunk(columns, n, norm), block, T, L, starts, this.shape, this.fc);
  }

  /** As `EmbeddingNet.embed`: frames (N, L, C) → (N, D), one frame at a time. */
  embed(frames: Float32Array, n: number, L: number, norm: { mean: number; std: number }): Float32Array {
    const C = this.shape.channels;
    const D = this.shape.dim;
    const out = new Float32Array(n * D);
    const start = Int32Array.of(0);
    for (let i = 0; i < n; i++) out.set(this.embedBlock(frames.subarray(i * L * C, (i + 1) * L * C), L, L, start, norm), i * D);
    return out;
  }

  /** The state dict it was built from (PyTorch names and layouts). */
  stateDict(): StateDict {
    return this.sd;
  }

  dispose(): void {
    for (const t of [this.w1, this.b1, this.w2, this.b2]) t.dispose();
  }
}
