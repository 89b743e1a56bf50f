import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { FakeLinear, FakeSpeaker, FakeVectors } from '../../test/server/fake-models.js';
import { createServer } from './create-server.js';
import { ModelRegistry } from './model-registry.js';

const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(996)]);

function registry(): { reg: ModelRegistry; speaker: FakeSpeaker; vec: FakeVectors } {
  const speaker = new FakeSpeaker();
  const vec = new FakeVectors();
  const reg = new ModelRegistry()
    .add('vectors', 'wiki', vec)
    .add('vectors', 'cls', new FakeVectors(true))
    .add('linear', 'spam', new FakeLinear())
    .add('speaker', 'alice', speaker);
  return { reg, speaker, vec };
}

function json(body: unknown) {
  return { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

/** Asserts an error answer: status, documented shape, code, and a message matching `re`. */
function assertError(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string, re: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.match(body.error.message, re);
}

describe('serve: routes', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await createServer(registry().reg, { logLevel: 'silent', limits: { maxK: 50, maxBatch: 8, bodyLimit: 4096, audioBodyLimit: 1 << 16 } });
  });
  after(() => app.close());

  it('GET /health and GET /models', async () => {
    const h = await app.inject('/health');
    assert.equal(h.statusCode, 200);
    assert.equal(h.json().status, 'ok');
    assert.equal(h.json().models, 4);
    const m = await app.inject('/models');
    assert.deepEqual(m.json().models, [
      { name: 'wiki', kind: 'vectors', dim: 3, supervised: false },
      { name: 'cls', kind: 'vectors', dim: 3, supervised: true },
      { name: 'spam', kind: 'linear', labels: ['ham', 'spam'] },
      { name: 'alice', kind: 'speaker' },
    ]);
    assert.equal(m.json().limits.maxK, 50);
  });

  it('word vectors, in and out of vocabulary, one or many', async () => {
    const r = await app.inject('/v1/vectors/wiki/word?w=king');
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { word: 'king', inVocabulary: true, vector: Array.from(Float32Array.from([0.9, 0.8, 0.1])) });
    const oov = await app.inject(`/v1/vectors/wiki/word?w=${encodeURIComponent('königin')}`);
    assert.equal(oov.json().word, 'königin');
    assert.equal(oov.json().inVocabulary, false);
    const many = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/words', ...json({ words: ['man', 'zzz'] }) });
    assert.deepEqual(
      many.json().vectors.map((v: { word: string; inVocabulary: boolean }) => [v.word, v.inVocabulary]),
      [
        ['man', true],
        ['zzz', false],
      ],
    );
  });

  it('sentence vectors', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/sentences', ...json({ texts: ['king man', ''] }) });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().vectors[0], Array.from(Float32Array.from([0.5, 0.85, 0.1])));
    assert.deepEqual(r.json().vectors[1], [0, 0, 0]);
  });

  it('nearest neighbours with k, and the default k', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/nn', ...json({ words: ['king', 'woman'], k: 2 }) });
    assert.equal(r.statusCode, 200);
    const res = r.json().results as { word: string; neighbors: { word: string; score: number }[] }[];
    assert.deepEqual(
      res.map((x) => x.word),
      ['king', 'woman'],
    );
    assert.equal(res[0]!.neighbors.length, 2);
    assert.equal(res[1]!.neighbors[0]!.word, 'queen');
    assert.ok(res[0]!.neighbors[0]!.score >= res[0]!.neighbors[1]!.score);
    const d = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/nn', ...json({ words: ['king'] }) });
    assert.equal(d.json().results[0].neighbors.length, 4); // default k=10, vocabulary has 4 others
  });

  it('analogies', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/analogies', ...json({ queries: [['king', 'man', 'woman']], k: 1 }) });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().results[0].query, ['king', 'man', 'woman']);
    assert.equal(r.json().results[0].neighbors[0].word, 'queen');
  });

  it('supervised predict with k and threshold; refused on an unsupervised model', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/vectors/cls/predict', ...json({ texts: ['royal wedding', 'rain'], k: 2, threshold: 0.5 }) });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().predictions, [[{ label: '__label__royal', prob: 0.9 }], [{ label: '__label__other', prob: 0.7 }]]);
    const u = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/predict', ...json({ texts: ['x'] }) });
    assertError(u, 400, 'usage', /'wiki' is not supervised/);
  });

  it('linear predict', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/linear/spam/predict', ...json({ texts: ['free money', 'hello'] }) });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      predictions: [
        { label: 'spam', score: 1.5 },
        { label: 'ham', score: -0.5 },
      ],
    });
  });

  it('speaker detect on an audio body, with a threshold', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/speaker/alice/detect?threshold=0.75', headers: { 'content-type': 'audio/wav' }, payload: WAV });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), { duration: 1, segments: [{ start: 1, end: 2.5, score: 0.75 }] });
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/speaker/alice/detect',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('not audio'),
    });
    assertError(bad, 400, 'format', /not a WAV file/);
    const big = await app.inject({
      method: 'POST',
      url: '/v1/speaker/alice/detect',
      headers: { 'content-type': 'audio/wav' },
      payload: Buffer.alloc((1 << 16) + 1),
    });
    assertError(big, 413, 'limit', /at most 65536 bytes/);
  });

  it('the OpenAPI document describes every route from its schemas', async () => {
    const r = await app.inject('/openapi.json');
    assert.equal(r.statusCode, 200);
    const doc = r.json();
    assert.match(doc.openapi, /^3\./);
    for (const p of [
      '/health',
      '/models',
      '/v1/vectors/{name}/word',
      '/v1/vectors/{name}/nn',
      '/v1/vectors/{name}/analogies',
      '/v1/vectors/{name}/predict',
      '/v1/vectors/{name}/sentences',
      '/v1/linear/{name}/predict',
      '/v1/speaker/{name}/detect',
    ]) {
      assert.ok(doc.paths[p], `missing ${p}`);
    }
    const nn = doc.paths['/v1/vectors/{name}/nn'].post;
    assert.equal(nn.requestBody.content['application/json'].schema.properties.k.maximum, 50);
    assert.ok(nn.responses['400']);
    assert.ok(doc.components.schemas.Error);
    assert.equal(doc.paths['/'], undefined);
  });

  it('serves the try-it page with a strict content security policy', async () => {
    const r = await app.inject('/');
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.match(r.body, /<script src="\/page.js"/);
    assert.equal((await app.inject('/page.js')).statusCode, 200);
  });
});

