/**
 * @module
 * Downmix to mono: the mean over channels, as `waveform.mean(dim=0)` in torchaudio pipelines.
 */
import { ShapeError } from '../core/errors.js';

/** The per-sample mean of `channels` (all the same length); a single channel is copied. */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new ShapeError('downmix: no channels');
  const n = channels[0]!.length;
  for (const [c, ch] of channels.entries()) {
    if (ch.length !== n) throw new ShapeError(`downmix: channel ${c} has ${ch.length} samples but channel 0 has ${n}`);
  }
  if (channels.length === 1) return channels[0]!.slice();
  const out = new Float32Array(n);
  if (channels.length === 2) {
    const a = channels[0]!;
    const b = channels[1]!;
    for (let i = 0; i < n; i++) out[i] = (a[i]! + b[i]!) / 2;
    return out;
  }
  const acc = new Float64Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) acc[i]! += ch[i]!;
  const C = channels.length;
  for (let i = 0; i < n; i++) out[i] = acc[i]! / C;
  return out;
}
