/**
 * @module
 * Supervised prediction of one line of bytes at a time without allocating, operation for
 * operation as fastText 0.9.2's `predict-prob`: `Dictionary::getLine` (words split on
 * whitespace and NUL, labels dropped, `</s>` for a line that ended), the input rows of each word
 * (its own row and its character n-grams) and of the word n-grams, their float32 mean
 * (`Model::computeHidden`, rows added in the C++ order so that every rounding is the same), then
 * the loss's k best labels. Results are left in `labelIds` / `probs` for the caller to read.
 *
 * Legend: D = dim, L = labels, R = rows of the line.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';
import type { FastTextArgs } from './args.js';
import type { Dictionary } from './dictionary.js';
import { EOS } from './dictionary.js';
import { expf } from './expf.js';
import { DenseMatrix, type RowMatrix } from './matrix.js';
import { buildTree, tableSigmoid } from './predict.js';
import { QuantMatrix } from './quant-matrix.js';
import { StdHeap } from './std-heap.js';

const fr = Math.fround;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
const BOW = 0x3c; // '<'
const EOW = 0x3e; // '>'
const LABEL_PREFIX = new TextEncoder().encode(DEFAULT_LABEL_PREFIX);
const EOS_BYTES = new TextEncoder().encode(EOS);
const NGRAM_MULT = 116049371;
// the out-of-vocabulary word cache: 8,192 words, 256 KB of their bytes, 256 K rows (about 1.5 MB)
const OOV_SLOTS = 65536;
const OOV_ENTRIES = OOV_SLOTS / 2;
const OOV_BYTES = 1 << 20;
const OOV_ROWS = 1 << 20;

/** `std_log`: log(x + 1e-5), x and the result in float32 (the log itself in double, as the C++). */
function stdLog(x: number): number {
  return fr(Math.log(fr(x) + 1e-5));
}

/** What a line predictor offers to the writers: the k best labels of a line, read without allocating. */
export interface LinePredictorLike {
  /** Number of labels. */
  readonly nlabels: number;
  /** Predicts `bytes[start, end)`; returns how many labels were kept (best first in `labelIds` / `probs`). */
  predictLine(bytes: Uint8Array, start: number, end: number, eos: boolean, k: number, threshold: number): number;
  /** Label indices (0-based among labels) of the last prediction. */
  readonly labelIds: Int32Array;
  /** Probabilities (float32 values) of the last prediction. */
  readonly probs: Float64Array;
  /** The bytes of label `i` as the model stores them (`__label__xx`). */
  labelBytes(i: number): Uint8Array;
}

/** The parts of a `.bin` / `.ftz` model prediction needs. */
export interface LinePredictorParts {
  args: FastTextArgs;
  dict: Dictionary;
  input: RowMatrix;
  output: RowMatrix;
  /** For error messages. */
  path: string;
}

/**
 * The fast prediction path of `.bin` / `.ftz` models. One instance keeps its scratch buffers:
 * use it from one caller at a time.
 */
export class LinePredictor implements LinePredictorLike {
  readonly nlabels: number;
  labelIds: Int32Array;
  probs: Float64Array;

  private readonly dim: number;
  private readonly dict: Dictionary;
  private readonly nwords: number;
  private readonly minn: number;
  private readonly maxn: number;
  private readonly bucket: number;
  private readonly wordNgrams: number;
  private readonly loss: FastTextArgs['loss'];
  private readonly input: RowMatrix;
  private readonly output: RowMatrix;
  private readonly eosId: number;
  private readonly eosHash: number;

  // input matrix, specialised: quantised (codes into centroids, optional norms) or dense in memory
  private readonly qCodes: Uint8Array | null = null;
  private readonly qCentroids: Float32Array | null = null;
  private readonly qNormCodes: Uint8Array | null = null;
  private readonly qNorms: Float32Array | null = null;
  private readonly nsubq: number = 0;
  private readonly dsub: number = 0;
  private readonly lastdsub: number = 0;
  private readonly denseIn: Float32Array | null = null;
  // output matrix when dense in memory (L x D)
  private readonly denseOut: Float32Array | null = null;

