/**
 * @module
 * fastText's product-quantised matrix (`QuantMatrix` + `ProductQuantizer`): each row is
 * `nsubq` one-byte codes into 256 centroids per sub-vector, optionally scaled by a quantised
 * norm. Reading follows `QuantMatrix::load`; arithmetic follows `addcode` / `mulcode`.
 */
import type { BinaryCursor } from '../core/binary-reader.js';
import { FormatError } from '../core/errors.js';
import type { RowMatrix } from './matrix.js';

const KSUB = 256;

/** A product quantizer: `dim` split into `nsubq` sub-vectors of `dsub` (the last `lastdsub`). */
export interface ProductQuantizer {
  dim: number;
  nsubq: number;
  dsub: number;
  lastdsub: number;
  /** (dim * 256) centroids, laid out as `ProductQuantizer::get_centroids` expects. */
  centroids: Float32Array;
}

function readPq(cur: BinaryCursor, what: string): ProductQuantizer {
  const at = cur.offset;
  const dim = cur.i32(`${what} dim`);
  const nsubq = cur.i32(`${what} nsubq`);
  const dsub = cur.i32(`${what} dsub`);
  const lastdsub = cur.i32(`${what} lastdsub`);
  const p = cur.file.path;
  if (dim <= 0 || dim > 1 << 16 || nsubq <= 0 || dsub <= 0 || lastdsub <= 0 || (nsubq - 1) * dsub + lastdsub !== dim) {
    throw new FormatError(`${p}: ${what} at byte ${at}: dim ${dim}, nsubq ${nsubq}, dsub ${dsub}, lastdsub ${lastdsub} do not fit together`);
  }
  const raw = cur.bytes(dim * KSUB * 4, `${what} centroids`);
  return { dim, nsubq, dsub, lastdsub, centroids: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) };
}

function centroidOffset(pq: ProductQuantizer, m: number, code: number): number {
  return m === pq.nsubq - 1 ? m * KSUB * pq.dsub + code * pq.lastdsub : (m * KSUB + code) * pq.dsub;
}

/** A quantised matrix held in memory (its codes are a byte per sub-vector per row). */
export class QuantMatrix implements RowMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly qnorm: boolean;
  readonly codes: Uint8Array;
  readonly pq: ProductQuantizer;
  readonly normCodes: Uint8Array | null;
  readonly npq: ProductQuantizer | null;

  private constructor(
    rows: number,
    cols: number,
    qnorm: boolean,
    codes: Uint8Array,
    pq: ProductQuantizer,
    normCodes: Uint8Array | null,
    npq: ProductQuantizer | null,
  ) {
    this.rows = rows;
    this.cols = cols;
    this.qnorm = qnorm;
    this.codes = codes;
    this.pq = pq;
    this.normCodes = normCodes;
    this.npq = npq;
  }

  /** Reads `QuantMatrix::load` at the cursor. */
  static read(cur: BinaryCursor): QuantMatrix {
    const p = cur.file.path;
    const at = cur.offset;
    const qnormByte = cur.u8('qnorm flag');
    if (qnormByte > 1) throw new FormatError(`${p}: qnorm flag at byte ${at} is ${qnormByte}, expected 0 or 1`);
    const rows = cur.i64('quantised matrix rows');
    const cols = cur.i64('quantised matrix cols');
    const codesize = cur.i32('codesize');
    if (rows < 0 || cols <= 0 || cols > 1 << 16) throw new FormatError(`${p}: quantised matrix at byte ${at} has invalid shape ${rows} x ${cols}`);
    if (codesize < 0 || codesize > cur.remaining)
      throw new FormatError(`${p}: truncated: quantised matrix at byte ${at} has ${codesize} bytes of codes but ${cur.remaining} bytes remain`);
    const codes = cur.bytes(codesize, 'codes');
    const pq = readPq(cur, 'product quantizer');
    if (pq.dim !== cols) throw new FormatError(`${p}: product quantizer has dim ${pq.dim} but the matrix has ${cols} columns`);
    if (codesize !== rows * pq.nsubq) throw new FormatError(`${p}: quantised matrix at byte ${at}: codesize ${codesize} != rows ${rows} x nsubq ${pq.nsubq}`);
    let normCodes: Uint8Array | null = null;
    let npq: ProductQuantizer | null = null;
    if (qnormByte === 1) {
      normCodes = cur.bytes(rows, 'norm codes');
      npq = readPq(cur, 'norm quantizer');
      if (npq.dim !== 1) throw new FormatError(`${p}: norm quantizer has dim ${npq.dim}, expected 1`);
    }
    return new QuantMatrix(rows, cols, qnormByte === 1, codes, pq, normCodes, npq);
  }

  private norm(row: number): number {
    return this.qnorm ? this.npq!.centroids[this.normCodes![row]!]! : 1;
  }

  addRow(out: Float32Array, row: number): void {
    const fr = Math.fround;
    const pq = this.pq,
      c = pq.centroids;
    const alpha = this.norm(row);
    const base = row * pq.nsubq;
    for (let m = 0; m < pq.nsubq; m++) {
      const off = centroidOffset(pq, m, this.codes[base + m]!);
      const d = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      const o = m * pq.dsub;
      for (let n = 0; n < d; n++) out[o + n]! += fr(alpha * c[off + n]!);
    }
  }

  dotRow(vec: Float32Array, row: number): number {
    const fr = Math.fround;
    const pq = this.pq,
      c = pq.centroids;
    const base = row * pq.nsubq;
    let res = 0;
    for (let m = 0; m < pq.nsubq; m++) {
      const off = centroidOffset(pq, m, this.codes[base + m]!);
      const d = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      const o = m * pq.dsub;
      for (let n = 0; n < d; n++) res = fr(res + fr(vec[o + n]! * c[off + n]!));
    }
    return fr(res * this.norm(row));
  }

  close(): void {}
}
