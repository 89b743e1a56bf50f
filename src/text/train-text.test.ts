// Training both architectures end to end on a generated corpus, the model directory (one-call
// load, refusal of another format version, atomic replace), and the agreements: a packed GRU
// batch equals one line at a time, the PAD row stays zero, inspect's token moves add up to the
// margin the network computes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tf } from '../nn/index.js';
import { expectClose } from '../../test/helpers/expect-close.js';
import { inspectErrors } from './inspect-errors.js';
import { parseLabelledLines } from './labelled-lines.js';
import { testText } from './test-text.js';
import { topicLines } from './test-corpus.js';
import { loadTextModel, type TextModel } from './text-model.js';
import { trainText } from './train-text.js';

const train = parseLabelledLines(topicLines(600, 1).join('\n'), 'train');
const test = parseLabelledLines(topicLines(200, 2).join('\n'), 'test');

for (const arch of ['bag', 'gru'] as const) {
  describe(`text ${arch}`, () => {
    let model: TextModel;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), `leanml-text-${arch}-`));
      model = await trainText(train, { net: { arch, dim: 16, hidden: 16 }, vocab: { minCount: 1, buckets: 50 }, train: { epochs: 8, lr: 0.02, seed: 3 } });
    });
    after(() => {
      model?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('learns the topics and reports its held-out figure', () => {
      const m = testText(model, test);
      assert.ok(m.accuracy > 0.85, `accuracy ${m.accuracy}`);
      assert.equal(m.n, 200);
      const t = model.meta.training;
      assert.equal(t.trainLines + t.validationLines, 600);
      assert.ok(t.validationLines === 60 && t.validationAccuracy !== null && t.validationAccuracy > 0.8, JSON.stringify(t));
      assert.ok(t.bestEpoch >= 1 && t.bestEpoch <= t.epochs);
    });

    it('keeps the PAD row at zero', () => {
      const pad = tf.tidy(() => tf.slice(model.net.embedding.weight, [0, 0], [1, 16]).dataSync());
      assert.deepEqual(Array.from(pad), new Array(16).fill(0));
    });

    it('saves a directory that loads in one call and predicts the same; refuses another format version', async () => {
      const out = join(dir, 'model');
      model.save(out);
      model.save(out); // replacing an existing model directory
      assert.deepEqual(readdirSync(out).sort(), ['model.json', 'vocab.txt', 'weights.safetensors']);
      assert.deepEqual(readdirSync(dir), ['model']); // no temp directory left behind
      const back = await loadTextModel(out);
      const texts = ['the goal of the team', 'guitar and drum', 'zzz unknown words', ''];
      const a = model.predict(texts, 3);
      const b = back.predict(texts, 3);
      assert.deepEqual(
        b.map((p) => p.map((x) => x.label)),
        a.map((p) => p.map((x) => x.label)),
      );
      expectClose(
        b.flat().map((x) => x.probability),
        a.flat().map((x) => x.probability),
        { atol: 1e-6 },
      );
      back.dispose();
      const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
      assert.equal(meta.versions.leanml, meta.leanml);
      meta.formatVersion = 2;
      writeFileSync(join(out, 'model.json'), JSON.stringify(meta));
      await assert.rejects(loadTextModel(out), /model format version 2 .* reads version 1; retrain/);
      await assert.rejects(loadTextModel(join(dir, 'nothing')), /not a text model directory/);
      writeFileSync(join(dir, 'keep.txt'), 'x');
      assert.throws(() => model.save(dir), /exists and is not a model directory/);
      assert.ok(existsSync(join(dir, 'keep.txt')));
      rmSync(join(dir, 'keep.txt'));
    });

    it('predicts a batch as it predicts each line alone', () => {
      const set = model.encode(test.slice(0, 40), 'test');
      const batch = model.probabilities(set, 40);
      const single = new Float32Array(batch.length);
      for (let i = 0; i < 40; i++) single.set(model.probabilities(model.encode([test[i]!], 'test'), 1), i * 3);
      expectClose(batch, single, { atol: 1e-5 });
    });

    it('inspect: the token moves add up to the margin of the logits', () => {
      const r = inspectErrors(model, test, { errors: 5 });
      assert.equal(r.arch, arch);
      assert.ok(r.errorCount > 0 && r.errors.length === Math.min(5, r.errorCount));
      for (const e of r.errors) {
        assert.ok(!e.gold.includes(e.predicted));
        const set = model.encode([test.find((l) => l.line === e.line)!], 'test');
        const logits = tf.tidy(() => model.net.forward(model.input(set, [0])).dataSync());
        const p = model.labels.indexOf(e.predicted);
        const goldIdx = e.gold.map((x) => model.labels.indexOf(x)).reduce((b, c) => (logits[c]! > logits[b]! ? c : b));
        const margin = logits[p]! - logits[goldIdx]!;
        assert.ok(Math.abs(e.margin - margin) < 1e-4, `margin ${e.margin} vs logits ${margin}`);
        const fc = model.net.fc.stateDict();
        const db = (fc['bias']!.data as Float32Array)[p]! - (fc['bias']!.data as Float32Array)[goldIdx]!;
        const sum = e.deltas.reduce((s, d) => s + d, 0) + db;
        assert.ok(Math.abs(sum - margin) < 1e-4, `moves sum ${sum} vs margin ${margin}`);
        if (arch === 'gru') {
          const T = e.tokens.length;
          assert.equal(e.gates!.update.length, T * 16);
          assert.ok(e.gates!.update.every((z) => z > 0 && z < 1) && e.gates!.reset.every((r) => r > 0 && r < 1));
          assert.ok(e.gates!.candidate.every((n) => n > -1 && n < 1));
        } else {
          assert.equal(e.gates, undefined);
        }
      }
    });
  });
}