  // pruned n-gram buckets: a bitmap of the kept buckets (most n-grams of unknown words are not
  // kept: one bit answers them), then an open-addressing map bucket -> row, (key, row) pairs
  // side by side, keys -1 = empty
  private readonly pruneBits: Uint32Array | null = null;
  private readonly pruneShift: number = 0;
  private readonly pruneMap: Int32Array | null = null;

  // in-vocabulary words' rows (`Dictionary::getSubwords(id)`), computed on first use
  private wordRowStart: Int32Array;
  private wordRowPool: Int32Array;
  private wordRowPoolLen = 0;

  // out-of-vocabulary words seen lately -> their n-gram rows (bounded; emptied whole when full)
  private readonly oovSlots = new Int32Array(OOV_SLOTS).fill(-1);
  private readonly oovHash = new Int32Array(OOV_ENTRIES);
  private readonly oovByteStart = new Int32Array(OOV_ENTRIES + 1);
  private readonly oovRowStart = new Int32Array(OOV_ENTRIES + 1);
  private readonly oovBytes = new Uint8Array(OOV_BYTES);
  private readonly oovRows = new Int32Array(OOV_ROWS);
  private oovCount = 0;

  // hierarchical softmax tree
  private readonly treeLeft: Int32Array | null = null;
  private readonly treeRight: Int32Array | null = null;

  // scratch
  private rows: Int32Array = new Int32Array(1024);
  private nrows = 0;
  private hashes: Int32Array = new Int32Array(256);
  private nhashes = 0;
  private wbuf: Uint8Array = new Uint8Array(256);
  private readonly hidden: Float32Array;
  private readonly out: Float32Array;
  private heap: StdHeap = new StdHeap(1);
  private logThreshold = 0;
  private stackNodes = new Int32Array(256);
  private stackScores = new Float64Array(256);
  private labelBytesCache: Uint8Array[] = [];

  constructor(parts: LinePredictorParts) {
    const { args, dict, input, output, path } = parts;
    if (args.model !== 'supervised') throw new UsageError(`${path}: predict needs a supervised model, but this one is ${args.model}`);
    this.dim = args.dim;
    this.dict = dict;
    this.nwords = dict.nwords;
    this.nlabels = dict.nlabels;
    this.minn = args.minn;
    this.maxn = args.maxn;
    this.bucket = args.bucket;
    this.wordNgrams = args.wordNgrams;
    this.loss = args.loss;
    this.input = input;
    this.output = output;
    this.eosId = dict.id(EOS_BYTES);
    this.eosHash = fnvRange(EOS_BYTES, 0, EOS_BYTES.length) | 0;
    this.hidden = new Float32Array(this.dim);
    this.out = new Float32Array(Math.max(1, output.rows));
    this.labelIds = new Int32Array(1);
    this.probs = new Float64Array(1);
    if (input instanceof QuantMatrix) {
      this.qCodes = input.codes;
      this.qCentroids = input.pq.centroids;
      this.nsubq = input.pq.nsubq;
      this.dsub = input.pq.dsub;
      this.lastdsub = input.pq.lastdsub;
      if (input.qnorm) {
        this.qNormCodes = input.normCodes;
        this.qNorms = input.npq!.centroids;
      }
    } else if (input instanceof DenseMatrix) {
      this.denseIn = input.data;
    }
    if (output instanceof DenseMatrix) this.denseOut = output.data;
    if (dict.pruneSize > 0) {
      let bits = 1;
      while (1 << bits < dict.pruneKeys.length * 3) bits++;
      const cap = 1 << bits;
      this.pruneShift = 32 - bits;
      const map = (this.pruneMap = new Int32Array(2 * cap).fill(-1));
      const bitmap = (this.pruneBits = new Uint32Array(Math.ceil(Math.max(this.bucket, 1) / 32)));
      for (let i = 0; i < dict.pruneKeys.length; i++) {
        const key = dict.pruneKeys[i]!;
        if (key >= 0 && key < this.bucket) bitmap[key >>> 5]! |= 1 << (key & 31);
        let slot = Math.imul(key, 0x9e3779b1) >>> this.pruneShift;
        while (map[2 * slot] !== -1) slot = (slot + 1) & (cap - 1);
        map[2 * slot] = key;
        map[2 * slot + 1] = dict.nwords + dict.pruneValues[i]!;
      }
    }
    this.wordRowStart = new Int32Array(this.nwords + 1).fill(-1);
    this.wordRowPool = new Int32Array(1024);
    if (args.loss === 'hs') {
      const tree = buildTree(dict.counts.subarray(dict.nwords));
      this.treeLeft = Int32Array.from(tree, (t) => t.left);
      this.treeRight = Int32Array.from(tree, (t) => t.right);
    }
  }

