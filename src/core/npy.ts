/**
 * @module
 * NumPy `.npy` read and write (format versions 1.0–3.0; float32, float64 and int32,
 * little-endian, C order), for exchanging arrays with numpy and PyTorch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FormatError, ShapeError } from './errors.js';

/** Element types leanml reads and writes. */
export type NpyDtype = 'float32' | 'float64' | 'int32';
export type NpyData = Float32Array | Float64Array | Int32Array;

/** A numpy array: flat C-order data and its shape. */
export interface NpyArray<T extends NpyData = NpyData> {
  data: T;
  shape: number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR: Record<string, NpyDtype> = { '<f4': 'float32', '<f8': 'float64', '<i4': 'int32' };

function dtypeOf(data: NpyData): { descr: string; size: number } {
  if (data instanceof Float32Array) return { descr: '<f4', size: 4 };
  if (data instanceof Float64Array) return { descr: '<f8', size: 8 };
  return { descr: '<i4', size: 4 };
}

/** Encodes `data` with `shape` as a `.npy` (format 1.0, or 2.0 for very long headers). */
export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new ShapeError(`encodeNpy: shape (${shape.join(', ')}) holds ${count} values but data has ${data.length}`);
  const { descr, size } = dtypeOf(data);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const v2 = header.length + 11 > 65535;
  const pre = v2 ? 12 : 10;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = `${header}${' '.repeat(total - pre - header.length - 1)}\n`;
  const out = new Uint8Array(total + count * size);
  out.set(MAGIC, 0);
  out[6] = v2 ? 2 : 1;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (v2) dv.setUint32(8, header.length, true);
  else dv.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** Decodes a `.npy` buffer. `source` names it in errors. */
export function decodeNpy(buf: Uint8Array, source = '<buffer>'): NpyArray {
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) throw new FormatError(`${source}: not a .npy file (bad magic)`);
  const major = buf[6]!;
  if (major < 1 || major > 3) throw new FormatError(`${source}: unsupported .npy version ${major}.${buf[7]}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const pre = major === 1 ? 10 : 12;
  if (buf.length < pre) throw new FormatError(`${source}: truncated .npy header`);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (pre + hlen > buf.length) throw new FormatError(`${source}: truncated .npy header (needs ${pre + hlen} bytes, file has ${buf.length})`);
  const header = new TextDecoder().decode(buf.subarray(pre, pre + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeStr === undefined) throw new FormatError(`${source}: malformed .npy header: ${header.trim()}`);
  const dtype = DESCR[descr.replace('|', '<')];
  if (!dtype) throw new FormatError(`${source}: unsupported dtype '${descr}' (expected <f4, <f8 or <i4)`);
  if (fortran === 'True') throw new FormatError(`${source}: Fortran-order arrays are not supported; save with np.ascontiguousarray`);
  const shape = shapeStr
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new FormatError(`${source}: bad shape (${shapeStr})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const size = dtype === 'float64' ? 8 : 4;
  const start = pre + hlen;
  if (start + count * size > buf.length)
    throw new FormatError(`${source}: truncated .npy data: shape (${shape.join(', ')}) needs ${count * size} bytes, ${buf.length - start} present`);
  const bytes = Uint8Array.prototype.slice.call(buf, start, start + count * size); // a copy even for a Buffer, whose slice is a view
  const data = dtype === 'float32' ? new Float32Array(bytes.buffer) : dtype === 'float64' ? new Float64Array(bytes.buffer) : new Int32Array(bytes.buffer);
  return { data, shape };
}

/** Reads a `.npy` file. */
export function readNpy(path: string): NpyArray {
  return decodeNpy(readFileSync(path), path);
}

/** Writes `data` with `shape` to a `.npy` file. */
export function writeNpy(path: string, data: NpyData, shape: readonly number[]): void {
  writeFileSync(path, encodeNpy(data, shape));
}
