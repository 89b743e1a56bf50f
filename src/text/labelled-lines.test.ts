// Labelled-line parsing and encoding: labels anywhere on the line, several per line, and the
// errors a user meets (empty input, a line without a label, a label unseen in training).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeLines, bagBatch, sequenceBatch, targetBatch } from './encoded-set.js';
import { parseLabelledLines } from './labelled-lines.js';
import { DEFAULT_TEXT_SETTINGS } from './settings.js';
import { Vocabulary } from './vocabulary.js';

describe('labelled lines', () => {
  it('reads labels anywhere and several per line, skipping blank lines', () => {
    const lines = parseLabelledLines('__label__a x y\n\n z __label__b __label__a w\n', 'f.txt');
    assert.deepEqual(lines, [
      { labels: ['a'], tokens: ['x', 'y'], line: 1 },
      { labels: ['b', 'a'], tokens: ['z', 'w'], line: 3 },
    ]);
  });

  it('names the file and line of a line without a label, and an empty input', () => {
    assert.throws(() => parseLabelledLines('__label__a x\nno label here\n', 'train.txt'), /train\.txt:2: no label/);
    assert.throws(() => parseLabelledLines('\n \n', 'train.txt'), /train\.txt: no lines \(the input is empty\)/);
    assert.equal(parseLabelledLines('no label\n', 'p.txt', { requireLabels: false })[0]!.labels.length, 0);
  });

  it('rejects a label unseen in training, naming the line and the known labels', () => {
    const v = Vocabulary.build([['x']], DEFAULT_TEXT_SETTINGS.vocab);
    const lines = parseLabelledLines('__label__a x\n__label__c y\n', 'test.txt');
    assert.throws(() => encodeLines(lines, v, ['a', 'b'], 'test.txt'), /test\.txt:2: label 'c' was not seen in training \(the model knows: a, b\)/);
  });

  it('never throws anything but a FormatError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          parseLabelledLines(s, 'fuzz');
        } catch (err) {
          assert.equal((err as Error).name, 'FormatError');
        }
      }),
    );
  });

  it('pads batches with PAD, keeps true lengths, and spreads multi-label targets', () => {
    const v = Vocabulary.build([['a', 'b', 'a', 'b']], { ...DEFAULT_TEXT_SETTINGS.vocab, minCount: 1, buckets: 10 });
    const set = encodeLines(parseLabelledLines('__label__x a b a\n__label__y __label__x\n__label__y b\n', 't'), v, ['x', 'y'], 't');
    const bag = bagBatch(set, [0, 1, 2]);
    assert.equal(bag.length, 3);
    assert.deepEqual(Array.from(bag.ids), [2, 3, 2, 1, 0, 0, 3, 0, 0]); // the empty line reads </s>
    const seq = sequenceBatch(set, [2, 0]);
    assert.deepEqual(Array.from(seq.lengths), [1, 3]);
    assert.deepEqual(Array.from(targetBatch(set, [1, 2], 2)), [0.5, 0.5, 0, 1]);
  });
});
