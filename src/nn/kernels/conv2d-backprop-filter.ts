/**
 * @module
 * `Conv2DBackpropFilter` for the WASM backend (the gradient of a convolution with respect to
 * its filter, needed to train every conv layer). It lays out the input patches as a matrix in
 * the WASM heap (im2col) and multiplies it by the output gradient with the backend's own
 * XNNPACK matrix product, so the heavy part runs in WASM with SIMD.
 *
 * Shapes (NHWC, as tfjs): x (N, H, W, CI), dy (N, OH, OW, CO), dw (KH, KW, CI, CO).
 *   dw[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, ci] · dy[n, oh, ow, co]
 * so with cols (M = N·OH·OW, KH·KW·CI): dw = colsᵀ · dy, reshaped.
 */
import { tf } from '../tf.js';
import { callWasmKernel, type WasmBackendLike } from './wasm-backend.js';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Fills `cols` (M, KH·KW·CI) with the input patches; out-of-range (padding) cells are zero. */
export function im2col(x: Float32Array, cols: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const rowLen = kh * kw * ci;
  let row = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++, row++) {
        const base = row * rowLen;
        let o = base;
        for (let i = 0; i < kh; i++) {
          const iy = y * sh + i * dh - pt;
          for (let j = 0; j < kw; j++, o += ci) {
            const ix = xo * sw + j * dw - pl;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              cols.fill(0, o, o + ci);
            } else {
              const src = ((b * h + iy) * w + ix) * ci;
              cols.set(x.subarray(src, src + ci), o);
            }
          }
        }
      }
    }
  }
}

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Attrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): dataFormat must be NHWC, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const m = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = backend.makeOutput([m, k], 'float32');
  try {
    im2col(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(cols) as Float32Array, info);
    const dy2: tf.TensorInfo = { dataId: dy.dataId, shape: [m, info.outChannels], dtype: 'float32' };
    const out = callWasmKernel('BatchMatMul', backend, { a: cols, b: dy2 }, { transposeA: true, transposeB: false });
    // (1, K, CO) in memory is exactly (KH, KW, CI, CO).
    out.shape = [...filterShape];
    return out;
  } finally {
    backend.disposeData(cols.dataId);
  }
}

/** Kernel config registered by `registerWasmKernels`. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
