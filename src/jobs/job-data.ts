/**
 * @module
 * What a job carries and how it is named. A job is one input file run through one command
 * with one set of options; its id is a hash of the command, the options, the model, and the
 * input's absolute path, size and modification time, so submitting the same set twice adds
 * nothing, while a changed file or a different option is new work.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** The commands a job can run (each mirrors one CLI command). */
export const JOB_KINDS = ['speaker-detect', 'audio-mel', 'linear-predict', 'fasttext-predict', 'fasttext-vectors'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Options of a job's command: plain values only (they travel as JSON and feed the id). */
export type JobOptions = Record<string, string | number | boolean>;

/** What one command over many inputs shares. */
export interface JobCommand {
  kind: JobKind;
  /** Absolute path of the model (file or directory), where the command takes one. */
  model?: string;
  options: JobOptions;
}

/** The data of one job, as stored in the queue. */
export interface JobData extends JobCommand {
  /** leanml version that submitted it. */
  version: string;
  /** Absolute path of the input, as every worker must see it (shared storage). */
  input: string;
  /** Input size and modification time at submission; a worker refuses a file that changed. */
  size: number;
  mtimeMs: number;
  /** Absolute directory the results go to. */
  out: string;
  /** Host that submitted it (for error messages about paths). */
  submittedFrom: string;
}

/** What a finished job returns (kept in the queue, read by `jobs report`). */
export interface JobResult {
  /** Result files written, absolute paths. */
  outputs: string[];
  /** Seconds the work took on the worker. */
  seconds: number;
  /** Host of the worker that did it. */
  host: string;
  /** true when the result was already on disk (an earlier run wrote it) and nothing was recomputed. */
  reused: boolean;
  /** Speaker detection only: recording length and speech found, seconds. */
  duration?: number;
  speaking?: number;
  segments?: number;
}

/** The job id: 32 hex digits of SHA-256 over the command and the input's identity. */
export function jobIdOf(cmd: JobCommand, input: string, size: number, mtimeMs: number): string {
  const opts = Object.keys(cmd.options)
    .sort()
    .map((k) => [k, cmd.options[k]]);
  return createHash('sha256')
    .update(JSON.stringify([cmd.kind, cmd.model ?? null, opts, input, size, mtimeMs]))
    .digest('hex')
    .slice(0, 32);
}

/** Stem of a job's result files: the input's name without extension, then 8 digits of the id (two inputs named alike stay apart). */
export function resultStem(input: string, id: string): string {
  return `${basename(input).replace(/\.[^.]*$/, '')}-${id.slice(0, 8)}`;
}
