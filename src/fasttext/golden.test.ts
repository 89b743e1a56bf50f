/**
 * Agreement with the fastText 0.9.2 CLI: every output under test/fixtures/fasttext/out was
 * printed by `fasttext` itself (test/fixtures/gen/fasttext/generate.sh) from the committed
 * models. Reading the .bin/.ftz itself, every number must print exactly as fastText printed it
 * (float32 arithmetic in the C++ order); read from an f32 store (vectors rebuilt from
 * normalised rows and norms), within one unit of the last printed digit.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openBin } from './open.js';
import { convertToStore } from './convert.js';
import { openFastText } from './open.js';
import { formatG } from './format-float.js';
import { splitLines, splitWords } from './tokens.js';
import type { VectorModel } from './vector-model.js';

const FX = 'test/fixtures/fasttext';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Reads of .bin/.ftz must print exactly as fastText; stores may be one unit off in the last digit. */
let loose = false;

/** Whether `ours` prints as `printed` at `precision` digits, or is within one unit of its last digit. */
export function agrees(ours: number, printed: string, precision: number): boolean {
  if (formatG(ours, precision) === printed) return true;
  if (!loose) return false;
  const p = Number(printed);
  if (!Number.isFinite(p)) return false;
  const unit = p === 0 ? 1e-30 : 10 ** (Math.floor(Math.log10(Math.abs(p))) - (precision - 1));
  return Math.abs(ours - p) <= unit * 1.0001;
}

function checkVectorLine(ours: Float32Array, line: string, where: string, atol = 0): void {
  const parts = line.trimEnd().split(' ');
  assert.equal(parts.length, ours.length, `${where}: dimension`);
  parts.forEach((s, i) =>
    assert.ok(agrees(ours[i]!, s, 5) || (loose && Math.abs(ours[i]! - Number(s)) <= atol), `${where}[${i}]: ours ${ours[i]} vs fastText ${s}`),
  );
}

function checkScores(ours: { word?: string; label?: string; score?: number; prob?: number }[], printed: string[], where: string): void {
  assert.equal(ours.length, printed.length, `${where}: count (ours ${JSON.stringify(ours)} vs ${JSON.stringify(printed)})`);
  printed.forEach((line, i) => {
    const sp = line.lastIndexOf(' ');
    const name = line.slice(0, sp),
      score = line.slice(sp + 1);
    const o = ours[i]!;
    const oscore = (o.score ?? o.prob)!;
    assert.ok(agrees(oscore, score, 6), `${where} #${i}: score ${oscore} vs ${score}`);
    const oname = o.word ?? o.label;
    if (oname !== name) {
      // equal scores may come in either order: accept a swap with a neighbour of the same printed score
      const j = printed.findIndex((l) => l.slice(0, l.lastIndexOf(' ')) === oname);
      assert.ok(j >= 0 && printed[j]!.slice(printed[j]!.lastIndexOf(' ') + 1) === score, `${where} #${i}: ours ${oname} vs fastText ${name}`);
    }
  });
}

const bytes = (p: string) => new Uint8Array(readFileSync(join(FX, p)));
const models = readdirSync(join(FX, 'models'))
  .filter((f) => /\.(bin|ftz)$/.test(f))
  .sort();

