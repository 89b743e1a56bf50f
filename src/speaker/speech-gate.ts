/**
 * @module
 * A speech gate on mel power columns: a column passes when its speech-band energy
 * (roughly 200-4000 Hz) stands a margin above a running noise floor. The floor follows
 * minimum statistics (drops at once, rises slowly), so it works in one streaming pass and
 * adapts to room tone, hiss or a steady music bed. Without it, frames of room tone alone
 * score like speech against the target memory.
 */

/** Gate settings (stored in the model directory). */
export interface SpeechGateOptions {
  /** dB above the noise floor a column must reach. Default 8. */
  marginDb?: number;
  /** Columns quieter than this (dB, power re full scale) never pass. Default -70. */
  minDb?: number;
  /** How fast the floor may rise, dB per second. Default 3. */
  riseDbPerSecond?: number;
  /** Passing columns are widened by this many columns each side (onsets, offsets). Default 2. */
  dilateColumns?: number;
  /** Speech band in Hz. Default [200, 4000]. */
  band?: [number, number];
}

/** Streaming speech gate; feed mel power columns in order. The only state is the noise floor. */
export class SpeechGate {
  private readonly bins: Int32Array;
  private readonly margin: number;
  private readonly minDb: number;
  private readonly rise: number;
  /** Dilation (columns each side) to apply with `dilateMask` once all columns are in. */
  readonly dilateColumns: number;
  private floor = Infinity;

  /**
   * @param melCenters centre frequency (Hz) of each mel bin
   * @param columnSeconds seconds per column
   */
  constructor(melCenters: ArrayLike<number>, columnSeconds: number, opts: SpeechGateOptions = {}) {
    const [lo, hi] = opts.band ?? [200, 4000];
    const b: number[] = [];
    for (let i = 0; i < melCenters.length; i++) if (melCenters[i]! >= lo && melCenters[i]! <= hi) b.push(i);
    this.bins = Int32Array.from(b);
    this.margin = opts.marginDb ?? 8;
    this.minDb = opts.minDb ?? -70;
    this.rise = (opts.riseDbPerSecond ?? 3) * columnSeconds;
    this.dilateColumns = opts.dilateColumns ?? 2;
  }

  /** Speech-band energy of column `c` of a (nMels, nCols) power block, in dB. */
  energyDb(power: Float32Array, nCols: number, c: number): number {
    let s = 0;
    for (let i = 0; i < this.bins.length; i++) s += power[this.bins[i]! * nCols + c]!;
    return 10 * Math.log10(s + 1e-12);
  }

  /** Raw (undilated) decisions for a (nMels, nCols) block of mel power, continuing the floor. */
  push(power: Float32Array, nCols: number): Uint8Array {
    const out = new Uint8Array(nCols);
    for (let c = 0; c < nCols; c++) {
      const e = this.energyDb(power, nCols, c);
      this.floor = Math.min(e, this.floor + this.rise);
      out[c] = e > this.floor + this.margin && e > this.minDb ? 1 : 0;
    }
    return out;
  }
}

/** Widens every set entry of `mask` by `k` entries each side. */
export function dilateMask(mask: Uint8Array, k: number): Uint8Array {
  if (k <= 0) return mask.slice();
  const out = new Uint8Array(mask.length);
  // two sweeps: distance to the previous and to the next set entry
  let prev = -Infinity;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) prev = i;
    if (i - prev <= k) out[i] = 1;
  }
  let next = Infinity;
  for (let i = mask.length - 1; i >= 0; i--) {
    if (mask[i]) next = i;
    if (next - i <= k) out[i] = 1;
  }
  return out;
}
