/**
 * @module
 * Training from files, streamed: lines are parsed on bytes and learned one at a time, with
 * progressive validation (each example is predicted before it is learned), several passes,
 * an optional bounded shuffle buffer, continuing from an existing model, and bad lines
 * either stopping training with `file:line` or counted and skipped.
 */
import { availableParallelism } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { FormatError, LimitError, UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { forEachLine } from './byte-lines.js';
import { isBlankLine } from './blank-line.js';
import { checkFormat, detectFormat, INPUT_FORMATS, type InputFormat } from './detect-format.js';
import { RECORD } from './example-ring.js';
import { DEFAULT_FEATURES, validateFeatureConfig, type FeatureConfig } from './feature-encoder.js';
import { LinearModel } from './linear-model.js';
import { ParsePipeline } from './parse-pipeline.js';
import type { LearnerOptions } from './sgd-learner.js';
import { ShuffleBuffer } from './shuffle-buffer.js';

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
   * Read and parse a file on a worker thread while this thread learns (as Vowpal Wabbit's parser
   * thread does); hashed features from a file without a shuffle buffer only. The result is
   * identical either way. Default `auto`: on for files of 1 MiB or more when the machine has 2+
   * cores (on a quiet 2-core machine it is ~1.3x faster than one thread; on one whose cores are
   * busy with other jobs it can be slower — see the README — so `false` forces one thread).
   */
  parseThread?: boolean | 'auto';
}

/** Smallest file for which `parseThread: 'auto'` starts a worker (below it the start-up costs more than it saves). */
const PARSE_THREAD_MIN_BYTES = 1 << 20;

/** Progressive validation so far: every example predicted before it was learned. */
export interface ProgressReport {
  pass: number;
  /** Examples learned so far (all passes). */
  examples: number;
  /** Mean error rate and loss over all examples of the first pass so far (later passes: over the current pass). */
  error: number;
  loss: number;
  /** Error rate over the examples since the previous report. */
  windowError: number;
  windowExamples: number;
}

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

