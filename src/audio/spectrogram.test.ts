import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectClose } from '../../test/helpers/expect-close.js';
import { hannWindow, melSpectrogram, RealFft, SpectrogramStream } from './index.js';

describe('RealFft', () => {
  it('matches a direct DFT for power-of-two and other lengths (Bluestein)', () => {
    for (const n of [1, 2, 3, 8, 100, 400, 512]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + (i % 3));
      const got = new RealFft(n).transform(x);
      const want = new Float64Array(2 * (Math.floor(n / 2) + 1));
      for (let k = 0; k <= n / 2; k++) {
        for (let t = 0; t < n; t++) {
          want[2 * k]! += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
          want[2 * k + 1]! -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
        }
      }
      expectClose(got, want, { atol: 1e-9 * n }, `n=${n}`);
    }
  });
});

describe('SpectrogramStream', () => {
  it('puts a pure tone in its bin, with the periodic Hann window', () => {
    const w = hannWindow(4);
    expectClose(w, [0, 0.5, 1, 0.5], { atol: 1e-15 }, 'hann(4)');
    const n = 1024;
    const x = Float32Array.from({ length: 8192 }, (_, i) => Math.cos((2 * Math.PI * 64 * i) / n));
    const s = new SpectrogramStream({ nFft: n, hopLength: 256 });
    let peakBin = -1;
    s.push(x, (spec) => {
      peakBin = spec.indexOf(Math.max(...spec));
    });
    assert.equal(peakBin, 64);
  });

  it('refuses a signal too short for reflect padding, as torch.stft does, and says what to do', () => {
    assert.throws(() => melSpectrogram(new Float32Array(1000)), /1000 samples, too short for reflect padding of nFft\/2 = 1024; use padMode 'constant'/);
    assert.equal(melSpectrogram(new Float32Array(1000), { padMode: 'constant' }).nFrames, 1);
    assert.throws(() => melSpectrogram(new Float32Array(100), { center: false }), /fewer than nFft/);
    assert.throws(() => melSpectrogram(new Float32Array(5000), { winLength: 4096 }), /winLength must be an integer in \[1, nFft=2048\]/);
  });
});