describe('serve: bad input answers 4xx with a clear JSON error and the service keeps serving', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await createServer(registry().reg, { logLevel: 'silent', limits: { maxK: 50, maxBatch: 8, bodyLimit: 4096, maxWordLength: 100 } });
  });
  after(() => app.close());

  const post = (url: string, payload: string | Buffer, type = 'application/json') =>
    app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });
  const cases: [string, () => ReturnType<typeof post>, number, string, RegExp][] = [
    ['malformed JSON', () => post('/v1/vectors/wiki/nn', '{"words": ["king"'), 400, 'format', /not valid JSON/],
    ['an empty JSON body', () => post('/v1/vectors/wiki/nn', ''), 400, 'format', /not valid JSON/],
    ['a JSON array instead of an object', () => post('/v1/vectors/wiki/nn', '["king"]'), 400, 'usage', /body must be object/],
    ['a string where an array is expected', () => post('/v1/vectors/wiki/nn', '{"words": "king"}'), 400, 'usage', /body\/words must be array/],
    ['a number where a string is expected', () => post('/v1/vectors/wiki/nn', '{"words": [42]}'), 400, 'usage', /body\/words\/0 must be string/],
    ['k as a string', () => post('/v1/vectors/wiki/nn', '{"words": ["king"], "k": "5"}'), 400, 'usage', /body\/k must be integer/],
    ['a fractional k', () => post('/v1/vectors/wiki/nn', '{"words": ["king"], "k": 2.5}'), 400, 'usage', /body\/k must be integer/],
    ['an absurd k', () => post('/v1/vectors/wiki/nn', '{"words": ["king"], "k": 1e12}'), 400, 'usage', /body\/k must be <= 50/],
    ['k = 0', () => post('/v1/vectors/wiki/nn', '{"words": ["king"], "k": 0}'), 400, 'usage', /body\/k must be >= 1/],
    ['a negative k on analogies', () => post('/v1/vectors/wiki/analogies', '{"queries": [["a","b","c"]], "k": -3}'), 400, 'usage', /body\/k must be >= 1/],
    ['a missing field', () => post('/v1/linear/spam/predict', '{"text": ["x"]}'), 400, 'usage', /unknown property 'text'|missing 'texts'/],
    ['an unknown field', () => post('/v1/linear/spam/predict', '{"texts": ["x"], "extra": 1}'), 400, 'usage', /unknown property 'extra'/],
    [
      'a __proto__ key',
      () => post('/v1/linear/spam/predict', '{"texts": ["x"], "__proto__": {"polluted": true}}'),
      400,
      'usage',
      /unknown property '__proto__'/,
    ],
    ['an empty batch', () => post('/v1/linear/spam/predict', '{"texts": []}'), 400, 'usage', /must NOT have fewer than 1 items/],
    [
      'a batch over the limit',
      () => post('/v1/linear/spam/predict', JSON.stringify({ texts: Array(9).fill('x') })),
      400,
      'usage',
      /must NOT have more than 8 items/,
    ],
    ['an analogy query of two words', () => post('/v1/vectors/wiki/analogies', '{"queries": [["a","b"]]}'), 400, 'usage', /must NOT have fewer than 3 items/],
    ['an empty word', () => post('/v1/vectors/wiki/nn', '{"words": [""]}'), 400, 'usage', /must NOT have fewer than 1 characters/],
    [
      'an overlong word',
      () => post('/v1/vectors/wiki/nn', JSON.stringify({ words: ['x'.repeat(101)] })),
      400,
      'usage',
      /must NOT have more than 100 characters/,
    ],
    ['a threshold above 1', () => post('/v1/vectors/cls/predict', '{"texts": ["x"], "threshold": 3}'), 400, 'usage', /body\/threshold must be <= 1/],
    [
      'a huge body',
      () => post('/v1/linear/spam/predict', JSON.stringify({ texts: ['x'.repeat(5000)] })),
      413,
      'limit',
      /too large \(this route accepts at most 4096 bytes\)/,
    ],
    [
      'invalid UTF-8 in the body',
      () => post('/v1/vectors/wiki/nn', Buffer.concat([Buffer.from('{"words": ["k'), Buffer.from([0xff, 0xfe]), Buffer.from('"]}')])),
      400,
      'format',
      /not valid UTF-8 \(first bad byte at offset 13\)/,
    ],
    [
      'an overlong UTF-8 encoding',
      () => post('/v1/vectors/wiki/nn', Buffer.concat([Buffer.from('{"words": ["'), Buffer.from([0xc0, 0xaf]), Buffer.from('"]}')])),
      400,
      'format',
      /not valid UTF-8 \(first bad byte at offset 12\)/,
    ],
    ['a text/plain body', () => post('/v1/vectors/wiki/nn', '{"words": ["king"]}', 'text/plain'), 400, 'usage', /Unsupported Media Type/i],
    ['an audio body to a JSON route', () => post('/v1/vectors/wiki/nn', 'RIFF....', 'audio/wav'), 400, 'usage', /Unsupported Media Type/i],
    [
      'an unknown model',
      () => post('/v1/vectors/nosuch/nn', '{"words": ["king"]}'),
      404,
      'not_found',
      /no vectors model named 'nosuch' \(loaded vectors models: wiki, cls\)/,
    ],
    ['a linear name on a vectors route', () => post('/v1/vectors/spam/nn', '{"words": ["king"]}'), 404, 'not_found', /no vectors model named 'spam'/],
    ['an unknown route', () => post('/v1/nosuch/wiki/nn', '{}'), 404, 'not_found', /no route POST \/v1\/nosuch\/wiki\/nn/],
    [
      'a model name with an encoded path',
      () => post('/v1/vectors/..%2F..%2Fetc%2Fpasswd/nn', '{"words": ["king"]}'),
      400,
      'usage',
      /params\/name must match pattern/,
    ],
    ['a model name with dots', () => post('/v1/vectors/..%2e/nn', '{"words": ["king"]}'), 400, 'usage', /params\/name must match pattern/],
    ['a prototype key as model name', () => post('/v1/vectors/__proto__/nn', '{"words": ["king"]}'), 400, 'usage', /params\/name must match pattern/],
    ['a constructor model name', () => post('/v1/vectors/constructor/nn', '{"words": ["king"]}'), 404, 'not_found', /no vectors model named 'constructor'/],
    ['a bad percent escape in the path', () => app.inject({ method: 'GET', url: '/v1/vectors/%E0%A4%A/word?w=x' }), 400, 'format', /not a valid url component/],
    [
      'invalid UTF-8 in the query',
      () => app.inject({ method: 'GET', url: '/v1/vectors/wiki/word?w=%FF%FE' }),
      400,
      'format',
      /query parameter 'w' is not valid percent-encoded UTF-8/,
    ],
    ['a missing query parameter', () => app.inject({ method: 'GET', url: '/v1/vectors/wiki/word' }), 400, 'usage', /querystring is missing 'w'/],
    ['a repeated query parameter', () => app.inject({ method: 'GET', url: '/v1/vectors/wiki/word?w=a&w=b' }), 400, 'usage', /querystring\/w must be string/],
    ['an unknown query parameter', () => app.inject({ method: 'GET', url: '/v1/vectors/wiki/word?w=a&k=3' }), 400, 'usage', /unknown property 'k'/],
  ];
  for (const [what, send, status, code, re] of cases) {
    it(`${what}: ${status} ${code}`, async () => {
      assertError(await send(), status, code, re);
      // and the next good request is answered
      const ok = await app.inject({ method: 'POST', url: '/v1/vectors/wiki/nn', ...json({ words: ['king'], k: 1 }) });
      assert.equal(ok.statusCode, 200);
    });
  }

  it('a model that throws an unexpected error gives 500 without leaking its message', async () => {
    const reg = new ModelRegistry().add('linear', 'broken', {
      labels: ['a'],
      predictText() {
        throw new TypeError('secret internal detail at /home/x');
      },
    });
    const lines: string[] = [];
    const { Writable } = await import('node:stream');
    const logStream = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const broken = await createServer(reg, { logStream });
    try {
      const r = await broken.inject({ method: 'POST', url: '/v1/linear/broken/predict', ...json({ texts: ['x'] }) });
      assertError(r, 500, 'internal', /^internal error \(see the server log\)$/);
      assert.doesNotMatch(r.body, /secret/);
      assert.ok(
        lines.some((l) => l.includes('secret internal detail')),
        'the real error is logged',
      );
      assert.ok(
        lines.some((l) => /"status":500/.test(l) && /"url":"\/v1\/linear\/broken\/predict"/.test(l)),
        'the request is logged',
      );
    } finally {
      await broken.close();
    }
  });
});
