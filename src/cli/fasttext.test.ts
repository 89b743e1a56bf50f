/**
 * The `leanml fasttext` commands end to end: output byte-identical to what the fastText 0.9.2
 * CLI printed for the committed fixtures, stores accepted wherever models are, exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const FX = 'test/fixtures/fasttext';
const M = `${FX}/models`;
const tmp = mkdtempSync(join(tmpdir(), 'leanml-ft-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function leanml(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'fasttext', ...args], { input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
const fx = (p: string) => readFileSync(join(FX, p));

describe('leanml fasttext', () => {
  it('vectors is byte-identical to print-word-vectors (invalid UTF-8 words echoed raw)', () => {
    const r = leanml(['vectors', `${M}/skipgram.bin`], fx('words.txt'));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.equals(fx('out/skipgram-bin.vectors.txt')));
  });

  it('sentence-vectors and predict are byte-identical to the CLI', () => {
    const s = leanml(['sentence-vectors', `${M}/cbow.bin`, '--input', `${FX}/sentences.txt`]);
    assert.ok(s.stdout.equals(fx('out/cbow-bin.sentences.txt')), s.stderr);
    const p = leanml(['predict', `${M}/sup-ova.bin`, '-k', '3'], fx('sentences.txt'));
    assert.ok(p.stdout.equals(fx('out/sup-ova-bin.predict3.txt')), p.stderr);
    const q = leanml(['predict', `${M}/q-out.ftz`, '-k', '-1', '--threshold', '0.05'], fx('sentences.txt'));
    assert.ok(q.stdout.equals(fx('out/q-out-ftz.predictall.txt')), q.stderr);
  });

  it('nn and analogies print the CLI lines without its prompts', () => {
    const nn = leanml(['nn', `${M}/skipgram.bin`, '--k', '5'], fx('nnwords.txt'));
    const expected = fx('out/skipgram-bin.nn.txt').toString().replaceAll('Query word? ', '').trim();
    assert.equal(nn.stdout.toString().trim(), expected);
    const an = leanml(['analogies', `${M}/cbow.bin`, '--k', '4'], fx('triplets.txt'));
    const exp2 = fx('out/cbow-bin.analogies.txt').toString().split('\n').slice(1).join('\n').replaceAll('Query triplet (A - B + C)? ', '').trim();
    assert.equal(an.stdout.toString().trim(), exp2);
  });

  it('nn prints words that are not valid UTF-8 as their raw bytes, as the CLI does', () => {
    const nn = leanml(['nn', `${M}/latin1.bin`, '--k', '5'], fx('nnbytes.txt'));
    assert.equal(nn.code, 0, nn.stderr);
    const printed = fx('out/latin1-bin.nnbytes.txt');
    const expected = Buffer.from(printed.toString('latin1').replaceAll('Query word? ', '').trim(), 'latin1');
    assert.ok(expected.includes(0xe4) || expected.includes(0xe9), 'the fixture holds Latin-1 bytes');
    assert.ok(nn.stdout.subarray(0, nn.stdout.length - 1).equals(expected), nn.stdout.toString('latin1'));
  });

  it('ngrams prints every word (print-ngrams takes one) and --distinct drops repeats', () => {
    const words = 'license freedoms für поиск </s> a\n';
    const r = leanml(['ngrams', `${M}/sup-hs.bin`], words);
    assert.ok(r.stdout.equals(fx('out/sup-hs-bin.ngrams.txt')));
    const twice = leanml(['ngrams', `${M}/sup-hs.bin`, '--distinct'], 'license license licence\n')
      .stdout.toString()
      .trim()
      .split('\n');
    const names = twice.map((l) => l.split(' ')[0]);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('<li') && names.includes('nce>'));
  });

  it('convert writes a store that every command accepts', () => {
    const store = join(tmp, 'cbow.store');
    const c = leanml(['convert', `${M}/cbow.bin`, '--out', store, '--dtype', 'f32']);
    assert.equal(c.code, 0, c.stderr);
    const v = leanml(['vectors', store], fx('words.txt'));
    assert.equal(v.code, 0, v.stderr);
    const ours = v.stdout.toString().split('\n');
    const ref = fx('out/cbow-bin.vectors.txt').toString().split('\n');
    assert.equal(ours.length, ref.length);
    const info = JSON.parse(leanml(['info', store]).stdout.toString());
    assert.equal(info.format, 'store');
    assert.equal(info.dtype, 'f32');
    const int8 = join(tmp, 'sup.int8');
    assert.equal(leanml(['convert', `${M}/sup-softmax.bin`, '-o', int8, '--dtype', 'int8']).code, 0);
    const p = leanml(['predict', int8], 'die datei wird gelesen\n');
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout.toString(), /^__label__\w+ [\d.e-]+\n$/);
  });

  it('the demo step shows neighbours of an out-of-vocabulary word', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'demo', '--only', 'fasttext'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /recompressing \(not in vocabulary: vector from its n-grams\): decompressing/);
  });

  it('exit codes: 1 with the file named for a bad model, 2 for bad usage', () => {
    const bad = join(tmp, 'bad.bin');
    writeFileSync(bad, Buffer.from('not a model at all'));
    const r = leanml(['vectors', bad], 'x\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.bin: not a fastText model: magic/);
    assert.equal(leanml(['nn', `${M}/cbow.bin`, '--k', '0'], 'x\n').code, 2);
    const p = leanml(['predict', `${M}/cbow.bin`], 'x\n');
    assert.equal(p.code, 2);
    assert.match(p.stderr, /supervised/);
    assert.equal(leanml(['convert', `${M}/cbow.bin`, '-o', join(tmp, 'x'), '--dtype', 'f8']).code, 2);
  });
});
