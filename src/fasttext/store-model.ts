/**
 * @module
 * A model read from leanml's compact vector store (`convertToStore`) through any `ByteSource`
 * (`openStore(path)` opens a file in Node). Opening reads the header, the dictionary and the word
 * matrix (each section in one read, viewed as typed arrays without copying); n-gram rows are read
 * on demand with positioned reads unless `loadAll` is asked. A store with an index searches only
 * the `nprobe` nearest lists (see `ivf-search.ts`).
 */
import type { ByteSource } from '../core/byte-source.js';
import { UsageError } from '../core/errors.js';
import { Dictionary, toBytes } from './dictionary.js';
import { DEFAULT_IVF, type IvfIndex, nearestLists, rowSlice, searchLists } from './ivf-search.js';
import { DenseMatrix } from './matrix.js';
import { Predictor } from './predict.js';
import { dtypeBytes, type SectionName, type StoreHeader } from './store-format.js';
import { checkIvfOffsets, readHeader } from './store-header.js';
import { VectorModel, type NgramVector } from './vector-model.js';
import { decodeRow, searchBatch, type WordMatrix } from './word-search.js';

const utf8 = new TextDecoder();

/** Options of `openStore` / `StoreModel.fromSource`. */
export interface StoreOpenOptions {
  /** Read the whole file into memory (n-gram rows included) instead of on demand. */
  loadAll?: boolean;
  /** Indexed stores: lists scanned per query (default `DEFAULT_IVF.nprobe`; 0 = exact search over every row). */
  nprobe?: number;
}

/** The index of a store with the maps between row positions (list order) and word ids. */
interface StoreIndex extends IvfIndex {
  ids: Int32Array;
  positions: Int32Array;
}

/** A compact vector store opened for lookups and search. */
export class StoreModel extends VectorModel {
  readonly path: string;
  readonly format = 'store' as const;
  readonly args: StoreHeader['args'];
  readonly dict: Dictionary;
  readonly header: StoreHeader;
  private file: ByteSource;
  private index: StoreIndex | null = null;
  private probe: number = DEFAULT_IVF.nprobe;
  private whole: Uint8Array | null;
  private words: WordMatrix;
  private norms: Float32Array;
  private subwordCounts: Int32Array;
  private ngrams: WordMatrix | null = null;
  private ngramRow: Float32Array;
  private pred: Predictor | null = null;
  private rows: number[] = [];

  private constructor(file: ByteSource, header: StoreHeader, whole: Uint8Array | null) {
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
    if (header.index) {
      const offsets = this.section('ivfOffsets', Int32Array);
      checkIvfOffsets(this.path, offsets, header.nwords);
      this.index = {
        lists: header.index.lists,
        dim,
        centroids: this.section('ivfCentroids', Float32Array),
        offsets,
        ids: this.section('ivfIds', Int32Array),
        positions: this.section('ivfPositions', Int32Array),
      };
    }
  }

  /** A store written by `convertToStore`, read from `file` (closed on error). */
  static fromSource(file: ByteSource, opts: StoreOpenOptions = {}): StoreModel {
    try {
      const header = readHeader(file);
      const whole = opts.loadAll ? file.read(0, file.size) : null;
      const m = new StoreModel(file, header, whole);
      if (opts.nprobe !== undefined) m.nprobe = opts.nprobe;
      return m;
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** The index (kind and number of lists), or null when the store has none. */
  get indexInfo(): { kind: 'ivf'; lists: number } | null {
    return this.header.index ?? null;
  }

  /** Lists scanned per query on an indexed store; 0 = exact search over every row. */
  get nprobe(): number {
    return this.probe;
  }

  set nprobe(n: number) {
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`nprobe must be 0 (exact search) or a positive number of lists, got ${n}`);
    this.probe = n;
  }

  /** Row position of word `id` in the word matrix (list order in an indexed store). */
  private rowOf(id: number): number {
    return this.index ? this.index.positions[id]! : id;
  }

  protected override searchWords(queries: Float32Array, norms: Float64Array, k: number, banned: number[][]): { id: number; score: number }[][] {
    const ix = this.index;
    if (!ix) return super.searchWords(queries, norms, k, banned);
    const ban = banned.map((b) => b.map((id) => ix.positions[id]!));
    const res =
      this.probe > 0 && this.probe < ix.lists
        ? searchLists(
            ix,
            nearestLists(ix, queries, this.probe),
            (l) => rowSlice(this.words, ix.offsets[l]!, ix.offsets[l + 1]! - ix.offsets[l]!),
            queries,
            norms,
            k,
            ban,
          )
        : searchBatch(this.words, queries, norms, k, ban);
    return res.map((r) => r.map((s) => ({ id: ix.ids[s.id]!, score: s.score })));
  }

  override normalizedWordVector(i: number): Float32Array {
    return decodeRow(this.words, this.rowOf(i), new Float32Array(this.dim));
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
      const h = this.header,
        D = this.dim,
        eb = dtypeBytes(h.dtype);
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
    const v = decodeRow(this.words, this.rowOf(id), this.ngramRow);
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
    return {
      ...super.info(),
      storeVersion: this.header.version,
      index: this.header.index ?? null,
      nprobe: this.index ? this.probe : undefined,
      dtype: this.header.dtype,
      residualBits: this.words.residual ? 4 : 0,
      centred: this.words.mean !== undefined,
      ngramRows: this.header.ngramRows,
      source: this.header.source,
      fileBytes: this.file.size,
    };
  }

  close(): void {
    this.file.close();
  }
}
