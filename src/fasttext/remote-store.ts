/**
 * @module
 * A compact store read through an `AsyncByteSource` (HTTP range requests in a page, or a file):
 * opening reads the header and, for an indexed store, the centroids and list starts; a lookup
 * reads only what it needs (hash-table slots, the word's bytes, its row or its n-gram rows), and a
 * neighbour search reads only the rows of the `nprobe` nearest lists. The arithmetic is
 * `StoreModel`'s, so both give the same vectors and neighbours.
 * D = dim, K = index lists.
 */
import type { AsyncByteSource, ByteRange } from '../core/async-source.js';
import { UsageError } from '../core/errors.js';
import { Dictionary, isEos, toBytes } from './dictionary.js';
import { DEFAULT_FASTTEXT } from './fasttext-defaults.js';
import { fnv1a32 } from './hash.js';
import { DEFAULT_IVF, type IvfIndex, nearestLists, probedLists, searchLists } from './ivf-search.js';
import { normF32 } from './matrix.js';
import { dtypeBytes, residualRowBytes, type SectionName, type StoreHeader } from './store-format.js';
import { checkIvfOffsets, FIXED_HEADER, parseFixedHeader, parseStoreHeader } from './store-header.js';
import { forEachSubword, wrapWord } from './subwords.js';
import type { Neighbor } from './vector-model.js';
import { decodeRow, searchBatch, type WordMatrix } from './word-search.js';

const utf8 = new TextDecoder();
/** Table slots read per probe step. */
const SLOTS = 16;

/** Options of `RemoteStore.open`. */
export interface RemoteStoreOptions {
  /** Lists scanned per query (default `DEFAULT_IVF.nprobe`; 0 = all). */
  nprobe?: number;
}

