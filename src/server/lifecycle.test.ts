import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeLinear, FakeSpeaker, FakeVectors } from '../../test/server/fake-models.js';
import { BusyError, NotFoundError, UsageError } from '../core/errors.js';
import { createServer } from './create-server.js';
import { HeavyLimiter } from './heavy-limiter.js';
import { ModelRegistry } from './model-registry.js';
import { serveUntilSignal } from './start-server.js';
import { decodeUtf8, firstInvalidUtf8 } from './strict-json-parser.js';
import { yieldingMap } from './yielding-map.js';

const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(96)]);

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('serve: heavy-request bound', () => {
  it('refuses with 503 and Retry-After past the bound, with no queue, and recovers', async () => {
    const speaker = new FakeSpeaker();
    speaker.hold = true;
    const reg = new ModelRegistry().add('speaker', 'alice', speaker).add('linear', 'spam', new FakeLinear());
    const app = await createServer(reg, { logLevel: 'silent', limits: { maxConcurrent: 2 } });
    try {
      const detect = () => app.inject({ method: 'POST', url: '/v1/speaker/alice/detect', headers: { 'content-type': 'audio/wav' }, payload: WAV });
      const held = [detect(), detect()];
      await until(() => speaker.waiting === 2);
      const refused = await detect();
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.deepEqual(refused.json().error.code, 'busy');
      assert.match(refused.json().error.message, /2 heavy requests already running/);
      // other heavy routes share the bound; light ones do not
      assert.equal(
        (await app.inject({ method: 'POST', url: '/v1/linear/spam/predict', headers: { 'content-type': 'application/json' }, payload: '{"texts":["x"]}' }))
          .statusCode,
        503,
      );
      const health = await app.inject('/health');
      assert.equal(health.statusCode, 200);
      assert.equal(health.json().heavyInFlight, 2);
      assert.equal(speaker.calls, 2, 'the refused request never reached the model');
      speaker.release();
      for (const r of await Promise.all(held)) assert.equal(r.statusCode, 200);
      speaker.hold = false;
      assert.equal((await detect()).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('HeavyLimiter releases its slot when work throws', async () => {
    const lim = new HeavyLimiter(1);
    await assert.rejects(
      lim.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(lim.active, 0);
    assert.equal(await lim.run(() => 7), 7);
    assert.throws(() => new HeavyLimiter(0), RangeError);
  });
});

describe('serve: graceful shutdown', () => {
  it('on a signal, in-flight requests finish, new ones are refused, models are closed', async () => {
    const speaker = new FakeSpeaker();
    speaker.hold = true;
    const vec = new FakeVectors();
    const reg = new ModelRegistry().add('speaker', 'alice', speaker).add('vectors', 'wiki', vec);
    const app = await createServer(reg, { logLevel: 'silent' });
    const lines: string[] = [];
    let base = '';
    const done = serveUntilSignal(app, reg, { port: 0, host: '127.0.0.1', signals: ['SIGUSR2'], log: (l) => lines.push(l), onListening: (u) => (base = u) });
    await until(() => base !== '');
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    const inflight = fetch(`${base}/v1/speaker/alice/detect`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: WAV });
    await until(() => speaker.waiting === 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    await until(() => lines.some((l) => l.includes('finishing in-flight')));
    await assert.rejects(fetch(`${base}/health`, { headers: { connection: 'close' } }), 'new connections are refused');
    assert.equal(vec.closed, false);
    speaker.release();
    const res = await inflight;
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { segments: unknown[] }).segments.length, 1);
    assert.deepEqual(await done, { clean: true });
    assert.equal(vec.closed, true);
    assert.deepEqual(lines.at(-1), 'serve: stopped');
  });

  it('a request arriving on an open connection while closing gets 503 in the documented shape', async () => {
    const speaker = new FakeSpeaker();
    speaker.hold = true;
    const reg = new ModelRegistry().add('speaker', 'alice', speaker);
    const app = await createServer(reg, { logLevel: 'silent' });
    let port = 0;
    const done = serveUntilSignal(app, reg, {
      port: 0,
      host: '127.0.0.1',
      signals: ['SIGUSR2'],
      log: () => {},
      onListening: (u) => (port = Number(u.split(':').pop())),
    });
    await until(() => port !== 0);
    const read = (sock: ReturnType<typeof connect>) => {
      let text = '';
      sock.on('data', (d) => (text += String(d)));
      return new Promise<string>((r) => sock.on('close', () => r(text)));
    };
    // A: a request in flight when the signal comes
    const a = connect(port, '127.0.0.1');
    const aText = read(a);
    a.write(`POST /v1/speaker/alice/detect HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\nContent-Length: ${WAV.length}\r\n\r\n`);
    a.write(WAV);
    await until(() => speaker.waiting === 1);
    // B: a client half-way through sending its request
    const b = connect(port, '127.0.0.1');
    const bText = read(b);
    b.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 20));
    b.write('\r\n');
    const late = await bText;
    assert.match(late, /^HTTP\/1\.1 503/);
    assert.match(late, /connection: close/i);
    assert.match(late, /retry-after: 1/i);
    assert.ok(late.endsWith('{"error":{"code":"busy","message":"server is shutting down"}}'), late);
    speaker.release();
    const first = await aText;
    assert.match(first, /^HTTP\/1\.1 200/);
    assert.match(first, /connection: close/i, 'answers while draining close their connection');
    assert.deepEqual(await done, { clean: true });
  });
});

describe('serve: over a real socket', () => {
  it('an oversized body gets its 413 answer and the server keeps serving', async () => {
    const app = await createServer(new ModelRegistry().add('vectors', 'm', new FakeVectors()), { logLevel: 'silent' });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const r = await fetch(`${url}/v1/vectors/m/nn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ words: ['x'.repeat(4 << 20)] }),
      });
      assert.equal(r.status, 413);
      assert.deepEqual(await r.json(), { error: { code: 'limit', message: 'request body is too large (this route accepts at most 1048576 bytes)' } });
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      await app.close();
    }
  });
});

describe('serve: audio uploads', () => {
  it('a chunked upload (no Content-Length) past the audio limit is cut off with 413 and leaves no file behind', async () => {
    const speaker = new FakeSpeaker();
    const app = await createServer(new ModelRegistry().add('speaker', 'alice', speaker), { logLevel: 'silent', limits: { audioBodyLimit: 1 << 16 } });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const before = readdirSync(tmpdir()).filter((d) => d.startsWith('leanml-upload-')).length;
      const chunk = new Uint8Array(16 << 10).fill(1);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent >= 1 << 20) return c.close();
          sent += chunk.length;
          c.enqueue(chunk);
        },
      });
      const r = await fetch(`${url}/v1/speaker/alice/detect`, {
        method: 'POST',
        headers: { 'content-type': 'audio/wav' },
        body,
        duplex: 'half',
      } as RequestInit);
      assert.equal(r.status, 413);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, /at most 65536 bytes/);
      assert.equal(speaker.calls, 0, 'the detector never saw the partial upload');
      assert.equal(readdirSync(tmpdir()).filter((d) => d.startsWith('leanml-upload-')).length, before);
      const ok = await fetch(`${url}/v1/speaker/alice/detect`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: WAV });
      assert.equal(ok.status, 200);
    } finally {
      await app.close();
    }
  });
});

describe('serve: pieces', () => {
  it('ModelRegistry refuses unsafe and duplicate names and lists what is loaded on a miss', () => {
    const reg = new ModelRegistry().add('vectors', 'a-1', new FakeVectors());
    for (const bad of ['', '../x', 'a/b', '.hidden', '__proto__', 'x'.repeat(65), 'sp ace', 'é'])
      assert.throws(() => reg.add('vectors', bad, new FakeVectors()), UsageError, bad);
    assert.throws(() => reg.add('vectors', 'a-1', new FakeVectors()), /two vectors models are named 'a-1'/);
    reg.add('linear', 'a-1', new FakeLinear()); // same name, other kind: fine
    assert.throws(
      () => reg.get('vectors', 'b'),
      (e: unknown) => e instanceof NotFoundError && /loaded vectors models: a-1/.test(e.message),
    );
    assert.throws(() => reg.get('speaker', 'a-1'), /no speaker models are loaded/);
    assert.throws(() => reg.get('vectors', 'toString'), NotFoundError);
  });

  it('firstInvalidUtf8 agrees with a fatal TextDecoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        assert.equal(firstInvalidUtf8(bytes) === bytes.length, valid);
        if (!valid) {
          const at = firstInvalidUtf8(bytes);
          assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at)), 'the prefix before the reported offset is valid');
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => decodeUtf8(Buffer.from(s)) === s));
  });

  it('yieldingMap keeps order, yields to the event loop, and stops when aborted', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const spin = (ms: number) => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    const out = await yieldingMap([1, 2, 3, 4, 5, 6], (x) => (spin(3), x * 2), { sliceMs: 5 });
    clearInterval(timer);
    assert.deepEqual(out, [2, 4, 6, 8, 10, 12]);
    assert.ok(ticks > 0, 'timers ran during the batch');
    const ac = new AbortController();
    await assert.rejects(
      yieldingMap([1, 2, 3], (x) => (ac.abort(), spin(2), x), { sliceMs: 1, signal: ac.signal }),
      (e: unknown) => e instanceof BusyError,
    );
  });
});
