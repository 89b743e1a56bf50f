/**
 * @module
 * A model read from leanml's compact vector store (`convertToStore`). Opening reads the header,
 * the dictionary and the word matrix (each section in one read, viewed as typed arrays without
 * copying); n-gram rows are read on demand with positioned reads unless `loadAll` is asked.
 */
import { readFileSync } from 'node:fs';
import { BinaryFile } from '../core/binary-reader.js';
import { FormatError } from '../core/errors.js';
import { MAX_DIM } from './args.js';
import { Dictionary, toBytes } from './dictionary.js';
import { DenseMatrix } from './matrix.js';
import { Predictor } from './predict.js';
import { dtypeBytes, residualRowBytes, SECTION_TYPES, type SectionName, STORE_MAGIC, STORE_VERSIONS_READ, type StoreHeader } from './store-format.js';
import { VectorModel, type NgramVector } from './vector-model.js';
import { decodeRow, type WordMatrix } from './word-search.js';

const utf8 = new TextDecoder();
const MAX_HEADER = 1 << 20;

/** Options of `StoreModel.open`. */
export interface StoreOpenOptions {
  /** Read the whole file into memory (n-gram rows included) instead of on demand. */
  loadAll?: boolean;
}

/** A compact vector store opened for lookups and search. */
export class StoreModel extends VectorModel {
  readonly path: string;
  readonly format = 'store' as const;
  readonly args: StoreHeader['args'];
  readonly dict: Dictionary;
  readonly header: StoreHeader;
  private file: BinaryFile;
  private whole: Uint8Array | null;
  private words: WordMatrix;
  private norms: Float32Array;
  private subwordCounts: Int32Array;
  private ngrams: WordMatrix | null = null;
  private ngramRow: Float32Array;
  private pred: Predictor | null = null;
  private rows: number[] = [];

  private constructor(file: BinaryFile, header: StoreHeader, whole: Uint8Array | null) {
    super();
    this.file = file;
    this.path = file.path;
    this.header = header;
    this.args = header.args;
    this.whole = whole;
    const dim = header.args.dim;
    this.dict = new Dictionary(
      {
        nwords: header.nwords,
        nlabels: header.nlabels,
        ntokens: header.ntokens,
        blob: this.section('blob', Uint8Array),
        starts: this.section('starts', Int32Array),
        counts: this.section('counts', Float64Array),
        pruneSize: header.pruneSize,
        pruneKeys: this.section('pruneKeys', Int32Array),
        pruneValues: this.section('pruneValues', Int32Array),
      },
      { minn: header.args.minn, maxn: header.args.maxn, bucket: header.args.bucket, table: this.section('table', Int32Array) },
    );
    this.norms = this.section('norms', Float32Array);
    this.subwordCounts = this.section('subwordCounts', Int32Array);
    this.words = this.matrix('words', 'wordScales', header.nwords);
    if (whole) this.ngrams = this.matrix('ngrams', 'ngramScales', header.ngramRows);
    this.ngramRow = new Float32Array(dim);
  }

