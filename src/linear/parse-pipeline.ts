/**
 * @module
 * The learning thread's handle on a parse worker: starts `parse-worker` on a file with a
 * fresh shared ring, reports the worker's death (crash or exit before its last record) as an
 * error instead of waiting forever, and stops it early when training stops.
 */
import { Worker } from 'node:worker_threads';
import type { FeatureConfig } from './feature-encoder.js';
import type { InputFormat } from './detect-format.js';
import { createRing, RingReader } from './example-ring.js';
import type { LookupParts } from './feature-lookup.js';
import type { ParseWorkerData, ParseWorkerResult } from './parse-worker.js';

/** The worker script: the .ts source under tsx (tests, `npm run`), the .js next to us once compiled. */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

/**
 * The worker allocates little on its heap (lines are parsed in place into reused typed
 * arrays): a small young generation keeps its memory down (the default lets it grow to tens
 * of MiB of garbage before collecting).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2 };

/** A running parse worker and the reader of its ring. */
export class ParsePipeline {
  readonly reader: RingReader;
  private readonly worker: Worker;
  private failure: Error | null = null;
  private exited = false;
  private result: ParseWorkerResult | null = null;

  constructor(
    path: string,
    options: { format: InputFormat | 'auto'; labelPrefix: string; features: FeatureConfig; lookup: LookupParts | null; passes: number; ringWords?: number },
  ) {
    const ring = createRing(options.ringWords);
    this.reader = new RingReader(ring);
    const data: ParseWorkerData = {
      ring,
      path,
      format: options.format,
      labelPrefix: options.labelPrefix,
      features: options.features,
      lookup: options.lookup,
      passes: options.passes,
    };
    // the worker inherits our loader flags (tsx when running from source) but is no test file itself
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
    // from source (tsx), the worker registers tsx's loader itself before importing the .ts entry:
    // Node 20 does not carry the loader hooks of --import over to worker threads
    this.worker = WORKER_URL.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(WORKER_URL.href)}));`, {
          eval: true,
          workerData: data,
          execArgv,
        })
      : new Worker(WORKER_URL, { workerData: data, execArgv, resourceLimits: WORKER_LIMITS });
    this.worker.on('error', (err) => {
      this.failure = err instanceof Error ? err : new Error(String(err));
    });
    this.worker.on('exit', () => {
      this.exited = true;
    });
    this.worker.on('message', (m: ParseWorkerResult) => {
      this.result = m;
    });
  }

  /** What the worker posted after its last pass (the lookup): waits for it, or throws when the worker stopped without. */
  async finished(): Promise<ParseWorkerResult> {
    while (this.result === null) {
      if (this.failure) throw new Error(`parse worker failed: ${this.failure.message}`, { cause: this.failure });
      if (this.exited) throw new Error('parse worker stopped before sending its result');
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
    return this.result;
  }

  /**
   * Called when the ring was empty: lets worker events arrive, and throws when the worker
   * failed or exited without sending more (everything it published has been read by then).
   */
  async idle(): Promise<void> {
    if (this.failure) throw new Error(`parse worker failed: ${this.failure.message}`, { cause: this.failure });
    if (this.exited) throw new Error('parse worker stopped before the end of the input');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Stops the worker (at the end, or early after an error) and waits for it. */
  async close(): Promise<void> {
    this.reader.cancel();
    if (!this.exited) await this.worker.terminate();
  }
}
