/**
 * @module
 * Training from files, streamed: lines are parsed on bytes and learned one at a time, with
 * progressive validation (each example is predicted before it is learned), several passes,
 * an optional bounded shuffle buffer, continuing from an existing model, and bad lines
 * either stopping training with `file:line` or counted and skipped. Files are read, parsed
 * and looked up on a worker thread while this thread learns, when that pays.
 */
import { availableParallelism } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { FormatError, UsageError } from '../core/errors.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';
import { Rng } from '../core/rng.js';
import { isBlankLine } from './blank-line.js';
import { forEachLine } from './byte-lines.js';
import { checkFormat, detectFormat, INPUT_FORMATS, type InputFormat } from './detect-format.js';
import { RECORD, type RingReader } from './example-ring.js';
import { DEFAULT_FEATURES, validateFeatureConfig, type FeatureConfig } from './feature-encoder.js';
import { LinearModel } from './linear-model.js';
import { ParsePipeline } from './parse-pipeline.js';
import type { ParseWorkerResult } from './parse-worker.js';
import { ProgressiveValidation, type ProgressReport } from './progressive-validation.js';
import type { LearnerOptions } from './sgd-learner.js';
import { ShuffleBuffer } from './shuffle-buffer.js';
import { errorFromWorker } from './worker-error.js';

export type { ProgressReport } from './progressive-validation.js';

/** Defaults of `trainLinear` (features and learner: `DEFAULT_FEATURES`, `DEFAULT_LEARNER`). */
export const DEFAULT_TRAIN = Object.freeze({
  format: 'auto' as InputFormat | 'auto',
  labelPrefix: DEFAULT_LABEL_PREFIX,
  passes: 1,
  shuffleBuffer: 0,
  seed: 1,
  skipBad: false,
  parseThread: 'auto' as boolean | 'auto',
});

export interface TrainOptions {
  /** Input format; `auto` (default) guesses from the first line. */
  format?: InputFormat | 'auto';
  /** Label prefix of fastText lines (default `__label__`). */
  labelPrefix?: string;
  /** Feature settings (lookup/hash, bits, n-grams, interactions, bias). Ignored when continuing a model. */
  features?: Partial<FeatureConfig>;
  /** Learning settings. Ignored when continuing a model. */
  learner?: Partial<LearnerOptions>;
  /** Passes over the input (default 1; more than one needs a file, not stdin). */
  passes?: number;
  /** Lines held by the shuffle buffer (default 0 = keep the input order). */
  shuffleBuffer?: number;
  /** Seed of the shuffle buffer (default 1). */
  seed?: number;
  /** Count and skip malformed lines instead of stopping (default false). */
  skipBad?: boolean;
  /** Continue training this model (its settings and state are kept). */
  model?: LinearModel;
  /** Report progressive validation every this many examples (default: at 1, 2, 4, 8, ... examples). */
  reportEvery?: number;
  /** Called with each progressive-validation report. */
  onProgress?: (report: ProgressReport) => void;
  /**
   * Read, parse and look up (or hash) a file's features on a worker thread while this thread
   * learns (as Vowpal Wabbit's parser thread does); files without a shuffle buffer only. The
   * result is identical either way. Default `auto`: on for files of 1 MiB or more when the
   * machine has 2+ cores; `false` forces one thread.
   */
  parseThread?: boolean | 'auto';
}

/** Smallest file for which `parseThread: 'auto'` starts a worker (below it the start-up costs more than it saves). */
const PARSE_THREAD_MIN_BYTES = 1 << 20;

export interface TrainSummary {
  /** Examples learned (all passes). */
  examples: number;
  passes: number;
  /** Malformed lines skipped (with `skipBad`), and the first few messages. */
  skipped: number;
  skippedMessages: string[];
  /** Progressive validation over the first pass. */
  progressiveError: number;
  progressiveLoss: number;
  labels: string[];
  /** Weight slots in use (lookup: distinct features + bias; hash: 2^bits). */
  slots: number;
  /** Lookup mode: new features ignored because the feature limit was reached. */
  droppedFeatures: number;
  /** Whether lines were read and parsed on a worker thread. */
  parseThread: boolean;
  seconds: number;
}

/** Validated options and the state shared by both training paths. */
interface Run {
  input: string | undefined;
  /** The input's name in messages (`<stdin>` for stdin). */
  name: string;
  passes: number;
  format: InputFormat | 'auto';
  labelPrefix: string;
  features: FeatureConfig;
  options: TrainOptions;
  model: LinearModel | null;
  pv: ProgressiveValidation;
  skipped: number;
  skippedMessages: string[];
}

