/**
 * @module
 * `submitJobs`: one job per input, identified by content (see `jobIdOf`), added in batches.
 * Inputs are checked before anything is added: a missing or unreadable file stops the whole
 * submission with every bad path named, so a typo never leaves half a set queued.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { NotFoundError, UsageError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { jobIdOf, type JobCommand, type JobData } from './job-data.js';
import type { OpenQueue } from './queue-connection.js';

/** Retry settings of submitted jobs; printed by `--help`. */
export const DEFAULT_SUBMIT = Object.freeze({
  /** Tries per job before it is marked failed. */
  attempts: 3,
  /** First retry delay, ms; doubled at each further try. */
  backoffMs: 2000,
  /** Jobs added per round trip. */
  batch: 500,
});

/** What a submission did. */
export interface SubmitSummary {
  /** Inputs given. */
  inputs: number;
  /** Jobs added now. */
  added: number;
  /** Jobs that were already in the queue (pending, done or failed): nothing added for them. */
  existing: number;
}

/** Reads a manifest: one path per line; blank lines and lines starting with # are skipped. Relative paths are relative to the manifest. */
export function readManifest(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new NotFoundError(`--manifest: cannot read '${path}': ${(err as Error).message}`);
  }
  const dir = resolve(path, '..');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => resolve(dir, l));
}

/** Adds one job per input to the queue; inputs already queued (same id) are left alone. */
export async function submitJobs(
  q: OpenQueue,
  cmd: JobCommand,
  inputs: string[],
  out: string,
  opts: { attempts?: number; backoffMs?: number } = {},
): Promise<SubmitSummary> {
  if (inputs.length === 0) throw new UsageError('jobs submit: no inputs (give paths, or --manifest FILE)');
  const attempts = opts.attempts ?? DEFAULT_SUBMIT.attempts;
  const backoffMs = opts.backoffMs ?? DEFAULT_SUBMIT.backoffMs;
  const outDir = resolve(out);
  mkdirSync(outDir, { recursive: true });
  const host = hostname();

  const jobs: { id: string; data: JobData }[] = [];
  const bad: string[] = [];
  for (const p of inputs) {
    const input = resolve(p);
    try {
      const st = statSync(input);
      if (!st.isFile()) {
        bad.push(`${p}: not a file`);
        continue;
      }
      jobs.push({
        id: jobIdOf(cmd, input, st.size, st.mtimeMs),
        data: { ...cmd, version: VERSION, input, size: st.size, mtimeMs: st.mtimeMs, out: outDir, submittedFrom: host },
      });
    } catch (err) {
      bad.push(`${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
    }
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 10).join('; ');
    throw new NotFoundError(
      `jobs submit: ${bad.length} of ${inputs.length} inputs cannot be read on ${host}, nothing submitted: ${shown}${bad.length > 10 ? '; ...' : ''}`,
    );
  }

  // the same input twice in one submission is one job
  const unique = [...new Map(jobs.map((j) => [j.id, j])).values()];
  let added = 0;
  for (let i = 0; i < unique.length; i += DEFAULT_SUBMIT.batch) {
    const batch = unique.slice(i, i + DEFAULT_SUBMIT.batch);
    const pipe = q.client.pipeline();
    for (const j of batch) pipe.exists(q.queue.toKey(j.id));
    const seen = (await pipe.exec()) ?? [];
    const fresh = batch.filter((_, k) => seen[k]?.[1] === 0);
    if (fresh.length === 0) continue;
    await q.queue.addBulk(
      fresh.map((j) => ({
        name: cmd.kind,
        data: j.data,
        opts: { jobId: j.id, attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    added += fresh.length;
  }
  return { inputs: inputs.length, added, existing: inputs.length - added };
}
