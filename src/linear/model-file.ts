/**
 * @module
 * The binary model file: magic, version, a JSON header (settings, labels, counters, section
 * table), then 8-byte-aligned sections holding the lookup (names) and the per-slot arrays of
 * the training state, so a loaded model predicts and can go on learning.
 *
 *   offset 0   "LEANMLLN"            8 bytes magic
 *   offset 8   u32 LE version (1)
 *   offset 12  u32 LE header length H
 *   offset 16  header JSON (UTF-8), H bytes, then zero padding to a multiple of 8
 *   ...        sections in header order, each padded to a multiple of 8
 *
 * Loading checks magic and version first, bounds every length by the file size before
 * allocating, and requires the sections to fill the file exactly. Saving writes a temporary
 * file beside the target and renames it, so no half-written model is ever left.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FormatError } from '../core/errors.js';
import { writeFullySync } from '../core/write-fully.js';
import { INPUT_FORMATS, type InputFormat } from './detect-format.js';
import { validateFeatureConfig, type FeatureConfig } from './feature-encoder.js';
import { FeatureLookup } from './feature-lookup.js';
import { LinearModel } from './linear-model.js';
import { SgdLearner, validateLearnerOptions, type LearnerCounters, type LearnerOptions } from './sgd-learner.js';

export const MODEL_MAGIC = 'LEANMLLN';
export const MODEL_VERSION = 1;
const MAX_HEADER = 16 << 20;

type Dtype = 'f32' | 'f64' | 'i32' | 'u8';
const DTYPE_BYTES: Record<Dtype, number> = { f32: 4, f64: 8, i32: 4, u8: 1 };

interface Section {
  name: string;
  dtype: Dtype;
  length: number;
}

interface Header {
  format: InputFormat;
  labelPrefix: string;
  features: FeatureConfig;
  learner: LearnerOptions;
  labels: string[];
  positive: number;
  counters: LearnerCounters;
  slots: number;
  vectors: number;
  sections: Section[];
}

type Arr = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Writes `model` to `path` atomically (temporary file + rename). */
export function saveLinearModel(model: LinearModel, path: string): void {
  const L = model.learner;
  const enc = model.encoder;
  const slots = enc.slots;
  L.ensureCapacity(slots);
  L.foldScale();
  const parts: { section: Section; data: Arr }[] = [];
  const add = (name: string, dtype: Dtype, data: Arr): void => {
    parts.push({ section: { name, dtype, length: data.length }, data });
  };
  if (enc.lookup) {
    const lk = enc.lookup;
    add('lookup.offsets', 'i32', lk.offsets.subarray(0, lk.size + 1));
    add('lookup.pool', 'u8', lk.pool.subarray(0, lk.offsets[lk.size]!));
  }
  for (let k = 0; k < L.vectors; k++) {
    add(`w.${k}`, 'f32', L.field(k, 0, slots));
    if (L.options.adaptive) add(`g.${k}`, 'f32', L.field(k, L.gOff, slots));
    if (L.options.normalized) add(`norm.${k}`, 'f32', L.field(k, L.normOff, slots));
    if (L.options.average) add(`avg.${k}`, 'f64', L.avg[k]!.subarray(0, slots));
  }
  const s = model.settings;
  const header: Header = {
    format: s.format,
    labelPrefix: s.labelPrefix,
    features: s.features,
    learner: s.learner,
    labels: model.labels,
    positive: model.positive,
    counters: { ...L.counters },
    slots,
    vectors: L.vectors,
    sections: parts.map((p) => p.section),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = Buffer.alloc(16);
  pre.write(MODEL_MAGIC, 0, 'latin1');
  pre.writeUInt32LE(MODEL_VERSION, 8);
  pre.writeUInt32LE(json.length, 12);

  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const fd = openSync(tmp, 'w');
  let ok = false;
  try {
    writeSync(fd, pre);
    writeSync(fd, json);
    writeSync(fd, Buffer.alloc(pad8(16 + json.length)));
    for (const { data } of parts) {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      writeFullySync(fd, bytes);
      writeSync(fd, Buffer.alloc(pad8(bytes.length)));
    }
    fsyncSync(fd);
    ok = true;
  } finally {
    closeSync(fd);
    if (!ok) rmSync(tmp, { force: true });
  }
  renameSync(tmp, path);
}

/** Reads a model file (sync). Throws FormatError naming the file and what is wrong. */
export function loadLinearModelSync(path: string): LinearModel {
  return parseLinearModel(readFileSync(path), path);
}

/** Reads a model file. */
export async function loadLinearModel(path: string): Promise<LinearModel> {
  return loadLinearModelSync(path);
}

/** Decodes model bytes; `name` is used in error messages. */
export function parseLinearModel(bytes: Buffer, name: string): LinearModel {
  const fail = (what: string): never => {
    throw new FormatError(`${name}: not a valid leanml linear model: ${what}`);
  };
  if (bytes.length < 16) fail(`file is ${bytes.length} bytes, shorter than the 16-byte preamble`);
  if (bytes.toString('latin1', 0, 8) !== MODEL_MAGIC) fail(`bad magic at byte 0 (expected '${MODEL_MAGIC}')`);
  const version = bytes.readUInt32LE(8);
  if (version !== MODEL_VERSION) fail(`unsupported version ${version} at byte 8 (this build reads version ${MODEL_VERSION})`);
  const hlen = bytes.readUInt32LE(12);
  if (hlen > MAX_HEADER || 16 + hlen > bytes.length) fail(`header length ${hlen} at byte 12 exceeds the file (${bytes.length} bytes)`);
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 16, 16 + hlen)) as Header;
  } catch (err) {
    return fail(`header JSON at byte 16 does not parse (${(err as Error).message})`);
  }
  checkHeader(header, fail);
  try {
    validateFeatureConfig(header.features);
    validateLearnerOptions(header.learner);
  } catch (err) {
    fail(`bad settings in the header (${(err as Error).message})`);
  }

  // section table: bounded by the file size before anything is allocated
  let off = 16 + hlen + pad8(16 + hlen);
  const arrays = new Map<string, Arr>();
  for (const sec of header.sections) {
    if (typeof sec?.name !== 'string' || !(sec.dtype in DTYPE_BYTES) || !Number.isSafeInteger(sec.length) || sec.length < 0) fail('malformed section table');
    const nbytes = sec.length * DTYPE_BYTES[sec.dtype];
    if (off + nbytes > bytes.length)
      fail(`section '${sec.name}' (${nbytes} bytes at byte ${off}) runs past the end of the file (${bytes.length} bytes): truncated?`);
    const copy = new Uint8Array(nbytes);
    copy.set(bytes.subarray(off, off + nbytes));
    const buf = copy.buffer;
    arrays.set(
      sec.name,
      sec.dtype === 'f32' ? new Float32Array(buf) : sec.dtype === 'f64' ? new Float64Array(buf) : sec.dtype === 'i32' ? new Int32Array(buf) : copy,
    );
    off += nbytes + pad8(nbytes);
  }
  if (off !== bytes.length) fail(`${bytes.length - off} unexpected bytes after the last section (byte ${off})`);

  const need = <T extends Arr>(key: string, ctor: new (...a: never[]) => T, length: number): T => {
    const a = arrays.get(key);
    if (!(a instanceof ctor)) return fail(`missing section '${key}'`);
    if (a.length !== length) fail(`section '${key}' has ${a.length} entries, expected ${length}`);
    return a;
  };

  const { slots, vectors } = header;
  let lookup: FeatureLookup | undefined;
  if (header.features.mode === 'lookup') {
    const offsets = need('lookup.offsets', Int32Array, slots + 1);
    const pool = arrays.get('lookup.pool');
    if (!(pool instanceof Uint8Array)) return fail("missing section 'lookup.pool'");
    if (offsets[0] !== 0 || offsets[slots] !== pool.length) fail('lookup offsets do not span the name pool');
    for (let i = 0; i < slots; i++) if (offsets[i + 1]! < offsets[i]!) fail(`lookup offsets decrease at entry ${i}`);
    lookup = FeatureLookup.fromParts(offsets, pool);
  } else if (slots !== 1 << header.features.bits) {
    fail(`hash model with ${slots} slots, expected 2^${header.features.bits}`);
  }
  // every section is checked (and so bounded by the file size) before the learner allocates
  const parts = Array.from({ length: vectors }, (_, k) => ({
    w: need(`w.${k}`, Float32Array, slots),
    g: header.learner.adaptive ? need(`g.${k}`, Float32Array, slots) : null,
    norm: header.learner.normalized ? need(`norm.${k}`, Float32Array, slots) : null,
    avg: header.learner.average ? need(`avg.${k}`, Float64Array, slots) : null,
  }));
  if (
    arrays.size !==
    parts.length * (1 + [header.learner.adaptive, header.learner.normalized, header.learner.average].filter(Boolean).length) + (lookup ? 2 : 0)
  ) {
    fail('unexpected sections for these settings');
  }
  const learner = new SgdLearner(header.learner, 0, Math.max(slots, 1));
  for (const [k, p] of parts.entries()) {
    learner.addVector();
    learner.setField(k, 0, p.w);
    if (p.g) learner.setField(k, learner.gOff, p.g);
    if (p.norm) learner.setField(k, learner.normOff, p.norm);
    if (p.avg) learner.avg[k]!.set(p.avg);
  }
  learner.counters = { ...header.counters };
  return new LinearModel(
    { format: header.format, labelPrefix: header.labelPrefix, features: header.features, learner: header.learner },
    { lookup, learner, labels: header.labels, positive: header.positive },
  );
}