/** Trains (or continues training) a model on `input` (a path; `-` or undefined = stdin). */
export async function trainLinear(input: string | undefined, options: TrainOptions = {}): Promise<{ model: LinearModel; summary: TrainSummary }> {
  const t0 = performance.now();
  const name = input === undefined || input === '-' ? '<stdin>' : input;
  const passes = options.passes ?? 1;
  if (!Number.isInteger(passes) || passes < 1) throw new UsageError(`train: passes must be a positive integer, got ${passes}`);
  if (passes > 1 && name === '<stdin>') throw new UsageError('train: more than one pass needs an input file (stdin can be read only once)');
  const shuffle = options.shuffleBuffer ?? 0;
  if (!Number.isInteger(shuffle) || shuffle < 0) throw new UsageError(`train: shuffleBuffer must be a non-negative integer, got ${shuffle}`);
  const requested = checkFormat(options.format ?? 'auto', true);
  if (options.model && requested !== 'auto' && requested !== options.model.format) {
    throw new UsageError(`train: the model reads ${options.model.format} lines, but --format ${requested} was given`);
  }
  const labelPrefix = options.model?.settings.labelPrefix ?? options.labelPrefix ?? '__label__';
  let model = options.model ?? null;
  const rng = new Rng(options.seed ?? 1);
  const buffer = shuffle > 0 ? new ShuffleBuffer(shuffle, rng) : null;
  const reportEvery = options.reportEvery ?? 0;
  const onProgress = options.onProgress;

  let examples = 0;
  let skipped = 0;
  const skippedMessages: string[] = [];
  let pass = 1;
  // progressive validation accumulators (current pass) and the current window
  let pvN = 0;
  let pvErr = 0;
  let pvLoss = 0;
  let winN = 0;
  let winErr = 0;
  let nextReport = reportEvery > 0 ? reportEvery : 1;
  let firstPass = { n: 0, err: 0, loss: 0 };

  const bad = (lineNo: number, what: string): void => {
    const msg = `${name}:${lineNo}: ${what}`;
    if (!options.skipBad) throw new FormatError(msg);
    skipped++;
    if (skippedMessages.length < 10) skippedMessages.push(msg);
  };

  const learnLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
    const m = model!;
    const err = m.parseLine(buf, start, end);
    if (err !== null) return bad(lineNo, err);
    const line = m.parsed;
    if (line.labelStart < 0) return bad(lineNo, 'no label');
    if (line.labelEnd === line.labelStart) return bad(lineNo, 'empty label');
    account(m.learnParsed());
  };

  // progressive validation from the margins computed before the update
  const account = (y: number): void => {
    const m = model!;
    examples++;
    const L = m.learner;
    const pred = m.predictedIndex(L.margins);
    const K = L.vectors;
    let loss = 0;
    for (let k = 0; k < K; k++) {
      const target = K === 1 ? (y === m.positive ? 1 : -1) : k === y ? 1 : -1;
      const z = target * L.margins[k]!;
      loss += m.settings.learner.loss === 'hinge' ? Math.max(0, 1 - z) : z > 30 ? Math.exp(-z) : Math.log1p(Math.exp(-z));
    }
    const wrong = pred !== y ? 1 : 0;
    pvN++;
    pvErr += wrong;
    pvLoss += loss / K;
    winN++;
    winErr += wrong;
    if (onProgress && examples >= nextReport) {
      onProgress({ pass, examples, error: pvErr / pvN, loss: pvLoss / pvN, windowError: winErr / winN, windowExamples: winN });
      winN = 0;
      winErr = 0;
      nextReport = reportEvery > 0 ? nextReport + reportEvery : nextReport * 2;
    }
  };

  const onLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
    if (isBlankLine(buf, start, end)) return;
    if (model === null) {
      const format = requested === 'auto' ? detectFormat(buf.toString('utf8', start, end), labelPrefix) : requested;
      model = new LinearModel({ format, labelPrefix, features: options.features, learner: options.learner });
    }
    if (buffer) buffer.push(buf, start, end, lineNo, emitHeld);
    else learnLine(buf, start, end, lineNo);
  };
  const emitHeld = (bytes: Buffer, lineNo: number): void => learnLine(bytes, 0, bytes.length, lineNo);

  const endPass = (): void => {
    if (pass === 1) {
      firstPass = { n: pvN, err: pvErr, loss: pvLoss };
      if (examples === 0) throw new FormatError(skipped > 0 ? `${name}: no valid examples (${skipped} malformed lines skipped; first: ${skippedMessages[0]})` : `${name}: no examples (empty input)`);
    }
  };

  // hashed features from a file: the encoding depends on nothing learned, so a worker can do it
  const features: FeatureConfig = options.model?.settings.features ?? { ...DEFAULT_FEATURES, ...options.features };
  const threaded = name !== '<stdin>' && buffer === null && features.mode === 'hash' && (await wantParseThread(name, options.parseThread ?? 'auto'));
  if (threaded) {
    validateFeatureConfig(features);
    // open errors surface exactly as on the single-thread path
    await (await open(name, 'r')).close();
    const pipe = new ParsePipeline(name, { format: options.model?.format ?? requested, labelPrefix, features, passes });
    const r = pipe.reader;
    let idx = new Int32Array(256);
    let val = new Float32Array(256);
    try {
      pvN = pvErr = pvLoss = 0;
      while (pass <= passes) {
        if (!r.next(20)) {
          await pipe.idle();
          continue;
        }
        const kind = r.kind;
        if (kind === RECORD.EXAMPLE) {
          const m = model!;
          const y = m.labelIndex(r.bytes, r.labelAt, r.labelAt + r.labelLength, true);
          const n = r.a;
          if (n > idx.length) {
            idx = new Int32Array(n * 2);
            val = new Float32Array(n * 2);
          }
          const ri = r.i32;
          const rv = r.f32;
          const ia = r.idxAt;
          const va = r.valAt;
          for (let i = 0; i < n; i++) {
            idx[i] = ri[ia + i]!;
            val[i] = rv[va + i]!;
          }
          m.learnEncoded(idx, val, n, y, r.weight);
          account(y);
        } else if (kind === RECORD.TOKENS) {
          const m = model!;
          const y = m.labelIndex(r.bytes, r.labelAt, r.labelAt + r.labelLength, true);
          const enc = m.encoder;
          const n = enc.encodeTokenHashes(r.i32, r.idxAt, r.f32, r.valAt, r.a, r.scale);
          m.learnEncoded(enc.idx, enc.val, n, y, r.weight);
          account(y);
        } else if (kind === RECORD.BAD) {
          bad(r.lineNo, r.message());
        } else if (kind === RECORD.FORMAT) {
          model ??= new LinearModel({ format: INPUT_FORMATS[r.a]!, labelPrefix, features: options.features, learner: options.learner });
        } else if (kind === RECORD.PASS_END) {
          endPass();
          if (++pass <= passes) pvN = pvErr = pvLoss = 0;
        } else if (kind === RECORD.FAILED) {
          throw workerError(r.message());
        }
      }
      pass = passes;
    } finally {
      await pipe.close();
    }
  } else {
    for (; pass <= passes; pass++) {
      pvN = pvErr = pvLoss = 0;
      await forEachLine(input, onLine);
      buffer?.flush(emitHeld);
      endPass();
    }
    pass = passes;
  }
  if (onProgress && winN > 0) onProgress({ pass: passes, examples, error: pvErr / pvN, loss: pvLoss / pvN, windowError: winErr / winN, windowExamples: winN });
  const m = model!;
  return {
    model: m,
    summary: {
      examples,
      passes,
      skipped,
      skippedMessages,
      progressiveError: firstPass.err / firstPass.n,
      progressiveLoss: firstPass.loss / firstPass.n,
      labels: [...m.labels],
      slots: m.encoder.slots,
      droppedFeatures: m.encoder.dropped,
      parseThread: threaded,
      seconds: (performance.now() - t0) / 1000,
    },
  };
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

/** The worker's error, sent as JSON {name, message}, as the same error class. */
function workerError(json: string): Error {
  const { name, message } = JSON.parse(json) as { name: string; message: string };
  if (name === 'FormatError') return new FormatError(message);
  if (name === 'UsageError') return new UsageError(message);
  if (name === 'LimitError') return new LimitError(message);
  return new Error(message);
}
