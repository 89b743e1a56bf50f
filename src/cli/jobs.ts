/**
 * @module
 * `leanml jobs submit|status|wait|retry|report`: the CLI's work as BullMQ jobs on Redis (one
 * job per input); the queue plumbing lives in `jobs/`, workers are `leanml worker`.
 */
import { Option, type Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_AUDIO, DEFAULT_MEL } from '../audio/audio-defaults.js';
import { UsageError } from '../core/errors.js';
import { DEFAULT_FASTTEXT } from '../fasttext/fasttext-defaults.js';
import {
  archiveReport,
  DEFAULT_QUEUE,
  DEFAULT_STATUS,
  QueueError,
  DEFAULT_SUBMIT,
  openQueue,
  QUEUE_URL_ENV,
  queueStatus,
  readManifest,
  statusLine,
  submitJobs,
  type JobCommand,
  type JobOptions,
  type OpenQueue,
  type QueueStatus,
} from '../jobs/index.js';
import { addGroup } from './group.js';
import { floatArg, intArg } from './options.js';

/** Options every `jobs` command takes. */
interface QueueFlags {
  queue?: string;
  name: string;
  connectTimeout: number;
}

/** Adds `--queue`, `--name` and `--connect-timeout` to a command. */
export function queueOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--queue <url>', `Redis URL: redis://HOST:6379, rediss://:PASSWORD@HOST:6380 (TLS); default: $${QUEUE_URL_ENV}`).env(QUEUE_URL_ENV))
    .option('--name <name>', 'queue name within that Redis', DEFAULT_QUEUE.name)
    .option('--connect-timeout <ms>', 'give up reaching Redis after this long', intArg(100, 600_000), DEFAULT_QUEUE.connectTimeoutMs);
}

/** Opens the queue the flags name. */
export async function openFromFlags(f: QueueFlags, create = false): Promise<OpenQueue> {
  if (!f.queue) throw new UsageError(`no queue: give --queue redis://HOST:PORT or set ${QUEUE_URL_ENV}`);
  return openQueue(f.queue, { name: f.name, create, connectTimeoutMs: f.connectTimeout });
}

async function withQueue<T>(f: QueueFlags, create: boolean, work: (q: OpenQueue) => Promise<T>): Promise<T> {
  const q = await openFromFlags(f, create);
  try {
    return await work(q);
  } finally {
    await q.close();
  }
}

interface SubmitFlags extends QueueFlags {
  out?: string;
  manifest?: string;
  attempts: number;
  backoffMs: number;
}

