/**
 * @module
 * Optional packages: TensorFlow.js is needed only by `nn`, `text` and `speaker`, so leanml
 * declares it as an optional peer dependency and the pure-TypeScript modules install without
 * it; the SpamAssassin corpus is needed only by the demo and the benchmarks. `requireOptional`
 * loads such a package and, when it is not installed, raises a `MissingPackageError` naming it
 * and the install command instead of Node's bare "Cannot find module".
 */
import { NotFoundError } from './errors.js';

/** What to run to get the TensorFlow.js packages that `nn`, `text` and `speaker` need. */
export const TFJS_INSTALL = 'npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm';

/** An optional package is not installed; the message names it and how to install it. */
export class MissingPackageError extends NotFoundError {
  /** The package that is missing, e.g. `@tensorflow/tfjs-core`. */
  readonly packageName: string;
  constructor(packageName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.packageName = packageName;
  }
}

/** True when `err` is Node's "not installed" for package `name` (from `require` or `import`). */
export function isMissingPackage(err: unknown, name: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && err instanceof Error && err.message.includes(`'${name}`);
}

/**
 * `require(id)` of an optional package (`id` is the package name or a path inside it); when the
 * package is missing, a `MissingPackageError` saying what needs it and the install command.
 *
 * @example
 * ```ts
 * const tf = requireOptional<typeof TF>(createRequire(import.meta.url), '@tensorflow/tfjs-core', 'leanml/nn', TFJS_INSTALL);
 * ```
 */
export function requireOptional<T>(require: (id: string) => unknown, id: string, neededBy: string, install?: string): T {
  const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!;
  try {
    return require(id) as T;
  } catch (err) {
    if (!isMissingPackage(err, name)) throw err;
    throw new MissingPackageError(
      name,
      `${neededBy} needs ${name}, which is not installed (an optional dependency of leanml): ${install ?? `npm install ${name}`}`,
      { cause: err },
    );
  }
}