  labelBytes(i: number): Uint8Array {
    return (this.labelBytesCache[i] ??= this.dict.entryBytes(this.nwords + i).slice());
  }

  /**
   * The k best labels of the line `bytes[start, end)` (without its newline; `eos` when it had
   * one) with probability >= threshold; returns their number. k = -1 means all labels.
   */
  predictLine(bytes: Uint8Array, start: number, end: number, eos: boolean, k: number, threshold: number): number {
    if (k === -1) k = this.nlabels;
    this.collectRows(bytes, start, end, eos);
    const n = this.nrows;
    if (n === 0) return 0;
    this.computeHidden();
    const kk = Math.min(k, Math.max(this.nlabels, 1));
    if (this.heap.k !== kk) this.heap = new StdHeap(kk);
    if (this.labelIds.length < kk) {
      this.labelIds = new Int32Array(kk);
      this.probs = new Float64Array(kk);
    }
    const t = fr(threshold);
    if (this.treeLeft) {
      this.logThreshold = stdLog(t);
      this.dfs(2 * this.nlabels - 2, 0);
    } else this.findKBest(t);
    const count = this.heap.sortInPlace();
    for (let i = 0; i < count; i++) {
      this.labelIds[i] = this.heap.idAt(i);
      this.probs[i] = expf(this.heap.scoreAt(i));
    }
    return count;
  }

  /** The line's input row ids, in `Dictionary::getLine` + `addWordNgrams` order, into `rows`. */
  private collectRows(bytes: Uint8Array, start: number, end: number, eos: boolean): void {
    this.nrows = 0;
    this.nhashes = 0;
    let i = start;
    while (i < end) {
      let c = bytes[i]!;
      while (c === 32 || (c >= 9 && c <= 13) || c === 0) {
        if (++i === end) break;
        c = bytes[i]!;
      }
      if (i === end) break;
      const s = i;
      let h = FNV_OFFSET;
      while (i < end) {
        c = bytes[i]!;
        if (c === 32 || (c >= 9 && c <= 13) || c === 0) break;
        h = Math.imul(h ^ (c >= 0x80 ? c | 0xffffff00 : c), FNV_PRIME);
        i++;
      }
      this.addToken(bytes, s, i, h);
    }
    if (eos) {
      if (this.eosId >= 0) this.addWordRows(this.eosId);
      this.pushHash(this.eosHash);
    }
    if (this.wordNgrams > 1) this.addWordNgrams();
  }

  private addToken(bytes: Uint8Array, s: number, e: number, hash: number): void {
    const id = this.dict.idAt(bytes, s, e, hash >>> 0);
    if (id >= 0) {
      if (id >= this.nwords) return; // a label of the model
      this.addWordRows(id);
    } else {
      if (hasLabelPrefix(bytes, s, e)) return;
      if (!isEosToken(bytes, s, e)) this.addOovRows(bytes, s, e, hash | 0);
    }
    this.pushHash(hash | 0);
  }

