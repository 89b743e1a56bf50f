/**
 * @module
 * Helpers shared by the `nn` tests (not exported from the package): backend switching,
 * fixture paths, and a leak check around a block of tensor code.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { initBackend } from './backend.js';
import { tf } from './tf.js';

/** Directory of the committed PyTorch fixtures. */
export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/nn/', import.meta.url));

/** Switches to `name` and silences tfjs's one-time console banner for the cpu backend. */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    await initBackend({ backend: name });
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/** Runs `fn` and asserts it left no tensor behind (tensors it returns are disposed first). */
export function expectNoLeak(what: string, fn: () => tf.TensorContainer | undefined): void {
  const before = tf.memory().numTensors;
  const out = fn();
  if (out) tf.dispose(out);
  assert.equal(tf.memory().numTensors, before, `${what}: leaked ${tf.memory().numTensors - before} tensor(s)`);
}

/** Values of a tensor as a Float32Array copy. */
export function values(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as ArrayLike<number>);
}

/** Loss value and gradients of every trainable parameter of `m`, in PyTorch names and layouts. */
export function torchGrads(m: import('./module.js').Module, loss: () => tf.Scalar): { loss: number; grads: Record<string, Float32Array> } {
  const params = m.namedParameters().filter(([, p]) => p.variable.trainable);
  const { value, grads } = tf.variableGrads(
    loss,
    params.map(([, p]) => p.variable),
  );
  const out: Record<string, Float32Array> = {};
  for (const [name, p] of params) {
    const g = grads[p.variable.name]!;
    out[name] = tf.tidy(() => values(p.perm ? tf.transpose(g, p.perm) : g));
  }
  const lossValue = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { loss: lossValue, grads: out };
}

/** A tensor from a fixture entry (float32 or int32 as stored). */
export function fromFixture(t: { data: ArrayLike<number>; shape: number[] }, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor(dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data), t.shape, dtype);
}
