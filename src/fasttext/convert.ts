/**
 * @module
 * `convertToStore`: writes a model as a compact vector store (see `store-format.ts`): the
 * word vectors computed once and normalised (what neighbour search scans), their norms (to
 * give back raw vectors), the n-gram matrix for unknown words, all in f32, f16 or int8 (word
 * rows of int8 stores with a 4-bit residual, so that search can rescore its shortlist), and
 * with `index: 'ivf'` an inverted-file index over the word rows (see `ivf-train.ts`).
 */
import { closeSync, openSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { writeFullySync } from '../core/write-fully.js';
import type { BinModel } from './bin-model.js';
import { DenseFileMatrix } from './dense-file-matrix.js';
import { DEFAULT_FASTTEXT } from './fasttext-defaults.js';
import {
  align,
  dtypeBytes,
  residualRowBytes,
  type Section,
  type SectionName,
  STORE_MAGIC,
  STORE_VERSION,
  type StoreDtype,
  type StoreHeader,
} from './store-format.js';
import { floatToHalf } from '../core/half.js';
import { assignRows, defaultLists, listOrder, trainIvf } from './ivf-train.js';
import { RESIDUAL_STEPS, type WordMatrix } from './word-search.js';
import { MAX_IVF_LISTS } from './store-format.js';

/** Options of `convertToStore`. */
export interface ConvertOptions {
  /** Element type of the word and n-gram matrices (default f32). */
  dtype?: StoreDtype;
  /**
   * int8 only (default true): store word rows minus their mean with a 4-bit residual, for
   * recall close to f32's; false writes plain int8 rows (0.5 byte/dim smaller, single-stage search).
   */
  refine?: boolean;
  /** `ivf` adds an inverted-file index over the word rows (default none). */
  index?: 'ivf' | 'none';
  /** Index lists (default about the square root of the number of words). */
  lists?: number;
  /** Called with (rows done, rows total, phase) while indexing the word rows and writing the n-gram matrix. */
  onProgress?: (done: number, total: number, phase: 'index' | 'n-gram rows') => void;
}

/** Rows assigned to lists between two progress reports. */
const ASSIGN_CHUNK = 1 << 15;

/**
 * Encodes (rows, D) float32 values as `dtype`; int8 also returns one scale per row and, with
 * `residual`, each row's rounding error quantised to 4 bits (step scale / RESIDUAL_STEPS, two
 * values per byte, low nibble first, stored as value + 8).
 */
export function encodeRows(
  src: Float32Array,
  rows: number,
  dim: number,
  dtype: StoreDtype,
  opts: { residual?: boolean } = {},
): { data: Uint8Array; scales?: Float32Array; residual?: Uint8Array } {
  if (dtype === 'f32') return { data: new Uint8Array(src.buffer, src.byteOffset, rows * dim * 4) };
  if (dtype === 'f16') {
    const h = new Uint16Array(rows * dim);
    for (let i = 0; i < h.length; i++) h[i] = floatToHalf(src[i]!);
    return { data: new Uint8Array(h.buffer) };
  }
  const q = new Int8Array(rows * dim);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(src[r * dim + j]!));
    const s = max > 0 ? max / 127 : 1;
    scales[r] = s;
    for (let j = 0; j < dim; j++) q[r * dim + j] = Math.round(src[r * dim + j]! / s);
  }
  if (!opts.residual) return { data: new Uint8Array(q.buffer), scales };
  const rb = residualRowBytes(dim);
  const residual = new Uint8Array(rows * rb);
  for (let r = 0; r < rows; r++) {
    const step = scales[r]! / RESIDUAL_STEPS;
    for (let j = 0; j < dim; j++) {
      const err = src[r * dim + j]! - Math.fround(q[r * dim + j]! * scales[r]!);
      const v = Math.max(-7, Math.min(7, Math.round(err / step))) + 8;
      residual[r * rb + (j >> 1)]! |= (j & 1) === 0 ? v : v << 4;
    }
  }
  return { data: new Uint8Array(q.buffer), scales, residual };
}

