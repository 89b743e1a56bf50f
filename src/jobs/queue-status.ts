/**
 * @module
 * `queueStatus`: where a queue stands — job counts by state, recent throughput (from the
 * finish times of the last completed jobs), the time left at that rate, and the failed jobs
 * with their error messages.
 */
import type { Job } from 'bullmq';
import type { JobData, JobResult } from './job-data.js';
import type { OpenQueue } from './queue-connection.js';

/** Completed jobs the throughput is measured over. */
const RATE_WINDOW = 200;

/** A failed job as `jobs status` lists it. */
export interface FailedJob {
  id: string;
  input: string;
  kind: string;
  tries: number;
  error: string;
  /** When it last failed, ISO time. */
  at: string | null;
}

/** The state of a queue. */
export interface QueueStatus {
  queue: string;
  counts: { waiting: number; active: number; delayed: number; completed: number; failed: number; total: number };
  /** Jobs not finished yet (waiting, delayed, active). */
  pending: number;
  /** Jobs finished per second over the last completed ones; null before two have finished. */
  jobsPerSecond: number | null;
  /** Seconds until the pending jobs are done at that rate; null when unknown. */
  etaSeconds: number | null;
  /** Audio seconds processed per wall second over the same jobs (speaker detection only). */
  audioSecondsPerSecond: number | null;
  failed: FailedJob[];
  /** Failed jobs not listed (more than `failedLimit`). */
  failedNotListed: number;
}

/** Defaults of `queueStatus` (and of `leanml jobs status`). */
export const DEFAULT_STATUS: Readonly<{ failedLimit: number }> = Object.freeze({
  /** Failed jobs listed with their errors. */
  failedLimit: 20,
});

/** Reads the state of `q`, listing at most `failedLimit` failed jobs. */
export async function queueStatus(q: OpenQueue, opts: { failedLimit?: number } = {}): Promise<QueueStatus> {
  const c = await q.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  const waiting = (c.waiting ?? 0) + (c.prioritized ?? 0);
  const counts = { waiting, active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, total: 0 };
  counts.total = counts.waiting + counts.active + counts.delayed + counts.completed + counts.failed;
  const pending = counts.waiting + counts.active + counts.delayed;

  const recent = (await q.queue.getJobs(['completed'], 0, RATE_WINDOW - 1, false)) as Job<JobData, JobResult>[];
  const done = recent.filter((j) => j?.finishedOn && !j.returnvalue?.reused);
  let jobsPerSecond: number | null = null;
  let audioSecondsPerSecond: number | null = null;
  if (done.length >= 2) {
    const times = done.map((j) => j.finishedOn!);
    // from the first of these jobs' start to the last one's finish
    const first = Math.min(...done.map((j) => j.processedOn ?? j.finishedOn!));
    const span = (Math.max(...times) - first) / 1000;
    if (span > 0) {
      jobsPerSecond = done.length / span;
      const audio = done.reduce((s, j) => s + (j.returnvalue?.duration ?? 0), 0);
      if (audio > 0) audioSecondsPerSecond = audio / span;
    }
  }
  const limit = opts.failedLimit ?? DEFAULT_STATUS.failedLimit;
  const failedJobs = (await q.queue.getJobs(['failed'], 0, limit - 1, true)) as Job<JobData, JobResult>[];
  const failed = failedJobs.filter(Boolean).map((j) => ({
    id: j.id!,
    input: j.data.input,
    kind: j.data.kind,
    tries: j.attemptsMade,
    error: j.failedReason ?? '(no message)',
    at: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
  }));
  return {
    queue: `${q.name} at ${q.where}`,
    counts,
    pending,
    jobsPerSecond,
    etaSeconds: jobsPerSecond && pending > 0 ? pending / jobsPerSecond : pending === 0 ? 0 : null,
    audioSecondsPerSecond,
    failed,
    failedNotListed: Math.max(0, counts.failed - failed.length),
  };
}

/** One line for a terminal: `12/20 done, 1 failed, 2 active, 5 waiting, 3.10 jobs/s, ETA 2 s`. */
export function statusLine(s: QueueStatus): string {
  const { counts: c } = s;
  const rate = s.jobsPerSecond === null ? 'rate unknown' : `${s.jobsPerSecond.toFixed(2)} jobs/s`;
  const eta = s.etaSeconds === null ? 'ETA unknown' : `ETA ${formatSeconds(s.etaSeconds)}`;
  const audio = s.audioSecondsPerSecond === null ? '' : `, ${s.audioSecondsPerSecond.toFixed(0)}x real time`;
  return `${c.completed}/${c.total} done, ${c.failed} failed, ${c.active} active, ${c.waiting + c.delayed} waiting, ${rate}${audio}, ${eta}`;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
