// `leanml serve --files`: range reads over real HTTP (206, 416, Accept-Ranges, Content-Length,
// no path traversal), and the fasttext range reader on top of it: a store read by ranges gives
// the same vectors and neighbours as the local file, fetches only part of an indexed store, and
// bad input (truncated, not a store, not a model) fails with the local reader's messages.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { HttpRangeSource } from '../core/http-range-source.js';
import { convertToStore, openBin, openFastText, openStore } from '../fasttext/index.js';
import { openModelBytes, openRemoteStore } from '../fasttext/web.js';
import { createServer } from './create-server.js';
import { ModelRegistry } from './model-registry.js';

const M = 'test/fixtures/fasttext/models';

/** A raw GET (fetch would hide some headers and refuse `..` in paths). */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The message of what `f` throws (sync or async). */
async function messageOf(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('expected an error');
}

describe('serve --files and range reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leanml-files-'));
  const files = join(dir, 'public');
  let app: FastifyInstance;
  let base: string;
  before(async () => {
    mkdirSync(files);
    const bin = openBin(`${M}/skipgram.bin`);
    convertToStore(bin, join(files, 'sg.ivf.int8'), { dtype: 'int8', index: 'ivf', lists: 24 });
    convertToStore(bin, join(files, 'sg.f16'), { dtype: 'f16' });
    bin.close();
    copyFileSync(`${M}/q-norm.ftz`, join(files, 'q.ftz'));
    const store = readFileSync(join(files, 'sg.ivf.int8'));
    writeFileSync(join(files, 'truncated.store'), store.subarray(0, store.length - 1000));
    writeFileSync(join(files, 'hello.txt'), 'hello, not a model\n');
    writeFileSync(join(files, 'truncated.ftz'), readFileSync(`${M}/q-norm.ftz`).subarray(0, 3000));
    writeFileSync(join(files, '.secret'), 'x');
    writeFileSync(join(dir, 'outside.txt'), 'TOKEN-OUTSIDE-ROOT');
    app = await createServer(new ModelRegistry(), { logLevel: 'silent', files });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers ranges with 206, whole files with 200, unsatisfiable ranges with 416', async () => {
    const whole = readFileSync(join(files, 'hello.txt'));
    const full = await get(base, '/files/hello.txt');
    assert.equal(full.status, 200);
    assert.equal(full.headers['accept-ranges'], 'bytes');
    assert.equal(full.headers['content-length'], String(whole.length));
    assert.deepEqual(full.body, whole);
    const part = await get(base, '/files/hello.txt', { range: 'bytes=7-9' });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes 7-9/${whole.length}`);
    assert.equal(part.headers['content-length'], '3');
    assert.equal(part.body.toString(), 'not');
    const tail = await get(base, '/files/hello.txt', { range: 'bytes=-6' });
    assert.equal(tail.status, 206);
    assert.equal(tail.body.toString(), 'model\n');
    const past = await get(base, '/files/hello.txt', { range: `bytes=${whole.length}-` });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${whole.length}`);
  });

  it('refuses paths outside the directory, dot files, listings and missing files', async () => {
    for (const p of ['/files/../outside.txt', '/files/%2e%2e/outside.txt', '/files/..%2foutside.txt', '/files/.secret', '/files/', '/files/nope.bin']) {
      const r = await get(base, p);
      assert.ok(r.status === 403 || r.status === 404 || r.status === 400, `${p}: ${r.status}`);
      assert.ok(!r.body.toString().includes('TOKEN-OUTSIDE-ROOT'), `${p} leaked the file`);
    }
  });

  it('a store read by ranges equals the local store and fetches a small part of it', async () => {
    const local = openStore(join(files, 'sg.ivf.int8'), { nprobe: 4 });
    // a tiny store: small pages and merges, so that what is fetched stays a fraction of it
    const remote = await openRemoteStore(`${base}/files/sg.ivf.int8`, { nprobe: 4, pageBytes: 256, mergeGapBytes: 256, headBytes: 4096 });
    const words = ['license', 'software', 'xyzzyq', 'поиск', 'freedomz'];
    for (const w of words) assert.deepEqual(await remote.wordVector(w), local.wordVector(w), w);
    const got = await remote.nearestNeighborsBatch(words, 10);
    assert.deepEqual(
      got.map((r) => r.map((n) => [n.word, n.score])),
      local.nearestNeighborsBatch(words, 10).map((r) => r.map((n) => [n.word, n.score])),
    );
    assert.deepEqual(await remote.nearestNeighbors('license', 5), local.nearestNeighbors('license', 5));
    const { bytesFetched, size, requests } = remote.stats;
    assert.ok(bytesFetched < size / 2, `fetched ${bytesFetched} of ${size} bytes in ${requests} requests`);
    // exact search through the index reads every row and still agrees
    local.nprobe = 0;
    remote.nprobe = 0;
    assert.deepEqual(
      (await remote.nearestNeighbors('license', 10)).map((n) => n.word),
      local.nearestNeighbors('license', 10).map((n) => n.word),
    );
    local.close();
    remote.close();
    // a store without an index: vectors by ranges, search over the whole word matrix
    const f16 = openStore(join(files, 'sg.f16'));
    const r16 = await openRemoteStore(`${base}/files/sg.f16`);
    assert.deepEqual(await r16.wordVector('xyzzyq'), f16.wordVector('xyzzyq'));
    assert.deepEqual(
      (await r16.nearestNeighbors('software', 10)).map((n) => n.word),
      f16.nearestNeighbors('software', 10).map((n) => n.word),
    );
    f16.close();
  });

  it('merges close ranges into one request and caches small reads', async () => {
    const src = await HttpRangeSource.open(`${base}/files/sg.ivf.int8`, { headBytes: 8192 });
    assert.equal(src.stats.requests, 1);
    const [a, b] = await src.readRanges([
      { offset: 100_000, length: 10 },
      { offset: 100_020, length: 30_000 },
    ]);
    assert.equal(src.stats.requests, 2, 'one request for both');
    const file = readFileSync(join(files, 'sg.ivf.int8'));
    assert.deepEqual(Buffer.from(a!), file.subarray(100_000, 100_010));
    assert.deepEqual(Buffer.from(b!), file.subarray(100_020, 130_020));
    await src.readRanges([
      { offset: 100_001, length: 5 },
      { offset: 10, length: 20 },
    ]);
    assert.equal(src.stats.requests, 2, 'both pages were cached');
    await assert.rejects(src.readRanges([{ offset: file.length - 2, length: 4 }]), /truncated: data needs bytes \d+\.\.\d+ but the file has \d+ bytes/);
  });

  it("bad input fetched by range fails with the local reader's message", async () => {
    const cases: [string, (p: string) => unknown, (u: string) => Promise<unknown>][] = [
      ['truncated.store', (p) => openStore(p), (u) => openRemoteStore(u)],
      ['hello.txt', (p) => openStore(p), (u) => openRemoteStore(u)],
      ['truncated.ftz', (p) => openFastText(p), async (u) => openModelBytes(await (await fetch(u)).arrayBuffer(), u)],
      ['hello.txt', (p) => openFastText(p), async (u) => openModelBytes(await (await fetch(u)).arrayBuffer(), u)],
    ];
    for (const [name, local, remote] of cases) {
      const p = join(files, name),
        u = `${base}/files/${name}`;
      const want = (await messageOf(() => local(p))).replace(p, u);
      assert.equal(await messageOf(() => remote(u)), want, name);
      assert.match(want, /truncated|not a leanml vector store|not a fastText model/);
    }
    await assert.rejects(openRemoteStore(`${base}/files/missing.store`), /HTTP 404/);
  });

  it('refuses a server that ignores ranges', async () => {
    const plain: typeof fetch = async (u, init) => {
      const r = await fetch(u, { ...init, headers: {} });
      return r;
    };
    await assert.rejects(HttpRangeSource.open(`${base}/files/sg.f16`, { fetch: plain }), /ignored the Range header/);
  });
});
