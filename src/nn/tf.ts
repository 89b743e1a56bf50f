/**
 * @module
 * The one TensorFlow.js namespace every `nn` file uses. It is the `@tensorflow/tfjs` union
 * package because only that package registers the gradient functions (`tfjs-core` alone
 * ships ops without gradients in its Node bundle, so `tf.grad` fails on every op).
 *
 * It is loaded with `require`, not `import`: Node's ESM loader runs its CommonJS export
 * scanner over the union bundle and every package it re-exports (tfjs-core, -layers,
 * -converter, -data, ...), which doubles the start-up of every command that touches `nn`
 * (measured: 0.75 s of CPU through `import`, 0.34 s through `require`, Node 20). The types
 * come from a type-only import under the same name, so `tf.Tensor3D` etc. read as before.
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';

export const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof TF;

/** The TensorFlow.js types used in leanml, under `tf.` as with a namespace import. */
// eslint-disable-next-line @typescript-eslint/no-namespace
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
