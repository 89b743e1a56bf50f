/**
 * @module
 * The parse worker (a `worker_threads` entry): reads a training file, parses and hashes each
 * line and encodes it into (slot, value) lists, and writes the examples into the shared ring
 * that the learning thread reads — reading and parsing overlap with learning, as Vowpal
 * Wabbit's parser thread does. Bad lines are passed on as records (the learning thread decides
 * whether they stop training), so the result equals the single-thread path.
 */
import { workerData } from 'node:worker_threads';
import { LimitError } from '../core/errors.js';
import { forEachLine } from './byte-lines.js';
import { detectFormat, INPUT_FORMATS, parserFor, type InputFormat } from './detect-format.js';
import { FeatureEncoder, type FeatureConfig } from './feature-encoder.js';
import { ParsedLine } from './parsed-line.js';
import { RECORD, RingWriter } from './example-ring.js';
import { isBlankLine } from './blank-line.js';

/** What the learning thread hands the worker. */
export interface ParseWorkerData {
  ring: SharedArrayBuffer;
  path: string;
  /** The format, or `auto` to detect it from the first non-blank line (sent back as a FORMAT record). */
  format: InputFormat | 'auto';
  labelPrefix: string;
  /** Hash-mode feature settings (no lookup: the encoding depends on nothing learned). */
  features: FeatureConfig;
  passes: number;
}

/** Thrown inside the line callback to stop reading when the learning thread cancelled. */
class Cancelled extends Error {}

async function main(data: ParseWorkerData): Promise<void> {
  const out = new RingWriter(data.ring);
  try {
    const encoder = new FeatureEncoder(data.features);
    const line = new ParsedLine();
    let format = data.format;
    let parse = format === 'auto' ? null : parserFor(format, data.labelPrefix);
    const onLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
      if (isBlankLine(buf, start, end)) return;
      if (parse === null) {
        format = detectFormat(buf.toString('utf8', start, end), data.labelPrefix);
        parse = parserFor(format, data.labelPrefix);
        if (!out.control(RECORD.FORMAT, INPUT_FORMATS.indexOf(format))) throw new Cancelled();
      }
      let ok: boolean;
      const err = parse(buf, start, end, line);
      if (err !== null) ok = out.message(RECORD.BAD, lineNo, err);
      else if (line.labelStart < 0) ok = out.message(RECORD.BAD, lineNo, 'no label');
      else if (line.labelEnd === line.labelStart) ok = out.message(RECORD.BAD, lineNo, 'empty label');
      else {
        // plain hashed tokens go over as they are (the learning thread merges them, which
        // balances the threads); anything else is encoded here
        const raw = encoder.takesTokenHashes(line);
        const n = raw ? line.n : encoder.encode(line, true);
        if (RingWriter.exampleWords(line.labelEnd - line.labelStart, n) > out.maxRecordWords) {
          throw new LimitError(`${data.path}:${lineNo}: the line has ${n} features, more than the parse thread's buffer holds; train without the parse thread`);
        }
        ok = raw
          ? out.example(RECORD.TOKENS, lineNo, buf, line.labelStart, line.labelEnd, line.weight, line.nsWeight[0]!, line.hash, line.value, n)
          : out.example(RECORD.EXAMPLE, lineNo, buf, line.labelStart, line.labelEnd, line.weight, 1, encoder.idx, encoder.val, n);
      }
      if (!ok) throw new Cancelled();
    };
    for (let pass = 1; pass <= data.passes; pass++) {
      const lines = await forEachLine(data.path, onLine);
      if (!out.control(RECORD.PASS_END, lines)) return;
      out.flush();
    }
  } catch (err) {
    if (err instanceof Cancelled) return;
    const e = err instanceof Error ? err : new Error(String(err));
    out.message(RECORD.FAILED, 0, JSON.stringify({ name: e.name, message: e.message }));
  } finally {
    out.flush();
  }
}

await main(workerData as ParseWorkerData);
