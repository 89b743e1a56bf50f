/**
 * @module
 * The one TensorFlow.js namespace every `nn` file uses. It is the `@tensorflow/tfjs` union
 * package because only that package registers the gradient functions (`tfjs-core` alone
 * ships ops without gradients in its Node bundle, so `tf.grad` fails on every op).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
