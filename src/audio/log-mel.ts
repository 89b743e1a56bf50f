/**
 * @module
 * Log compression of (mel) spectrograms: decibels as `torchaudio.transforms.AmplitudeToDB`
 * (0.13) computes them, with `amin`, `refValue` and `topDb`, or the natural log with an offset.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_MEL } from './audio-defaults.js';
import type { Mel } from './mel-spectrogram.js';

/** Options of `amplitudeToDb`, named after torchaudio's `AmplitudeToDB`/`amplitude_to_DB`. */
export interface DbOptions {
  /** `'power'` (10·log10, default) or `'magnitude'` (20·log10). */
  stype?: 'power' | 'magnitude';
  /** Values are clamped to at least this before the log. Default 1e-10. */
  amin?: number;
  /** Reference: 0 dB is this value. Default 1. */
  refValue?: number;
  /** If set, values more than this many dB below the maximum of the whole input are raised to it. Default none. */
  topDb?: number | null;
}

/** How `logMel` compresses: see `LogOptions.log`. */
export type LogKind = 'none' | 'db' | 'ln';

/** Options of `logMel`. */
export interface LogOptions extends DbOptions {
  /** `'db'` (default): `amplitudeToDb`; `'ln'`: `ln(x + logOffset)`; `'none'`: unchanged. */
  log?: LogKind;
  /** Added before the natural log so silence stays finite. Default 1e-6. */
  logOffset?: number;
}

function resolveDb(opts: DbOptions): { multiplier: number; amin: number; dbRef: number; topDb: number | null } {
  const amin = opts.amin ?? DEFAULT_MEL.amin;
  const refValue = opts.refValue ?? 1;
  const stype = opts.stype ?? 'power';
  if (!(amin > 0)) throw new UsageError(`amplitudeToDb: amin must be > 0, got ${amin}`);
  if (!(refValue > 0)) throw new UsageError(`amplitudeToDb: refValue must be > 0, got ${refValue}`);
  if (stype !== 'power' && stype !== 'magnitude') throw new UsageError(`amplitudeToDb: stype must be 'power' or 'magnitude', got '${stype as string}'`);
  const topDb = opts.topDb ?? null;
  if (topDb !== null && !(topDb >= 0)) throw new UsageError(`amplitudeToDb: topDb must be >= 0, got ${topDb}`);
  const multiplier = stype === 'power' ? 10 : 20;
  return { multiplier, amin, dbRef: multiplier * Math.log10(Math.max(amin, refValue)), topDb };
}

/**
 * Decibels of `x` into `out` (may be `x` itself), without the `topDb` floor (which needs the
 * maximum of the whole input); returns the maximum written.
 */
export function dbInto(x: Float32Array, out: Float32Array, opts: DbOptions = {}): number {
  const { multiplier, amin, dbRef } = resolveDb(opts);
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const d = multiplier * Math.log10(v > amin ? v : amin) - dbRef;
    out[i] = d;
    if (out[i]! > max) max = out[i]!;
  }
  return max;
}

/** Raises every value below `max - topDb` to it (the `topDb` step of `AmplitudeToDB`). */
export function applyTopDb(x: Float32Array, max: number, topDb: number): void {
  const floor = Math.fround(max - topDb);
  for (let i = 0; i < x.length; i++) if (x[i]! < floor) x[i] = floor;
}

/**
 * `torchaudio.functional.amplitude_to_DB` / `transforms.AmplitudeToDB`: `10·log10(max(x, amin))`
 * (20· for magnitudes) minus the reference, floored at `max - topDb` over the whole input.
 * Returns a new array.
 */
export function amplitudeToDb(x: Float32Array, opts: DbOptions = {}): Float32Array {
  const out = new Float32Array(x.length);
  const max = dbInto(x, out, opts);
  const { topDb } = resolveDb(opts);
  if (topDb !== null && x.length > 0) applyTopDb(out, max, topDb);
  return out;
}

/** `ln(x + offset)` into `out` (may be `x`). */
export function lnInto(x: Float32Array, out: Float32Array, offset = 1e-6): void {
  if (!(offset >= 0)) throw new UsageError(`logMel: logOffset must be >= 0, got ${offset}`);
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]! + offset);
}

/**
 * The log of a mel spectrogram (a new `Mel`): decibels by default, as `AmplitudeToDB()` on
 * torchaudio's `MelSpectrogram` output; `log: 'ln'` gives `ln(mel + logOffset)`.
 *
 * @example
 * const lm = logMel(melSpectrogram(x), { topDb: 80 });
 */
export function logMel(mel: Mel, opts: LogOptions = {}): Mel {
  const kind = opts.log ?? DEFAULT_MEL.log;
  let data: Float32Array;
  if (kind === 'db') data = amplitudeToDb(mel.data, opts);
  else if (kind === 'ln') {
    data = new Float32Array(mel.data.length);
    lnInto(mel.data, data, opts.logOffset ?? DEFAULT_MEL.logOffset);
  } else if (kind === 'none') data = mel.data.slice();
  else throw new UsageError(`logMel: log must be 'none', 'db' or 'ln', got '${kind as string}'`);
  return { data, nMels: mel.nMels, nFrames: mel.nFrames };
}
