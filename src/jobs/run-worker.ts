/**
 * @module
 * `startWorker`: takes jobs from a queue and runs them (see `runJobKind`). Retries and
 * recovery are BullMQ's: a failed try is retried with exponential backoff up to the job's
 * attempts; a job whose worker stops renewing its lock (killed, machine lost) is found by the
 * stalled-job check of any live worker and run again. Results are written by rename, and an
 * input whose results are already complete is not recomputed, so a job run twice still ends
 * with exactly one copy of each result file.
 */
import { existsSync, mkdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { VERSION } from '../version.js';
import { sweepTemporaries } from './atomic-output.js';
import type { JobData, JobResult } from './job-data.js';
import { ModelCache, resultFiles, runJobKind } from './job-kinds.js';
import { openQueue, type OpenQueue } from './queue-connection.js';

/** Worker settings; printed by `--help`. */
export const DEFAULT_WORKER = Object.freeze({
  /** Jobs run at once by one worker process (the work is CPU-bound: more processes, not more concurrency, use more cores). */
  concurrency: 1,
  /** How long a job's lock lasts without renewal, ms; a dead worker's job is taken again after about this long. */
  lockMs: 30_000,
  /** How often a job may be found stalled (its worker dead) and restarted before it is failed. */
  maxStalled: 2,
});

/** Options of `startWorker`. */
export interface WorkerOptions {
  name?: string;
  concurrency?: number;
  lockMs?: number;
  connectTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** A running worker. */
export interface RunningWorker {
  worker: Worker;
  queue: OpenQueue;
  /** Stops taking jobs, lets the running ones finish, frees the models. */
  close(): Promise<void>;
}

/** Connects to the queue at `url` and starts taking jobs. */
export async function startWorker(url: string, opts: WorkerOptions = {}): Promise<RunningWorker> {
  const q = await openQueue(url, { name: opts.name, connectTimeoutMs: opts.connectTimeoutMs });
  const log = opts.log ?? (() => {});
  const host = hostname();
  const models = new ModelCache();
  const swept = new Set<string>();
  const lockMs = opts.lockMs ?? DEFAULT_WORKER.lockMs;

  const processor = async (job: Job<JobData, JobResult>): Promise<JobResult> => {
    const data = job.data;
    const id = job.id!;
    if (data.version !== VERSION) throw new UnrecoverableError(`job ${id} was submitted by leanml ${data.version}; this worker is leanml ${VERSION}`);
    let st: Stats;
    try {
      st = statSync(data.input);
    } catch {
      // retried: another worker, on a machine that sees the file, may take the next try
      throw new Error(
        `input ${data.input} not found on ${host} (submitted from ${data.submittedFrom}); every worker must see the inputs at the same path (shared storage)`,
      );
    }
    if (st.size !== data.size || st.mtimeMs !== data.mtimeMs) {
      throw new UnrecoverableError(
        `input ${data.input} changed since it was submitted (size ${data.size} -> ${st.size} bytes, mtime ${new Date(data.mtimeMs).toISOString()} -> ${new Date(st.mtimeMs).toISOString()}); submit it again`,
      );
    }
    mkdirSync(data.out, { recursive: true });
    if (!swept.has(data.out)) {
      swept.add(data.out);
      sweepTemporaries(data.out);
    }
    const files = resultFiles(data, id);
    const t0 = performance.now();
    if (files.every((f) => existsSync(f))) {
      log(`worker: job ${id} ${data.input}: results already written, reusing them`);
      return { outputs: files, seconds: 0, host, reused: true, ...reusedDetails(data, files) };
    }
    log(`worker: job ${id} started: ${data.input}`);
    const r = await runJobKind(data, id, models);
    return { ...r, seconds: (performance.now() - t0) / 1000, host, reused: false };
  };

  log(`worker: ${process.pid} on ${host} taking jobs from '${q.name}' at ${q.where}`);
  const worker = new Worker<JobData, JobResult>(q.name, processor, {
    connection: q.connection,
    prefix: q.prefix,
    concurrency: opts.concurrency ?? DEFAULT_WORKER.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: DEFAULT_WORKER.maxStalled,
    autorun: true,
  });
  worker.on('error', (err) => log(`worker: queue connection problem at ${q.where}: ${err.message}`));
  worker.on('completed', (job, r) => log(`worker: job ${job.id} done in ${r.seconds.toFixed(2)} s: ${job.data.input}`));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const tries = job.opts.attempts ?? 1;
    const final = job.attemptsMade >= tries || err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
    log(`worker: job ${job.id} ${job.data.input} failed (try ${job.attemptsMade} of ${tries}${final ? ', giving up' : ', will retry'}): ${err.message}`);
  });
  worker.on('stalled', (jobId) => log(`worker: job ${jobId} stalled (its worker stopped renewing the lock); it is queued again`));
  await worker.waitUntilReady();

  return {
    worker,
    queue: q,
    async close() {
      await worker.close();
      await q.close();
      await models.close();
    },
  };
}

/** The speaker figures of a result that is already on disk. */
function reusedDetails(data: JobData, files: string[]): Partial<JobResult> {
  if (data.kind !== 'speaker-detect') return {};
  try {
    const d = JSON.parse(readFileSync(files[0]!, 'utf8')) as { duration: number; segments: { start: number; end: number }[] };
    return { duration: d.duration, segments: d.segments.length, speaking: d.segments.reduce((s, x) => s + x.end - x.start, 0) };
  } catch {
    return {};
  }
}