const tmp = mkdtempSync(join(tmpdir(), 'leanml-ft-golden-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('fastText 0.9.2 golden outputs', () => {
  for (const [file, asStore] of models.flatMap(
    (f) =>
      [
        [f, false],
        [f, true],
      ] as const,
  )) {
    const key = file.replace('.', '-');
    describe(asStore ? `${file} converted to an f32 store` : file, () => {
      let model: VectorModel;
      const open = () => {
        loose = asStore;
        if (model) return model;
        if (!asStore) return (model = openFastText(join(FX, 'models', file)));
        const out = join(tmp, `${key}.store`);
        const bin = openBin(join(FX, 'models', file));
        convertToStore(bin, out, { dtype: 'f32' });
        bin.close();
        return (model = openFastText(out));
      };

      test('print-word-vectors', () => {
        const m = open();
        const lines = splitLines(bytes(`out/${key}.vectors.txt`));
        const words = splitWords(bytes('words.txt'));
        assert.equal(lines.length, words.length);
        words.forEach((w, i) => {
          const line = lines[i]!.line;
          assert.deepEqual(line.subarray(0, w.length), w, 'echoes the word bytes');
          checkVectorLine(m.wordVector(w), dec.decode(line.subarray(w.length + 1)), `${file} ${dec.decode(w)}`);
        });
      });

      test('print-sentence-vectors', () => {
        const m = open();
        const printed = readFileSync(join(FX, `out/${key}.sentences.txt`), 'utf8').split('\n');
        splitLines(bytes('sentences.txt')).forEach(({ line, ended }, i) => {
          checkVectorLine(m.sentenceVector(line, { eos: ended }), printed[i]!, `${file} sentence ${i}`);
        });
      });

      test('nn', () => {
        const m = open();
        const segs = readFileSync(join(FX, `out/${key}.nn.txt`), 'utf8')
          .split('Query word? ')
          .slice(1, -1);
        const queries = splitWords(bytes('nnwords.txt'));
        assert.equal(segs.length, queries.length);
        const batch = m.nearestNeighborsBatch(queries, 5);
        segs.forEach((seg, i) => {
          const where = `${file} nn ${dec.decode(queries[i])}`;
          checkScores(batch[i]!, seg.trimEnd().split('\n'), where);
          checkScores(m.nearestNeighbors(queries[i]!, 5), seg.trimEnd().split('\n'), `${where} (one query)`);
        });
      });

      test('analogies', () => {
        const m = open();
        const text = readFileSync(join(FX, `out/${key}.analogies.txt`), 'utf8');
        const segs = text.split('Query triplet (A - B + C)? ').slice(1);
        const triplets = readFileSync(join(FX, 'triplets.txt'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ') as [string, string, string]);
        assert.equal(segs.length, triplets.length);
        segs.forEach((seg, i) => checkScores(m.analogies(...triplets[i]!, 4), seg.trimEnd().split('\n'), `${file} analogies ${triplets[i]!.join(' ')}`));
      });

      test('print-ngrams', () => {
        const m = open();
        const printed = splitLines(bytes(`out/${key}.ngrams.txt`));
        const ours: { ngram: Uint8Array; vector: Float32Array }[] = [];
        for (const w of ['license', 'freedoms', 'für', 'поиск', '</s>', 'a'])
          ours.push(...m.ngramVectors(w).map((n) => ({ ngram: n.bytes, vector: n.vector })));
        assert.equal(ours.length, printed.length);
        ours.forEach((o, i) => {
          const line = printed[i]!.line;
          assert.deepEqual(line.subarray(0, o.ngram.length), o.ngram);
          // A store keeps word vectors, not a word's own input row: it is rebuilt as
          // vector x rows - n-gram rows, which cancels digits (tolerance for that row only).
          const ownRow = asStore && !o.ngram.includes(0x3c) && !o.ngram.includes(0x3e);
          checkVectorLine(o.vector, dec.decode(line.subarray(o.ngram.length + 1)), `${file} ngram ${dec.decode(o.ngram)}`, ownRow ? 2e-5 : 0);
        });
      });

      if (/^(sup|q)-/.test(file)) {
        for (const [suffix, k, threshold] of [
          ['predict3', 3, 0],
          ['predictall', -1, 0.05],
        ] as const) {
          test(`predict-prob k=${k} threshold=${threshold}`, () => {
            const m = open();
            const printed = readFileSync(join(FX, `out/${key}.${suffix}.txt`), 'utf8').split('\n');
            splitLines(bytes('sentences.txt')).forEach(({ line, ended }, i) => {
              const toks = printed[i]!.split(' ').filter((s) => s !== '');
              const pairs = [];
              for (let j = 0; j < toks.length; j += 2) pairs.push(`${toks[j]} ${toks[j + 1]}`);
              checkScores(m.predict(line, k, threshold, { eos: ended }), pairs, `${file} predict line ${i}`);
            });
          });
        }
      } else {
        test('predict refuses an unsupervised model', () => {
          assert.throws(() => open().predict('hello'), /supervised/);
        });
      }

      test('close', () => open().close());
    });
  }
});

test('agrees()', () => {
  loose = false;
  assert.ok(agrees(0.123456, '0.12346', 5));
  assert.ok(!agrees(0.123451, '0.12346', 5));
  loose = true;
  assert.ok(agrees(0.123451, '0.12346', 5));
  assert.ok(!agrees(0.1236, '0.12346', 5));
  void enc;
});
