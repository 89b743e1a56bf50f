import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GOLDEN_RUNS, goldenLines } from '../../test/fixtures/gen/linear/golden-lines.js';
import { saveLinearModel } from './model-file.js';
import { trainLinear, type TrainOptions } from './train-linear.js';

// SHA-256 of the model files written by the version before the lookup moved to the parse
// thread and the VW parser hashed while scanning (test/fixtures/gen/linear/lookup-golden.mts)
const GOLDEN = JSON.parse(readFileSync(new URL('../../test/fixtures/linear/lookup-golden.json', import.meta.url), 'utf8')) as Record<string, string>;

const dir = mkdtempSync(join(tmpdir(), 'leanml-golden-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = goldenLines(4000, 11);

describe('the same models as before the parse-thread lookup (byte-identical model files)', () => {
  for (const run of GOLDEN_RUNS) {
    it(`${run.name}, on one thread and with the parse thread`, async () => {
      const input = join(dir, `${run.name}.txt`);
      writeFileSync(input, `${data[run.lines].join('\n')}\n`);
      for (const parseThread of [false, true]) {
        const { model, summary } = await trainLinear(input, { ...(run.options as TrainOptions), parseThread });
        assert.equal(summary.parseThread, parseThread);
        const path = join(dir, `${run.name}-${parseThread}.bin`);
        saveLinearModel(model, path);
        assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), GOLDEN[run.name], `${run.name}, parseThread ${parseThread}`);
      }
    });
  }
});
