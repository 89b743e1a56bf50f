// Access control and CORS of `leanml serve`, and an abandoned upload being cleaned up.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { FakeLinear, FakeSpeaker, FakeVectors } from '../../test/server/fake-models.js';
import { checkApiKey, isLoopbackHost } from './api-key.js';
import { createServer } from './create-server.js';
import { ModelRegistry } from './model-registry.js';

const KEY = 'k3y-0123456789abcdef';
const registry = () =>
  new ModelRegistry().add('vectors', 'wiki', new FakeVectors()).add('linear', 'spam', new FakeLinear()).add('speaker', 'alice', new FakeSpeaker());

/** Every route the server has, with a body that would be valid, so only the key decides. */
async function everyRoute(): Promise<{ method: string; url: string; payload?: string | Buffer; headers?: Record<string, string> }[]> {
  const app = await createServer(registry(), { logLevel: 'silent' });
  const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  await app.close();
  const routes: { method: string; url: string; payload?: string | Buffer; headers?: Record<string, string> }[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const method of Object.keys(ops)) {
      if (path === '/health') continue; // the one open route, checked on its own
      const url =
        path.replace('{name}', path.includes('speaker') ? 'alice' : path.includes('linear') ? 'spam' : 'wiki') + (path.endsWith('/word') ? '?w=cat' : '');
      if (url.includes('speaker'))
        routes.push({ method: method.toUpperCase(), url, payload: Buffer.from('RIFF0000'), headers: { 'content-type': 'audio/wav' } });
      else
        routes.push({
          method: method.toUpperCase(),
          url,
          payload: method === 'post' ? '{"texts":["a"],"words":["a"],"queries":[["a","b","c"]]}' : undefined,
          headers: method === 'post' ? { 'content-type': 'application/json' } : {},
        });
    }
  }
  // hidden from the API description, still routes
  for (const url of ['/', '/page.js', '/page.css', '/favicon.ico', '/openapi.json', '/no/such/route']) routes.push({ method: 'GET', url });
  return routes;
}

describe('serve: API key', () => {
  it('without the right key every route but /health answers 401 and nothing else; with it they work', async () => {
    const routes = await everyRoute();
    assert.ok(routes.length >= 12, `found ${routes.length} routes`);
    const app = await createServer(registry(), { logLevel: 'silent', apiKey: KEY });
    try {
      for (const r of routes) {
        for (const auth of [undefined, 'Bearer wrong-key-0123456789', `Basic ${KEY}`, `Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, KEY]) {
          const res = await app.inject({
            method: r.method as 'GET',
            url: r.url,
            payload: r.payload,
            headers: { ...r.headers, ...(auth ? { authorization: auth } : {}) },
          });
          assert.equal(res.statusCode, 401, `${r.method} ${r.url} with ${auth ?? 'no header'}`);
          assert.equal(res.headers['www-authenticate'], 'Bearer realm="leanml"');
          assert.equal(res.json().error.code, 'unauthorized');
          assert.ok(!res.body.includes(KEY));
        }
        const ok = await app.inject({ method: r.method as 'GET', url: r.url, payload: r.payload, headers: { ...r.headers, authorization: `Bearer ${KEY}` } });
        assert.notEqual(ok.statusCode, 401, `${r.method} ${r.url} with the key`);
      }
      const health = await app.inject('/health');
      assert.equal(health.statusCode, 200);
      assert.equal((await app.inject({ method: 'POST', url: '/health' })).statusCode, 401, 'only GET /health is open');
    } finally {
      await app.close();
    }
  });

  it('keys are checked for length; listen addresses are sorted into loopback and not', () => {
    assert.throws(() => checkApiKey('short'), /at least 16 characters \(got 5\); make one with: openssl rand -hex 32/);
    assert.equal(checkApiKey(KEY), KEY);
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.org', '::ffff:10.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
  });
});

describe('serve: CORS', () => {
  it('is off by default: no CORS headers, preflights are not answered', async () => {
    const app = await createServer(registry(), { logLevel: 'silent' });
    try {
      const res = await app.inject({ method: 'GET', url: '/models', headers: { origin: 'https://evil.example' } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/v1/linear/spam/predict',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
    } finally {
      await app.close();
    }
  });

  it('with --cors-origin only that origin is allowed, and its preflight passes the key check', async () => {
    const app = await createServer(registry(), { logLevel: 'silent', apiKey: KEY, corsOrigins: ['https://app.example'] });
    try {
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/v1/linear/spam/predict',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      assert.equal(pre.statusCode, 204);
      assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example');
      const res = await app.inject({ method: 'GET', url: '/models', headers: { origin: 'https://app.example', authorization: `Bearer ${KEY}` } });
      assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
      const other = await app.inject({ method: 'GET', url: '/models', headers: { origin: 'https://evil.example', authorization: `Bearer ${KEY}` } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    } finally {
      await app.close();
    }
  });
});

describe('serve: abandoned upload', () => {
  it('a speaker upload whose client disconnects is aborted, its temporary file removed, the model never called', async () => {
    const speaker = new FakeSpeaker();
    const app = await createServer(new ModelRegistry().add('speaker', 'alice', speaker), { logLevel: 'silent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const uploads = () => readdirSync(tmpdir()).filter((d) => d.startsWith('leanml-upload-')).length;
    const before = uploads();
    try {
      const port = (app.server.address() as { port: number }).port;
      const sock = connect(port, '127.0.0.1');
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.write(`POST /v1/speaker/alice/detect HTTP/1.1\r\nhost: x\r\ncontent-type: audio/wav\r\ncontent-length: 10000000\r\n\r\n`);
      sock.write(Buffer.alloc(200_000));
      const t0 = Date.now();
      while (uploads() === before && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
      assert.equal(uploads(), before + 1, 'the upload is being written to a temporary file');
      sock.destroy();
      const t1 = Date.now();
      while ((uploads() > before || (await app.inject('/health')).json().heavyInFlight > 0) && Date.now() - t1 < 10_000)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(uploads(), before, 'temporary upload removed');
      assert.equal((await app.inject('/health')).json().heavyInFlight, 0, 'heavy slot released');
      assert.equal(speaker.calls, 0, 'the model never ran');
    } finally {
      await app.close();
    }
  });
});
