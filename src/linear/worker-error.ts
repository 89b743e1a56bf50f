/**
 * @module
 * Errors crossing from a worker thread: sent as `{code, message}` and rebuilt as the same
 * `LeanmlError` class, looked up by its code (every class of `core/errors` is in the table,
 * so none falls back to a bare Error); anything else arrives as an Error with its message.
 */
import { BusyError, FormatError, LeanmlError, LimitError, NotFoundError, ShapeError, TrainingError, UsageError } from '../core/errors.js';

type ErrorClass = new (message: string) => LeanmlError;

/** Every LeanmlError class, by its code. */
const CLASSES: ErrorClass[] = [FormatError, ShapeError, UsageError, NotFoundError, LimitError, BusyError, TrainingError];
const BY_CODE = new Map<string, ErrorClass>(CLASSES.map((C) => [new C('').code, C]));

/** An error as text that `errorFromWorker` turns back into the same class. */
export function errorToWorkerMessage(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return JSON.stringify({ code: e instanceof LeanmlError ? e.code : null, message: e.message });
}

/** The error `errorToWorkerMessage` described, as its class (a plain Error when it was none of ours). */
export function errorFromWorker(text: string): Error {
  const { code, message } = JSON.parse(text) as { code: string | null; message: string };
  const C = code === null ? undefined : BY_CODE.get(code);
  return C ? new C(message) : new Error(message);
}
