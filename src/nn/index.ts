/**
 * @module
 * `leanml/nn`: PyTorch's sequence and conv idioms on TensorFlow.js, with PyTorch weights
 * in and out (`.safetensors`), trainable on the WASM backend.
 */
export { tf } from './tf.js';
export * from './backend.js';
export * from './safetensors.js';
export * from './module.js';
export * from './layout.js';
export * from './conv1d.js';
export * from './max-pool1d.js';
export * from './global-avg-pool1d.js';
export * from './linear.js';
export * from './l2-normalize.js';
export * from './cosine-triplet-loss.js';
export * from './adam.js';
export { registerWasmKernels, WASM_KERNELS } from './kernels/register-wasm-kernels.js';
export * from './embedding-bag.js';
export * from './packed-batch.js';
export * from './gru.js';
export * from './film.js';
export * from './conv-transpose1d.js';
export * from './conv-autoencoder.js';
export * from './similarity.js';
