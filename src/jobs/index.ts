/**
 * @module
 * leanml/jobs: the CLI's work spread over many machines as BullMQ jobs on Redis, one result
 * per input.
 */
export { JOB_KINDS, jobIdOf, resultStem, type JobCommand, type JobData, type JobKind, type JobOptions, type JobResult } from './job-data.js';
export { DEFAULT_QUEUE, metaKey, openQueue, QueueError, type OpenQueue } from './queue-connection.js';
export { DEFAULT_SUBMIT, readManifest, submitJobs, type SubmitSummary } from './submit-jobs.js';
export { DEFAULT_WORKER, startWorker, type RunningWorker, type WorkerOptions } from './run-worker.js';
export { DEFAULT_STATUS, queueStatus, statusLine, type FailedJob, type QueueStatus } from './queue-status.js';
export { archiveReport, type ArchiveSummary } from './archive-report.js';
export { checkRedisUrl, redactRedisUrl, QUEUE_URL_ENV } from './redis-url.js';
export { resultFiles } from './job-kinds.js';
export { writeAtomically, sweepTemporaries } from './atomic-output.js';
