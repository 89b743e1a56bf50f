/**
 * `leanml audio info|mel|resample` as a user runs them (a subprocess): output files against
 * torchaudio's golden values, stdin input, exit codes and messages for bad input, and MP3/MP4
 * through ffmpeg (skipped without Debian `ffmpeg`, unless LEANML_REQUIRE_TOOLS=1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readNpy } from '../core/npy.js';
import { expectClose } from '../../test/helpers/expect-close.js';
import { decodeAudio } from '../audio/index.js';
import { FFMPEG, requireTool } from '../../test/helpers/system-tool.js';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const FIX = 'test/fixtures/audio';
const dir = mkdtempSync(join(tmpdir(), 'leanml-audio-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function leanml(args: string[], opts: { input?: Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    input: opts.input,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const skipFfmpeg = requireTool(FFMPEG);

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

describe('leanml audio', () => {
  it('info prints JSON with container, codec, sample rate, channels and duration', () => {
    const r = leanml(['audio', 'info', join(FIX, 'speech-48000-mono-s24.wav')]);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { container: info['container'], codec: info['codec'], sampleRate: info['sampleRate'], channels: info['channels'], duration: info['duration'] },
      { container: 'WAV', codec: 'pcm_s24le', sampleRate: 48000, channels: 1, duration: 1.5 },
    );
  });

  it('mel --log none equals torchaudio MelSpectrogram of the downmixed, resampled signal (float32, (n_mels, frames))', () => {
    const out = join(dir, 'mel.npy');
    const r = leanml(['audio', 'mel', join(FIX, 'speech-44100-stereo-s16.wav'), '--out', out, '--log', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const got = readNpy(out);
    const want = readNpy(join(FIX, 'speech-44100-stereo-s16.pipeline-mel.npy'));
    assert.ok(got.data instanceof Float32Array);
    assert.deepEqual(got.shape, want.shape);
    expectClose(got.data, want.data, { atol: 1e-5 * maxAbs(want.data) }, 'mel');
  });

  it('mel reads stdin and takes every option', () => {
    const out = join(dir, 'mel-opts.npy');
    const args = [
      'audio',
      'mel',
      '-',
      '--out',
      out,
      '--sample-rate',
      '16000',
      '--n-fft',
      '512',
      '--win-length',
      '400',
      '--hop-length',
      '160',
      '--n-mels',
      '40',
      '--f-min',
      '20',
      '--f-max',
      '7600',
      '--mel-scale',
      'slaney',
      '--norm',
      'slaney',
      '--pad-mode',
      'constant',
      '--power',
      '1',
      '--log',
      'ln',
      '--log-offset',
      '1e-3',
    ];
    const r = leanml(args, { input: readFileSync(join(FIX, 'speech-8000-mono-s16.wav')) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readNpy(out).shape, [40, 1 + Math.floor(16000 / 160)]);
  });

  it('resample writes a 32-bit float WAV or .npy equal to torchaudio resample', async () => {
    const want = readNpy(join(FIX, 'speech-16000-stereo-f32.r22050.npy')).data;
    for (const ext of ['wav', 'npy']) {
      const out = join(dir, `r.${ext}`);
      const r = leanml(['audio', 'resample', join(FIX, 'speech-16000-stereo-f32.wav'), '--sr', '22050', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const got = ext === 'wav' ? (await decodeAudio(out)).channels[0]! : readNpy(out).data;
      expectClose(got, want, { atol: 1e-5 * maxAbs(want) }, ext);
    }
  });

  it('bad usage exits 2; bad files exit 1 with a message naming the file', () => {
    assert.equal(leanml(['audio', 'mel', join(FIX, 'enc-u8.wav'), '--out', join(dir, 'x.txt')]).code, 2);
    assert.equal(leanml(['audio', 'mel', join(FIX, 'enc-u8.wav'), '--out', join(dir, 'x.npy'), '--mel-scale', 'bark']).code, 2);
    assert.equal(leanml(['audio', 'resample', join(FIX, 'enc-u8.wav'), '--sr', '0', '--out', join(dir, 'x.wav')]).code, 2);
    const missing = leanml(['audio', 'info', join(dir, 'nope.wav')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.wav: no such file/);
    const truncated = leanml(['audio', 'mel', '-', '--out', join(dir, 'x.npy')], { input: readFileSync(join(FIX, 'enc-s32.wav')).subarray(0, 200) });
    assert.equal(truncated.code, 1);
    assert.match(truncated.stderr, /<stdin>: truncated or lying header/);
    const noFfmpeg = leanml(['audio', 'info', join(FIX, 'manifest.json')], { env: { LEANML_FFPROBE: '/nonexistent/ffprobe' } });
    assert.equal(noFfmpeg.code, 1);
    assert.match(noFfmpeg.stderr, /manifest\.json: a file of unrecognised type; .*Install ffmpeg/);
  });

  it('demo --only audio prints the clip info and the log-mel and frame shapes', () => {
    const r = leanml(['demo', '--only', 'audio']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /WAV pcm_f32le, 44100 Hz, 2 channels, 3 s/);
    assert.match(r.stdout, /shape \(128, 65\)/);
    assert.match(r.stdout, /2 x \(128, 44\)/);
  });

  it('mel works on MP3 and MP4 (AAC) through ffmpeg, close to the WAV it was made from', { skip: skipFfmpeg }, () => {
    const wav = join(FIX, 'speech-44100-stereo-s16.wav');
    const ref = join(dir, 'ref.npy');
    assert.equal(leanml(['audio', 'mel', wav, '--out', ref]).code, 0);
    const want = readNpy(ref);
    for (const [ext, codec] of [
      ['mp3', 'libmp3lame'],
      ['mp4', 'aac'],
    ] as const) {
      const enc = join(dir, `speech.${ext}`);
      const ff = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', wav, '-c:a', codec, '-b:a', '192k', enc]);
      assert.equal(ff.status, 0, String(ff.stderr));
      const info = JSON.parse(leanml(['audio', 'info', enc]).stdout) as Record<string, unknown>;
      assert.equal(info['codec'], ext === 'mp3' ? 'mp3' : 'aac');
      assert.equal(info['channels'], 2);
      assert.equal(info['decoder'], 'ffmpeg');
      const out = join(dir, `${ext}.npy`);
      const r = leanml(['audio', 'mel', enc, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const got = readNpy(out);
      assert.equal(got.shape[0], 128);
      // Lossy codecs add encoder delay/padding (a frame or two) and quantisation noise: compare
      // the common frames' mean dB, which speech content dominates.
      assert.ok(Math.abs(got.shape[1]! - want.shape[1]!) <= 3, `frames ${got.shape[1]} vs ${want.shape[1]}`);
      // Exactly what the same decoder's output gives through the native WAV path.
      const decoded = join(dir, `${ext}-decoded.wav`);
      assert.equal(spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', enc, '-c:a', 'pcm_f32le', decoded]).status, 0);
      const viaWav = join(dir, `${ext}-via-wav.npy`);
      assert.equal(leanml(['audio', 'mel', decoded, '--out', viaWav]).code, 0);
      assert.deepEqual(got, readNpy(viaWav), `${ext}: mel through ffmpeg streaming = mel of ffmpeg's decoded WAV`);
      const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
      assert.ok(Math.abs(mean(got.data as Float32Array) - mean(want.data as Float32Array)) < 3, `${ext}: mean dB differs`);
    }
  });

  it("a non-audio file through ffmpeg fails fast with ffprobe's reason", { skip: skipFfmpeg }, () => {
    const r = leanml(['audio', 'mel', join(FIX, 'manifest.json'), '--out', join(dir, 'x.npy')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /manifest\.json: not a readable audio file .*Invalid data/);
  });
});