  /** Opens a store written by `convertToStore`. */
  static open(path: string, opts: StoreOpenOptions = {}): StoreModel {
    const file = BinaryFile.open(path);
    try {
      const header = readHeader(file);
      const whole = opts.loadAll ? new Uint8Array(readFileSync(path)) : null;
      return new StoreModel(file, header, whole);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  private section<T extends Uint8Array | Int32Array | Float32Array | Float64Array | Uint16Array | Int8Array>(
    name: SectionName,
    Type: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
  ): T {
    const s = this.header.sections[name]!;
    const n = s.length / Type.BYTES_PER_ELEMENT;
    if (this.whole) return new Type(this.whole.buffer as ArrayBuffer, this.whole.byteOffset + s.offset, n);
    const b = this.file.read(s.offset, s.length);
    return new Type(b.buffer as ArrayBuffer, b.byteOffset, n);
  }

  private matrix(name: 'words' | 'ngrams', scales: 'wordScales' | 'ngramScales', rows: number): WordMatrix {
    const dtype = this.header.dtype;
    const data = dtype === 'f32' ? this.section(name, Float32Array) : dtype === 'f16' ? this.section(name, Uint16Array) : this.section(name, Int8Array);
    const m: WordMatrix = { rows, dim: this.dim, dtype, data, scales: dtype === 'int8' ? this.section(scales, Float32Array) : undefined };
    if (name === 'words' && this.header.sections.wordResiduals!.length > 0) m.residual = this.section('wordResiduals', Uint8Array);
    if (name === 'words' && this.header.sections.wordMean!.length > 0) m.mean = this.section('wordMean', Float32Array);
    return m;
  }

  /** Adds n-gram row `g` (0-based in the n-gram matrix) to `out`. */
  private addNgram(out: Float32Array, g: number): void {
    let row: Float32Array;
    if (this.ngrams) row = decodeRow(this.ngrams, g, this.ngramRow);
    else {
      const h = this.header, D = this.dim, eb = dtypeBytes(h.dtype);
      const s = h.sections.ngrams!;
      const raw = this.file.read(s.offset + g * D * eb, D * eb);
      const one: WordMatrix = {
        rows: 1,
        dim: D,
        dtype: h.dtype,
        data: h.dtype === 'f32' ? new Float32Array(raw.buffer, 0, D) : h.dtype === 'f16' ? new Uint16Array(raw.buffer, 0, D) : new Int8Array(raw.buffer, 0, D),
        scales: h.dtype === 'int8' ? new Float32Array(this.file.read(h.sections.ngramScales!.offset + g * 4, 4).buffer) : undefined,
      };
      row = decodeRow(one, 0, this.ngramRow);
    }
    for (let j = 0; j < row.length; j++) out[j]! += row[j]!;
  }

  /** In-vocabulary word vector: the normalised row times the stored norm. */
  private addWordVector(out: Float32Array, id: number, times: number): void {
    const v = decodeRow(this.words, id, this.ngramRow);
    const a = Math.fround(this.norms[id]! * times);
    for (let j = 0; j < v.length; j++) out[j]! += Math.fround(v[j]! * a);
  }

  private ngramRowsOf(word: Uint8Array): number[] {
    this.rows.length = 0;
    this.dict.subwordRows(word, -1, this.rows);
    return this.rows;
  }

  protected wordVectorInto(out: Float32Array, word: Uint8Array, id: number): void {
    out.fill(0);
    if (id >= 0 && id < this.nwords) {
      this.addWordVector(out, id, 1);
      return;
    }
    const rows = this.ngramRowsOf(word);
    for (const r of rows) this.addNgram(out, r - this.nwords);
    if (rows.length > 0) {
      const a = Math.fround(1 / rows.length);
      for (let j = 0; j < out.length; j++) out[j] = Math.fround(out[j]! * a);
    }
  }

  protected addTokenRows(out: Float32Array, word: Uint8Array, id: number): number {
    if (id >= 0) {
      // the sum of a word's rows is its vector (their mean) times their number
      const n = this.args.maxn <= 0 ? 1 : this.subwordCounts[id]!;
      this.addWordVector(out, id, n);
      return n;
    }
    const rows = this.ngramRowsOf(word);
    for (const r of rows) this.addNgram(out, r - this.nwords);
    return rows.length;
  }

  protected addBucketRow(out: Float32Array, b: number): boolean {
    const row = this.dict.bucketRow(b);
    if (row < 0) return false;
    this.addNgram(out, row - this.nwords);
    return true;
  }

  ngramVectors(word: string | Uint8Array): NgramVector[] {
    const w = toBytes(word);
    return this.dict.ngramRowsAsPrinted(w).map(({ ngram, row }) => {
      const vector = new Float32Array(this.dim);
      if (row >= this.nwords) this.addNgram(vector, row - this.nwords);
      else if (row >= 0) {
        // A word's own input row is not stored: its vector times its row count, minus its n-gram rows.
        this.addWordVector(vector, row, this.subwordCounts[row]!);
        const sub = new Float32Array(this.dim);
        for (const r of this.ngramRowsOf(w)) this.addNgram(sub, r - this.nwords);
        for (let j = 0; j < vector.length; j++) vector[j] = Math.fround(vector[j]! - sub[j]!);
      }
      return { ngram: utf8.decode(ngram), bytes: ngram, vector };
    });
  }

  protected wordMatrix(): WordMatrix {
    return this.words;
  }

  protected predictor(): Predictor {
    if (!this.pred) {
      const out = this.section('output', Float32Array);
      this.pred = new Predictor(this.args.loss, new DenseMatrix(this.nlabels, this.dim, out), this.dict.counts.subarray(this.nwords));
    }
    return this.pred;
  }

  override info(): Record<string, unknown> {
    return { ...super.info(), storeVersion: this.header.version, dtype: this.header.dtype, residualBits: this.words.residual ? 4 : 0, centred: this.words.mean !== undefined, ngramRows: this.header.ngramRows, source: this.header.source, fileBytes: this.file.size };
  }

  close(): void {
    this.file.close();
  }
}

/** Reads and validates the header: magic, version, and every section inside the file. */
export function readHeader(file: BinaryFile): StoreHeader {
  const p = file.path;
  if (file.size < 16) throw new FormatError(`${p}: not a leanml vector store (${file.size} bytes)`);
  const head = file.read(0, 16);
  for (let i = 0; i < 8; i++) if (head[i] !== STORE_MAGIC[i]) throw new FormatError(`${p}: not a leanml vector store (bad magic at byte 0)`);
  const dv = new DataView(head.buffer);
  const version = dv.getUint32(8, true);
  if (!STORE_VERSIONS_READ.includes(version)) {
    throw new FormatError(`${p}: unsupported vector store version ${version} at byte 8 (this leanml reads ${STORE_VERSIONS_READ.join(' and ')}; convert the model again)`);
  }
  const len = dv.getUint32(12, true);
  if (len > MAX_HEADER) throw new FormatError(`${p}: header length ${len} at byte 12 exceeds ${MAX_HEADER}`);
  let h: StoreHeader;
  try {
    h = JSON.parse(utf8.decode(file.read(16, len))) as StoreHeader;
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(`${p}: header at byte 16 is not valid JSON`, { cause: err });
  }
  if (h && typeof h === 'object') {
    h.version = version;
    // version 1 had no residual section
    if (version === 1 && h.sections && !h.sections.wordResiduals) h.sections.wordResiduals = { offset: 0, length: 0 };
    // versions 1 and 2 had no mean row
    if (version <= 2 && h.sections && !h.sections.wordMean) h.sections.wordMean = { offset: 0, length: 0 };
  }
  const a = h?.args;
  const ints = [h?.nwords, h?.nlabels, h?.ngramRows, a?.dim, a?.bucket, a?.minn, a?.maxn];
  if (!a || !ints.every((x) => Number.isSafeInteger(x) && x >= 0) || a.dim < 1 || a.dim > MAX_DIM || !['f32', 'f16', 'int8'].includes(h.dtype)) {
    throw new FormatError(`${p}: header at byte 16 has missing or invalid fields`);
  }
  const N = h.nwords, L = h.nlabels, D = a.dim, eb = dtypeBytes(h.dtype);
  const expect: Record<SectionName, number | null> = {
    blob: null,
    starts: (N + L + 1) * 4,
    counts: (N + L) * 8,
    table: null,
    pruneKeys: null,
    pruneValues: null,
    norms: N * 4,
    subwordCounts: N * 4,
    words: N * D * eb,
    wordScales: h.dtype === 'int8' ? N * 4 : 0,
    // optional (convert's `refine: false` leaves them out)
    wordResiduals: h.sections?.wordResiduals?.length ? N * residualRowBytes(D) : 0,
    wordMean: h.sections?.wordMean?.length ? D * 4 : 0,
    ngrams: h.ngramRows * D * eb,
    ngramScales: h.dtype === 'int8' ? h.ngramRows * 4 : 0,
    output: a.model === 'supervised' ? L * D * 4 : 0,
  };
  for (const name of Object.keys(SECTION_TYPES) as SectionName[]) {
    const s = h.sections?.[name];
    if (!s || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.length) || s.offset < 0 || s.length < 0 || s.offset % 64 !== 0) {
      throw new FormatError(`${p}: section '${name}' is missing or misplaced in the header`);
    }
    if (s.length % Math.max(1, SECTION_TYPES[name] || 1) !== 0) throw new FormatError(`${p}: section '${name}' length ${s.length} is not a whole number of elements`);
    const e = expect[name];
    if (e !== null && s.length !== e) throw new FormatError(`${p}: section '${name}' has ${s.length} bytes, expected ${e} for ${N} words x ${D} dims`);
    file.checkRange(s.offset, s.length, `section '${name}'`);
  }
  const t = h.sections.table!.length / 4;
  if (t < N + L || (t & (t - 1)) !== 0) throw new FormatError(`${p}: hash table of ${t} slots cannot hold ${N + L} entries`);
  return h;
}
