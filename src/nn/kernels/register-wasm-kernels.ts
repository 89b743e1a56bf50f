/**
 * @module
 * Registers the kernels the WASM backend of tfjs 4.22 lacks for training (found by running
 * the gradients of every `nn` block): `Conv2DBackpropFilter` (conv layers) and
 * `UnsortedSegmentSum` (gradients of `gather`, i.e. embeddings); and replaces three it has by
 * faster ones: `GatherV2` (row copies for embedding lookups), `Conv2DBackpropInput` (stride 1
 * through XNNPACK) and `MaxPoolGrad` (one JS pass). Idempotent; a missing kernel the backend
 * gains in a later release is left alone.
 */
import { tf } from '../tf.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { gatherRowsConfig } from './gather-rows.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** The kernels leanml adds to the wasm backend. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterConfig, unsortedSegmentSumConfig];

/** Registers `WASM_KERNELS` where the wasm backend has no kernel of that name. */
export function registerWasmKernels(): void {
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm') == null) tf.registerKernel(k);
  }
  if (replaced) return;
  replaced = true;
  // Faster versions of kernels the backend has (measured in each file's header).
  const gather = tf.getKernel('GatherV2', 'wasm');
  const backpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  for (const name of ['GatherV2', 'Conv2DBackpropInput', 'MaxPoolGrad']) if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  if (gather) tf.registerKernel(gatherRowsConfig(gather));
  if (backpropInput) tf.registerKernel(conv2DBackpropInputConfig(backpropInput));
  tf.registerKernel(maxPoolGradConfig);
}

let replaced = false;
