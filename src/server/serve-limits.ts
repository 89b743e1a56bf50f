/**
 * @module
 * The bounds every request is held to. Each is enforced before any model work: by the JSON
 * schemas (k, batch sizes, string lengths), by fastify's body limit, or by `HeavyLimiter`.
 */

/** Request bounds of a server; every field has a default (see `DEFAULT_LIMITS`). */
export interface ServeLimits {
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
  /** Largest audio body accepted by speaker routes, in bytes. */
  audioBodyLimit: number;
  /** Largest `k` (neighbours, analogies, labels). */
  maxK: number;
  /** Most words, texts or queries in one request. */
  maxBatch: number;
  /** Longest text, in UTF-16 code units. */
  maxTextLength: number;
  /** Longest word, in UTF-16 code units. */
  maxWordLength: number;
  /** Heavy requests (batches, neighbour searches, detection) running at once; more get 503. */
  maxConcurrent: number;
}

/** The defaults: generous for real use, small enough that one request cannot hog the server. */
export const DEFAULT_LIMITS: Readonly<ServeLimits> = Object.freeze({
  bodyLimit: 1 << 20,
  audioBodyLimit: 64 << 20,
  maxK: 1000,
  maxBatch: 1000,
  maxTextLength: 100_000,
  maxWordLength: 1000,
  maxConcurrent: 8,
});
