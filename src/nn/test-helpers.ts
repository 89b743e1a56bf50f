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
export function expectNoLeak(what: string, fn: () => tf.TensorContainer | void): void {
  const before = tf.memory().numTensors;
  const out = fn();
  if (out) tf.dispose(out);
  assert.equal(tf.memory().numTensors, before, `${what}: leaked ${tf.memory().numTensors - before} tensor(s)`);
}

/** Values of a tensor as a Float32Array copy. */
export function values(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as ArrayLike<number>);
}
