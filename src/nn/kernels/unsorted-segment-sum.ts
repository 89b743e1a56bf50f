/**
 * @module
 * `UnsortedSegmentSum` for the WASM backend: the gradient of `gather` (embedding lookups),
 * summing rows of `x` into `numSegments` output rows by `segmentIds`. Ids outside
 * [0, numSegments) are dropped, as in TensorFlow. A single pass over the heap data.
 *
 * Shapes: x (S..., D...), segmentIds (S...) int32, out (numSegments, D...).
 */
import type { tf } from '../tf.js';
import type { WasmBackendLike } from './wasm-backend.js';

function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const idRank = segmentIds.shape.length;
  for (let i = 0; i < idRank; i++) {
    if (segmentIds.shape[i] !== x.shape[i])
      throw new Error(`UnsortedSegmentSum (wasm): segmentIds shape (${segmentIds.shape}) must prefix x shape (${x.shape})`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum (wasm): x must be float32 or int32, got ${x.dtype}`);
  const inner = x.shape.slice(idRank).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const o = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  o.fill(0);
  for (let s = 0; s < ids.length; s++) {
    const id = ids[s]!;
    if (id < 0 || id >= numSegments) continue;
    const src = s * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) o[dst + j]! += xs[src + j]!;
  }
  return out;
}

/** Kernel config registered by `registerWasmKernels`. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