/** A typed array over `b`, copied when its offset breaks the element alignment. */
function view<T extends Int32Array | Float32Array | Uint16Array>(
  b: Uint8Array,
  Type: { new (buf: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
): T {
  const e = Type.BYTES_PER_ELEMENT;
  const c = b.byteOffset % e === 0 ? b : b.slice();
  return new Type(c.buffer as ArrayBuffer, c.byteOffset, c.byteLength / e);
}

/** A compact store read by ranges. */
export class RemoteStore {
  readonly src: AsyncByteSource;
  readonly header: StoreHeader;
  private ix: IvfIndex | null;
  private mean: Float32Array | undefined;
  /** Dictionary over the prune map only: n-gram buckets to rows (no words are held). */
  private subwords: Dictionary;
  private probe: number;

  private constructor(
    src: AsyncByteSource,
    header: StoreHeader,
    ix: IvfIndex | null,
    mean: Float32Array | undefined,
    prune: { keys: Int32Array; values: Int32Array },
    nprobe: number,
  ) {
    this.src = src;
    this.header = header;
    this.ix = ix;
    this.mean = mean;
    const a = header.args;
    this.subwords = new Dictionary(
      {
        nwords: header.nwords,
        nlabels: header.nlabels,
        ntokens: header.ntokens,
        blob: new Uint8Array(0),
        starts: new Int32Array(1),
        counts: new Float64Array(0),
        pruneSize: header.pruneSize,
        pruneKeys: prune.keys,
        pruneValues: prune.values,
      },
      { minn: a.minn, maxn: a.maxn, bucket: a.bucket, table: Int32Array.of(-1) },
    );
    this.probe = nprobe;
  }

  /**
   * Reads the header (validated as `StoreModel` does, with the same errors) and what every query
   * needs: the index's centroids and list starts, the mean row, the prune map.
   */
  static async open(src: AsyncByteSource, opts: RemoteStoreOptions = {}): Promise<RemoteStore> {
    const p = src.path;
    const [head] = await src.readRanges([{ offset: 0, length: Math.min(FIXED_HEADER, src.size) }]);
    const { version, jsonLength } = parseFixedHeader(p, src.size, head!);
    const [json] = await src.readRanges([{ offset: FIXED_HEADER, length: jsonLength }]);
    const h = parseStoreHeader(p, src.size, version, json!);
    const S = h.sections;
    const names: SectionName[] = ['ivfCentroids', 'ivfOffsets', 'wordMean', 'pruneKeys', 'pruneValues'];
    const [cent, offs, mean, pk, pv] = await src.readRanges(names.map((n) => ({ offset: S[n]!.offset, length: S[n]!.length })));
    let ix: IvfIndex | null = null;
    if (h.index) {
      const offsets = view(offs!, Int32Array);
      checkIvfOffsets(p, offsets, h.nwords);
      ix = { lists: h.index.lists, dim: h.args.dim, centroids: view(cent!, Float32Array), offsets };
    }
    const nprobe = opts.nprobe ?? DEFAULT_IVF.nprobe;
    if (!Number.isSafeInteger(nprobe) || nprobe < 0) throw new UsageError(`nprobe must be 0 (all lists) or a positive number of lists, got ${nprobe}`);
    return new RemoteStore(
      src,
      h,
      ix,
      mean!.length ? view(mean!, Float32Array) : undefined,
      { keys: view(pk!, Int32Array), values: view(pv!, Int32Array) },
      nprobe,
    );
  }

  get dim(): number {
    return this.header.args.dim;
  }

  get nwords(): number {
    return this.header.nwords;
  }

  /** Lists scanned per query (0 = all). */
  get nprobe(): number {
    return this.probe;
  }

  set nprobe(n: number) {
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`nprobe must be 0 (all lists) or a positive number of lists, got ${n}`);
    this.probe = n;
  }

  private range(name: SectionName, at: number, length: number): ByteRange {
    return { offset: this.header.sections[name]!.offset + at, length };
  }

  /** Bytes of entries `ids` (their `starts` pairs first, then the bytes). */
  private async entries(ids: number[]): Promise<Uint8Array[]> {
    const pairs = await this.src.readRanges(ids.map((id) => this.range('starts', id * 4, 8)));
    const spans = pairs.map((b) => view(b, Int32Array));
    for (const [i, s] of spans.entries()) {
      if (!(s[0]! >= 0 && s[1]! >= s[0]! && s[1]! <= this.header.sections.blob!.length))
        throw new UsageError(`${this.src.path}: entry ${ids[i]} has invalid bounds ${s[0]}..${s[1]}`);
    }
    return this.src.readRanges(spans.map((s) => this.range('blob', s[0]!, s[1]! - s[0]!)));
  }

  /** Id of `word` in the dictionary (words, then labels), or -1: the hash table probed as `Dictionary.id`. */
  async id(word: string | Uint8Array): Promise<number> {
    const w = toBytes(word);
    const T = this.header.sections.table!.length / 4,
      mask = T - 1;
    let slot = fnv1a32(w) & mask;
    for (let probed = 0; probed < T; ) {
      const n = Math.min(SLOTS, T - slot);
      const [b] = await this.src.readRanges([this.range('table', slot * 4, n * 4)]);
      const ids = view(b!, Int32Array);
      const end = ids.indexOf(-1);
      const live = Array.from(end < 0 ? ids : ids.subarray(0, end));
      const bytes = await this.entries(live);
      for (let i = 0; i < live.length; i++) if (sameBytes(bytes[i]!, w)) return live[i]!;
      if (end >= 0) return -1;
      probed += n;
      slot = (slot + n) & mask;
    }
    return -1;
  }

  /** Words `ids` as text. */
  async words(ids: number[]): Promise<string[]> {
    return (await this.entries(ids)).map((b) => utf8.decode(b));
  }

  /** The vectors of `words` (unknown words from their n-grams), as `StoreModel.wordVector`. */
  async wordVectors(words: (string | Uint8Array)[]): Promise<{ vectors: Float32Array[]; ids: number[] }> {
    const ws = words.map(toBytes);
    const ids = await Promise.all(ws.map((w) => this.id(w)));
    const vectors = await Promise.all(ws.map((w, i) => this.vectorOf(w, ids[i]!)));
    return { vectors, ids };
  }

  /** The vector of `word`. */
  async wordVector(word: string | Uint8Array): Promise<Float32Array> {
    return (await this.wordVectors([word])).vectors[0]!;
  }

  private async vectorOf(w: Uint8Array, id: number): Promise<Float32Array> {
    const h = this.header,
      D = this.dim,
      eb = dtypeBytes(h.dtype),
      int8 = h.dtype === 'int8';
    const out = new Float32Array(D);
    if (id >= 0 && id < h.nwords) {
      let pos = id;
      if (this.ix) pos = view((await this.src.readRanges([this.range('ivfPositions', id * 4, 4)]))[0]!, Int32Array)[0]!;
      const rb = residualRowBytes(D),
        hasRes = h.sections.wordResiduals!.length > 0;
      const want = [this.range('words', pos * D * eb, D * eb), this.range('norms', id * 4, 4)];
      if (int8) want.push(this.range('wordScales', pos * 4, 4));
      if (hasRes) want.push(this.range('wordResiduals', pos * rb, rb));
      const [row, norm, scale, res] = await this.src.readRanges(want);
      const m = this.oneRow(row!, int8 ? scale! : undefined);
      if (hasRes) m.residual = res!;
      m.mean = this.mean;
      const v = decodeRow(m, 0, new Float32Array(D));
      const a = Math.fround(view(norm!, Float32Array)[0]! * 1);
      for (let j = 0; j < D; j++) out[j]! += Math.fround(v[j]! * a);
      return out;
    }
    const rows: number[] = [];
    if (!isEos(w)) {
      forEachSubword(wrapWord(w), this.subwords.minn, this.subwords.maxn, this.subwords.bucket, (b) => {
        const r = this.subwords.bucketRow(b);
        if (r >= 0) rows.push(r - h.nwords);
      });
    }
    if (rows.length === 0) return out;
    const want: ByteRange[] = rows.map((g) => this.range('ngrams', g * D * eb, D * eb));
    if (int8) for (const g of rows) want.push(this.range('ngramScales', g * 4, 4));
    const got = await this.src.readRanges(want);
    const row = new Float32Array(D);
    rows.forEach((_, i) => {
      decodeRow(this.oneRow(got[i]!, int8 ? got[rows.length + i]! : undefined), 0, row);
      for (let j = 0; j < D; j++) out[j]! += row[j]!;
    });
    const a = Math.fround(1 / rows.length);
    for (let j = 0; j < D; j++) out[j] = Math.fround(out[j]! * a);
    return out;
  }

  private oneRow(row: Uint8Array, scale: Uint8Array | undefined): WordMatrix {
    const D = this.dim,
      t = this.header.dtype;
    const data = t === 'f32' ? view(row, Float32Array) : t === 'f16' ? view(row, Uint16Array) : new Int8Array(row.buffer, row.byteOffset, D);
    return { rows: 1, dim: D, dtype: t, data, scales: scale ? view(scale, Float32Array) : undefined };
  }

  /** The `k` nearest words to `word` by cosine similarity, the word itself excluded. */
  async nearestNeighbors(word: string | Uint8Array, k = DEFAULT_FASTTEXT.nnK): Promise<Neighbor[]> {
    return (await this.nearestNeighborsBatch([word], k))[0]!;
  }

  /**
   * `nearestNeighbors` for many words: the lists all of them probe are fetched together (one
   * request for neighbouring lists). A store without an index has its whole word matrix read.
   */
  async nearestNeighborsBatch(words: (string | Uint8Array)[], k = DEFAULT_FASTTEXT.nnK): Promise<Neighbor[][]> {
    if (!Number.isInteger(k) || k <= 0) throw new UsageError(`k must be 1 or higher, got ${k}`);
    const h = this.header,
      D = this.dim,
      B = words.length;
    const { vectors, ids } = await this.wordVectors(words);
    const queries = new Float32Array(B * D);
    const norms = new Float64Array(B);
    vectors.forEach((v, b) => {
      queries.set(v, b * D);
      const n = normF32(v);
      norms[b] = Math.abs(n) < 1e-8 ? 1 : n;
    });
    const inVocab = ids.map((id) => id >= 0 && id < h.nwords);
    let found: { id: number; score: number }[][];
    let posToId: (p: number) => number;
    const ix = this.ix;
    // positions of the query words, to exclude them
    const qpos = ix ? await this.src.readRanges(ids.map((id, b) => (inVocab[b] ? this.range('ivfPositions', id * 4, 4) : { offset: 0, length: 0 }))) : [];
    const banned = ids.map((id, b) => (!inVocab[b] ? [] : ix ? [view(qpos[b]!, Int32Array)[0]!] : [id]));
    if (ix && this.probe > 0 && this.probe < ix.lists) {
      const probes = nearestLists(ix, queries, this.probe);
      const lists = await this.fetchLists(probedLists(probes));
      found = searchLists(ix, probes, (l) => lists.get(l)!.rows, queries, norms, k, banned);
      posToId = (p) => {
        for (const [l, got] of lists) if (p >= ix.offsets[l]! && p < ix.offsets[l + 1]!) return got.ids[p - ix.offsets[l]!]!;
        throw new Error(`position ${p} is in no fetched list`);
      };
    } else {
      // exact: every row (as StoreModel's exact search)
      const [all] = await this.fetchRowSpans([[0, h.nwords]], ix !== null);
      found = searchBatch(all!.rows, queries, norms, k, banned);
      posToId = ix ? (p) => all!.ids![p]! : (p) => p;
    }
    const resultIds = found.map((r) => r.map((s) => posToId(s.id)));
    const bytes = await this.entries(resultIds.flat());
    let at = 0;
    return found.map((r) =>
      r.map((s) => {
        const by = bytes[at++]!;
        return { word: utf8.decode(by), bytes: by, score: s.score };
      }),
    );
  }

  private async fetchLists(lists: number[]): Promise<Map<number, { rows: WordMatrix; ids: Int32Array }>> {
    const ix = this.ix!;
    const spans = lists.map((l) => [ix.offsets[l]!, ix.offsets[l + 1]! - ix.offsets[l]!] as [number, number]);
    const got = await this.fetchRowSpans(spans, true);
    return new Map(lists.map((l, i) => [l, got[i]! as { rows: WordMatrix; ids: Int32Array }]));
  }

  /** The rows (and with `withIds` their word ids) of each span of positions, all fetched in one batch. */
  private async fetchRowSpans(spans: [number, number][], withIds = false): Promise<{ rows: WordMatrix; ids?: Int32Array }[]> {
    const h = this.header,
      D = this.dim,
      eb = dtypeBytes(h.dtype),
      rb = residualRowBytes(D);
    const int8 = h.dtype === 'int8',
      hasRes = h.sections.wordResiduals!.length > 0;
    const per = 1 + (int8 ? 1 : 0) + (hasRes ? 1 : 0) + (withIds ? 1 : 0);
    const want: ByteRange[] = [];
    for (const [s, n] of spans) {
      want.push(this.range('words', s * D * eb, n * D * eb));
      if (int8) want.push(this.range('wordScales', s * 4, n * 4));
      if (hasRes) want.push(this.range('wordResiduals', s * rb, n * rb));
      if (withIds) want.push(this.range('ivfIds', s * 4, n * 4));
    }
    const got = await this.src.readRanges(want);
    return spans.map(([, n], i) => {
      let j = i * per;
      const d = got[j++]!;
      const data = h.dtype === 'f32' ? view(d, Float32Array) : h.dtype === 'f16' ? view(d, Uint16Array) : new Int8Array(d.buffer, d.byteOffset, n * D);
      const rows: WordMatrix = { rows: n, dim: D, dtype: h.dtype, data, mean: this.mean };
      if (int8) rows.scales = view(got[j++]!, Float32Array);
      if (hasRes) rows.residual = got[j++]!;
      return { rows, ids: withIds ? view(got[j++]!, Int32Array) : undefined };
    });
  }

  /** Bytes and requests so far. */
  get stats(): { requests: number; bytesFetched: number; size: number } {
    return { ...this.src.stats, size: this.src.size };
  }

  close(): void {
    this.src.close();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
