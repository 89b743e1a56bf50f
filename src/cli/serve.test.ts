// `leanml serve` as a user runs it: a real process, real models, SIGTERM to stop.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const FX = 'test/fixtures/fasttext/models';

function leanml(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('leanml serve (CLI)', () => {
  it('serves the models it was given and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        MAIN,
        'serve',
        '--port',
        '0',
        '--vectors',
        `sk=${FX}/skipgram.bin`,
        '--vectors',
        `lang=${FX}/q-norm.ftz`,
        '--max-k',
        '20',
        '--max-batch',
        '5',
        '--body-limit',
        '4096',
        '--audio-limit',
        '3000000000',
        '--max-concurrent',
        '2',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += String(d);
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
    });
    try {
      const models = (await (await fetch(`${url}/models`)).json()) as { models: { name: string }[]; limits: Record<string, number> };
      assert.deepEqual(
        models.models.map((m) => m.name),
        ['sk', 'lang'],
      );
      assert.deepEqual(models.limits, { maxK: 20, maxBatch: 5, bodyLimit: 4096, audioBodyLimit: 3_000_000_000, maxTextLength: 100_000, maxWordLength: 1000 });
      assert.equal(((await (await fetch(`${url}/health`)).json()) as { heavyLimit: number }).heavyLimit, 2);
      const nn = await fetch(`${url}/v1/vectors/sk/nn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ words: ['license'], k: 3 }),
      });
      assert.equal(nn.status, 200);
      assert.equal(((await nn.json()) as { results: { neighbors: unknown[] }[] }).results[0]!.neighbors.length, 3);
      const absurd = await fetch(`${url}/v1/vectors/sk/nn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ words: ['license'], k: 21 }),
      });
      assert.equal(absurd.status, 400);
      const pred = await fetch(`${url}/v1/vectors/lang/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: ['die Datei wurde gelöscht'] }),
      });
      assert.equal(pred.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    assert.equal(stdout, '', 'nothing on stdout: logs go to stderr');
    assert.match(stderr, /serve: loaded vectors model 'sk'/);
    assert.match(stderr, /"url":"\/v1\/vectors\/sk\/nn","status":200/);
    assert.match(stderr, /"status":400/);
    assert.match(stderr, /serve: SIGTERM, finishing in-flight requests\n[\s\S]*serve: stopped/);
  });

  it('bad usage exits 2 with a clear message', () => {
    const cases: [string[], RegExp][] = [
      [['serve', '--port', '0'], /nothing to serve; give at least one --vectors, --linear or --speaker NAME=PATH, or --files DIR/],
      [['serve', '--vectors', 'nonameorpath'], /--vectors expects NAME=PATH/],
      [['serve', '--vectors', `../etc=${FX}/skipgram.bin`], /model name '\.\.\/etc' is not allowed/],
      [['serve', '--vectors', 'a=/no/such/model.bin'], /--vectors a=\/no\/such\/model.bin: no such file or directory/],
      [['serve', '--vectors', `a=${FX}/skipgram.bin`, '--vectors', `a=${FX}/cbow.bin`], /two vectors models are named 'a'/],
      [['serve', '--port', '70000', '--vectors', `a=${FX}/skipgram.bin`], /--port.*expected an integer in \[0, 65535\]/],
      [['serve', '--log-level', 'loud', '--vectors', `a=${FX}/skipgram.bin`], /expected one of silent, error, warn, info, debug/],
    ];
    for (const [args, re] of cases) {
      const r = leanml(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  it('the demo step serves the bundled model, makes two requests and stops', () => {
    const r = leanml(['demo', '--only', 'serve']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /POST \/v1\/vectors\/man\/nn .* -> 200: \S+ 0\.\d{3}/);
    assert.match(r.stdout, /-> 400: \{"error":\{"code":"usage","message":"body\/k must be <= 1000"\}\}/);
    assert.match(r.stdout, /stopped/);
  });

  it('a file that is not a model exits 1 naming the file', () => {
    const r = leanml(['serve', '--vectors', 'a=package.json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /package\.json/);
  });
});
