/**
 * @module
 * What every fastText model offers, whatever it was read from (`.bin`, `.ftz`, compact store):
 * word and sentence vectors, nearest neighbours, analogies, n-grams and supervised predict,
 * each following the fastText 0.9.2 C++ (`FastText::getWordVector`, `getSentenceVector`,
 * `getNN`, `getAnalogies`, `predictLine`). Subclasses supply the rows.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';
import { DEFAULT_FASTTEXT } from './fasttext-defaults.js';
import type { FastTextArgs } from './args.js';
import { type Dictionary, EOS, toBytes } from './dictionary.js';
import { fnv1a32, wordNgramBuckets } from './hash.js';
import { normF32 } from './matrix.js';
import type { LinePredictorLike } from './line-predictor.js';
import type { Predictor } from './predict.js';
import { splitWords } from './tokens.js';
import { decodeRow, searchBatch, type WordMatrix } from './word-search.js';

/** A word and its cosine similarity. */
export interface Neighbor {
  /** The word as text (invalid UTF-8 bytes shown as U+FFFD). */
  word: string;
  /** The word's raw bytes, as the model keys it and the fastText CLI prints it. */
  bytes: Uint8Array;
  score: number;
}

/** A label and its probability as `predict-prob` prints it. */
export interface Prediction {
  label: string;
  prob: number;
}

/** An n-gram of a word and its input row (`print-ngrams`). */
export interface NgramVector {
  ngram: string;
  /** The n-gram as raw bytes (differs from `ngram` only for invalid UTF-8). */
  bytes: Uint8Array;
  vector: Float32Array;
}

/** The label prefix fastText uses by default (not stored in models). */
export const LABEL_PREFIX = DEFAULT_LABEL_PREFIX;
const LABEL_PREFIX_BYTES = toBytes(LABEL_PREFIX);
const EOS_BYTES = toBytes(EOS);

function hasLabelPrefix(w: Uint8Array): boolean {
  if (w.length < LABEL_PREFIX_BYTES.length) return false;
  for (let i = 0; i < LABEL_PREFIX_BYTES.length; i++) if (w[i] !== LABEL_PREFIX_BYTES[i]) return false;
  return true;
}

/** The common behaviour of `.bin`, `.ftz` and compact-store models. */
export abstract class VectorModel {
  abstract readonly path: string;
  /** Where the model came from. */
  abstract readonly format: 'bin' | 'ftz' | 'store';
  abstract readonly args: FastTextArgs;
  abstract readonly dict: Dictionary;

  /** Vector dimension. */
  get dim(): number {
    return this.args.dim;
  }

  /** Whether the model was trained with `fasttext supervised` (and can `predict`). */
  get isSupervised(): boolean {
    return this.args.model === 'supervised';
  }

  /** Number of words (labels excluded). */
  get nwords(): number {
    return this.dict.nwords;
  }

  /** Number of labels. */
  get nlabels(): number {
    return this.dict.nlabels;
  }

  /** The labels, in dictionary order. */
  labels(): string[] {
    return Array.from({ length: this.dict.nlabels }, (_, i) => this.dict.label(i));
  }

  /** Word `i` (0 <= i < nwords). */
  word(i: number): string {
    return this.dict.entry(i);
  }

  /** `out = mean of the word's input rows` (zeros when it has none), as `getWordVector`. */
  protected abstract wordVectorInto(out: Float32Array, word: Uint8Array, id: number): void;
  /** Adds the input rows a supervised line takes for one in-vocabulary or unknown token; returns how many. */
  protected abstract addTokenRows(out: Float32Array, word: Uint8Array, id: number): number;
  /** Adds the input row of word n-gram bucket `b`; returns false when pruned away. */
  protected abstract addBucketRow(out: Float32Array, b: number): boolean;
  /** Rows of the n-grams `print-ngrams` shows for `word`. */
  abstract ngramVectors(word: string | Uint8Array): NgramVector[];
  /** The normalised word matrix the neighbour searches scan. */
  protected abstract wordMatrix(): WordMatrix;
  /** The prediction rule (supervised models only). */
  protected abstract predictor(): Predictor;
  /** Releases the file. */
  abstract close(): void;

