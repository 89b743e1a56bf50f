/**
 * @module
 * The Hann window of `torch.hann_window` (periodic by default, as STFT uses it).
 */

/**
 * `length` samples of a Hann window. Periodic (`0.5 - 0.5 cos(2πn/length)`), as
 * `torch.hann_window(length)` and spectral analysis use, or symmetric (`.../(length-1)`).
 */
export function hannWindow(length: number, opts: { periodic?: boolean } = {}): Float64Array {
  const periodic = opts.periodic ?? true;
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const denom = periodic ? length : length - 1;
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / denom);
  return w;
}
