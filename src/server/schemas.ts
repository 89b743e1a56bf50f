/**
 * @module
 * JSON schemas of the routes, built from the server's limits. They do three jobs at once:
 * validation (fastify/ajv refuses bad input before a handler runs), fast serialisation of the
 * answers, and the OpenAPI document (`GET /openapi.json`).
 */
import { DEFAULT_FASTTEXT } from '../fasttext/fasttext-defaults.js';
import { MODEL_NAME_PATTERN } from './model-registry.js';
import type { ServeLimits } from './serve-limits.js';

/** Reference to the shared error schema (see `ERROR_SCHEMA`). */
const errorRef = { $ref: 'Error#' } as const;

/** Error answers every model route can give. */
export const ERROR_RESPONSES = { 400: errorRef, 404: errorRef, 413: errorRef, 500: errorRef, 503: errorRef } as const;

/** `:name` in a model URL. */
export const NAME_PARAMS = {
  type: 'object',
  properties: { name: { type: 'string', pattern: MODEL_NAME_PATTERN, description: 'model name given at start (--vectors NAME=PATH ...)' } },
  required: ['name'],
  additionalProperties: false,
} as const;

const scoredWord = { type: 'object', properties: { word: { type: 'string' }, score: { type: 'number' } }, required: ['word', 'score'] } as const;
const vector = { type: 'array', items: { type: 'number' } } as const;

/** The schema pieces that depend on limits. */
export function buildSchemas(limits: ServeLimits) {
  const word = { type: 'string', minLength: 1, maxLength: limits.maxWordLength } as const;
  const text = { type: 'string', maxLength: limits.maxTextLength } as const;
  const batch = <T extends object>(items: T, what: string) =>
    ({ type: 'array', items, minItems: 1, maxItems: limits.maxBatch, description: `1 to ${limits.maxBatch} ${what}` }) as const;
  const k = (def: number) =>
    ({ type: 'integer', minimum: 1, maximum: limits.maxK, default: def, description: `how many results per query (1 to ${limits.maxK})` }) as const;
  const body = <P extends Record<string, object>>(properties: P, required: (keyof P & string)[]) =>
    ({ type: 'object', properties, required, additionalProperties: false }) as const;

  return {
    word: {
      querystring: { type: 'object', properties: { w: word }, required: ['w'], additionalProperties: false },
      response: {
        200: { type: 'object', properties: { word: { type: 'string' }, inVocabulary: { type: 'boolean' }, vector }, required: ['word', 'vector'] },
      },
    },
    words: {
      body: body({ words: batch(word, 'words') }, ['words']),
      response: {
        200: {
          type: 'object',
          properties: {
            vectors: {
              type: 'array',
              items: { type: 'object', properties: { word: { type: 'string' }, inVocabulary: { type: 'boolean' }, vector }, required: ['word', 'vector'] },
            },
          },
          required: ['vectors'],
        },
      },
    },
    sentences: {
      body: body({ texts: batch(text, 'texts') }, ['texts']),
      response: { 200: { type: 'object', properties: { vectors: { type: 'array', items: vector } }, required: ['vectors'] } },
    },
    nn: {
      body: body({ words: batch(word, 'query words'), k: k(DEFAULT_FASTTEXT.nnK) }, ['words']),
      response: {
        200: {
          type: 'object',
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: { word: { type: 'string' }, neighbors: { type: 'array', items: scoredWord } },
                required: ['word', 'neighbors'],
              },
            },
          },
          required: ['results'],
        },
      },
    },
    analogies: {
      body: body(
        {
          queries: batch(
            {
              type: 'array',
              items: word,
              minItems: 3,
              maxItems: 3,
              description: '[a, b, c]: the query is a - b + c, as `fasttext analogies` (king man woman)',
            },
            'queries',
          ),
          k: k(DEFAULT_FASTTEXT.analogiesK),
        },
        ['queries'],
      ),
      response: {
        200: {
          type: 'object',
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: { query: { type: 'array', items: { type: 'string' } }, neighbors: { type: 'array', items: scoredWord } },
                required: ['query', 'neighbors'],
              },
            },
          },
          required: ['results'],
        },
      },
    },
    vectorsPredict: {
      body: body(
        {
          texts: batch(text, 'texts'),
          k: k(DEFAULT_FASTTEXT.predictK),
          threshold: { type: 'number', minimum: 0, maximum: 1, default: DEFAULT_FASTTEXT.threshold, description: 'drop labels with probability below this' },
        },
        ['texts'],
      ),
      response: {
        200: {
          type: 'object',
          properties: {
            predictions: {
              type: 'array',
              description: 'one list per text, best label first',
              items: {
                type: 'array',
                items: { type: 'object', properties: { label: { type: 'string' }, prob: { type: 'number' } }, required: ['label', 'prob'] },
              },
            },
          },
          required: ['predictions'],
        },
      },
    },
    linearPredict: {
      body: body({ texts: batch(text, 'texts') }, ['texts']),
      response: {
        200: {
          type: 'object',
          properties: {
            predictions: {
              type: 'array',
              items: { type: 'object', properties: { label: { type: 'string' }, score: { type: 'number' } }, required: ['label', 'score'] },
            },
          },
          required: ['predictions'],
        },
      },
    },
    speakerDetect: {
      querystring: {
        type: 'object',
        properties: {
          threshold: {
            type: 'string',
            pattern: '^-?(0|1)(\\.\\d{1,6})?$',
            description: 'detection threshold (cosine, -1 to 1); the model default when absent',
          },
        },
        additionalProperties: false,
      },
      response: {
        200: {
          type: 'object',
          properties: {
            duration: { type: 'number', description: 'recording length, seconds' },
            threshold: { type: 'number', description: 'the threshold the segments were cut at' },
            segments: {
              type: 'array',
              items: {
                type: 'object',
                properties: { start: { type: 'number' }, end: { type: 'number' }, score: { type: 'number' } },
                required: ['start', 'end', 'score'],
              },
            },
          },
          required: ['segments'],
        },
      },
    },
  };
}

/** The schemas of one server. */
export type RouteSchemas = ReturnType<typeof buildSchemas>;
