/**
 * @module
 * The one TensorFlow.js namespace every `nn` file uses: `@tensorflow/tfjs-core`, an optional
 * peer dependency of leanml (with `@tensorflow/tfjs-backend-wasm`), so that the modules that do
 * not need it install without it. Its Node build leaves out the gradient functions (`tf.grad`
 * fails on every op) and the chained tensor methods; `generated/tfjs-extras.cjs`, bundled from
 * tfjs-core's own sources at build time (`scripts/bundle-tfjs-extras.mjs`), registers both.
 *
 * Loaded with `require`, not `import`: a missing package then gives leanml's message naming
 * what to install, and Node's ESM loader does not run its CommonJS export scanner over the
 * bundle (which costs start-up time). The types come from a type-only import, under `tf.`.
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs-core';
import { requireOptional, TFJS_INSTALL } from '../core/require-optional.js';

const require = createRequire(import.meta.url);

export const tf = requireOptional<typeof TF>(require, '@tensorflow/tfjs-core', 'leanml/nn (used by text and speaker)', TFJS_INSTALL);
require('./generated/tfjs-extras.cjs');

/** The TensorFlow.js types used in leanml, under `tf.` as with a namespace import. */
export declare namespace tf {
  type Rank = TF.Rank;
  type Tensor<R extends TF.Rank = TF.Rank> = TF.Tensor<R>;
  type Scalar = TF.Scalar;
  type Tensor1D = TF.Tensor1D;
  type Tensor2D = TF.Tensor2D;
  type Tensor3D = TF.Tensor3D;
  type Tensor4D = TF.Tensor4D;
  type Variable<R extends TF.Rank = TF.Rank> = TF.Variable<R>;
  type TensorInfo = TF.TensorInfo;
  type TensorContainer = TF.TensorContainer;
  type NamedTensorMap = TF.NamedTensorMap;
  type NamedTensorInfoMap = TF.NamedTensorInfoMap;
  type NamedAttrMap = TF.NamedAttrMap;
  type KernelFunc = TF.KernelFunc;
  type KernelConfig = TF.KernelConfig;
  type KernelBackend = TF.KernelBackend;
  type DataType = TF.DataType;
  type DataId = TF.DataId;
  namespace backend_util {
    type ExplicitPadding = TF.backend_util.ExplicitPadding;
    type Conv2DInfo = TF.backend_util.Conv2DInfo;
  }
}
