/**
 * @module
 * Cutting a log-mel spectrogram into fixed frames for the embedding net.
 * Legend: C = mel bins, T = columns, L = columns per frame, N = frames.
 */

/** Frames in the net's layout, (N, L, C) row-major, and the column each starts at. */
export interface Frames {
  data: Float32Array;
  starts: Int32Array;
  count: number;
  length: number;
  channels: number;
}

/** Start columns of frames of `L` columns with hop `hop` over `T` columns (none when T < L). */
export function frameStarts(T: number, L: number, hop: number): Int32Array {
  if (T < L) return new Int32Array(0);
  const n = Math.floor((T - L) / hop) + 1;
  return Int32Array.from({ length: n }, (_, i) => i * hop);
}

/**
 * Copies the frames starting at `starts` out of a (C, T) spectrogram, transposed to (N, L, C)
 * (channels last, the layout `tf.conv1d` wants), optionally offsetting the start columns.
 */
export function cutFrames(spec: Float32Array, C: number, T: number, L: number, starts: Int32Array, offset = 0): Frames {
  const N = starts.length;
  const data = new Float32Array(N * L * C);
  for (let n = 0; n < N; n++) {
    const s = starts[n]! - offset;
    const base = n * L * C;
    for (let c = 0; c < C; c++) {
      const row = c * T + s;
      for (let l = 0; l < L; l++) data[base + l * C + c] = spec[row + l]!;
    }
  }
  return { data, starts, count: N, length: L, channels: C };
}

/** Power to decibels (10·log10(max(x, 1e-10))), as torchaudio's `AmplitudeToDB()`, in place. */
export function powerToDb(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = 10 * Math.log10(x[i]! > 1e-10 ? x[i]! : 1e-10);
  return x;
}