  /** `Dictionary::getSubwords(id)` (its own row, then its n-grams' rows), cached per word. */
  private addWordRows(id: number): void {
    if (this.maxn <= 0) {
      this.pushRow(id);
      return;
    }
    let from = this.wordRowStart[id]!;
    if (from < 0) {
      // compute once: the rows pushed now are copied into the pool
      const before = this.nrows;
      this.pushRow(id);
      const w = this.dict.entryBytes(id);
      if (!isEosToken(w, 0, w.length)) this.addSubwords(w, 0, w.length);
      const cnt = this.nrows - before;
      this.reservePool(cnt + 1);
      from = this.wordRowPoolLen;
      this.wordRowPool[from] = cnt;
      this.wordRowPool.set(this.rows.subarray(before, this.nrows), from + 1);
      this.wordRowPoolLen += cnt + 1;
      this.wordRowStart[id] = from;
      return;
    }
    this.copyRows(this.wordRowPool, from + 1, from + 1 + this.wordRowPool[from]!);
  }

  /** Appends `src[from, to)` to the line's rows (a plain loop: no subarray object per word). */
  private copyRows(src: Int32Array, from: number, to: number): void {
    this.reserveRows(to - from);
    const rows = this.rows;
    let n = this.nrows;
    for (let i = from; i < to; i++) rows[n++] = src[i]!;
    this.nrows = n;
  }

  /**
   * The n-gram rows of an out-of-vocabulary word, from the cache when it was seen lately
   * (text repeats its words; the rows are the same, so the sums are too).
   */
  private addOovRows(bytes: Uint8Array, s: number, e: number, hash: number): void {
    const len = e - s,
      slots = this.oovSlots,
      mask = OOV_SLOTS - 1;
    let slot = hash & mask;
    for (;;) {
      const ent = slots[slot]!;
      if (ent < 0) break;
      if (this.oovHash[ent] === hash) {
        const b0 = this.oovByteStart[ent]!;
        if (this.oovByteStart[ent + 1]! - b0 === len) {
          const wb = this.oovBytes;
          let k = 0;
          while (k < len && wb[b0 + k] === bytes[s + k]) k++;
          if (k === len) {
            this.copyRows(this.oovRows, this.oovRowStart[ent]!, this.oovRowStart[ent + 1]!);
            return;
          }
        }
      }
      slot = (slot + 1) & mask;
    }
    const before = this.nrows;
    this.addSubwords(bytes, s, e);
    const cnt = this.nrows - before;
    let n = this.oovCount;
    if (n === OOV_ENTRIES || this.oovByteStart[n]! + len > OOV_BYTES || this.oovRowStart[n]! + cnt > OOV_ROWS) {
      if (len > OOV_BYTES / 4 || cnt > OOV_ROWS / 4) return; // too big to keep
      slots.fill(-1);
      n = this.oovCount = 0;
      slot = hash & mask;
    }
    const b0 = this.oovByteStart[n]!,
      r0 = this.oovRowStart[n]!;
    this.oovBytes.set(bytes.subarray(s, e), b0);
    this.oovRows.set(this.rows.subarray(before, this.nrows), r0);
    this.oovHash[n] = hash;
    this.oovByteStart[n + 1] = b0 + len;
    this.oovRowStart[n + 1] = r0 + cnt;
    slots[slot] = n;
    this.oovCount = n + 1;
  }

