/**
 * @module
 * Routes of word-vector models (`--vectors NAME=PATH`): word and sentence vectors, nearest
 * neighbours, analogies and supervised predict. Each handler only looks up the model, calls
 * it and shapes the answer; limits are enforced by the schemas before it runs.
 */
import type { FastifyInstance } from 'fastify';
import { UsageError } from '../../core/errors.js';
import type { VectorsModel } from '../model-types.js';
import { ERROR_RESPONSES, NAME_PARAMS } from '../schemas.js';
import { yieldingMap } from '../yielding-map.js';
import { runHeavy, type RouteContext } from './route-context.js';

// Queries searched in one pass over the vocabulary: large enough for the batched matrix
// product to pay off, small enough that the event loop gets a turn between passes.
const SEARCH_CHUNK = 32;

interface Params {
  name: string;
}

/** Registers `/v1/vectors/:name/...`. */
export function registerVectorsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { registry, schemas } = ctx;
  const tags = ['vectors'];

  app.get<{ Params: Params; Querystring: { w: string } }>(
    '/v1/vectors/:name/word',
    {
      schema: {
        tags,
        summary: 'Vector of one word (in or out of vocabulary)',
        params: NAME_PARAMS,
        ...schemas.word,
        response: { ...schemas.word.response, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const model = registry.get('vectors', req.params.name);
      return wordEntry(model, req.query.w, await model.wordVector(req.query.w));
    },
  );

  app.post<{ Params: Params; Body: { words: string[] } }>(
    '/v1/vectors/:name/words',
    { schema: { tags, summary: 'Vectors of many words', params: NAME_PARAMS, ...schemas.words, response: { ...schemas.words.response, ...ERROR_RESPONSES } } },
    async (req, reply) => {
      const model = registry.get('vectors', req.params.name);
      const vectors = await runHeavy(ctx, reply, (signal) =>
        yieldingMap(req.body.words, async (w) => wordEntry(model, w, await model.wordVector(w)), { signal }),
      );
      return { vectors };
    },
  );

  app.post<{ Params: Params; Body: { texts: string[] } }>(
    '/v1/vectors/:name/sentences',
    {
      schema: {
        tags,
        summary: 'Sentence vectors, as `fasttext print-sentence-vectors`',
        params: NAME_PARAMS,
        ...schemas.sentences,
        response: { ...schemas.sentences.response, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const model = registry.get('vectors', req.params.name);
      const vectors = await runHeavy(ctx, reply, (signal) => yieldingMap(req.body.texts, async (t) => Array.from(await model.sentenceVector(t)), { signal }));
      return { vectors };
    },
  );

  app.post<{ Params: Params; Body: { words: string[]; k: number } }>(
    '/v1/vectors/:name/nn',
    {
      schema: {
        tags,
        summary: 'Nearest neighbours of each word',
        params: NAME_PARAMS,
        ...schemas.nn,
        response: { ...schemas.nn.response, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const model = registry.get('vectors', req.params.name);
      const { words, k } = req.body;
      const batches = await runHeavy(ctx, reply, (signal) =>
        yieldingMap(
          chunks(words, SEARCH_CHUNK),
          async (ws) => (model.nearestNeighborsBatch ? model.nearestNeighborsBatch(ws, k) : Promise.all(ws.map((w) => model.nearestNeighbors(w, k)))),
          { signal },
        ),
      );
      return { results: batches.flat().map((neighbors, i) => ({ word: words[i]!, neighbors })) };
    },
  );

  app.post<{ Params: Params; Body: { queries: [string, string, string][]; k: number } }>(
    '/v1/vectors/:name/analogies',
    {
      schema: {
        tags,
        summary: 'Analogies: for [a, b, c], the words closest to a - b + c (king man woman: queen)',
        params: NAME_PARAMS,
        ...schemas.analogies,
        response: { ...schemas.analogies.response, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const model = registry.get('vectors', req.params.name);
      const { queries, k } = req.body;
      const batches = await runHeavy(ctx, reply, (signal) =>
        yieldingMap(
          chunks(queries, SEARCH_CHUNK),
          async (qs) => (model.analogiesBatch ? model.analogiesBatch(qs, k) : Promise.all(qs.map((q) => model.analogies(q[0], q[1], q[2], k)))),
          { signal },
        ),
      );
      return { results: batches.flat().map((neighbors, i) => ({ query: queries[i]!, neighbors })) };
    },
  );

  app.post<{ Params: Params; Body: { texts: string[]; k: number; threshold: number } }>(
    '/v1/vectors/:name/predict',
    {
      schema: {
        tags,
        summary: 'Labels of each text (supervised models), as `fasttext predict-prob`',
        params: NAME_PARAMS,
        ...schemas.vectorsPredict,
        response: { ...schemas.vectorsPredict.response, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const model = registry.get('vectors', req.params.name);
      if (!model.isSupervised)
        throw new UsageError(`vectors model '${req.params.name}' is not supervised: predict needs a model trained with 'fasttext supervised'`);
      const { texts, k, threshold } = req.body;
      const predictions = await runHeavy(ctx, reply, (signal) => yieldingMap(texts, (t) => model.predict(t, k, threshold), { signal }));
      return { predictions };
    },
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function wordEntry(model: VectorsModel, word: string, vector: Float32Array): { word: string; inVocabulary?: boolean; vector: number[] } {
  return model.inVocabulary ? { word, inVocabulary: model.inVocabulary(word), vector: Array.from(vector) } : { word, vector: Array.from(vector) };
}
