/**
 * @module
 * A model read from a fastText `.bin` or `.ftz` file. Input rows come from the matrix on disk
 * (or in memory with `loadAll`); the normalised word matrix neighbour searches need is
 * computed on first use, as `FastText::lazyComputeWordVectors` does.
 */
import type { ByteSource } from '../core/byte-source.js';
import type { FastTextArgs } from './args.js';
import type { Dictionary } from './dictionary.js';
import { toBytes } from './dictionary.js';
import { normF32, type RowMatrix } from './matrix.js';
import { LinePredictor } from './line-predictor.js';
import { Predictor } from './predict.js';
import { type ParsedModel, readModel, type ReadModelOptions } from './read-model.js';
import { VectorModel, type NgramVector } from './vector-model.js';
import type { WordMatrix } from './word-search.js';

const utf8 = new TextDecoder();

/** A fastText `.bin` / `.ftz` model. */
export class BinModel extends VectorModel {
  readonly path: string;
  readonly format: 'bin' | 'ftz';
  readonly args: FastTextArgs;
  readonly dict: Dictionary;
  readonly version: number;
  readonly input: RowMatrix;
  private parsed: ParsedModel;
  private words: WordMatrix | null = null;
  private pred: Predictor | null = null;
  private fast: LinePredictor | null = null;
  private rowsScratch: number[] = [];

  private constructor(parsed: ParsedModel) {
    super();
    this.parsed = parsed;
    this.path = parsed.file.path;
    this.format = parsed.quantInput ? 'ftz' : 'bin';
    this.args = parsed.args;
    this.dict = parsed.dict;
    this.version = parsed.version;
    this.input = parsed.input;
  }

  /** A `.bin` or `.ftz` model read from `src` (`openBin(path)` opens a file in Node). */
  static fromSource(src: ByteSource, opts: ReadModelOptions = {}): BinModel {
    try {
      return new BinModel(readModel(src, opts));
    } catch (err) {
      src.close();
      throw err;
    }
  }

  protected wordVectorInto(out: Float32Array, word: Uint8Array, id: number): void {
    const rows = this.dict.subwordRows(word, id, ((this.rowsScratch.length = 0), this.rowsScratch));
    out.fill(0);
    for (const r of rows) this.input.addRow(out, r);
    if (rows.length > 0) {
      const a = Math.fround(1 / rows.length);
      for (let j = 0; j < out.length; j++) out[j] = Math.fround(out[j]! * a);
    }
  }

  protected addTokenRows(out: Float32Array, word: Uint8Array, id: number): number {
    if (id >= 0 && this.args.maxn <= 0) {
      this.input.addRow(out, id);
      return 1;
    }
    const rows = this.dict.subwordRows(word, id, ((this.rowsScratch.length = 0), this.rowsScratch));
    for (const r of rows) this.input.addRow(out, r);
    return rows.length;
  }

  protected addBucketRow(out: Float32Array, b: number): boolean {
    const row = this.dict.bucketRow(b);
    if (row < 0) return false;
    this.input.addRow(out, row);
    return true;
  }

  ngramVectors(word: string | Uint8Array): NgramVector[] {
    return this.dict.ngramRowsAsPrinted(toBytes(word)).map(({ ngram, row }) => {
      const vector = new Float32Array(this.dim);
      if (row >= 0) this.input.addRow(vector, row);
      return { ngram: utf8.decode(ngram), bytes: ngram, vector };
    });
  }

  /** The word vectors, each divided by its norm (`FastText::precomputeWordVectors`). */
  protected wordMatrix(): WordMatrix {
    return this.buildWordMatrix(null);
  }

  /** Builds the normalised word matrix once, writing each word's norm to `norms` when given. */
  private buildWordMatrix(norms: Float32Array | null): WordMatrix {
    if (!this.words || norms) {
      const D = this.dim,
        N = this.nwords;
      const data = new Float32Array(N * D);
      const vec = new Float32Array(D);
      for (let i = 0; i < N; i++) {
        this.wordVectorInto(vec, this.dict.entryBytes(i), i);
        const norm = normF32(vec);
        if (norms) norms[i] = norm;
        if (norm > 0) {
          const a = Math.fround(1 / norm);
          for (let j = 0; j < D; j++) data[i * D + j] = Math.fround(a * vec[j]!);
        }
      }
      this.words = { rows: N, dim: D, dtype: 'f32', data };
    }
    return this.words;
  }

  /** The normalised word matrix and each word's norm before normalising (for `convert`). */
  wordMatrixWithNorms(): { matrix: WordMatrix; norms: Float32Array } {
    // one pass for both: each word vector costs a read of every one of its rows
    const norms = new Float32Array(this.nwords);
    return { matrix: this.buildWordMatrix(norms), norms };
  }

  /** Number of input rows of entry `id` (itself and its n-grams). */
  subwordCount(id: number): number {
    return this.dict.subwordRows(this.dict.entryBytes(id), id).length;
  }

  protected predictor(): Predictor {
    if (!this.pred) {
      const counts = this.dict.counts.subarray(this.dict.nwords);
      this.pred = new Predictor(this.args.loss, this.parsed.loadOutput(), counts);
    }
    return this.pred;
  }

  /** The allocation-free predictor of `.bin` / `.ftz` models (built on first use). */
  override linePredictor(): LinePredictor {
    return (this.fast ??= new LinePredictor({ args: this.args, dict: this.dict, input: this.input, output: this.parsed.loadOutput(), path: this.path }));
  }

  /** The output matrix (labels for supervised models), read on first use. */
  outputMatrix(): RowMatrix {
    return this.parsed.loadOutput();
  }

  override info(): Record<string, unknown> {
    return {
      ...super.info(),
      version: this.version,
      quantInput: this.parsed.quantInput,
      qout: this.parsed.qout,
      inputRows: this.input.rows,
      outputRows: this.parsed.outputRows,
      fileBytes: this.parsed.file.size,
    };
  }

  close(): void {
    this.parsed.file.close();
  }
}
