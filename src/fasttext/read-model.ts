/**
 * @module
 * Parses a fastText `.bin` / `.ftz` file as `FastText::loadModel` does: magic and version,
 * arguments, dictionary, input matrix (dense or quantised), `qout` flag, output matrix.
 * Reads from any `ByteSource`. Dense matrices stay on disk (positioned reads) unless `loadAll` is asked; every size is
 * checked against the bytes actually in the file before anything is allocated.
 */
import type { ByteSource } from '../core/byte-source.js';
import { FormatError } from '../core/errors.js';
import { type FastTextArgs, readArgs } from './args.js';
import { DenseFileMatrix } from './dense-file-matrix.js';
import { Dictionary, readDictionary } from './dictionary.js';
import { DenseMatrix, type RowMatrix } from './matrix.js';
import { QuantMatrix } from './quant-matrix.js';

/** `FASTTEXT_FILEFORMAT_MAGIC_INT32`. */
export const FASTTEXT_MAGIC = 793712314;
/** The newest format version (fastText 0.9.x). */
export const FASTTEXT_VERSION = 12;

/** Everything parsed from a model file. */
export interface ParsedModel {
  file: ByteSource;
  version: number;
  args: FastTextArgs;
  dict: Dictionary;
  quantInput: boolean;
  qout: boolean;
  input: RowMatrix;
  /** Byte offset and shape of the output matrix; loaded on first use. */
  outputAt: number;
  outputRows: number;
  loadOutput(): RowMatrix;
}

/** Options of `readModel`. */
export interface ReadModelOptions {
  /** Read the dense input matrix into memory instead of reading rows on demand (default false). */
  loadAll?: boolean;
}

function readFlag(file: ByteSource, at: number, what: string): boolean {
  const b = file.read(at, 1)[0]!;
  if (b > 1) throw new FormatError(`${file.path}: ${what} flag at byte ${at} is ${b}, expected 0 or 1`);
  return b === 1;
}

/** Dense matrix header (int64 rows, int64 cols) at `at`; returns its shape and data offset. */
function denseHeader(file: ByteSource, at: number, what: string): { rows: number; cols: number; data: number } {
  const cur = file.cursor(at);
  const rows = cur.i64(`${what} rows`);
  const cols = cur.i64(`${what} cols`);
  if (rows < 0 || cols <= 0 || cols > 1 << 16) throw new FormatError(`${file.path}: ${what} at byte ${at} has invalid shape ${rows} x ${cols}`);
  const bytes = rows * cols * 4;
  if (!Number.isSafeInteger(bytes) || at + 16 + bytes > file.size) {
    throw new FormatError(
      `${file.path}: truncated: ${what} at byte ${at} is ${rows} x ${cols} floats (${bytes} bytes) but the file has ${file.size - at - 16} bytes left`,
    );
  }
  return { rows, cols, data: at + 16 };
}

/**
 * Parses the model in `file` (a `BinaryFile` in Node, a `MemorySource` anywhere); the caller
 * closes `result.file`.
 */
export function readModel(file: ByteSource, opts: ReadModelOptions = {}): ParsedModel {
  const p = file.path;
  if (file.size < 8) throw new FormatError(`${p}: not a fastText model (${file.size} bytes, too short for the header)`);
  const cur = file.cursor(0);
  const magic = cur.i32('magic');
  if (magic !== FASTTEXT_MAGIC) throw new FormatError(`${p}: not a fastText model: magic ${magic} at byte 0, expected ${FASTTEXT_MAGIC}`);
  const version = cur.i32('version');
  if (version > FASTTEXT_VERSION || version < 11)
    throw new FormatError(`${p}: unsupported fastText format version ${version} at byte 4 (this reader knows 11..${FASTTEXT_VERSION})`);
  const args = readArgs(cur, version);
  const { parts, end } = readDictionary(file, cur.offset);
  const dict = new Dictionary(parts, { minn: args.minn, maxn: args.maxn, bucket: args.bucket });
  let at = end;
  const quantInput = readFlag(file, at, 'quant_input');
  at += 1;
  let input: RowMatrix;
  if (quantInput) {
    const qc = file.cursor(at);
    input = QuantMatrix.read(qc);
    at = qc.offset;
  } else {
    if (dict.pruneSize >= 0)
      throw new FormatError(
        `${p}: dictionary is pruned but the input matrix is not quantised (an outdated model; fastText refuses it too, see fastText issue #332)`,
      );
    const h = denseHeader(file, at, 'input matrix');
    input = opts.loadAll
      ? new DenseMatrix(h.rows, h.cols, new DenseFileMatrix(file, h.data, h.rows, h.cols).readRows(0, h.rows))
      : new DenseFileMatrix(file, h.data, h.rows, h.cols);
    at = h.data + h.rows * h.cols * 4;
  }
  if (input.cols !== args.dim) throw new FormatError(`${p}: input matrix has ${input.cols} columns but dim is ${args.dim}`);
  const expectedRows = dict.pruneSize >= 0 ? dict.nwords + dict.pruneSize : dict.nwords + args.bucket;
  if (dict.pruneSize < 0 && input.rows !== expectedRows) {
    throw new FormatError(`${p}: input matrix has ${input.rows} rows but nwords ${dict.nwords} + bucket ${args.bucket} = ${expectedRows}`);
  }
  if (input.rows < dict.nwords) throw new FormatError(`${p}: input matrix has ${input.rows} rows, fewer than the ${dict.nwords} words`);
  for (let i = 0; i < dict.pruneValues.length; i++) {
    if (dict.pruneValues[i]! < 0 || dict.nwords + dict.pruneValues[i]! >= input.rows)
      throw new FormatError(`${p}: pruned bucket index ${dict.pruneValues[i]} points outside the ${input.rows}-row input matrix`);
  }
  const qout = readFlag(file, at, 'qout');
  at += 1;
  const outputAt = at;
  let outputRows: number;
  let outputEnd: number;
  let loaded: RowMatrix | null = null;
  if (quantInput && qout) {
    const qc = file.cursor(at);
    loaded = QuantMatrix.read(qc);
    outputRows = loaded.rows;
    outputEnd = qc.offset;
  } else {
    const h = denseHeader(file, at, 'output matrix');
    outputRows = h.rows;
    outputEnd = h.data + h.rows * h.cols * 4;
    if (h.cols !== args.dim) throw new FormatError(`${p}: output matrix has ${h.cols} columns but dim is ${args.dim}`);
  }
  const expectedOut = args.model === 'supervised' ? dict.nlabels : dict.nwords;
  if (outputRows !== expectedOut)
    throw new FormatError(`${p}: output matrix has ${outputRows} rows, expected ${expectedOut} (${args.model === 'supervised' ? 'labels' : 'words'})`);
  if (outputEnd !== file.size) throw new FormatError(`${p}: ${file.size - outputEnd} unexpected bytes after the output matrix (ends at byte ${outputEnd})`);
  const loadOutput = (): RowMatrix => {
    if (!loaded) {
      const h = denseHeader(file, outputAt, 'output matrix');
      loaded = new DenseMatrix(h.rows, h.cols, new DenseFileMatrix(file, h.data, h.rows, h.cols).readRows(0, h.rows));
    }
    return loaded;
  };
  return { file, version, args, dict, quantInput, qout, input, outputAt, outputRows, loadOutput };
}
