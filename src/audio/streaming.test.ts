/**
 * Agreement tests: every streaming form gives exactly (bit for bit) the one-shot result,
 * whatever the chunking — Resampler vs resample, MelSpectrogramStream vs melSpectrogram,
 * streamLogMel / logMelFile vs logMel(melSpectrogram(loadMono(...))).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../core/rng.js';
import {
  applyTopDb,
  concatMel,
  frameCount,
  loadMono,
  logMel,
  logMelFile,
  melSpectrogram,
  MelSpectrogramStream,
  resample,
  Resampler,
  streamLogMel,
  type MelChunk,
  type MelOptions,
} from './index.js';

function noise(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.05) + 0.1 * rng.normal());
}

/** Splits `x` at the given cut points (sorted, deduplicated, within bounds). */
function pieces(x: Float32Array, cuts: number[]): Float32Array[] {
  const at = [...new Set(cuts.map((c) => c % (x.length + 1)))].sort((a, b) => a - b);
  const out: Float32Array[] = [];
  let prev = 0;
  for (const c of [...at, x.length]) {
    out.push(x.subarray(prev, Math.max(prev, c)));
    prev = Math.max(prev, c);
  }
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('streaming = one-shot', () => {
  it('Resampler over any chunking equals resample, for many rate pairs', () => {
    const x = noise(5000, 1);
    const pairs: Array<[number, number]> = [
      [44100, 22050],
      [48000, 22050],
      [16000, 22050],
      [22050, 8000],
      [8000, 44100],
      [44100, 44100],
      [11025, 48000],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...pairs), fc.array(fc.nat(5000), { maxLength: 12 }), ([from, to], cuts) => {
        const whole = resample(x, from, to);
        const g = gcd(from, to);
        assert.equal(whole.length, Math.ceil(((to / g) * x.length) / (from / g)), "torchaudio's target length");
        const r = new Resampler(from, to);
        const got = concat([...pieces(x, cuts).map((p) => r.push(p)), r.flush()]);
        assert.deepEqual(got, whole);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('refuses a rate pair whose kernel would be unbounded, before allocating it', () => {
    assert.throws(() => resample(new Float32Array(10), 4294967291, 22050), /reduces to 4294967291:22050, whose kernel would need \d+ coefficients/);
    assert.throws(() => resample(new Float32Array(10), 44100.5, 22050), /from must be a positive integer/);
  });

  it('MelSpectrogramStream over any chunking equals melSpectrogram, for several option sets', () => {
    const x = noise(12000, 2);
    const configs: MelOptions[] = [
      {},
      { nFft: 512, hopLength: 160, winLength: 400, nMels: 40, padMode: 'constant' },
      { nFft: 400, hopLength: 100, nMels: 32, center: false, pad: 5, power: 1, normalized: true, norm: 'slaney', melScale: 'slaney' },
      { nFft: 256, hopLength: 300, nMels: 20 },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...configs), fc.array(fc.nat(12000), { maxLength: 10 }), (opts, cuts) => {
        const whole = melSpectrogram(x, opts);
        assert.equal(whole.nFrames, frameCount(x.length, opts));
        const s = new MelSpectrogramStream(opts);
        const chunks: MelChunk[] = [...pieces(x, cuts).map((p) => s.push(p)), s.flush()];
        chunks.reduce((start, c) => (assert.equal(c.startFrame, start), start + c.nFrames), 0);
        assert.deepEqual(concatMel(chunks, whole.nMels), whole);
      }),
      { numRuns: 40, seed: 8 },
    );
  });

  it('streamLogMel and logMelFile equal the one-shot pipeline, for any chunkFrames', async () => {
    const path = join('test/fixtures/audio', 'speech-48000-mono-s24.wav');
    const x = await loadMono(path, 22050);
    for (const [log, opts] of [
      ['db', {}],
      ['ln', { nFft: 1024, hopLength: 256, nMels: 64 }],
      ['none', { sampleRate: 16000, nFft: 512, hopLength: 128 }],
    ] as const) {
      const sr = (opts as MelOptions).sampleRate ?? 22050;
      const want = logMel(melSpectrogram(sr === 22050 ? x : await loadMono(path, sr), opts), { log });
      for (const chunkFrames of [1, 5, 64, 100000]) {
        const chunks: MelChunk[] = [];
        for await (const c of streamLogMel(path, { ...opts, log, chunkFrames })) chunks.push(c);
        assert.ok(chunks.slice(0, -1).every((c) => c.nFrames === chunkFrames));
        assert.deepEqual(concatMel(chunks, want.nMels), want, `${log} chunkFrames=${chunkFrames}`);
      }
      assert.deepEqual(await logMelFile(path, { ...opts, log }), want);
    }
    const db80 = logMel(melSpectrogram(x), { topDb: 80 });
    assert.deepEqual(await logMelFile(path, { topDb: 80 }), db80);
    const manual = logMel(melSpectrogram(x));
    applyTopDb(manual.data, Math.max(...manual.data), 80);
    assert.deepEqual(manual, db80);
  });

  it('streamLogMel refuses topDb (it needs the whole spectrogram) with a clear message', async () => {
    const it = streamLogMel('test/fixtures/audio/speech-8000-mono-s16.wav', { topDb: 80 });
    await assert.rejects(it.next(), /topDb needs the maximum of the whole spectrogram/);
  });
});

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
