/**
 * @module
 * The error classes of leanml. Every error a user can cause is a `LeanmlError` whose message
 * says where (file, line, byte offset, argument), what was expected and what came.
 * `exitCodeOf` is the one place that maps errors to CLI exit codes; `httpStatusOf` the one
 * place that maps them to HTTP statuses.
 */

/** Base class of every error leanml raises on purpose. */
export class LeanmlError extends Error {
  /** A short machine-readable code, e.g. `format`, `usage`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A file or stream whose content is not what its format requires (names file and offset or line). */
export class FormatError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('format', message, options);
  }
}

/** Arrays or tensors whose shapes do not fit together. */
export class ShapeError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('shape', message, options);
  }
}

/** A caller (CLI user, API caller, HTTP client) asked for something invalid. */
export class UsageError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
  }
}

/** Something named (a model, a word, a file) does not exist. */
export class NotFoundError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('not_found', message, options);
  }
}

/** A resource bound (memory, size, concurrency) would be exceeded. */
export class LimitError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('limit', message, options);
  }
}

/** A service is over capacity right now (e.g. too many heavy requests in flight); retrying later may succeed. */
export class BusyError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('busy', message, options);
  }
}

/**
 * A computation failed for a reason that is not the caller's input (a training run that
 * diverged): exit 1 in the CLI, HTTP 500 in the server. Retrying with another seed may help.
 */
export class TrainingError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('training', message, options);
  }
}

/** CLI exit code for an error: 2 for bad usage, 1 for everything else. */
export function exitCodeOf(err: unknown): 1 | 2 {
  return err instanceof UsageError ? 2 : 1;
}

/** HTTP status for an error raised while serving a request. */
export function httpStatusOf(err: unknown): number {
  if (err instanceof UsageError || err instanceof FormatError || err instanceof ShapeError) return 400;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof LimitError) return 413;
  if (err instanceof BusyError) return 503;
  return 500;
}

/** A readable one-line description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
