/**
 * @module
 * Demo step for `audio`: synthesises a 3 s stereo 44.1 kHz clip (a gliding voice-like tone with
 * harmonics), writes it as WAV, reads its info back, computes the log-mel spectrogram through the
 * streaming pipeline (downmix, resample to 22,050 Hz, 128 mels) and cuts it into 2 s frames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audioInfo, frameMel, logMelFile, writeWav } from '../audio/index.js';
import type { DemoStep } from './index.js';

function synthesise(seconds: number, sampleRate: number): Float32Array[] {
  const n = seconds * sampleRate;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    phase += (2 * Math.PI * (140 + 60 * Math.sin(2 * Math.PI * 0.5 * t))) / sampleRate; // gliding pitch
    const syllables = Math.max(0, Math.sin(2 * Math.PI * 2.5 * t)); // ~5 syllables a second
    const v = syllables * (0.4 * Math.sin(phase) + 0.2 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase));
    left[i] = v;
    right[i] = 0.8 * v;
  }
  return [left, right];
}

export const audioStep: DemoStep = {
  name: 'audio',
  title: 'audio: WAV decoding, torchaudio-equal resampling and log-mel, 2 s frames',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'leanml-demo-audio-'));
    try {
      const path = join(dir, 'voice.wav');
      writeWav(path, synthesise(3, 44100), 44100);
      const info = await audioInfo(path);
      log(`   ${path.split('/').pop()}: ${info.container} ${info.codec}, ${info.sampleRate} Hz, ${info.channels} channels, ${info.duration} s`);
      const mel = await logMelFile(path, { topDb: 80 });
      log(`   log-mel (dB, top 80 dB) at 22,050 Hz, n_fft 2048, hop 1024: shape (${mel.nMels}, ${mel.nFrames})`);
      const frames = frameMel(mel);
      log(`   2 s frames every 1 s: ${frames.nWindows} x (${frames.nMels}, ${frames.frameLength}), starting at frames ${[...frames.starts].join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
