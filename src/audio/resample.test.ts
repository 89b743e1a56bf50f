// resample's properties on signals whose answer is known: lengths, a copy at equal rates, DC and a
// low tone kept, a tone above the new Nyquist removed, options checked. (Equality with torchaudio is
// in torchaudio-golden.test.ts; streaming = one-shot in streaming.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resample } from './resample.js';

const PAIRS = [
  [44100, 22050],
  [48000, 22050],
  [16000, 22050],
  [8000, 22050],
  [22050, 16000],
] as const;
/** Samples at each end where the zero padding shows (more than the filter's half-width at these rates). */
const EDGE = 100;

const sine = (n: number, sr: number, hz: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / sr));

function worstInterior(y: Float32Array, want: (i: number) => number): number {
  let worst = 0;
  for (let i = EDGE; i < y.length - EDGE; i++) worst = Math.max(worst, Math.abs(y[i]! - want(i)));
  return worst;
}

describe('resample', () => {
  it('gives ceil(n * to / from) samples, as torchaudio does', () => {
    for (const [from, to] of PAIRS)
      for (const n of [0, 1, 7, 1000, 44101])
        assert.equal(resample(new Float32Array(n), from, to).length, Math.ceil((n * to) / from), `${n} samples ${from} -> ${to}`);
  });

  it('returns a copy at equal rates', () => {
    const x = Float32Array.of(1, 2, 3);
    const y = resample(x, 16000, 16000);
    assert.deepEqual(y, x);
    assert.notEqual(y, x);
  });

  it('keeps DC and a 440 Hz tone (within 1e-3 away from the edges)', () => {
    // measured worst: DC 9e-4 (upsampling 8 kHz), tone 5e-4: the Hann-windowed sinc's passband ripple
    for (const [from, to] of PAIRS) {
      assert.ok(worstInterior(resample(new Float32Array(from).fill(1), from, to), () => 1) < 1e-3, `DC ${from} -> ${to}`);
      const tone = resample(sine(from, from, 440), from, to);
      assert.ok(worstInterior(tone, (i) => Math.sin((2 * Math.PI * 440 * i) / to)) < 1e-3, `440 Hz ${from} -> ${to}`);
    }
  });

  it('removes a tone above the new Nyquist frequency instead of folding it back', () => {
    // 13.2 kHz at 44.1 kHz: above 22.05 kHz's Nyquist (11.025 kHz); RMS 0.707 in, measured 0.027 out
    const y = resample(sine(44100, 44100, 0.6 * 22050), 44100, 22050);
    let sum = 0;
    for (let i = EDGE; i < y.length - EDGE; i++) sum += y[i]! ** 2;
    assert.ok(Math.sqrt(sum / (y.length - 2 * EDGE)) < 0.05);
  });

  it('rejects options out of range, naming them', () => {
    const x = new Float32Array(10);
    assert.throws(() => resample(x, 44100, 22050, { rolloff: 0 }), /rolloff must be in \(0, 1\], got 0/);
    assert.throws(() => resample(x, 44100, 22050, { lowpassFilterWidth: 0 }), /lowpassFilterWidth must be > 0, got 0/);
    assert.throws(() => resample(x, 0, 22050), /from must be a positive integer number of Hz, got 0/);
  });
});
