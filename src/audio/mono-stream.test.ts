import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FormatError, NotFoundError } from '../core/errors.js';
import { streamMono } from './mono-stream.js';
import { resample } from './resample.js';
import { writeWav } from './wav-writer.js';
import type { AudioInfo } from './audio-source.js';

async function collect(path: string, rate: number, worker: boolean): Promise<{ x: Float32Array; info: AudioInfo | null; chunks: number }> {
  const parts: Float32Array[] = [];
  let info: AudioInfo | null = null;
  for await (const c of streamMono(path, rate, {
    worker,
    onInfo: (i) => {
      info = i;
    },
  }))
    parts.push(c);
  const x = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    x.set(p, o);
    o += p.length;
  }
  return { x, info, chunks: parts.length };
}

describe('streamMono', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'leanml-mono-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('in a worker thread gives the same samples, to the bit, as on this thread and as resample(downmix)', async () => {
    const n = 44100 * 7 + 123; // several 65,536-frame chunks and a ragged end
    const l = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i / 17) + 0.1 * Math.sin(i / 3.1));
    const r = Float32Array.from({ length: n }, (_, i) => 0.2 * Math.cos(i / 29));
    const path = join(dir, 'stereo.wav');
    writeWav(path, [l, r], 44100);
    for (const rate of [22050, 16000]) {
      const here = await collect(path, rate, false);
      const there = await collect(path, rate, true);
      assert.ok(there.chunks > 3, 'streamed in chunks');
      assert.deepEqual(there.info, here.info);
      assert.equal(there.x.length, here.x.length);
      assert.ok(
        there.x.every((v, i) => Object.is(v, here.x[i])),
        `worker output differs at ${rate} Hz`,
      );
      const mono = Float32Array.from(l, (v, i) => (v + r[i]!) / 2);
      const want = resample(mono, 44100, rate);
      assert.ok(
        here.x.every((v, i) => Object.is(v, want[i])),
        `streamed output differs from resample at ${rate} Hz`,
      );
    }
  });

  it("passes the worker's errors on as the same classes with the same messages", async () => {
    const bad = join(dir, 'bad.wav');
    writeFileSync(bad, Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), Buffer.alloc(8)]));
    await assert.rejects(collect(bad, 22050, true), (e: Error) => e instanceof FormatError && e.message.includes('bad.wav'));
    await assert.rejects(collect(join(dir, 'missing.wav'), 22050, true), (e: Error) => e instanceof NotFoundError && /no such file/.test(e.message));
  });

  it('stops the worker when the consumer stops early', async () => {
    const path = join(dir, 'long.wav');
    writeWav(path, [new Float32Array(44100 * 30)], 44100);
    let n = 0;
    for await (const c of streamMono(path, 22050, { worker: true })) {
      n += c.length;
      if (n > 44100) break;
    }
    assert.ok(n > 44100);
  });
});
