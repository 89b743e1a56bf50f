/**
 * @module
 * Demo step for `text`: a bag-of-embeddings spam classifier trained with Adam on the same
 * SpamAssassin split as the linear step (two epochs), its test figures, two predictions, and
 * the tokens that pushed one of its errors towards the wrong label.
 */
import { spamSplit, tokenizeText } from '../linear/spam-corpus.js';
import { inspectErrors, parseLabelledLines, testText, trainText } from '../text/index.js';
import type { DemoStep } from './index.js';

export const textStep: DemoStep = {
  name: 'text',
  title: 'text: a bag-of-embeddings spam classifier (Adam, held-out early stopping) and its errors opened up',
  async run(log) {
    const { train, test } = spamSplit();
    const trainLines = parseLabelledLines(train.join('\n'), 'spam train');
    const testLines = parseLabelledLines(test.join('\n'), 'spam test');
    const model = await trainText(trainLines, { net: { arch: 'bag' }, train: { epochs: 2 } });
    try {
      const t = model.meta.training;
      log(
        `   ${t.trainLines} training lines, ${t.validationLines} held out; ${model.vocab.size} embedding rows; ${t.epochs} epochs in ${t.seconds.toFixed(1)} s on ${t.backend}`,
      );
      const m = testText(model, testLines);
      log(`   test: accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.f1.toFixed(4)} (held-out ${t.validationAccuracy?.toFixed(4)})`);
      for (const text of ['Click here to claim your FREE prize, limited offer, act now!', 'Can we move the meeting about the build server to Thursday?']) {
        const [best] = model.predict([tokenizeText(text)])[0]!;
        log(`   "${text}" -> ${best!.label} (${best!.probability.toFixed(3)})`);
      }
      const r = inspectErrors(model, testLines, { errors: 1, top: 1000 });
      const e = r.errors[0];
      if (e) {
        const pushed = [...new Map(e.moved.filter((x) => x.delta > 0).map((x) => [x.token, x.delta])).entries()].slice(0, 5);
        log(
          `   ${r.errorCount} test errors; the first (line ${e.line}, ${e.gold.join(',')} taken for ${e.predicted}, p ${e.probability.toFixed(2)}) was pushed by ${pushed.map(([tok, d]) => `'${tok}' +${d.toFixed(3)}`).join(', ')}`,
        );
      }
    } finally {
      model.dispose();
    }
  },
};