  /** The vector of `word`, in vocabulary or not (out-of-vocabulary words use their character n-grams). */
  wordVector(word: string | Uint8Array): Float32Array {
    const w = toBytes(word);
    const out = new Float32Array(this.dim);
    this.wordVectorInto(out, w, this.dict.id(w));
    return out;
  }

  /**
   * The vector of a line of text, as `print-sentence-vectors`. Unsupervised models: the mean
   * of the unit-normalised vectors of its words (zero-norm words skipped). Supervised models:
   * the mean of all input rows of the line (words with their subwords, word n-grams, and `</s>`
   * when `eos` — a line that ended with a newline), exactly what `predict` averages.
   */
  sentenceVector(text: string | Uint8Array, opts: { eos?: boolean } = {}): Float32Array {
    const bytes = toBytes(text);
    const svec = new Float32Array(this.dim);
    const fr = Math.fround;
    if (this.isSupervised) {
      const n = this.addLineRows(svec, bytes, opts.eos ?? true);
      if (n > 0) {
        const a = fr(1 / n);
        for (let j = 0; j < svec.length; j++) svec[j] = fr(svec[j]! * a);
      }
      return svec;
    }
    const vec = new Float32Array(this.dim);
    let count = 0;
    for (const w of splitWords(bytes)) {
      vec.fill(0);
      this.wordVectorInto(vec, w, this.dict.id(w));
      const norm = normF32(vec);
      if (norm > 0) {
        const a = fr(1 / norm);
        for (let j = 0; j < vec.length; j++) svec[j]! += fr(vec[j]! * a);
        count++;
      }
    }
    if (count > 0) {
      const a = fr(1 / count);
      for (let j = 0; j < svec.length; j++) svec[j] = fr(svec[j]! * a);
    }
    return svec;
  }

  /** Adds the rows of a line as `Dictionary::getLine` + `addWordNgrams`; returns how many rows. */
  protected addLineRows(out: Float32Array, bytes: Uint8Array, eos: boolean): number {
    const tokens = splitWords(bytes, true);
    if (eos) tokens.push(EOS_BYTES);
    const hashes: number[] = [];
    let n = 0;
    for (const t of tokens) {
      const h = fnv1a32(t);
      const id = this.dict.id(t, h);
      const isLabel = id >= 0 ? this.dict.isLabel(id) : hasLabelPrefix(t);
      if (!isLabel) {
        n += this.addTokenRows(out, t, id);
        hashes.push(h | 0);
      }
    }
    wordNgramBuckets(hashes, this.args.wordNgrams, this.args.bucket, (b) => {
      if (this.addBucketRow(out, b)) n++;
    });
    return n;
  }

  /**
   * The `k` nearest words to `word` by cosine similarity, the word itself excluded (`fasttext nn`).
   */
  nearestNeighbors(word: string | Uint8Array, k = DEFAULT_FASTTEXT.nnK): Neighbor[] {
    return this.nearestNeighborsBatch([word], k)[0]!;
  }

  /** `nearestNeighbors` for many words at once: one blocked matrix product over the word matrix. */
  nearestNeighborsBatch(words: (string | Uint8Array)[], k = DEFAULT_FASTTEXT.nnK): Neighbor[][] {
    checkK(k);
    const queries = new Float32Array(words.length * this.dim);
    const norms = new Float64Array(words.length);
    const banned: number[][] = [];
    words.forEach((word, b) => {
      const w = toBytes(word);
      const q = queries.subarray(b * this.dim, (b + 1) * this.dim);
      const id = this.dict.id(w);
      this.wordVectorInto(q, w, id);
      norms[b] = queryNorm(q);
      banned.push(id >= 0 && id < this.nwords ? [id] : []);
    });
    return this.search(queries, norms, k, banned);
  }

