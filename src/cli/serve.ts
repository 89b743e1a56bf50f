/**
 * @module
 * `leanml serve`: one HTTP service for all loaded models. Parses options, loads the models,
 * runs the server until SIGTERM/SIGINT; everything else lives in `server/`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { LeanmlError, UsageError } from '../core/errors.js';
import { isClusterWorker, runOnCores } from '../core/process-cluster.js';
import { API_KEY_ENV, checkApiKey, isLoopbackHost } from '../server/api-key.js';
import { createServer, DEFAULT_LOG_LEVEL } from '../server/create-server.js';
import { loadModels, parseModelSpec, type ModelSpec } from '../server/load-models.js';
import { DEFAULT_LIMITS } from '../server/serve-limits.js';
import { DEFAULT_LISTEN, serveUntilSignal } from '../server/start-server.js';
import { intArg } from './options.js';

const collect = (v: string, all: string[]) => [...all, v];
const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('one HTTP service for all loaded models (JSON API, OpenAPI at /openapi.json, try-it page at /)')
    .option('--port <N>', 'port to listen on (0: any free port)', intArg(0, 65535), DEFAULT_LISTEN.port)
    .option('--host <HOST>', 'address to listen on (0.0.0.0 to accept other machines)', DEFAULT_LISTEN.host)
    .option('--vectors <NAME=PATH>', 'a fastText .bin/.ftz model or compact store (repeatable)', collect, [])
    .option('--linear <NAME=PATH>', 'a linear model file (repeatable)', collect, [])
    .option('--speaker <NAME=DIR>', 'a speaker model directory (repeatable)', collect, [])
    .option('--files <DIR>', 'serve the files of DIR under /files/ for HTTP range reads (compact stores for leanml/fasttext/web pages)')
    .option('--max-k <N>', 'largest k a request may ask for', intArg(1, 1_000_000), DEFAULT_LIMITS.maxK)
    .option('--max-batch <N>', 'most words/texts/queries in one request', intArg(1, 1_000_000), DEFAULT_LIMITS.maxBatch)
    .option('--body-limit <BYTES>', 'largest JSON body', intArg(1024, 1 << 30), DEFAULT_LIMITS.bodyLimit)
    .option('--audio-limit <BYTES>', 'largest audio upload', intArg(1024, 2 ** 32), DEFAULT_LIMITS.audioBodyLimit)
    .option('--max-concurrent <N>', 'heavy requests at once; more are refused with 503', intArg(1, 10_000), DEFAULT_LIMITS.maxConcurrent)
    .option(
      '--workers <N>',
      'processes answering requests, each with its own copy of the models and its own --max-concurrent bound (default: one per core)',
      intArg(1, 1024),
      availableParallelism(),
    )
    .addOption(new Option('--api-key <KEY>', `require Authorization: Bearer KEY on every route but /health (default: $${API_KEY_ENV})`).env(API_KEY_ENV))
    .option('--insecure', 'allow listening on a non-loopback address without an API key')
    .option('--cors-origin <ORIGIN>', 'let browser pages from ORIGIN call the API (repeatable; default: no CORS)', collect, [])
    .option(
      '--log-level <LEVEL>',
      `request log on stderr: ${LOG_LEVELS.join(', ')}`,
      (v: string) => {
        if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`);
        return v;
      },
      DEFAULT_LOG_LEVEL,
    )
    .action(
      async (o: {
        port: number;
        host: string;
        vectors: string[];
        linear: string[];
        speaker: string[];
        maxK: number;
        maxBatch: number;
        bodyLimit: number;
        audioLimit: number;
        maxConcurrent: number;
        workers: number;
        apiKey?: string;
        insecure?: boolean;
        corsOrigin: string[];
        logLevel: (typeof LOG_LEVELS)[number];
        files?: string;
      }) => {
        const specs: ModelSpec[] = [
          ...o.vectors.map((a) => parseModelSpec('vectors', a)),
          ...o.linear.map((a) => parseModelSpec('linear', a)),
          ...o.speaker.map((a) => parseModelSpec('speaker', a)),
        ];
        if (specs.length === 0 && !o.files)
          throw new UsageError('serve: nothing to serve; give at least one --vectors, --linear or --speaker NAME=PATH, or --files DIR');
        const files = o.files === undefined ? undefined : resolve(o.files);
        if (files !== undefined && !(existsSync(files) && statSync(files).isDirectory())) throw new UsageError(`serve: --files ${o.files} is not a directory`);
        if (o.apiKey !== undefined) checkApiKey(o.apiKey);
        else if (!isLoopbackHost(o.host) && !o.insecure)
          throw new UsageError(
            `serve: refusing to listen on ${o.host} (reachable from other machines) without an API key: set $${API_KEY_ENV} or --api-key, or pass --insecure`,
          );
        const log = (line: string) => process.stderr.write(`${line}\n`);
        const many = o.workers > 1 || isClusterWorker();
        if (o.workers > 1 && !isClusterWorker()) {
          // load once here first: a bad model is one clear error (and exit code), not one per process
          await (await loadModels(specs, { log: () => {} })).closeAll();
        }
        const code = await runOnCores(
          o.workers,
          {
            label: 'serve',
            log,
            server: true,
            onAllListening: (a) =>
              log(
                `serve: listening on ${urlOf(o.host, a.port)} with ${o.workers} processes (try ${urlOf(o.host, a.port)}/ in a browser, API at ${urlOf(o.host, a.port)}/openapi.json)`,
              ),
          },
          async () => {
            const registry = await loadModels(specs, { log });
            const app = await createServer(registry, {
              logLevel: o.logLevel,
              files,
              apiKey: o.apiKey,
              corsOrigins: o.corsOrigin,
              limits: { maxK: o.maxK, maxBatch: o.maxBatch, bodyLimit: o.bodyLimit, audioBodyLimit: o.audioLimit, maxConcurrent: o.maxConcurrent },
            });
            // in a cluster the primary announces the address once every process listens
            const onListening = many ? undefined : (url: string) => log(`serve: listening on ${url} (try ${url}/ in a browser, API at ${url}/openapi.json)`);
            const { clean } = await serveUntilSignal(app, registry, {
              port: o.port,
              host: o.host,
              log,
              onListening,
              signals: isClusterWorker() ? ['SIGTERM'] : undefined,
            });
            return clean ? 0 : 1;
          },
        );
        if (code !== 0 && many && !isClusterWorker()) throw new LeanmlError('serve', 'serve: a server process failed (see the lines above)');
        if (code !== 0) process.exitCode = 1;
      },
    );
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