  /** `Dictionary::computeSubwords("<" + word + ">")`: one incremental FNV-1a per n-gram start. */
  private addSubwords(bytes: Uint8Array, s: number, e: number): void {
    if (this.bucket <= 0) return;
    const len = e - s + 2;
    if (this.wbuf.length < len) this.wbuf = new Uint8Array(len * 2);
    const w = this.wbuf;
    w[0] = BOW;
    for (let k = s; k < e; k++) w[k - s + 1] = bytes[k]!;
    w[len - 1] = EOW;
    const { minn, maxn, bucket } = this;
    for (let i = 0; i < len; i++) {
      if ((w[i]! & 0xc0) === 0x80) continue;
      let h = FNV_OFFSET;
      let j = i;
      for (let n = 1; j < len && n <= maxn; n++) {
        // one whole UTF-8 character: its first byte, then its continuation bytes
        let c = w[j++]!;
        h = Math.imul(h ^ (c >= 0x80 ? c | 0xffffff00 : c), FNV_PRIME);
        while (j < len && ((c = w[j]!) & 0xc0) === 0x80) {
          h = Math.imul(h ^ (c | 0xffffff00), FNV_PRIME);
          j++;
        }
        if (n >= minn && !(n === 1 && (i === 0 || j === len))) {
          const u = h >>> 0;
          const row = this.bucketRow(u - Math.floor(u / bucket) * bucket); // u % bucket, exact, no fmod
          if (row >= 0) this.pushRow(row);
        }
      }
    }
  }

  /** `Dictionary::pushHash`: the row of n-gram bucket `b`, or -1 when pruning dropped it. */
  private bucketRow(b: number): number {
    const map = this.pruneMap;
    if (map === null) return this.dict.pruneSize === 0 ? -1 : this.nwords + b;
    if ((this.pruneBits![b >>> 5]! & (1 << (b & 31))) === 0) return -1;
    const mask = (map.length >> 1) - 1;
    for (let slot = Math.imul(b, 0x9e3779b1) >>> this.pruneShift; ; slot = (slot + 1) & mask) {
      const key = map[2 * slot]!;
      if (key === b) return map[2 * slot + 1]!;
      if (key === -1) return -1;
    }
  }

  /**
   * `Dictionary::addWordNgrams`: hashes as int32 widened to uint64 with sign extension,
   * `h = h * 116049371 + next` modulo 2^64, bucket `h % bucket`; 64-bit arithmetic done on
   * two 32-bit halves (no BigInt).
   */
  private addWordNgrams(): void {
    const n = this.wordNgrams,
      bucket = this.bucket,
      hs = this.hashes,
      nh = this.nhashes;
    if (bucket <= 0) return;
    for (let i = 0; i < nh; i++) {
      let lo = hs[i]! >>> 0;
      let hi = hs[i]! < 0 ? 0xffffffff : 0;
      for (let j = i + 1; j < nh && j < i + n; j++) {
        // (hi, lo) * M: lo * M split into 16-bit halves so every product is exact
        const loLo = (lo & 0xffff) * NGRAM_MULT;
        const loHi = (lo >>> 16) * NGRAM_MULT;
        const low = loLo + (loHi % 65536) * 65536; // < 2^59: exact
        const newLo = low % 4294967296;
        const carry = Math.floor(low / 4294967296) + Math.floor(loHi / 65536);
        let newHi = (Math.imul(hi, NGRAM_MULT) + carry) >>> 0; // the multiplier's high word is 0
        // + next (sign-extended)
        const next = hs[j]!;
        let sumLo = newLo + (next >>> 0);
        if (sumLo >= 4294967296) {
          sumLo -= 4294967296;
          newHi = (newHi + 1) >>> 0;
        }
        if (next < 0) newHi = (newHi + 0xffffffff) >>> 0;
        lo = sumLo;
        hi = newHi;
        // (hi * 2^32 + lo) mod bucket in two 16-bit steps: every product stays below 2^53
        const b = ((((((hi % bucket) * 65536) % bucket) * 65536) % bucket) + (lo % bucket)) % bucket;
        const row = this.bucketRow(b);
        if (row >= 0) this.pushRow(row);
      }
    }
  }

