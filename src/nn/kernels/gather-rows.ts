/**
 * @module
 * A faster `GatherV2` for the WASM backend in the case embeddings use — gathering whole rows
 * (axis 0, no batch dims) of a float32 or int32 table — as one block copy per row from the WASM
 * heap. The backend's own kernel spends ~16 µs per 64-float row here (measured: 263 ms for
 * 16,384 rows of a 20,000 × 64 table); every other case is passed to it unchanged.
 *
 * Shapes: x (V, D...), indices (S...) int32 → out (S..., D...).
 */
import type { tf } from '../tf.js';
import type { WasmBackendLike } from './wasm-backend.js';

/** Wraps the backend's `GatherV2` kernel function with the row-copy fast path. */
export function gatherRowsConfig(original: tf.KernelConfig): tf.KernelConfig {
  const fallback = original.kernelFunc;
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = (args.attrs ?? {}) as { axis?: number; batchDims?: number };
    if ((axis ?? 0) !== 0 || (batchDims ?? 0) !== 0 || indices.dtype !== 'int32' || (x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length < 1) {
      return fallback(args as Parameters<tf.KernelFunc>[0]);
    }
    const backend = args.backend as unknown as WasmBackendLike;
    const rows = x.shape[0]!;
    const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    // Table and output live in the same WASM heap: copyWithin on one view of it moves each row
    // without creating a subarray per row (which cost more than the copy for short rows).
    const heap = new (src.constructor as Float32ArrayConstructor)(src.buffer);
    const srcAt = src.byteOffset / 4;
    const dstAt = dst.byteOffset / 4;
    for (let s = 0; s < ids.length; s++) {
      const id = ids[s]!;
      // As the other backends: an out-of-range index is an error, not a read past the table.
      if (id < 0 || id >= rows) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: index ${id} at position ${s} is not in [0, ${rows})`);
      }
      heap.copyWithin(dstAt + s * inner, srcAt + id * inner, srcAt + (id + 1) * inner);
    }
    return out;
  };
  return { kernelName: 'GatherV2', backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
