/**
 * @module
 * Read and write `.safetensors` files (the format of Hugging Face `safetensors`, used by
 * PyTorch users to exchange `state_dict`s): an unsigned 64-bit little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`,
 * then the raw little-endian tensor bytes. F16 and BF16 are widened to Float32Array; I64 is
 * narrowed to Int32Array when every value fits (else an error names the tensor).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FormatError, LimitError, ShapeError, UsageError } from '../core/errors.js';
import { halfToFloat } from '../core/half.js';

/** A typed array holding a tensor's values, row-major. */
export type TensorData = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array;

/** One named tensor: flat row-major values and shape. */
export interface NamedTensor {
  data: TensorData;
  shape: number[];
}

/** A PyTorch-style state dict: parameter name → tensor (PyTorch layouts). */
export type StateDict = Record<string, NamedTensor>;

/** Header sizes beyond this are refused before allocating (real headers are kilobytes). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const ELEMENT_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

function decodeTensor(name: string, dtype: string, shape: number[], bytes: Uint8Array, source: string, at: number): TensorData {
  const count = shape.reduce((a, b) => a * b, 1);
  // Copy into an aligned buffer: the data section need not be aligned to the element size.
  // (new Uint8Array(view) copies; Buffer#slice would not.)
  const buf = new Uint8Array(bytes).buffer;
  const dv = new DataView(buf);
  switch (dtype) {
    case 'F32':
      return new Float32Array(buf, 0, count);
    case 'F64':
      return new Float64Array(buf, 0, count);
    case 'I32':
      return new Int32Array(buf, 0, count);
    case 'I16':
      return new Int16Array(buf, 0, count);
    case 'I8':
      return new Int8Array(buf, 0, count);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buf, 0, count);
    case 'F16':
      return Float32Array.from({ length: count }, (_, i) => halfToFloat(dv.getUint16(2 * i, true)));
    case 'BF16': {
      const out = new Float32Array(count);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(8 * i, true);
        if (v < -2147483648n || v > 2147483647n)
          throw new FormatError(`${source}: tensor '${name}' (I64) value ${v} at index ${i} (byte ${at + 8 * i}) does not fit in int32`);
        out[i] = Number(v);
      }
      return out;
    }
    default:
      throw new FormatError(`${source}: tensor '${name}' has unsupported dtype ${dtype}`);
  }
}

/** Parses a `.safetensors` buffer. `source` names it in errors. */
export function decodeSafetensors(buf: Uint8Array, source = '<buffer>'): { tensors: StateDict; metadata: Record<string, string> } {
  if (buf.length < 8) throw new FormatError(`${source}: not a safetensors file (${buf.length} bytes, needs at least 8)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hlen = dv.getBigUint64(0, true);
  if (hlen > BigInt(Math.min(MAX_HEADER_BYTES, buf.length - 8)))
    throw new FormatError(`${source}: header length ${hlen} at byte 0 exceeds the file (${buf.length} bytes) or the ${MAX_HEADER_BYTES}-byte limit`);
  const headerEnd = 8 + Number(hlen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, headerEnd)));
  } catch (err) {
    throw new FormatError(`${source}: header (bytes 8..${headerEnd}) is not valid UTF-8 JSON: ${(err as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new FormatError(`${source}: header must be a JSON object`);
  const dataLen = buf.length - headerEnd;
  const tensors: StateDict = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.dtype !== 'string' ||
      !Array.isArray(e.shape) ||
      !Array.isArray(e.data_offsets) ||
      e.data_offsets.length !== 2
    ) {
      throw new FormatError(`${source}: header entry '${name}' must have dtype, shape and data_offsets [begin, end]`);
    }
    const shape = e.shape as unknown[];
    if (!shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      throw new FormatError(`${source}: tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    const [begin, end] = e.data_offsets as unknown[];
    if (
      !Number.isSafeInteger(begin) ||
      !Number.isSafeInteger(end) ||
      (begin as number) < 0 ||
      (end as number) < (begin as number) ||
      (end as number) > dataLen
    ) {
      throw new FormatError(
        `${source}: tensor '${name}' data_offsets ${JSON.stringify(e.data_offsets)} fall outside the ${dataLen}-byte data section (starting at byte ${headerEnd})`,
      );
    }
    const size = ELEMENT_BYTES[e.dtype];
    if (size === undefined) throw new FormatError(`${source}: tensor '${name}' has unsupported dtype ${e.dtype}`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * size !== (end as number) - (begin as number)) {
      throw new FormatError(
        `${source}: tensor '${name}' of shape (${shape.join(', ')}) and dtype ${e.dtype} needs ${count * size} bytes but data_offsets give ${(end as number) - (begin as number)}`,
      );
    }
    const at = headerEnd + (begin as number);
    tensors[name] = {
      data: decodeTensor(name, e.dtype, shape as number[], buf.subarray(at, headerEnd + (end as number)), source, at),
      shape: shape as number[],
    };
  }
  return { tensors, metadata };
}

function dtypeOf(name: string, data: TensorData): string {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array) return 'U8';
  throw new UsageError(`saveSafetensors: tensor '${name}' has an unsupported array type`);
}

/** Encodes tensors (names sorted, as the Python library writes them) with optional string metadata. */
export function encodeSafetensors(tensors: StateDict, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new ShapeError(`saveSafetensors: tensor '${name}' shape (${t.shape.join(', ')}) holds ${count} values but data has ${t.data.length}`);
    header[name] = { dtype: dtypeOf(name, t.data), shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data section starts 8-byte aligned, as the Python writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const hbytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hbytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(hbytes.length), true);
  out.set(hbytes, 8);
  let at = 8 + hbytes.length;
  for (const name of names) {
    const d = tensors[name]!.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

/**
 * Reads a `.safetensors` file into a state dict.
 *
 * @example
 * ```ts
 * const sd = loadSafetensors('gru.safetensors'); // saved by safetensors.torch.save_file(model.state_dict(), ...)
 * sd['weight_ih_l0'].shape; // [3 * hidden, input]
 * ```
 */
export function loadSafetensors(path: string, opts: { maxBytes?: number } = {}): StateDict {
  const buf = readFileSync(path);
  const max = opts.maxBytes ?? 4 * 1024 ** 3;
  if (buf.length > max) throw new LimitError(`${path}: ${buf.length} bytes exceeds the ${max}-byte limit`);
  return decodeSafetensors(buf, path).tensors;
}

/**
 * Writes a state dict as `.safetensors` (readable by `safetensors.torch.load_file`).
 *
 * @example
 * ```ts
 * saveSafetensors('net.safetensors', net.stateDict(), { format: 'pt' });
 * ```
 */
export function saveSafetensors(path: string, tensors: StateDict, metadata?: Record<string, string>): void {
  writeFileSync(path, encodeSafetensors(tensors, metadata));
}
