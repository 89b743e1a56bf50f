/**
 * @module
 * The slice of the WASM backend's internals that leanml's kernels use: the map from a tensor's
 * `dataId` to its place in the WASM heap, views onto that heap, and its own registered kernels
 * (called directly, so a composite kernel stays off the autodiff tape).
 */
import { tf } from '../tf.js';

/** The parts of `BackendWasm` a kernel needs (typed here; the class is not exported usefully). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** Runs the wasm backend's own kernel `name` directly on `TensorInfo`s. */
export function callWasmKernel(name: string, backend: WasmBackendLike, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>): tf.TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm backend: kernel ${name} is missing`);
  return k.kernelFunc({ inputs, backend: backend as unknown as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}