  /**
   * The `k` words closest to `a - b + c` (each of the three vectors unit-normalised first), the
   * three query words excluded: `fasttext analogies`, whose triplet "A B C" means A - B + C
   * (`FastText::getAnalogies` adds A, subtracts B, adds C). "berlin germany france" asks for paris.
   */
  analogies(a: string | Uint8Array, b: string | Uint8Array, c: string | Uint8Array, k = DEFAULT_FASTTEXT.analogiesK): Neighbor[] {
    return this.analogiesBatch([[a, b, c]], k)[0]!;
  }

  /** `analogies` for many triplets in one search. */
  analogiesBatch(triplets: [string | Uint8Array, string | Uint8Array, string | Uint8Array][], k = DEFAULT_FASTTEXT.analogiesK): Neighbor[][] {
    checkK(k);
    const fr = Math.fround;
    const D = this.dim;
    const queries = new Float32Array(triplets.length * D);
    const norms = new Float64Array(triplets.length);
    const banned: number[][] = [];
    const buf = new Float32Array(D);
    triplets.forEach((t, i) => {
      const q = queries.subarray(i * D, (i + 1) * D);
      const ban: number[] = [];
      t.forEach((word, j) => {
        const w = toBytes(word);
        const id = this.dict.id(w);
        if (id >= 0 && id < this.nwords) ban.push(id);
        buf.fill(0);
        this.wordVectorInto(buf, w, id);
        const s = fr((j === 1 ? -1 : 1) / (normF32(buf) + 1e-8));
        for (let d = 0; d < D; d++) q[d]! += fr(s * buf[d]!);
      });
      norms[i] = queryNorm(q);
      banned.push(ban);
    });
    return this.search(queries, norms, k, banned);
  }

  /**
   * The k best (word id, score) per query; `banned[b]` lists word ids to skip. Indexed stores
   * override it to scan only the nearest lists.
   */
  protected searchWords(queries: Float32Array, norms: Float64Array, k: number, banned: number[][]): { id: number; score: number }[][] {
    // .bin/.ftz reads reproduce the CLI to the last digit; stores take the SIMD kernel
    return searchBatch(this.wordMatrix(), queries, norms, k, banned, { exact: this.format !== 'store' });
  }

  private search(queries: Float32Array, norms: Float64Array, k: number, banned: number[][]): Neighbor[][] {
    const results = this.searchWords(queries, norms, k, banned);
    return results.map((r) => r.map((s) => ({ word: this.dict.entry(s.id), bytes: this.dict.entryBytes(s.id), score: s.score })));
  }

  /** Row `i` of the normalised word matrix (what neighbour search compares against). */
  normalizedWordVector(i: number): Float32Array {
    return decodeRow(this.wordMatrix(), i, new Float32Array(this.dim));
  }

  /**
   * The `k` most probable labels of a line with probability >= `threshold`, best first,
   * probabilities as `fasttext predict-prob` prints them. `k = -1` means all labels.
   * @example
   * const m = openFastText('lid.176.ftz');
   * m.predict('Der schnelle braune Fuchs', 2); // [{ label: '__label__de', prob: 0.99... }, ...]
   */
  predict(text: string | Uint8Array, k = DEFAULT_FASTTEXT.predictK, threshold = DEFAULT_FASTTEXT.threshold, opts: { eos?: boolean } = {}): Prediction[] {
    return this.predictBatch([text], k, threshold, opts)[0]!;
  }

