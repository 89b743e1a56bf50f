/**
 * @module
 * leanml/serve: one HTTP service for all loaded models (fastify, JSON schemas, OpenAPI).
 *
 * @example
 * import { createServer, loadModels, parseModelSpec } from 'leanml/serve';
 * const registry = await loadModels([parseModelSpec('vectors', 'wiki=wiki.en.bin')]);
 * const app = await createServer(registry, { limits: { maxK: 100 } });
 * await app.listen({ port: 8080 });
 */
export { createServer, DEFAULT_LOG_LEVEL, type ServerOptions } from './create-server.js';
export { DEFAULT_LOADERS, LOAD_ALL_MAX_BYTES, loadModels, parseModelSpec, vectorsModelOf, type ModelLoaders, type ModelSpec } from './load-models.js';
export { ModelRegistry, MODEL_NAME_PATTERN } from './model-registry.js';
export type { LabelProb, LinearPredictor, ModelInfo, ModelKind, ModelKinds, ScoredWord, SpeakerDetector, SpeakerSegment, VectorsModel } from './model-types.js';
export { DEFAULT_LIMITS, type ServeLimits } from './serve-limits.js';
export { DEFAULT_LISTEN, serveUntilSignal, type RunOptions } from './start-server.js';
export { errorReply, type ErrorBody } from './error-reply.js';
export { HeavyLimiter } from './heavy-limiter.js';