function checkHeader(h: Header, fail: (what: string) => never): void {
  if (typeof h !== 'object' || h === null) fail('header is not an object');
  if (!INPUT_FORMATS.includes(h.format)) fail(`unknown input format '${String(h.format)}'`);
  if (typeof h.labelPrefix !== 'string') fail('labelPrefix missing');
  if (typeof h.features !== 'object' || typeof h.learner !== 'object' || h.features === null || h.learner === null) fail('settings missing');
  if (!Array.isArray(h.labels) || !h.labels.every((l) => typeof l === 'string') || new Set(h.labels).size !== h.labels.length)
    fail('labels must be distinct strings');
  if (!Number.isSafeInteger(h.slots) || h.slots < 0 || h.slots > 1 << 30) fail(`bad slot count ${String(h.slots)}`);
  const expectVectors = h.labels.length <= 2 ? 1 : h.labels.length;
  if (h.vectors !== expectVectors) fail(`${String(h.vectors)} weight vectors for ${h.labels.length} labels (expected ${expectVectors})`);
  if (!(h.positive === 0 || (h.positive === 1 && h.labels.length === 2))) fail(`bad positive label index ${String(h.positive)}`);
  const c = h.counters;
  if (
    typeof c !== 'object' ||
    c === null ||
    !['t', 'steps', 'scale', 'normSum', 'sumScale'].every((k) => Number.isFinite((c as unknown as Record<string, number>)[k]))
  )
    fail('bad training counters');
  if (!Array.isArray(h.sections)) fail('section table missing');
}

function pad8(n: number): number {
  return (8 - (n % 8)) % 8;
}
