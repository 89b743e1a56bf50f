import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
function leanml(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'leanml-linear-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const lines: string[] = [];
for (let i = 0; i < 200; i++) {
  const spam = i % 2 === 0;
  lines.push(`__label__${spam ? 'spam' : 'ham'} ${spam ? `win prize${i % 7} free` : `meeting notes${i % 5} thursday`} common`);
}
const train = join(dir, 'train.txt');
writeFileSync(train, `${lines.join('\n')}\n`);

describe('leanml linear', () => {
  it('train writes a model and a JSON summary; test prints the metrics JSON', () => {
    const model = join(dir, 'm.bin');
    const t = leanml(['linear', 'train', '--input', train, '--model', model, '--report-every', '100']);
    assert.equal(t.code, 0, t.stderr);
    const summary = JSON.parse(t.stdout) as { examples: number; labels: string[] };
    assert.equal(summary.examples, 200);
    assert.deepEqual(summary.labels, ['spam', 'ham']);
    assert.match(t.stderr, /pv error/);
    const r = leanml(['linear', 'test', '--model', model, '--input', train]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    assert.deepEqual(Object.keys(m), ['n', 'accuracy', 'precision', 'recall', 'f1', 'auc']);
    assert.equal(m.n, 200);
    assert.equal(m.accuracy, 1);
  });

  it('predict reads stdin and prints label<TAB>score; inspect shows features by name', () => {
    const model = join(dir, 'p.bin');
    assert.equal(leanml(['linear', 'train', '--input', train, '--model', model, '--quiet', '--loss', 'logistic']).code, 0);
    const p = leanml(['linear', 'predict', '--model', model], 'win free prize3\nmeeting thursday\n');
    assert.equal(p.code, 0, p.stderr);
    const out = p.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    assert.equal(out[0]![0], 'spam');
    assert.equal(out[1]![0], 'ham');
    assert.ok(Number(out[0]![1]) > 0.5 && Number(out[0]![1]) < 1);
    const i = leanml(['linear', 'inspect', '--model', model, '--top', '3']);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /for spam:\n(.*\n){0,3}.*(win|free|prize)/);
    const j = JSON.parse(leanml(['linear', 'inspect', '--model', model, '--json']).stdout) as { labels: string[] };
    assert.deepEqual(j.labels, ['spam', 'ham']);
  });

  it('continues training from a saved model (--continue)', () => {
    const a = join(dir, 'a.bin');
    const b = join(dir, 'b.bin');
    assert.equal(leanml(['linear', 'train', '--input', train, '--model', a, '--quiet']).code, 0);
    const r = leanml(['linear', 'train', '--input', train, '--model', b, '--quiet', '--continue', a]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).examples, 200);
  });

  it('bad input: file:line, exit 1, and no model file written', () => {
    const bad = join(dir, 'bad.vw');
    writeFileSync(bad, '1 |a x\n-1 |a y:z\n');
    const model = join(dir, 'never.bin');
    const r = leanml(['linear', 'train', '--input', bad, '--model', model]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.]/g, '\\.')}:2: bad feature value in 'y:z'`));
    assert.equal(existsSync(model), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('never')),
      [],
    );
    const skip = leanml(['linear', 'train', '--input', bad, '--model', model, '--skip-bad', '--quiet']);
    assert.equal(skip.code, 0, skip.stderr);
    assert.match(skip.stderr, /skipped: .*bad\.vw:2/);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const e = leanml(['linear', 'train', '--input', empty, '--model', model]);
    assert.equal(e.code, 1);
    assert.match(e.stderr, /no examples \(empty input\)/);
    const garbled = join(dir, 'garbled.bin');
    writeFileSync(garbled, 'not a model at all');
    const g = leanml(['linear', 'test', '--model', garbled, '--input', train]);
    assert.equal(g.code, 1);
    assert.match(g.stderr, /not a valid leanml linear model: bad magic/);
  });

  it('bad usage exits 2', () => {
    assert.equal(leanml(['linear', 'train', '--input', train]).code, 2); // no --model
    assert.equal(leanml(['linear', 'train', '--input', train, '--model', join(dir, 'x.bin'), '--loss', 'squared']).code, 2);
    assert.equal(leanml(['linear', 'train', '--input', train, '--model', join(dir, 'x.bin'), '--bits', '99']).code, 2);
  });
});
