/**
 * @module
 * `leanml text train|test|predict|inspect`: neural text classifiers (bag of embeddings, packed
 * GRU). Parses options, calls `leanml/text`, formats the results.
 */
import { Option, type Command } from 'commander';
import { createProgress } from '../core/progress.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';
import {
  DEFAULT_INSPECT,
  DEFAULT_PREDICT_K,
  DEFAULT_TEXT_SETTINGS,
  inspectErrors,
  loadTextModel,
  parseTexts,
  readInputText,
  testText,
  trainText,
  writeInspectReport,
  type NetSettings,
  type TrainSettings,
  type VocabSettings,
} from '../text/index.js';
import { addGroup } from './group.js';
import { floatArg, intArg } from './options.js';
import { LineWriter } from './output.js';

const warn = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The flags of `text train`: every setting (commander fills in the defaults), plus the input and output. */
interface TrainFlags extends VocabSettings, NetSettings, TrainSettings {
  input?: string;
  model: string;
  labelPrefix: string;
  quiet: boolean;
}

export function registerText(program: Command): void {
  const group = addGroup(program, 'text', 'neural text classifiers: bag of embeddings, packed GRU');
  const d = DEFAULT_TEXT_SETTINGS;

  group
    .command('train')
    .description('train a classifier on fastText-style lines (__label__x tokens...); writes a model directory and prints a JSON summary')
    .option('--input <file>', 'training lines (- or none = stdin)')
    .requiredOption('--model <dir>', 'model directory to write (replaced atomically)')
    .addOption(new Option('--arch <a>', 'bag: mean of embeddings -> linear; gru: packed GRU -> linear').choices(['bag', 'gru']).default(d.net.arch))
    .option('--dim <n>', 'embedding size', intArg(1, 4096), d.net.dim)
    .option('--hidden <n>', 'GRU hidden size', intArg(1, 4096), d.net.hidden)
    .option('--unit-norm', 'L2-normalise the bag vector (bag)', d.net.unitNorm)
    .option('--min-count <n>', 'tokens seen fewer times share hashed rows', intArg(1), d.vocab.minCount)
    .option('--buckets <n>', 'hashed rows for rare/unknown tokens and character n-grams', intArg(1, 1 << 24), d.vocab.buckets)
    .option('--minn <n>', 'shortest character n-gram (with --maxn)', intArg(0, 20), d.vocab.minn)
    .option('--maxn <n>', 'longest character n-gram (0 = no sub-words)', intArg(0, 20), d.vocab.maxn)
    .option('--max-tokens <n>', 'tokens kept per line (the first)', intArg(1, 100_000), d.vocab.maxTokens)
    .option('--epochs <n>', 'most passes over the data', intArg(1, 100_000), d.train.epochs)
    .option('--patience <n>', 'stop after this many epochs without a better held-out loss (0 = never)', intArg(0), d.train.patience)
    .option('--batch-size <n>', 'lines per batch', intArg(1, 1 << 16), d.train.batchSize)
    .option('--lr <x>', 'Adam learning rate', floatArg(1e-9, 99), d.train.lr)
    .option('--validation <x>', 'share of the lines held out for early stopping and the reported figure', floatArg(0, 0.99), d.train.validation)
    .option('--seed <n>', 'seed of the split, the initialisation and the batch order', intArg(0, 2 ** 32 - 1), d.train.seed)
    .option('--label-prefix <p>', 'label prefix', DEFAULT_LABEL_PREFIX)
    .option('--quiet', 'no per-epoch lines on stderr', false)
    .action(async (f: TrainFlags) => {
      const model = await trainText(f.input, {
        vocab: { minCount: f.minCount, buckets: f.buckets, minn: f.minn, maxn: f.maxn, maxTokens: f.maxTokens },
        net: { arch: f.arch, dim: f.dim, hidden: f.hidden, unitNorm: f.unitNorm },
        train: { epochs: f.epochs, patience: f.patience, batchSize: f.batchSize, lr: f.lr, validation: f.validation, seed: f.seed },
        labelPrefix: f.labelPrefix,
        progress: createProgress(!f.quiet),
        log: f.quiet ? undefined : warn,
      });
      try {
        model.save(f.model);
        const t = model.meta.training;
        process.stdout.write(
          `${JSON.stringify({ model: f.model, arch: f.arch, labels: model.labels.length, vocabularyRows: model.vocab.size, trainLines: t.trainLines, validationLines: t.validationLines, epochs: t.epochs, bestEpoch: t.bestEpoch, validationLoss: t.validationLoss, validationAccuracy: t.validationAccuracy, secondsPerEpoch: t.history.length ? t.history.reduce((s, h) => s + h.seconds, 0) / t.history.length : null, seconds: t.seconds, backend: t.backend })}\n`,
        );
      } finally {
        model.dispose();
      }
    });

  group
    .command('test')
    .description('evaluate on labelled lines; prints JSON {n, accuracy, recallAt1, precision, recall, f1 (macro), perLabel}')
    .requiredOption('--model <dir>', 'model directory')
    .option('--input <file>', 'labelled lines (- or none = stdin)')
    .option('--label-prefix <p>', 'label prefix', DEFAULT_LABEL_PREFIX)
    .action(async (f: { model: string; input?: string; labelPrefix: string }) => {
      const model = await loadTextModel(f.model);
      try {
        process.stdout.write(`${JSON.stringify(testText(model, f.input, { labelPrefix: f.labelPrefix }))}\n`);
      } finally {
        model.dispose();
      }
    });

  group
    .command('predict')
    .description('the k most probable labels of each line: label<TAB>probability pairs, tab-separated')
    .requiredOption('--model <dir>', 'model directory')
    .option('--input <file>', 'lines (labels optional, ignored; - or none = stdin)')
    .option('--k <n>', 'labels per line', intArg(1, 100_000), DEFAULT_PREDICT_K)
    .action(async (f: { model: string; input?: string; k: number }) => {
      const model = await loadTextModel(f.model);
      try {
        const { text, name } = readInputText(f.input);
        const out = new LineWriter();
        const lines = parseTexts(text, name);
        for (let a = 0; a < lines.length; a += 4096) {
          for (const p of model.predictLines(lines.slice(a, a + 4096), f.k))
            await out.write(`${p.map((x) => `${x.label}\t${Number(x.probability.toPrecision(6))}`).join('\t')}\n`);
        }
        await out.flush();
      } finally {
        model.dispose();
      }
    });

  group
    .command('inspect')
    .description(
      "open up the misclassified lines: per token the GRU gates (reset, update, candidate) or the bag's contributions, and the tokens that moved the decision most; prints JSON, writes an HTML report",
    )
    .requiredOption('--model <dir>', 'model directory')
    .option('--input <file>', 'labelled lines (- or none = stdin)')
    .option('--errors <n>', 'misclassified lines to open up (the first in the file)', intArg(1, 10_000), DEFAULT_INSPECT.errors)
    .option('--top <n>', 'tokens per line that moved the decision most', intArg(1, 1000), DEFAULT_INSPECT.top)
    .option('--report <out.html>', 'write an HTML report with heatmaps')
    .option('--label-prefix <p>', 'label prefix', DEFAULT_LABEL_PREFIX)
    .action(async (f: { model: string; input?: string; errors: number; top: number; report?: string; labelPrefix: string }) => {
      const model = await loadTextModel(f.model);
      try {
        const r = inspectErrors(model, f.input, { errors: f.errors, top: f.top, labelPrefix: f.labelPrefix });
        if (f.report) writeInspectReport(f.report, r, model);
        process.stdout.write(
          `${JSON.stringify({ arch: r.arch, lines: r.lines, errors: r.errorCount, shown: r.errors.length, report: f.report ?? null, examples: r.errors.map((e) => ({ line: e.line, gold: e.gold, predicted: e.predicted, probability: e.probability, moved: e.moved.slice(0, f.top) })) })}\n`,
        );
      } finally {
        model.dispose();
      }
    });
}