/** Reorders the encoded rows (data, scales, residuals) so that position p holds row `ids[p]`. */
function permuteRows(w: { data: Uint8Array; scales?: Float32Array; residual?: Uint8Array }, ids: Int32Array, D: number, elem: number): void {
  const N = ids.length;
  const perm = <T extends Uint8Array | Float32Array>(a: T, width: number, make: (n: number) => T): T => {
    const out = make(a.length);
    for (let p = 0; p < N; p++) out.set(a.subarray(ids[p]! * width, (ids[p]! + 1) * width), p * width);
    return out;
  };
  w.data = perm(w.data, D * elem, (n) => new Uint8Array(n));
  if (w.scales) w.scales = perm(w.scales, 1, (n) => new Float32Array(n));
  if (w.residual) w.residual = perm(w.residual, (D + 1) >> 1, (n) => new Uint8Array(n));
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Writes `model` as a compact store at `outPath`. */
export function convertToStore(model: BinModel, outPath: string, opts: ConvertOptions = {}): StoreHeader {
  const dtype = opts.dtype ?? 'f32';
  if (!['f32', 'f16', 'int8'].includes(dtype)) throw new UsageError(`convert: dtype must be f32, f16 or int8, got '${dtype}'`);
  const dict = model.dict;
  const D = model.dim,
    N = model.nwords;
  const { matrix, norms } = model.wordMatrixWithNorms();
  const subwordCounts = new Int32Array(N);
  for (let i = 0; i < N; i++) subwordCounts[i] = model.subwordCount(i);
  // int8: quantise the rows minus their mean row (see store-format.ts), with a 4-bit residual
  let mean: Float32Array | null = null;
  let wordRows = matrix.data as Float32Array;
  const refine = dtype === 'int8' && opts.refine !== false;
  if (refine && N > 0) {
    const acc = new Float64Array(D);
    for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) acc[j]! += wordRows[i * D + j]!;
    mean = Float32Array.from(acc, (v) => v / N);
    const centred = new Float32Array(N * D);
    for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) centred[i * D + j] = wordRows[i * D + j]! - mean[j]!;
    wordRows = centred;
  }
  const words = encodeRows(wordRows, N, D, dtype, { residual: refine });
  let ivf: { K: number; centroids: Float32Array; ids: Int32Array; positions: Int32Array; offsets: Int32Array } | null = null;
  if ((opts.index ?? DEFAULT_FASTTEXT.index) !== 'none') {
    if (opts.index !== 'ivf') throw new UsageError(`convert: index must be ivf or none, got '${opts.index}'`);
    if (N === 0) throw new UsageError('convert: an index needs at least one word');
    const K = opts.lists ?? defaultLists(N);
    if (!Number.isSafeInteger(K) || K < 1 || K > Math.min(N, MAX_IVF_LISTS))
      throw new UsageError(`convert: lists must be 1..${Math.min(N, MAX_IVF_LISTS)} (the number of words), got ${K}`);
    const unit = matrix.data as Float32Array;
    const centroids = trainIvf(N, D, K, (i, out) => out.set(unit.subarray(i * D, (i + 1) * D)));
    const assign = new Int32Array(N);
    for (let r0 = 0; r0 < N; r0 += ASSIGN_CHUNK) {
      const n = Math.min(ASSIGN_CHUNK, N - r0);
      assignRows(centroids, K, D, unit.subarray(r0 * D, (r0 + n) * D), n, assign, r0);
      opts.onProgress?.(r0 + n, N, 'index');
    }
    ivf = { K, centroids, ...listOrder(assign, K) };
    permuteRows(words, ivf.ids, D, dtypeBytes(dtype));
  }
  const G = model.input.rows - N;
  const eb = dtypeBytes(dtype);

  let output: Float32Array | null = null;
  if (model.isSupervised) {
    const om = model.outputMatrix();
    output = new Float32Array(om.rows * D);
    for (let r = 0; r < om.rows; r++) om.addRow(output.subarray(r * D, (r + 1) * D), r);
  }

  // lay out the sections
  const sections: Partial<Record<SectionName, Section>> = {};
  const lengths: [SectionName, number][] = [
    // the index's small parts first: a range reader gets them with the header
    ['ivfCentroids', ivf ? ivf.centroids.byteLength : 0],
    ['ivfOffsets', ivf ? ivf.offsets.byteLength : 0],
    ['blob', dict.blob.byteLength],
    ['starts', dict.starts.byteLength],
    ['counts', dict.counts.byteLength],
    ['table', dict.hashTable.byteLength],
    ['pruneKeys', dict.pruneKeys.byteLength],
    ['pruneValues', dict.pruneValues.byteLength],
    ['norms', norms.byteLength],
    ['subwordCounts', subwordCounts.byteLength],
    ['words', N * D * eb],
    ['wordScales', words.scales ? N * 4 : 0],
    ['wordResiduals', words.residual ? words.residual.byteLength : 0],
    ['wordMean', mean ? mean.byteLength : 0],
    ['ngrams', G * D * eb],
    ['ngramScales', dtype === 'int8' ? G * 4 : 0],
    ['output', output ? output.byteLength : 0],
    ['ivfIds', ivf ? ivf.ids.byteLength : 0],
    ['ivfPositions', ivf ? ivf.positions.byteLength : 0],
  ];
  const header: StoreHeader = {
    args: model.args,
    dtype,
    nwords: N,
    nlabels: dict.nlabels,
    ntokens: dict.ntokens,
    pruneSize: dict.pruneSize,
    ngramRows: G,
    source: { path: model.path, format: model.format },
    ...(ivf ? { index: { kind: 'ivf' as const, lists: ivf.K } } : {}),
    sections: {},
  };
  // The header size depends on the offsets it holds: lay out against a generous header bound.
  const probe = JSON.stringify({ ...header, sections: Object.fromEntries(lengths.map(([n]) => [n, { offset: 1e15, length: 1e15 }])) });
  let at = align(16 + Buffer.byteLength(probe) + 64);
  for (const [name, length] of lengths) {
    sections[name] = { offset: at, length };
    at = align(at + length);
  }
  header.sections = sections as Record<string, Section>;
  const json = Buffer.from(JSON.stringify(header));

  const fd = openSync(outPath, 'w');
  try {
    let pos = 0;
    const write = (b: Uint8Array) => {
      writeFullySync(fd, b, pos);
      pos += b.byteLength;
    };
    const pad = (to: number) => {
      if (to > pos) write(new Uint8Array(to - pos));
    };
    const head = new Uint8Array(16);
    head.set(STORE_MAGIC, 0);
    new DataView(head.buffer).setUint32(8, STORE_VERSION, true);
    new DataView(head.buffer).setUint32(12, json.byteLength, true);
    write(head);
    write(json);
    const put = (name: SectionName, data: Uint8Array) => {
      pad(sections[name]!.offset);
      write(data);
    };
    if (ivf) {
      put('ivfCentroids', bytesOf(ivf.centroids));
      put('ivfOffsets', bytesOf(ivf.offsets));
    }
    put('blob', dict.blob);
    put('starts', bytesOf(dict.starts));
    put('counts', bytesOf(dict.counts));
    put('table', bytesOf(dict.hashTable));
    put('pruneKeys', bytesOf(dict.pruneKeys));
    put('pruneValues', bytesOf(dict.pruneValues));
    put('norms', bytesOf(norms));
    put('subwordCounts', bytesOf(subwordCounts));
    put('words', words.data);
    if (words.scales) put('wordScales', bytesOf(words.scales));
    if (words.residual) put('wordResiduals', words.residual);
    if (mean) put('wordMean', bytesOf(mean));
    // n-gram rows, streamed in chunks so a multi-GB matrix never sits in memory
    pad(sections.ngrams!.offset);
    const CH = Math.max(1, Math.floor((1 << 24) / (D * 4)));
    const scales = dtype === 'int8' ? new Float32Array(G) : null;
    for (let r0 = 0; r0 < G; r0 += CH) {
      const n = Math.min(CH, G - r0);
      let rows: Float32Array;
      if (model.input instanceof DenseFileMatrix) rows = model.input.readRows(N + r0, n);
      else {
        rows = new Float32Array(n * D);
        for (let r = 0; r < n; r++) model.input.addRow(rows.subarray(r * D, (r + 1) * D), N + r0 + r);
      }
      const enc = encodeRows(rows, n, D, dtype);
      write(enc.data);
      if (scales) scales.set(enc.scales!, r0);
      opts.onProgress?.(r0 + n, G, 'n-gram rows');
    }
    if (scales) put('ngramScales', bytesOf(scales));
    if (output) put('output', bytesOf(output));
    if (ivf) {
      put('ivfIds', bytesOf(ivf.ids));
      put('ivfPositions', bytesOf(ivf.positions));
    }
    pad(at);
  } finally {
    closeSync(fd);
  }
  return header;
}

export type { WordMatrix };
