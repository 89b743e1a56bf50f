import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
function leanml(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('leanml CLI', () => {
  it('--help lists every module', () => {
    const r = leanml(['--help']);
    assert.equal(r.code, 0);
    for (const m of ['linear', 'fasttext', 'audio', 'speaker', 'serve', 'demo']) assert.match(r.stdout, new RegExp(`^\\s+${m}\\b`, 'm'));
  });

  it('an unknown command exits 2 with usage on stderr', () => {
    const r = leanml(['nosuch']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /unknown command 'nosuch'/);
    assert.match(r.stderr, /Usage: leanml/);
  });

  it('no arguments and a bare module group exit 2 with usage', () => {
    assert.equal(leanml([]).code, 2);
    const r = leanml(['fasttext']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: leanml fasttext/);
  });

  it('demo runs the core step', () => {
    const r = leanml(['demo', '--only', 'core']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /top-3 of 100,000 normal samples/);
    const bad = leanml(['demo', '--only', 'nosuch']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown step 'nosuch'/);
  });
});