/** Trains (or continues training) a model on `input` (a path; `-` or undefined = stdin). */
export async function trainLinear(input: string | undefined, options: TrainOptions = {}): Promise<{ model: LinearModel; summary: TrainSummary }> {
  const t0 = performance.now();
  const run = prepare(input, options);
  const shuffle = options.shuffleBuffer ?? DEFAULT_TRAIN.shuffleBuffer;
  const threaded = run.name !== '<stdin>' && shuffle === 0 && (await wantParseThread(run.name, options.parseThread ?? DEFAULT_TRAIN.parseThread));
  if (threaded) await trainWithParseThread(run);
  else await trainOnThisThread(run, shuffle);
  run.pv.finish();
  const m = run.model!;
  return {
    model: m,
    summary: {
      examples: run.pv.examples,
      passes: run.passes,
      skipped: run.skipped,
      skippedMessages: run.skippedMessages,
      progressiveError: run.pv.firstPass.error,
      progressiveLoss: run.pv.firstPass.loss,
      labels: [...m.labels],
      slots: m.encoder.slots,
      droppedFeatures: m.encoder.dropped,
      parseThread: threaded,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}

/** Checks the options and sets up what both paths share. */
function prepare(input: string | undefined, options: TrainOptions): Run {
  const name = input === undefined || input === '-' ? '<stdin>' : input;
  const passes = options.passes ?? DEFAULT_TRAIN.passes;
  if (!Number.isInteger(passes) || passes < 1) throw new UsageError(`train: passes must be a positive integer, got ${passes}`);
  if (passes > 1 && name === '<stdin>') throw new UsageError('train: more than one pass needs an input file (stdin can be read only once)');
  const shuffle = options.shuffleBuffer ?? DEFAULT_TRAIN.shuffleBuffer;
  if (!Number.isInteger(shuffle) || shuffle < 0) throw new UsageError(`train: shuffleBuffer must be a non-negative integer, got ${shuffle}`);
  const format = checkFormat(options.format ?? DEFAULT_TRAIN.format, true);
  if (options.model && format !== 'auto' && format !== options.model.format) {
    throw new UsageError(`train: the model reads ${options.model.format} lines, but --format ${format} was given`);
  }
  const features: FeatureConfig = options.model?.settings.features ?? { ...DEFAULT_FEATURES, ...options.features };
  validateFeatureConfig(features);
  return {
    input,
    name,
    passes,
    format: options.model?.format ?? format,
    labelPrefix: options.model?.settings.labelPrefix ?? options.labelPrefix ?? DEFAULT_TRAIN.labelPrefix,
    features,
    options,
    model: options.model ?? null,
    pv: new ProgressiveValidation(options.reportEvery ?? 0, options.onProgress),
    skipped: 0,
    skippedMessages: [],
  };
}

/** The model for `format` (created at the first line when not continuing one). */
function modelFor(run: Run, format: InputFormat): LinearModel {
  run.model ??= new LinearModel({ format, labelPrefix: run.labelPrefix, features: run.options.features, learner: run.options.learner });
  return run.model;
}

/** A malformed line: stops training with `file:line: what`, or is counted with `skipBad`. */
function bad(run: Run, lineNo: number, what: string): void {
  const msg = `${run.name}:${lineNo}: ${what}`;
  if (!run.options.skipBad) throw new FormatError(msg);
  run.skipped++;
  if (run.skippedMessages.length < 10) run.skippedMessages.push(msg);
}

/** After a pass: the first must have had examples. */
function endPass(run: Run): void {
  run.pv.endPass();
  if (run.pv.pass === 1 && run.pv.examples === 0) {
    throw new FormatError(
      run.skipped > 0
        ? `${run.name}: no valid examples (${run.skipped} malformed lines skipped; first: ${run.skippedMessages[0]})`
        : `${run.name}: no examples (empty input)`,
    );
  }
}

/** Reads, parses and learns on this thread (stdin, small files, the shuffle buffer, one core). */
async function trainOnThisThread(run: Run, shuffle: number): Promise<void> {
  const buffer = shuffle > 0 ? new ShuffleBuffer(shuffle, new Rng(run.options.seed ?? DEFAULT_TRAIN.seed)) : null;
  const learnLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
    const m = run.model!;
    const err = m.parseLine(buf, start, end);
    const line = m.parsed;
    if (err !== null) bad(run, lineNo, err);
    else if (line.labelStart < 0) bad(run, lineNo, 'no label');
    else if (line.labelEnd === line.labelStart) bad(run, lineNo, 'empty label');
    else run.pv.account(m, m.learnParsed());
  };
  const emitHeld = (bytes: Buffer, lineNo: number): void => learnLine(bytes, 0, bytes.length, lineNo);
  const onLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
    if (isBlankLine(buf, start, end)) return;
    if (run.model === null) modelFor(run, run.format === 'auto' ? detectFormat(buf.toString('utf8', start, end), run.labelPrefix) : run.format);
    if (buffer) buffer.push(buf, start, end, lineNo, emitHeld);
    else learnLine(buf, start, end, lineNo);
  };
  for (let pass = 1; pass <= run.passes; pass++) {
    run.pv.startPass(pass);
    await forEachLine(run.input, onLine);
    buffer?.flush(emitHeld);
    endPass(run);
  }
}

