/**
 * @module
 * The parse worker (a `worker_threads` entry): reads a training file, parses each line
 * (hashing keys while scanning), resolves its features to slots — hashing, or the exact lookup
 * that this thread owns while training runs — and writes the examples into the shared ring
 * that the learning thread reads: reading, parsing and lookups overlap with learning, as
 * Vowpal Wabbit's parser thread does. Bad lines are passed on as records (the learning thread
 * decides whether they stop training), so the result equals the single-thread path. At the
 * end the lookup is posted back to the learning thread for the model.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LimitError } from '../core/errors.js';
import { isBlankLine } from './blank-line.js';
import { forEachLine } from './byte-lines.js';
import { detectFormat, INPUT_FORMATS, parserFor, type InputFormat, type LineParser } from './detect-format.js';
import { RECORD, RingWriter } from './example-ring.js';
import { FeatureEncoder, type FeatureConfig } from './feature-encoder.js';
import { FeatureLookup, type LookupParts } from './feature-lookup.js';
import { ParsedLine } from './parsed-line.js';
import { errorToWorkerMessage } from './worker-error.js';

/** What the learning thread hands the worker. */
export interface ParseWorkerData {
  ring: SharedArrayBuffer;
  path: string;
  /** The format, or `auto` to detect it from the first non-blank line (sent back as a FORMAT record). */
  format: InputFormat | 'auto';
  labelPrefix: string;
  features: FeatureConfig;
  /** Lookup mode: the lookup to continue from (a model trained before), else a new one. */
  lookup: LookupParts | null;
  passes: number;
}

/** What the worker posts once every pass is written. */
export interface ParseWorkerResult {
  /** Lookup mode: the lookup after training. */
  lookup: LookupParts | null;
  /** Lookup mode: new features left out because the lookup was full. */
  dropped: number;
}

/** Thrown inside the line callback to stop reading when the learning thread cancelled. */
class Cancelled extends Error {}

async function main(data: ParseWorkerData): Promise<void> {
  const out = new RingWriter(data.ring);
  try {
    let lookup: FeatureLookup | undefined;
    if (data.lookup) {
      lookup = new FeatureLookup();
      lookup.assign(data.lookup);
    }
    const encoder = new FeatureEncoder(data.features, lookup);
    const line = new ParsedLine();
    let parse: LineParser | null = data.format === 'auto' ? null : parserFor(data.format, data.labelPrefix, data.features.mode);
    const onLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
      if (isBlankLine(buf, start, end)) return;
      if (parse === null) {
        const format = detectFormat(buf.toString('utf8', start, end), data.labelPrefix);
        parse = parserFor(format, data.labelPrefix, data.features.mode);
        if (!out.control(RECORD.FORMAT, INPUT_FORMATS.indexOf(format))) throw new Cancelled();
      }
      if (!writeLine(out, encoder, parse, line, buf, start, end, lineNo, data.path)) throw new Cancelled();
    };
    for (let pass = 1; pass <= data.passes; pass++) {
      const lines = await forEachLine(data.path, onLine);
      if (!out.control(RECORD.PASS_END, lines)) return;
      out.flush();
    }
    // the lookup's own arrays go over without a copy (this thread ends here)
    const parts = encoder.lookup?.release() ?? null;
    const result: ParseWorkerResult = { lookup: parts, dropped: encoder.dropped };
    parentPort!.postMessage(result, parts ? [parts.pool.buffer as ArrayBuffer, parts.offsets.buffer as ArrayBuffer] : []);
  } catch (err) {
    if (err instanceof Cancelled) return;
    out.message(RECORD.FAILED, 0, errorToWorkerMessage(err));
  } finally {
    out.flush();
  }
}

/** Parses one line and writes its record (BAD, TOKENS or EXAMPLE); false when the reader cancelled. */
function writeLine(
  out: RingWriter,
  encoder: FeatureEncoder,
  parse: LineParser,
  line: ParsedLine,
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  path: string,
): boolean {
  const err = parse(buf, start, end, line);
  if (err !== null) return out.message(RECORD.BAD, lineNo, err);
  if (line.labelStart < 0) return out.message(RECORD.BAD, lineNo, 'no label');
  if (line.labelEnd === line.labelStart) return out.message(RECORD.BAD, lineNo, 'empty label');
  // features that are one slot each go over unmerged (the learning thread merges them, which
  // balances the threads); anything else is encoded here
  const raw = encoder.takesTokens(line);
  const n = raw ? encoder.resolveTokens(line, true) : encoder.encode(line, true);
  if (RingWriter.exampleWords(line.labelEnd - line.labelStart, n) > out.maxRecordWords) {
    throw new LimitError(`${path}:${lineNo}: the line has ${n} features, more than the parse thread's buffer holds; train without the parse thread`);
  }
  const slots = encoder.slots;
  return raw
    ? out.example(
        RECORD.TOKENS,
        lineNo,
        buf,
        line.labelStart,
        line.labelEnd,
        line.weight,
        line.nsCount > 0 ? line.nsWeight[0]! : 1,
        slots,
        encoder.tokSlot,
        encoder.tokVal,
        n,
      )
    : out.example(RECORD.EXAMPLE, lineNo, buf, line.labelStart, line.labelEnd, line.weight, 1, slots, encoder.idx, encoder.val, n);
}

await main(workerData as ParseWorkerData);
