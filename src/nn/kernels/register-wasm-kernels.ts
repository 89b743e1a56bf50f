/**
 * @module
 * Registers the kernels the WASM backend of tfjs 4.22 lacks for training (found by running
 * the gradients of every `nn` block): `Conv2DBackpropFilter` (conv layers) and
 * `UnsortedSegmentSum` (gradients of `gather`, i.e. embeddings). Idempotent; a kernel the
 * backend gains in a later release is left alone.
 */
import { tf } from '../tf.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** The kernels leanml adds to the wasm backend. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = [conv2DBackpropFilterConfig, unsortedSegmentSumConfig];

/** Registers `WASM_KERNELS` where the wasm backend has no kernel of that name. */
export function registerWasmKernels(): void {
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm') == null) tf.registerKernel(k);
  }
}
