/**
 * The native WAV reader on hand-built files: every encoding, odd chunk layouts (chunks before
 * fmt, odd sizes with and without their pad byte, data before fmt, trailing chunks), streamed
 * placeholder sizes, RF64, and bad input (truncated or lying headers, zero-length audio,
 * unknown codecs, non-audio files), plus a fast-check fuzz of the parser.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { BinaryFile } from '../core/binary-reader.js';
import { FormatError, NotFoundError } from '../core/errors.js';
import { audioInfo, decodeAudio, encodeWav, encodeWavHeader, loadMono, parseWavHeader } from './index.js';
import { decodeFrames } from './pcm-decode.js';

const dir = mkdtempSync(join(tmpdir(), 'leanml-wav-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function file(bytes: Uint8Array): string {
  const p = join(dir, `f${counter++}.wav`);
  writeFileSync(p, bytes);
  return p;
}

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
function u16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}
function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}
/** A chunk: id, size field (default: the body length), body, and the pad byte after an odd body unless `noPad`. */
function chunk(id: string, body: number[], opts: { size?: number; noPad?: boolean } = {}): number[] {
  const pad = body.length % 2 === 1 && !opts.noPad ? [0] : [];
  return [...ascii(id), ...u32(opts.size ?? body.length), ...body, ...pad];
}
function fmtBody(tag: number, channels: number, rate: number, bits: number, extensibleSub?: number): number[] {
  const align = (channels * bits) / 8;
  const base = [...u16(tag), ...u16(channels), ...u32(rate), ...u32(rate * align), ...u16(align), ...u16(bits)];
  if (extensibleSub === undefined) return base;
  // cbSize 22, valid bits, channel mask, sub-format GUID (first two bytes = format code).
  const guid = [...u16(extensibleSub), 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
  return [...base, ...u16(22), ...u16(bits), ...u32(channels === 2 ? 3 : 4), ...guid];
}
function riff(chunks: number[][], opts: { riffSize?: number; magic?: string } = {}): Uint8Array {
  const body = chunks.flat();
  return Uint8Array.from([...ascii(opts.magic ?? 'RIFF'), ...u32(opts.riffSize ?? body.length + 4), ...ascii('WAVE'), ...body]);
}
function s16(values: number[]): number[] {
  return values.flatMap((v) => u16(v < 0 ? v + 65536 : v));
}

describe('WAV reader', () => {
  it('decodes 16-bit PCM stereo, channel by channel', async () => {
    const p = file(riff([chunk('fmt ', fmtBody(1, 2, 8000, 16)), chunk('data', s16([0, 16384, -32768, 32767, 1, -1]))]));
    const a = await decodeAudio(p);
    assert.equal(a.sampleRate, 8000);
    assert.deepEqual([...a.channels[0]!], [0, -1, 1 / 32768]);
    assert.deepEqual([...a.channels[1]!], [0.5, 32767 / 32768, -1 / 32768]);
    const mono = await decodeAudio(p, { mono: true });
    assert.deepEqual([...mono.channels[0]!], [0.25, Math.fround((-1 + 32767 / 32768) / 2), 0]);
  });

  it('decodes 8-bit unsigned, 24-bit, 32-bit PCM and 32/64-bit float', async () => {
    const cases: Array<[number, number, number[], number[]]> = [
      [1, 8, [0, 128, 255], [-1, 0, 127 / 128]],
      [1, 24, [0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x01, 0x00, 0x00], [-1, 8388607 / 8388608, 1 / 8388608]],
      [1, 32, [...u32(0x80000000), ...u32(0x40000000)], [-1, 0.5]],
      [3, 32, [...new Uint8Array(Float32Array.of(0.25, -2).buffer)], [0.25, -2]],
      [3, 64, [...new Uint8Array(Float64Array.of(0.125, 1e-3).buffer)], [0.125, Math.fround(1e-3)]],
    ];
    for (const [tag, bits, data, want] of cases) {
      for (const ext of [false, true]) {
        const p = file(riff([chunk('fmt ', ext ? fmtBody(0xfffe, 1, 16000, bits, tag) : fmtBody(tag, 1, 16000, bits)), chunk('data', data)]));
        const a = await decodeAudio(p);
        assert.deepEqual([...a.channels[0]!], want, `${tag}/${bits} extensible=${ext}`);
      }
    }
  });

  it('decodes A-law and mu-law (G.711) like sox', async () => {
    // Reference values of sox's tables: A-law 0xd5 -> 8, 0x2a -> -32256; mu-law 0xff -> 0, 0x00 -> -32124.
    const a = await decodeAudio(file(riff([chunk('fmt ', fmtBody(6, 1, 8000, 8)), chunk('data', [0xd5, 0x2a])])));
    assert.deepEqual([...a.channels[0]!], [8 / 32768, -32256 / 32768]);
    const u = await decodeAudio(file(riff([chunk('fmt ', fmtBody(7, 1, 8000, 8)), chunk('data', [0xff, 0x00])])));
    assert.deepEqual([...u.channels[0]!], [0, -32124 / 32768]);
  });

  it('walks odd chunk layouts: odd-sized chunks before fmt, missing pad bytes, data before fmt, trailing LIST', async () => {
    const samples = s16([100, -200, 300]);
    const want = [100 / 32768, -200 / 32768, 300 / 32768];
    const layouts = [
      [chunk('JUNK', [1, 2, 3]), chunk('fmt ', fmtBody(1, 1, 22050, 16)), chunk('LIST', ascii('INFOISFT'), {}), chunk('data', samples)],
      [chunk('bext', [9, 9, 9, 9, 9], { noPad: true }), chunk('fmt ', fmtBody(1, 1, 22050, 16)), chunk('data', samples)],
      [chunk('data', samples), chunk('fmt ', fmtBody(1, 1, 22050, 16))],
      [chunk('fmt ', fmtBody(1, 1, 22050, 16)), chunk('data', samples), chunk('LIST', [1, 2, 3, 4, 5])],
      [chunk('fmt ', [...fmtBody(1, 1, 22050, 16), 0, 0]), chunk('fact', u32(3)), chunk('data', samples)],
    ];
    for (const [i, chunks] of layouts.entries()) {
      const a = await decodeAudio(file(riff(chunks)));
      assert.deepEqual([...a.channels[0]!], want, `layout ${i}`);
    }
    // A RIFF size that undercounts, and junk (an ID3 tag's bytes) appended after the RIFF body.
    const under = riff([chunk('fmt ', fmtBody(1, 1, 22050, 16)), chunk('data', samples)], { riffSize: 28 });
    assert.deepEqual([...(await decodeAudio(file(under))).channels[0]!], want);
    const body = riff([chunk('data', samples), chunk('fmt ', fmtBody(1, 1, 22050, 16))]);
    const junk = Uint8Array.from([...body, 0x49, 0x44, 0x33, 0x03, 0x00, 0xff, 0x00, 0x00, 0x01, 0x7f]);
    assert.deepEqual([...(await decodeAudio(file(junk))).channels[0]!], want);
  });

  it('reads streamed files whose sizes are placeholders, and RF64 with ds64', async () => {
    const samples = s16([1, 2, 3, 4]);
    const streamed = riff([chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', samples, { size: 0xffffffff })], { riffSize: 0xffffffff });
    assert.equal((await decodeAudio(file(streamed))).channels[0]!.length, 4);
    const zeroSizes = riff([chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', samples, { size: 0 })], { riffSize: 0 });
    assert.equal((await decodeAudio(file(zeroSizes))).channels[0]!.length, 4);
    const ds64 = [...u32(0xffffffff), 0, 0, 0, 0, ...u32(samples.length), 0, 0, 0, 0, ...u32(4), 0, 0, 0, 0, ...u32(0)];
    const rf64 = riff([chunk('ds64', ds64), chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', samples, { size: 0xffffffff })], {
      magic: 'RF64',
      riffSize: 0xffffffff,
    });
    const info = await audioInfo(file(rf64));
    assert.equal(info.container, 'WAV (RF64)');
    assert.equal(info.frames, 4);
  });

  it('round-trips encodeWav (32-bit float)', async () => {
    const x = Float32Array.of(0.1, -0.5, 0.999, 0);
    const y = Float32Array.of(1, 2, 3, 4);
    const a = await decodeAudio(file(encodeWav([x, y], 12345)));
    assert.equal(a.sampleRate, 12345);
    assert.deepEqual(a.channels, [x, y]);
  });

  it('reads what encodeWavHeader describes: 16-bit PCM samples streamed after the header', async () => {
    const pcm = Int16Array.of(1000, -1000, 32767, -32768, 0, 5);
    const header = encodeWavHeader({ sampleRate: 8000, channels: 2, frames: 3, encoding: 'pcm16' });
    assert.equal(header.length, 44);
    const bytes = new Uint8Array(header.length + pcm.byteLength);
    bytes.set(header, 0);
    bytes.set(new Uint8Array(pcm.buffer), header.length);
    const a = await decodeAudio(file(bytes));
    assert.equal(a.sampleRate, 8000);
    assert.deepEqual(a.channels, [Float32Array.of(1000 / 32768, 32767 / 32768, 0), Float32Array.of(-1000 / 32768, -1, 5 / 32768)]);
    assert.equal(encodeWavHeader({ sampleRate: 8000, channels: 1, frames: 4 }).length, 58);
    assert.throws(() => encodeWavHeader({ sampleRate: 8000, channels: 0, frames: 1 }), /channels must be a positive integer, got 0/);
  });

  it('reports info without decoding', async () => {
    const p = file(riff([chunk('fmt ', fmtBody(0xfffe, 2, 48000, 24, 1)), chunk('data', new Array(6 * 480).fill(0))]));
    assert.deepEqual(await audioInfo(p), {
      path: p,
      container: 'WAV',
      codec: 'pcm_s24le',
      sampleRate: 48000,
      channels: 2,
      frames: 480,
      duration: 0.01,
      decoder: 'native',
    });
  });
});

describe('WAV reader: bad input gives errors naming the file', () => {
  const fmt = chunk('fmt ', fmtBody(1, 1, 8000, 16));
  async function rejects(bytes: Uint8Array | null, pattern: RegExp, path?: string): Promise<void> {
    const p = path ?? file(bytes!);
    await assert.rejects(loadMono(p), (err: Error) => {
      assert.ok(err instanceof FormatError || err instanceof NotFoundError, `${err.name}: ${err.message}`);
      assert.ok(err.message.includes(p), err.message);
      assert.match(err.message, pattern);
      return true;
    });
  }
  // Without ffmpeg, so that non-WAV input fails on the spot with the install hint.
  const saved = process.env['LEANML_FFPROBE'];
  process.env['LEANML_FFPROBE'] = '/nonexistent/ffprobe';
  after(() => {
    if (saved === undefined) delete process.env['LEANML_FFPROBE'];
    else process.env['LEANML_FFPROBE'] = saved;
  });

  it('a data chunk that claims more bytes than the file has (truncated or lying header)', () =>
    rejects(riff([fmt, chunk('data', s16([1, 2]), { size: 1000 })]), /data chunk at byte 36 declares 1000 bytes but only 4 follow/));
  it('a file cut inside the header', () => rejects(riff([fmt]).subarray(0, 30), /no fmt chunk|truncated/));
  it('a missing data chunk', () => rejects(riff([fmt]), /no data chunk/));
  it('zero-length audio', () => rejects(riff([fmt, chunk('data', [])]), /zero-length audio/));
  it('a fmt whose block align lies', () => {
    const body = fmtBody(1, 2, 8000, 16);
    body[12] = 7;
    return rejects(riff([chunk('fmt ', body), chunk('data', [0, 0, 0, 0])]), /block align 7 does not match 2 channels of 16 bits/);
  });
  it('zero channels / zero sample rate', async () => {
    await rejects(riff([chunk('fmt ', fmtBody(1, 0, 8000, 16)), chunk('data', [0, 0])]), /0 channels/);
    await rejects(riff([chunk('fmt ', fmtBody(1, 1, 0, 16)), chunk('data', [0, 0])]), /sample rate 0/);
  });
  it('an unknown codec, naming it and how to get ffmpeg', () =>
    rejects(riff([chunk('fmt ', fmtBody(0x11, 1, 8000, 4)), chunk('data', [0, 0])]), /IMA ADPCM \(format tag 0x0011\).*apt-get install ffmpeg/));
  it('unsupported bit depths', () => rejects(riff([chunk('fmt ', fmtBody(1, 1, 8000, 12)), chunk('data', [0, 0, 0])]), /12-bit pcm samples are not supported/));
  it('a text file, an MP3 without ffmpeg, an empty file, a directory, a missing file', async () => {
    await rejects(new TextEncoder().encode('just some text, not audio at all\n'), /unrecognised type.*needs ffprobe/);
    await rejects(Uint8Array.from([...ascii('ID3'), 3, 0, 0, 0, 0, 0, 0]), /MP3 audio.*Install ffmpeg/);
    await rejects(new Uint8Array(0), /empty file/);
    const d = join(dir, 'a-directory');
    mkdirSync(d);
    await rejects(null, /not a regular file/, d);
    await rejects(null, /no such file/, join(dir, 'missing.wav'));
  });

  it('fuzz: any mutation of a valid file parses within bounds or fails with a FormatError', () => {
    const valid = riff([
      chunk('JUNK', [1, 2, 3]),
      chunk('fmt ', fmtBody(0xfffe, 2, 44100, 24, 1)),
      chunk('data', new Array(60).fill(7)),
      chunk('LIST', [1, 2]),
    ]);
    const p = join(dir, 'fuzz.wav');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.integer({ min: 0, max: valid.length }),
        (flips, cut) => {
          const bytes = valid.slice(0, Math.max(cut, 1));
          for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
          writeFileSync(p, bytes);
          const f = BinaryFile.open(p);
          try {
            const h = parseWavHeader(f);
            assert.ok(h.dataOffset + h.dataBytes <= bytes.length, 'data inside the file');
            assert.ok(h.frames * h.blockAlign === h.dataBytes && h.channels >= 1 && h.sampleRate >= 1);
            const out = Array.from({ length: h.channels }, () => new Float32Array(h.frames));
            decodeFrames(f.read(h.dataOffset, h.dataBytes), h, h.frames, out);
            assert.ok(out.every((ch) => ch.every((v) => !Number.isNaN(v) || h.sampleFormat === 'float')));
          } catch (err) {
            if (!(err instanceof FormatError)) throw err;
            assert.ok(err.message.startsWith(p), err.message);
          } finally {
            f.close();
          }
        },
      ),
      { numRuns: 2000, seed: 42 },
    );
  });
});
