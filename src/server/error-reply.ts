/**
 * @module
 * The one place where the server turns a thrown value into an HTTP status and the JSON body
 * `{"error": {"code", "message"}}`. Fastify's own errors (schema validation, body too large,
 * bad JSON, unknown content type) are first translated into leanml errors so that
 * `httpStatusOf` from `core/errors` decides every status.
 */
import { BusyError, FormatError, httpStatusOf, LeanmlError, LimitError, NotFoundError, UsageError } from '../core/errors.js';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** JSON schema of `ErrorBody`, shared by every route's documented error answers. */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  description: 'Every 4xx/5xx answer has this shape.',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'usage, format, not_found, limit, busy or internal' },
        message: { type: 'string' },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/** What the request tells about the error (for clearer messages). */
export interface ErrorContext {
  /** The body limit of the route that refused the body. */
  bodyLimit?: number;
}

/** A fastify error: it carries a `code` like `FST_ERR_CTP_BODY_TOO_LARGE` and maybe `validation`. */
interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: Array<{ instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/** Translates any thrown value into a `LeanmlError` (unknown failures become `null`: internal). */
export function toLeanmlError(err: unknown, ctx: ErrorContext = {}): LeanmlError | null {
  if (err instanceof LeanmlError) return err;
  if (typeof err !== 'object' || err === null) return null;
  const e = err as FrameworkError;
  const message = typeof e.message === 'string' ? e.message : '';
  if (Array.isArray(e.validation)) return new UsageError(describeValidation(e.validation, e.validationContext));
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LimitError(`request body is too large${ctx.bodyLimit ? ` (this route accepts at most ${ctx.bodyLimit} bytes)` : ''}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UsageError(`${message}; send the body as application/json (or an audio type for speaker routes)`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new UsageError('the body is empty but Content-Type is application/json; send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_BAD_URL':
      return new FormatError(message);
    case 'FST_ERR_NOT_FOUND':
      return new NotFoundError(message);
  }
  // JSON.parse failures raised by the body parser
  if (err instanceof SyntaxError) return new FormatError(`body is not valid JSON: ${message}`);
  // any other client error fastify flags with a 4xx status
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new LimitError(message);
    if (e.statusCode === 404) return new NotFoundError(message);
    return new UsageError(message);
  }
  if (typeof e.statusCode === 'number' && e.statusCode === 503) return new BusyError(message);
  return null;
}

/** Status and body for a thrown value. Internal errors never leak their message. */
export function errorReply(err: unknown, ctx: ErrorContext = {}): { status: number; body: ErrorBody } {
  const known = toLeanmlError(err, ctx);
  if (!known) return { status: 500, body: { error: { code: 'internal', message: 'internal error (see the server log)' } } };
  return { status: httpStatusOf(known), body: { error: { code: known.code, message: known.message } } };
}

/** One readable sentence from ajv's errors, e.g. `body/k must be <= 1000`. */
function describeValidation(errors: NonNullable<FrameworkError['validation']>, context = 'request'): string {
  return errors
    .map((v) => {
      const where = `${context}${v.instancePath ?? ''}`;
      const p = v.params ?? {};
      if (v.keyword === 'additionalProperties') return `${where} has an unknown property '${String(p.additionalProperty)}'`;
      if (v.keyword === 'required') return `${where} is missing '${String(p.missingProperty)}'`;
      return `${where} ${v.message ?? 'is invalid'}`;
    })
    .join('; ');
}
