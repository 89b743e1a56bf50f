/**
 * @module
 * `leanml serve`: one HTTP service for all loaded models. Parses options, loads the models,
 * runs the server until SIGTERM/SIGINT; everything else lives in `server/`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.js';
import { createServer } from '../server/create-server.js';
import { loadModels, parseModelSpec, type ModelSpec } from '../server/load-models.js';
import { DEFAULT_LIMITS } from '../server/serve-limits.js';
import { serveUntilSignal } from '../server/start-server.js';
import { intArg } from './options.js';

const collect = (v: string, all: string[]) => [...all, v];
const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('one HTTP service for all loaded models (JSON API, OpenAPI at /openapi.json, try-it page at /)')
    .option('--port <N>', 'port to listen on (0: any free port)', intArg(0, 65535), 8080)
    .option('--host <HOST>', 'address to listen on (0.0.0.0 to accept other machines)', '127.0.0.1')
    .option('--vectors <NAME=PATH>', 'a fastText .bin/.ftz model or compact store (repeatable)', collect, [])
    .option('--linear <NAME=PATH>', 'a linear model file (repeatable)', collect, [])
    .option('--speaker <NAME=DIR>', 'a speaker model directory (repeatable)', collect, [])
    .option('--files <DIR>', 'serve the files of DIR under /files/ for HTTP range reads (compact stores for leanml/fasttext/web pages)')
    .option('--max-k <N>', 'largest k a request may ask for', intArg(1, 1_000_000), DEFAULT_LIMITS.maxK)
    .option('--max-batch <N>', 'most words/texts/queries in one request', intArg(1, 1_000_000), DEFAULT_LIMITS.maxBatch)
    .option('--body-limit <BYTES>', 'largest JSON body', intArg(1024, 1 << 30), DEFAULT_LIMITS.bodyLimit)
    .option('--audio-limit <BYTES>', 'largest audio upload', intArg(1024, 2 ** 32), DEFAULT_LIMITS.audioBodyLimit)
    .option('--max-concurrent <N>', 'heavy requests at once; more are refused with 503', intArg(1, 10_000), DEFAULT_LIMITS.maxConcurrent)
    .option('--log-level <LEVEL>', `request log on stderr: ${LOG_LEVELS.join(', ')}`, (v: string) => {
      if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`);
      return v;
    }, 'info')
    .action(async (o: { port: number; host: string; vectors: string[]; linear: string[]; speaker: string[]; maxK: number; maxBatch: number; bodyLimit: number; audioLimit: number; maxConcurrent: number; logLevel: (typeof LOG_LEVELS)[number]; files?: string }) => {
      const specs: ModelSpec[] = [...o.vectors.map((a) => parseModelSpec('vectors', a)), ...o.linear.map((a) => parseModelSpec('linear', a)), ...o.speaker.map((a) => parseModelSpec('speaker', a))];
      if (specs.length === 0 && !o.files) throw new UsageError('serve: nothing to serve; give at least one --vectors, --linear or --speaker NAME=PATH, or --files DIR');
      const files = o.files === undefined ? undefined : resolve(o.files);
      if (files !== undefined && !(existsSync(files) && statSync(files).isDirectory())) throw new UsageError(`serve: --files ${o.files} is not a directory`);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const registry = await loadModels(specs, { log });
      const app = await createServer(registry, {
        logLevel: o.logLevel,
        files,
        limits: { maxK: o.maxK, maxBatch: o.maxBatch, bodyLimit: o.bodyLimit, audioBodyLimit: o.audioLimit, maxConcurrent: o.maxConcurrent },
      });
      const { clean } = await serveUntilSignal(app, registry, { port: o.port, host: o.host, log, onListening: (url) => log(`serve: listening on ${url} (try ${url}/ in a browser, API at ${url}/openapi.json)`) });
      if (!clean) process.exitCode = 1;
    });
}