  /** `hidden = mean of the rows`, each added in order with float32 rounding (`Model::computeHidden`). */
  private computeHidden(): void {
    const D = this.dim,
      h = this.hidden,
      rows = this.rows,
      n = this.nrows;
    h.fill(0);
    if (this.qCodes !== null) this.addQuantRows(rows, n);
    else if (this.denseIn !== null) {
      const data = this.denseIn;
      for (let r = 0; r < n; r++) {
        const o = rows[r]! * D;
        for (let j = 0; j < D; j++) h[j]! += data[o + j]!;
      }
    } else for (let r = 0; r < n; r++) this.input.addRow(h, rows[r]!);
    const a = fr(1 / n);
    for (let j = 0; j < D; j++) h[j] = fr(h[j]! * a);
  }

  /** `ProductQuantizer::addcode` for every row: `x[m * dsub + j] += alpha * centroid[j]`. */
  private addQuantRows(rows: Int32Array, n: number): void {
    const h = this.hidden,
      codes = this.qCodes!,
      c = this.qCentroids!,
      normCodes = this.qNormCodes,
      norms = this.qNorms;
    const nsubq = this.nsubq,
      dsub = this.dsub,
      last = nsubq - 1,
      lastdsub = this.lastdsub;
    const lastBase = last * 256 * dsub;
    if (dsub === 2 && lastdsub === 2 && normCodes !== null) {
      // the common layout (`quantize -dsub 2`, lid.176.ftz), unrolled
      for (let r = 0; r < n; r++) {
        const row = rows[r]!;
        const base = row * nsubq;
        const alpha = norms![normCodes[row]!]!;
        for (let m = 0, o = 0; m < nsubq; m++, o += 2) {
          const off = (m * 256 + codes[base + m]!) * 2;
          h[o]! += fr(alpha * c[off]!);
          h[o + 1]! += fr(alpha * c[off + 1]!);
        }
      }
      return;
    }
    for (let r = 0; r < n; r++) {
      const row = rows[r]!;
      const base = row * nsubq;
      if (normCodes !== null) {
        const alpha = norms![normCodes[row]!]!;
        for (let m = 0; m < last; m++) {
          const off = (m * 256 + codes[base + m]!) * dsub,
            o = m * dsub;
          for (let j = 0; j < dsub; j++) h[o + j]! += fr(alpha * c[off + j]!);
        }
        const off = lastBase + codes[base + last]! * lastdsub,
          o = last * dsub;
        for (let j = 0; j < lastdsub; j++) h[o + j]! += fr(alpha * c[off + j]!);
      } else {
        for (let m = 0; m < last; m++) {
          const off = (m * 256 + codes[base + m]!) * dsub,
            o = m * dsub;
          for (let j = 0; j < dsub; j++) h[o + j]! += c[off + j]!;
        }
        const off = lastBase + codes[base + last]! * lastdsub,
          o = last * dsub;
        for (let j = 0; j < lastdsub; j++) h[o + j]! += c[off + j]!;
      }
    }
  }

  /** Row `i` of the output matrix times `hidden`, accumulated in float32 (`Matrix::dotRow`). */
  private outputDot(i: number): number {
    const w = this.denseOut;
    if (w === null) return this.output.dotRow(this.hidden, i);
    const D = this.dim,
      h = this.hidden,
      o = i * D;
    let d = 0;
    for (let j = 0; j < D; j++) d = fr(d + fr(w[o + j]! * h[j]!));
    return d;
  }