  /**
   * `predict` for many lines: one result list per text, in order. Lines are predicted one
   * after another with reused buffers (no per-line state is allocated but the results).
   */
  predictBatch(
    texts: readonly (string | Uint8Array)[],
    k = DEFAULT_FASTTEXT.predictK,
    threshold = DEFAULT_FASTTEXT.threshold,
    opts: { eos?: boolean } = {},
  ): Prediction[][] {
    const p = this.linePredictor();
    const kk = checkPredictK(k, this.nlabels);
    const eos = opts.eos ?? true;
    const labels = this.labelStrings();
    const out: Prediction[][] = new Array(texts.length);
    for (let t = 0; t < texts.length; t++) {
      const bytes = encodeScratch(texts[t]!);
      const n = p.predictLine(bytes, 0, bytes.length, eos, kk, threshold);
      const r: Prediction[] = new Array(n);
      for (let i = 0; i < n; i++) r[i] = { label: labels[p.labelIds[i]!]!, prob: p.probs[i]! };
      out[t] = r;
    }
    return out;
  }

  /** The labels as strings, decoded once. */
  private labelStrings(): string[] {
    return (this.labelCache ??= this.labels());
  }
  private labelCache: string[] | undefined;

  /**
   * The line predictor `predict`, `predictBatch` and the CLI's streaming predict run on
   * (supervised models only). `.bin` / `.ftz` models give the allocation-free one; this
   * default goes through the subclass's rows and `Predictor`.
   */
  linePredictor(): LinePredictorLike {
    if (!this.isSupervised) throw new UsageError(`${this.path}: predict needs a supervised model, but this one is ${this.args.model}`);
    const model = this;
    const hidden = new Float32Array(this.dim);
    const dict = this.dict;
    const result = { labelIds: new Int32Array(1), probs: new Float64Array(1) };
    return {
      nlabels: this.nlabels,
      get labelIds() {
        return result.labelIds;
      },
      get probs() {
        return result.probs;
      },
      labelBytes: (i) => dict.entryBytes(dict.nwords + i),
      predictLine(bytes, start, end, eos, k, threshold) {
        hidden.fill(0);
        const n = model.addLineRows(hidden, bytes.subarray(start, end), eos);
        if (n === 0) return 0;
        const a = Math.fround(1 / n);
        for (let j = 0; j < hidden.length; j++) hidden[j] = Math.fround(hidden[j]! * a);
        const preds = model.predictor().predict(hidden, k === -1 ? model.nlabels : k, Math.fround(threshold));
        if (result.labelIds.length < preds.length) {
          result.labelIds = new Int32Array(preds.length);
          result.probs = new Float64Array(preds.length);
        }
        preds.forEach((p, i) => {
          result.labelIds[i] = p.index;
          result.probs[i] = p.prob;
        });
        return preds.length;
      },
    };
  }

  /** Header fields and sizes, for `leanml fasttext info`. */
  info(): Record<string, unknown> {
    return {
      path: this.path,
      format: this.format,
      ...this.args,
      nwords: this.nwords,
      nlabels: this.nlabels,
      ntokens: this.dict.ntokens,
      pruned: this.dict.pruneSize >= 0,
    };
  }

  /** Whether `word` is in the vocabulary (labels excluded). */
  has(word: string | Uint8Array): boolean {
    const id = this.dict.id(toBytes(word));
    return id >= 0 && id < this.nwords;
  }
}

/** Checks predict's k (-1 means all labels) and resolves it. */
export function checkPredictK(k: number, nlabels: number): number {
  if (k === -1) return Math.max(nlabels, 1);
  if (!Number.isInteger(k) || k <= 0) throw new UsageError(`predict: k must be 1 or higher (or -1 for all), got ${k}`);
  return k;
}

const scratchEncoder = new TextEncoder();
let scratch = new Uint8Array(4096);

/** A text as UTF-8 bytes in a shared scratch buffer (valid until the next call); bytes pass through. */
function encodeScratch(text: string | Uint8Array): Uint8Array {
  if (typeof text !== 'string') return text;
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3 + 1024);
  const { written } = scratchEncoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k <= 0) throw new UsageError(`k must be 1 or higher, got ${k}`);
}

/** `getNN`'s query norm: tiny norms count as 1 so that a zero query scores 0 everywhere. */
function queryNorm(q: Float32Array): number {
  const n = normF32(q);
  return Math.abs(n) < 1e-8 ? 1 : n;
}
