/**
 * @module
 * Registers the kernels the WASM backend of tfjs 4.22 lacks for training (found by running
 * the gradients of every `nn` block): `Conv2DBackpropFilter` (conv layers) and
 * `UnsortedSegmentSum` (gradients of `gather`, i.e. embeddings); and replaces `GatherV2` by one
 * with a row-copy fast path (embedding lookups were 100x slower than a copy). Idempotent; a
 * kernel the backend gains in a later release is left alone.
 */
import { tf } from '../tf.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { gatherRowsConfig } from './gather-rows.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** The kernels leanml adds to the wasm backend. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterConfig, unsortedSegmentSumConfig];

/** Registers `WASM_KERNELS` where the wasm backend has no kernel of that name. */
export function registerWasmKernels(): void {
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm') == null) tf.registerKernel(k);
  }
  const gather = tf.getKernel('GatherV2', 'wasm');
  if (gather && !fastGatherInstalled) {
    tf.unregisterKernel('GatherV2', 'wasm');
    tf.registerKernel(gatherRowsConfig(gather));
    fastGatherInstalled = true;
  }
}

let fastGatherInstalled = false;
