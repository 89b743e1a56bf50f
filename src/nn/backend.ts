/**
 * @module
 * Backend selection for `nn`: `@tensorflow/tfjs-node` when the user has installed it
 * (native TensorFlow, fastest on CPU), otherwise the WASM backend (XNNPACK kernels, SIMD) with
 * the kernels it lacks for training registered by leanml, and the pure-JS `cpu` backend only
 * when asked for by name.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { UsageError } from '../core/errors.js';
import { requireOptional, TFJS_INSTALL } from '../core/require-optional.js';
import { registerWasmKernels } from './kernels/register-wasm-kernels.js';
import { tf } from './tf.js';

/** Which backend to use; `auto` = tfjs-node if installed, else wasm. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface InitBackendOptions {
  /** Default `auto`. The `LEANML_BACKEND` environment variable overrides `auto`. */
  backend?: BackendChoice;
  /** WASM threads (only where the runtime supports WASM threads; Node does not today). */
  threads?: number;
}

const require = createRequire(import.meta.url);
// `require`, not `import`, as in tf.ts: a clear message when missing, and a faster start.
const { getThreadsCount, setThreadsCount, setWasmPaths } = requireOptional<typeof TfWasm>(
  require,
  '@tensorflow/tfjs-backend-wasm',
  'leanml/nn (used by text and speaker)',
  TFJS_INSTALL,
);

let wasmPathsSet = false;

/** The directory holding the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm`, with a trailing slash. */
export function wasmDistDir(): string {
  // The package's `main` lives in dist/, beside the .wasm files.
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

async function tryTfjsNode(): Promise<boolean> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
  } catch {
    return false;
  }
  return tf.findBackend('tensorflow') != null || (await tf.setBackend('tensorflow'));
}

async function setWasm(threads: number | undefined): Promise<void> {
  if (!wasmPathsSet) {
    // In Node the loader reads the binaries from disk: a file path prefix works, a URL does not.
    setWasmPaths(wasmDistDir());
    wasmPathsSet = true;
  }
  if (threads != null) setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('initBackend: the wasm backend failed to initialise');
  registerWasmKernels();
}

/**
 * Selects and initialises the TensorFlow.js backend for `nn` and returns its name
 * (`tensorflow`, `wasm` or `cpu`). Safe to call more than once.
 *
 * @example
 * ```ts
 * import { initBackend } from 'leanml/nn';
 * const name = await initBackend(); // 'tensorflow' with tfjs-node installed, else 'wasm'
 * ```
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<string> {
  let choice = opts.backend ?? 'auto';
  const env = process.env['LEANML_BACKEND'];
  if (choice === 'auto' && env) {
    if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(env)) throw new UsageError(`LEANML_BACKEND: expected auto, tensorflow, wasm or cpu, got '${env}'`);
    choice = env as BackendChoice;
  }
  if (choice === 'auto' || choice === 'tensorflow') {
    if (await tryTfjsNode()) {
      await tf.setBackend('tensorflow');
      await tf.ready();
      return tf.getBackend();
    }
    if (choice === 'tensorflow') throw new UsageError('initBackend: backend tensorflow needs @tensorflow/tfjs-node (npm install @tensorflow/tfjs-node)');
    choice = 'wasm';
  }
  if (choice === 'wasm') await setWasm(opts.threads);
  else {
    requireOptional(require, '@tensorflow/tfjs-backend-cpu', 'initBackend: backend cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('initBackend: the cpu backend failed to initialise');
  }
  await tf.ready();
  return tf.getBackend();
}

/** Facts about the active backend, for logs and benchmarks. */
export function backendInfo(): { name: string; simd?: boolean; threads?: number } {
  const name = tf.getBackend();
  if (name !== 'wasm') return { name };
  return { name, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: getThreadsCount() };
}
