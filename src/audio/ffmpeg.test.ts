/**
 * The ffmpeg route against the native WAV reader: a lossless FLAC made from a fixture decodes to
 * exactly the WAV's samples (checks the f32le stream, its chunking and de-interleaving), and the
 * missing-ffmpeg message. Skipped without ffmpeg (Debian `ffmpeg`), unless LEANML_REQUIRE_TOOLS=1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeAudio, loadMono, openAudio } from './index.js';
import { FFMPEG, requireTool } from '../../test/helpers/system-tool.js';

const skipFfmpeg = requireTool(FFMPEG);
const dir = mkdtempSync(join(tmpdir(), 'leanml-ffmpeg-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('decoding through ffmpeg', () => {
  it('a FLAC made from a WAV decodes to the same samples, in any chunk size', { skip: skipFfmpeg }, async () => {
    const wav = 'test/fixtures/audio/speech-44100-stereo-s16.wav';
    const flac = join(dir, 'speech.flac');
    const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', wav, flac]);
    assert.equal(r.status, 0, String(r.stderr));
    const src = await openAudio(flac);
    assert.equal(src.info.decoder, 'ffmpeg');
    assert.equal(src.info.codec, 'flac');
    assert.equal(src.info.sampleRate, 44100);
    assert.equal(src.info.channels, 2);
    const want = await decodeAudio(wav);
    const got = await decodeAudio(flac);
    assert.deepEqual(got, want);
    let frames = 0;
    for await (const c of src.chunks(1000)) {
      assert.ok(c[0]!.length <= 1000 && c.length === 2);
      frames += c[0]!.length;
    }
    assert.equal(frames, want.channels[0]!.length);
    assert.deepEqual(await loadMono(flac), await loadMono(wav));
  });

  it('without ffmpeg, a FLAC file fails with the format named and how to install ffmpeg', async () => {
    const saved = process.env['LEANML_FFPROBE'];
    process.env['LEANML_FFPROBE'] = '/nonexistent/ffprobe';
    try {
      const path = join(dir, 'x.flac');
      (await import('node:fs')).writeFileSync(path, Uint8Array.from([0x66, 0x4c, 0x61, 0x43, 0, 0, 0, 34]));
      await assert.rejects(openAudio(path), /x\.flac: FLAC audio; leanml decodes only WAV by itself.*apt-get install ffmpeg/);
    } finally {
      if (saved === undefined) delete process.env['LEANML_FFPROBE'];
      else process.env['LEANML_FFPROBE'] = saved;
    }
  });
});
