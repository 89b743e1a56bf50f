/**
 * @module
 * `MaxPoolGrad` for the WASM backend, replacing the backend's own (~40 ms for the speaker
 * net's (192, 1, 42, 32) pool, a large share of a training step) by one pass in JS over the
 * heap: each output's gradient goes to the first maximum of its window, as PyTorch and the
 * tfjs `cpu` backend do.
 *
 * Shapes (NHWC): input x (N, H, W, C), dy (N, OH, OW, C) → dx (N, H, W, C).
 */
import { tf } from '../tf.js';
import type { WasmBackendLike } from './wasm-backend.js';

function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight: oh,
    outWidth: ow,
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: fh,
    filterWidth: fw,
  } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const out = backend.makeOutput(input.shape.slice(), 'float32');
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const y0 = Math.max(0, y * sh - pt);
      const y1 = Math.min(h, y * sh - pt + fh);
      for (let xo = 0; xo < ow; xo++) {
        const x0 = Math.max(0, xo * sw - pl);
        const x1 = Math.min(w, xo * sw - pl + fw);
        const gBase = ((b * oh + y) * ow + xo) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const idx = ((b * h + iy) * w + ix) * c + ch;
              const v = x[idx]!;
              // `>` keeps the first maximum; a NaN wins, as in the forward max.
              if (v > best || at < 0 || Number.isNaN(v)) {
                best = v;
                at = idx;
                if (Number.isNaN(v)) break;
              }
            }
          }
          if (at >= 0) dx[at]! += g[gBase + ch]!;
        }
      }
    }
  }
  return out;
}

/** Kernel config registered (replacing the backend's) by `registerWasmKernels`. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
