/**
 * @module
 * Parsing and validating a compact store's header (see `store-format.ts`) from its bytes, so that
 * the file reader and the range reader of a page refuse the same bad input with the same errors.
 */
import { checkSourceRange, type ByteSource } from '../core/byte-source.js';
import { FormatError } from '../core/errors.js';
import { MAX_DIM } from './args.js';
import {
  dtypeBytes,
  MAX_IVF_LISTS,
  residualRowBytes,
  SECTION_TYPES,
  type SectionName,
  STORE_MAGIC,
  STORE_VERSIONS_READ,
  type StoreHeader,
} from './store-format.js';

const utf8 = new TextDecoder();
/** Longest JSON header a reader accepts. */
export const MAX_HEADER = 1 << 20;
/** Bytes before the JSON header. */
export const FIXED_HEADER = 16;

/** Checks the fixed 16 bytes (magic, version) of a store of `size` bytes named `p`; returns the version and JSON length. */
export function parseFixedHeader(p: string, size: number, head: Uint8Array): { version: number; jsonLength: number } {
  if (size < FIXED_HEADER || head.length < FIXED_HEADER) throw new FormatError(`${p}: not a leanml vector store (${size} bytes)`);
  for (let i = 0; i < 8; i++) if (head[i] !== STORE_MAGIC[i]) throw new FormatError(`${p}: not a leanml vector store (bad magic at byte 0)`);
  const dv = new DataView(head.buffer, head.byteOffset, FIXED_HEADER);
  const version = dv.getUint32(8, true);
  if (!STORE_VERSIONS_READ.includes(version)) {
    throw new FormatError(
      `${p}: unsupported vector store version ${version} at byte 8 (this leanml reads ${STORE_VERSIONS_READ.join(', ')}; convert the model again)`,
    );
  }
  const jsonLength = dv.getUint32(12, true);
  if (jsonLength > MAX_HEADER) throw new FormatError(`${p}: header length ${jsonLength} at byte 12 exceeds ${MAX_HEADER}`);
  checkSourceRange({ path: p, size }, FIXED_HEADER, jsonLength, 'header');
  return { version, jsonLength };
}

/** Reads and validates the header: magic, version, and every section inside the file. */
export function readHeader(file: ByteSource): StoreHeader {
  const { version, jsonLength } = parseFixedHeader(file.path, file.size, file.read(0, Math.min(FIXED_HEADER, file.size)));
  return parseStoreHeader(file.path, file.size, version, file.read(FIXED_HEADER, jsonLength));
}

/** Parses and validates the JSON header of a store of `size` bytes: fields, and every section inside the file. */
export function parseStoreHeader(p: string, size: number, version: number, json: Uint8Array): StoreHeader {
  let h: StoreHeader;
  try {
    h = JSON.parse(utf8.decode(json)) as StoreHeader;
  } catch (err) {
    throw new FormatError(`${p}: header at byte 16 is not valid JSON`, { cause: err });
  }
  if (h && typeof h === 'object') {
    h.version = version;
    // version 1 had no residual section, versions 1 and 2 no mean row, 1 to 3 no index
    const none = { offset: 0, length: 0 };
    if (h.sections && typeof h.sections === 'object') {
      if (version === 1 && !h.sections.wordResiduals) h.sections.wordResiduals = { ...none };
      if (version <= 2 && !h.sections.wordMean) h.sections.wordMean = { ...none };
      if (version <= 3) for (const n of ['ivfCentroids', 'ivfOffsets', 'ivfIds', 'ivfPositions']) h.sections[n] ??= { ...none };
    }
  }
  const a = h?.args;
  const ints = [h?.nwords, h?.nlabels, h?.ngramRows, a?.dim, a?.bucket, a?.minn, a?.maxn];
  if (!a || !ints.every((x) => Number.isSafeInteger(x) && x >= 0) || a.dim < 1 || a.dim > MAX_DIM || !['f32', 'f16', 'int8'].includes(h.dtype)) {
    throw new FormatError(`${p}: header at byte 16 has missing or invalid fields`);
  }
  const N = h.nwords,
    L = h.nlabels,
    D = a.dim,
    eb = dtypeBytes(h.dtype);
  const ix = h.index;
  if (
    ix !== undefined &&
    (version < 4 || !ix || ix.kind !== 'ivf' || !Number.isSafeInteger(ix.lists) || ix.lists < 1 || ix.lists > Math.min(Math.max(N, 1), MAX_IVF_LISTS))
  ) {
    throw new FormatError(
      `${p}: header at byte 16 has an invalid index (${JSON.stringify(ix)}; expected kind 'ivf' with 1..${Math.min(Math.max(N, 1), MAX_IVF_LISTS)} lists)`,
    );
  }
  const K = ix ? ix.lists : 0;
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
    ivfCentroids: K * D * 4,
    ivfOffsets: K ? (K + 1) * 4 : 0,
    ivfIds: K ? N * 4 : 0,
    ivfPositions: K ? N * 4 : 0,
  };
  for (const name of Object.keys(SECTION_TYPES) as SectionName[]) {
    const s = h.sections?.[name];
    if (!s || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.length) || s.offset < 0 || s.length < 0 || s.offset % 64 !== 0) {
      throw new FormatError(`${p}: section '${name}' is missing or misplaced in the header`);
    }
    if (s.length % Math.max(1, SECTION_TYPES[name] || 1) !== 0)
      throw new FormatError(`${p}: section '${name}' length ${s.length} is not a whole number of elements`);
    const e = expect[name];
    if (e !== null && s.length !== e) throw new FormatError(`${p}: section '${name}' has ${s.length} bytes, expected ${e} for ${N} words x ${D} dims`);
    checkSourceRange({ path: p, size }, s.offset, s.length, `section '${name}'`);
  }
  const t = h.sections.table!.length / 4;
  if (t < N + L || (t & (t - 1)) !== 0) throw new FormatError(`${p}: hash table of ${t} slots cannot hold ${N + L} entries`);
  return h;
}

/** Checks an index's list starts: 0 first, N last, never decreasing. */
export function checkIvfOffsets(p: string, offsets: Int32Array, nwords: number): void {
  const K = offsets.length - 1;
  if (offsets[0] !== 0 || offsets[K] !== nwords)
    throw new FormatError(`${p}: index list starts run from ${offsets[0]} to ${offsets[K]}, expected 0 to ${nwords}`);
  for (let l = 0; l < K; l++)
    if (offsets[l + 1]! < offsets[l]!) throw new FormatError(`${p}: index list ${l} ends (${offsets[l + 1]}) before it starts (${offsets[l]})`);
}