/** Learns on this thread from the records of a worker that reads, parses and looks features up. */
async function trainWithParseThread(run: Run): Promise<void> {
  // open errors surface exactly as on the single-thread path
  await (await open(run.name, 'r')).close();
  const lookup = run.model?.encoder.lookup;
  const pipe = new ParsePipeline(run.name, {
    format: run.format,
    labelPrefix: run.labelPrefix,
    features: run.features,
    lookup: lookup ? lookup.parts() : null,
    passes: run.passes,
  });
  const r = pipe.reader;
  const scratch = { idx: new Int32Array(256), val: new Float32Array(256) };
  let result: ParseWorkerResult;
  try {
    let pass = 1;
    run.pv.startPass(1);
    while (pass <= run.passes) {
      if (!r.next(20)) {
        await pipe.idle();
        continue;
      }
      const kind = r.kind;
      if (kind === RECORD.TOKENS || kind === RECORD.EXAMPLE) {
        learnRecord(run.model!, r, run.pv, scratch);
      } else if (kind === RECORD.BAD) {
        bad(run, r.lineNo, r.message());
      } else if (kind === RECORD.FORMAT) {
        modelFor(run, INPUT_FORMATS[r.a]!);
      } else if (kind === RECORD.PASS_END) {
        endPass(run);
        if (++pass <= run.passes) run.pv.startPass(pass);
      } else if (kind === RECORD.FAILED) {
        throw errorFromWorker(r.message());
      }
    }
    run.pv.pass = run.passes;
    result = await pipe.finished();
  } finally {
    await pipe.close();
  }
  // the worker is gone (its memory with it) before its lookup becomes the model's
  const m = modelFor(run, run.format as InputFormat);
  if (result.lookup) m.encoder.lookup!.assign(result.lookup);
  m.encoder.dropped += result.dropped;
}

/** Learns one TOKENS or EXAMPLE record (slots resolved by the worker). */
function learnRecord(m: LinearModel, r: RingReader, pv: ProgressiveValidation, scratch: { idx: Int32Array; val: Float32Array }): void {
  const y = m.labelIndex(r.bytes, r.labelAt, r.labelAt + r.labelLength, true);
  if (r.slots > m.learner.capacity) m.learner.ensureCapacity(r.slots);
  const n = r.a;
  if (r.kind === RECORD.TOKENS) {
    const enc = m.encoder;
    const ne = enc.encodeTokenSlots(r.i32, r.idxAt, r.f32, r.valAt, n, r.scale);
    m.learnEncoded(enc.idx, enc.val, ne, y, r.weight);
  } else {
    // the learner reads its arguments many times: copy them out of the shared ring once
    if (n > scratch.idx.length) {
      scratch.idx = new Int32Array(n * 2);
      scratch.val = new Float32Array(n * 2);
    }
    scratch.idx.set(r.i32.subarray(r.idxAt, r.idxAt + n));
    scratch.val.set(r.f32.subarray(r.valAt, r.valAt + n));
    m.learnEncoded(scratch.idx, scratch.val, n, y, r.weight);
  }
  pv.account(m, y);
}

/** Whether to parse `path` on a worker: forced either way, or `auto` (2+ cores and a file worth it). */
async function wantParseThread(path: string, setting: boolean | 'auto'): Promise<boolean> {
  if (setting !== 'auto') return setting;
  if (availableParallelism() < 2) return false;
  try {
    return (await stat(path)).size >= PARSE_THREAD_MIN_BYTES;
  } catch {
    return false; // the single-thread path reports the error
  }
}