function printStatus(s: QueueStatus, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  const lines = [`queue ${s.queue}`, statusLine(s)];
  if (s.failed.length > 0) {
    lines.push('failed:');
    for (const f of s.failed) lines.push(`  ${f.input} (${f.kind}, job ${f.id}, ${f.tries} tries): ${f.error}`);
    if (s.failedNotListed > 0) lines.push(`  ... and ${s.failedNotListed} more (jobs status --json --failed N)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Defaults of `leanml jobs wait`. */
export const DEFAULT_WAIT: Readonly<{ intervalSeconds: number }> = Object.freeze({ intervalSeconds: 2 });

export function registerJobs(program: Command): void {
  const jobs = addGroup(program, 'jobs', "run the CLI's work over many files as jobs on a Redis queue, taken by `leanml worker` on any number of machines");

  const submit = queueOptions(jobs.command('submit'))
    .description(
      'one job per input file (identified by path, size and mtime: submitting again adds nothing); then: speaker detect | audio mel | linear predict | fasttext predict | fasttext vectors',
    )
    .option('--out <dir>', 'directory the workers write results to (on storage every worker sees)')
    .option('--manifest <file>', 'read input paths from FILE, one per line (relative to FILE)')
    .option('--attempts <n>', 'tries per job before it is marked failed', intArg(1, 100), DEFAULT_SUBMIT.attempts)
    .option('--backoff-ms <ms>', 'delay before the first retry, doubled at each further one', intArg(0, 86_400_000), DEFAULT_SUBMIT.backoffMs);
  submit.action(() => submit.help({ error: true }));

  const leaf = (cmd: Command, build: (args: unknown[], o: Record<string, unknown>) => JobCommand) =>
    cmd.argument('[paths...]', 'input files').action(async (...args: unknown[]) => {
      const self = args.at(-1) as Command;
      const f = self.optsWithGlobals<SubmitFlags & Record<string, unknown>>();
      const paths = (args.at(-3) as string[] | undefined) ?? [];
      if (!f.out) throw new UsageError('jobs submit: --out DIR is required (where the workers write results)');
      const inputs = [...paths, ...(f.manifest ? readManifest(f.manifest) : [])];
      const jc = build(args.slice(0, -3), f);
      const summary = await withQueue(f, true, (q) => submitJobs(q, jc, inputs, f.out!, { attempts: f.attempts, backoffMs: f.backoffMs }));
      process.stdout.write(`${JSON.stringify({ kind: jc.kind, out: resolve(f.out), ...summary })}\n`);
    });

  const sp = submit.command('speaker').description('speaker jobs');
  leaf(
    sp
      .command('detect')
      .description("time markers of the model's voice in each file (JSON + HTML timeline report per file)")
      .requiredOption('--model <dir>', 'model directory from `leanml speaker train`')
      .option('--threshold <x>', "decision threshold (default: the model's)", floatArg(-2, 2)),
    (_a, o) => ({ kind: 'speaker-detect', model: resolve(o.model as string), options: pick(o, ['threshold']) }),
  );
  const au = submit.command('audio').description('audio jobs');
  leaf(
    au
      .command('mel')
      .description('log-mel spectrogram of each file as float32 .npy (n_mels, frames)')
      .option('--sample-rate <hz>', 'resample to this rate first', intArg(1), DEFAULT_AUDIO.sampleRate)
      .option('--n-fft <n>', 'FFT size', intArg(1), DEFAULT_AUDIO.nFft)
      .option('--hop-length <n>', 'samples between frames', intArg(1), DEFAULT_AUDIO.hopLength)
      .option('--n-mels <n>', 'mel bins', intArg(1), DEFAULT_AUDIO.nMels)
      .addOption(new Option('--log <kind>', 'log compression').choices(['none', 'db', 'ln']).default(DEFAULT_MEL.log)),
    (_a, o) => ({ kind: 'audio-mel', options: pick(o, ['sampleRate', 'nFft', 'hopLength', 'nMels', 'log']) }),
  );
  const li = submit.command('linear').description('linear-model jobs');
  leaf(
    li
      .command('predict')
      .description('label<TAB>score per line of each file')
      .requiredOption('--model <m>', 'model file')
      .option('--skip-bad', 'skip malformed lines instead of failing the job', false),
    (_a, o) => ({ kind: 'linear-predict', model: resolve(o.model as string), options: pick(o, ['skipBad']) }),
  );
  const ft = submit.command('fasttext').description('fastText jobs');
  leaf(
    ft
      .command('predict')
      .description('the k most probable labels of each line of each file, as `fasttext predict-prob`')
      .requiredOption('--model <m>', 'supervised .bin, .ftz or store')
      .option('-k, --k <n>', 'labels per line', intArg(-1, 1_000_000), DEFAULT_FASTTEXT.predictK)
      .option('-t, --threshold <p>', 'minimum probability', floatArg(0, 1), DEFAULT_FASTTEXT.threshold),
    (_a, o) => ({ kind: 'fasttext-predict', model: resolve(o.model as string), options: pick(o, ['k', 'threshold']) }),
  );
  leaf(
    ft
      .command('vectors')
      .description('word vectors of the words of each file, as `fasttext print-word-vectors`')
      .requiredOption('--model <m>', '.bin, .ftz or store'),
    (_a, o) => ({ kind: 'fasttext-vectors', model: resolve(o.model as string), options: {} }),
  );

  queueOptions(jobs.command('status'))
    .description('job counts, throughput, ETA, and failed jobs with their errors')
    .option('--json', 'print JSON')
    .option('--failed <n>', 'failed jobs to list', intArg(0, 100_000), DEFAULT_STATUS.failedLimit)
    .action(async (o: QueueFlags & { json?: boolean; failed: number }) => {
      const s = await withQueue(o, false, (q) => queueStatus(q, { failedLimit: o.failed }));
      printStatus(s, o.json === true);
    });

  queueOptions(jobs.command('wait'))
    .description('wait until no job is waiting or running, printing progress on stderr; exit 1 if any job failed')
    .option('--interval <s>', 'seconds between progress lines', floatArg(0.05, 3600), DEFAULT_WAIT.intervalSeconds)
    .option('--timeout <s>', 'give up after this long (exit 1)', floatArg(0))
    .option('--json', 'print the final status as JSON')
    .action(async (o: QueueFlags & { interval: number; timeout?: number; json?: boolean }) => {
      const s = await withQueue(o, false, async (q) => {
        const t0 = Date.now();
        for (;;) {
          const st = await queueStatus(q);
          if (st.pending === 0) return st;
          process.stderr.write(`jobs: ${statusLine(st)}\n`);
          if (o.timeout !== undefined && Date.now() - t0 > o.timeout * 1000) {
            printStatus(st, o.json === true);
            throw new UsageError(`jobs wait: ${st.pending} jobs still pending after ${o.timeout} s`);
          }
          await new Promise((r) => setTimeout(r, o.interval * 1000));
        }
      });
      printStatus(s, o.json === true);
      if (s.counts.failed > 0) throw new QueueError(`jobs wait: ${s.counts.failed} of ${s.counts.total} jobs failed (listed above; fix and run jobs retry)`);
    });

  queueOptions(jobs.command('retry'))
    .description('queue every failed job again (after fixing what made it fail)')
    .action(async (o: QueueFlags) => {
      const n = await withQueue(o, false, async (q) => {
        const failed = await q.queue.getJobCountByTypes('failed');
        if (failed > 0) await q.queue.retryJobs({ state: 'failed', count: 1000 });
        return failed;
      });
      process.stdout.write(`${JSON.stringify({ retried: n })}\n`);
    });

  queueOptions(jobs.command('report'))
    .description(
      "one result over all files: archive.jsonl, and for speaker detection archive.rttm, archive.csv and index.html linking each file's timeline report",
    )
    .requiredOption('--out <dir>', 'directory to write the archive files to')
    .action(async (o: QueueFlags & { out: string }) => {
      mkdirSync(o.out, { recursive: true });
      const r = await withQueue(o, false, (q) => archiveReport(q, o.out));
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    });
}

function pick(o: Record<string, unknown>, keys: string[]): JobOptions {
  const out: JobOptions = {};
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
