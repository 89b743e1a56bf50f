import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { FormatError } from '../core/errors.js';
import { LinearModel } from './linear-model.js';
import { parseLinearModel, saveLinearModel } from './model-file.js';

const dir = mkdtempSync(join(tmpdir(), 'leanml-model-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sampleModel(): Buffer {
  const m = new LinearModel({ format: 'vw', features: { interactions: ['ab'] }, learner: { average: true, normalized: true } });
  for (const line of ['1 |a x y |b z', '-1 |a w |b z', 'maybe |a q']) m.learnText(line);
  const path = join(dir, 'sample.bin');
  saveLinearModel(m, path);
  return readFileSync(path);
}

describe('model file fuzz', () => {
  const good = sampleModel();
  it('a good file loads and predicts like the original', () => {
    const m = parseLinearModel(good, 'sample.bin');
    assert.deepEqual(m.labels, ['1', '-1', 'maybe']);
    assert.equal(m.predictText('|a x y |b z').label, '1');
  });
  it('any truncation is a FormatError naming the file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (cut) => {
        assert.throws(
          () => parseLinearModel(good.subarray(0, cut), 'cut.bin'),
          (e: unknown) => e instanceof FormatError && e.message.startsWith('cut.bin: '),
        );
      }),
      { numRuns: 300 },
    );
  });
  it('corrupted header bytes load or fail with a FormatError, never anything else', () => {
    const hlen = good.readUInt32LE(12);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 16 + hlen - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bad = Buffer.from(good);
        for (const [at, v] of edits) bad[at] = v;
        try {
          parseLinearModel(bad, 'edit.bin');
        } catch (e) {
          assert.ok(e instanceof FormatError, String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});