  /**
   * `HierarchicalSoftmaxLoss::dfs`, with an explicit stack (right child pushed under the left,
   * so nodes are visited, and pruned against the heap, in the recursion's order) so that no
   * score is boxed per call.
   */
  private dfs(root: number, rootScore: number): void {
    const heap = this.heap,
      left = this.treeLeft!,
      right = this.treeRight!,
      osz = this.nlabels,
      logThreshold = this.logThreshold;
    let nodes = this.stackNodes,
      scores = this.stackScores;
    let sp = 0;
    nodes[0] = root;
    scores[0] = rootScore;
    sp = 1;
    while (sp > 0) {
      sp--;
      const node = nodes[sp]!,
        score = scores[sp]!;
      if (score < logThreshold) continue;
      if (heap.skips(score)) continue;
      const l = left[node]!;
      if (l === -1 && right[node] === -1) {
        heap.push(score, node);
        continue;
      }
      let f = this.outputDot(node - osz);
      f = fr(1 / fr(1 + expf(-f)));
      if (sp + 2 > nodes.length) {
        this.growStack();
        nodes = this.stackNodes;
        scores = this.stackScores;
      }
      nodes[sp] = right[node]!;
      scores[sp] = fr(score + stdLog(f));
      nodes[sp + 1] = l;
      scores[sp + 1] = fr(score + stdLog(1 - f));
      sp += 2;
    }
  }

  private growStack(): void {
    const n = new Int32Array(this.stackNodes.length * 2),
      s = new Float64Array(this.stackNodes.length * 2);
    n.set(this.stackNodes);
    s.set(this.stackScores);
    this.stackNodes = n;
    this.stackScores = s;
  }

  /** `Loss::computeOutput` (softmax, or the table sigmoid of one-vs-all / negative sampling) and `findKBest`. */
  private findKBest(threshold: number): void {
    const L = this.nlabels,
      out = this.out,
      heap = this.heap;
    for (let i = 0; i < L; i++) out[i] = this.outputDot(i);
    if (this.loss === 'softmax') {
      let max = out[0]!;
      for (let i = 0; i < L; i++) max = Math.max(out[i]!, max);
      let z = 0;
      for (let i = 0; i < L; i++) {
        out[i] = Math.exp(fr(out[i]! - max)); // the C++ calls ::exp (double) here
        z = fr(z + out[i]!);
      }
      for (let i = 0; i < L; i++) out[i] = out[i]! / z;
    } else {
      for (let i = 0; i < L; i++) out[i] = tableSigmoid(out[i]!);
    }
    for (let i = 0; i < L; i++) {
      if (out[i]! < threshold) continue;
      const s = stdLog(out[i]!);
      if (heap.skips(s)) continue;
      heap.push(s, i);
    }
  }

  private pushRow(row: number): void {
    if (this.nrows === this.rows.length) this.reserveRows(1);
    this.rows[this.nrows++] = row;
  }

  private reserveRows(extra: number): void {
    if (this.nrows + extra <= this.rows.length) return;
    const grown = new Int32Array(Math.max(this.rows.length * 2, this.nrows + extra));
    grown.set(this.rows.subarray(0, this.nrows));
    this.rows = grown;
  }

  private reservePool(extra: number): void {
    if (this.wordRowPoolLen + extra <= this.wordRowPool.length) return;
    const grown = new Int32Array(Math.max(this.wordRowPool.length * 2, this.wordRowPoolLen + extra));
    grown.set(this.wordRowPool.subarray(0, this.wordRowPoolLen));
    this.wordRowPool = grown;
  }

  private pushHash(h: number): void {
    if (this.nhashes === this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.nhashes++] = h;
  }
}

function fnvRange(b: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let i = s; i < e; i++) h = Math.imul(h ^ (b[i]! >= 0x80 ? b[i]! | 0xffffff00 : b[i]!), FNV_PRIME);
  return h >>> 0;
}

function hasLabelPrefix(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < LABEL_PREFIX.length) return false;
  for (let i = 0; i < LABEL_PREFIX.length; i++) if (b[s + i] !== LABEL_PREFIX[i]) return false;
  return true;
}

function isEosToken(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== EOS_BYTES.length) return false;
  for (let i = 0; i < EOS_BYTES.length; i++) if (b[s + i] !== EOS_BYTES[i]) return false;
  return true;
}
