/**
 * @module
 * `leanml linear train|test|predict|inspect`: sparse online linear classifiers (hinge-loss
 * SGD, logistic). Parses options, calls `leanml/linear`, formats the results.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../core/errors.js';
import {
  DEFAULT_FEATURES,
  DEFAULT_INSPECT_TOP,
  DEFAULT_LEARNER,
  DEFAULT_TRAIN,
  evaluate,
  inspectModel,
  loadLinearModel,
  predictFile,
  saveLinearModel,
  trainLinear,
  type FeatureConfig,
  type LearnerOptions,
  type ProgressReport,
} from '../linear/index.js';
import { addGroup } from './group.js';
import { floatArg, intArg } from './options.js';
import { LineWriter } from './output.js';

/** The flags of `linear train`: the learner's settings under their own names, then the rest. */
interface TrainFlags extends LearnerOptions {
  input?: string;
  model: string;
  format: string;
  passes: number;
  features: string;
  bits?: number;
  maxFeatures: number;
  ngrams: number;
  interactions: string[];
  cubic: string[];
  bias: boolean;
  repeats: string;
  unitNorm: boolean;
  shuffleBuffer: number;
  seed: number;
  continue?: string;
  skipBad: boolean;
  labelPrefix: string;
  reportEvery?: number;
  quiet: boolean;
  parseThread: 'auto' | 'on' | 'off';
}

const collect = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').filter((s) => s.length > 0)];

/** The feature settings the flags ask for (commander filled in every default from DEFAULT_FEATURES). */
function featuresOf(f: TrainFlags): Partial<FeatureConfig> {
  return {
    mode: f.bits !== undefined ? 'hash' : (f.features as FeatureConfig['mode']),
    ...(f.bits !== undefined ? { bits: f.bits } : {}),
    maxFeatures: f.maxFeatures,
    ngrams: f.ngrams,
    interactions: [...f.interactions, ...f.cubic],
    bias: f.bias,
    repeats: f.repeats as FeatureConfig['repeats'],
    unitNorm: f.unitNorm,
  };
}

/** The learner settings the flags ask for (defaults from DEFAULT_LEARNER). */
function learnerOf(f: TrainFlags): Partial<LearnerOptions> {
  const { loss, learningRate, powerT, l2, adaptive, normalized, invariant, average } = f;
  return { loss, learningRate, powerT, l2, adaptive, normalized, invariant, average };
}

export function registerLinear(program: Command): void {
  const group = addGroup(program, 'linear', 'sparse online linear classifiers (hinge-loss SGD, logistic)');

  group
    .command('train')
    .description('train (or continue training) a model on fastText, Vowpal Wabbit or libsvm lines; prints a JSON summary')
    .option('--input <file>', 'training data (- or none = stdin)')
    .requiredOption('--model <out>', 'model file to write (written atomically)')
    .addOption(new Option('--format <f>', 'input format').choices(['auto', 'fasttext', 'vw', 'libsvm']).default(DEFAULT_TRAIN.format))
    .addOption(new Option('--loss <l>', 'loss').choices(['hinge', 'logistic']).default(DEFAULT_LEARNER.loss))
    .option('--passes <n>', 'passes over the input', intArg(1, 10_000), DEFAULT_TRAIN.passes)
    .addOption(new Option('--features <m>', 'exact feature lookup (named) or hashing').choices(['lookup', 'hash']).default(DEFAULT_FEATURES.mode))
    .addOption(
      new Option('--bits <b>', 'hash features into 2^b slots (implies --features hash)')
        .argParser(intArg(1, 30))
        .default(undefined, `${DEFAULT_FEATURES.bits} when hashing`),
    )
    .option('--max-features <n>', 'lookup: most distinct features kept (bounded memory)', intArg(1, 2 ** 30), DEFAULT_FEATURES.maxFeatures)
    .option('--ngrams <n>', 'word n-grams up to n (within a namespace)', intArg(1, 8), DEFAULT_FEATURES.ngrams)
    .option('-q, --interactions <ab,cd>', 'cross namespaces by first character: pairs, or triples like abc (repeatable)', collect, [
      ...DEFAULT_FEATURES.interactions,
    ])
    .option('--cubic <abc>', 'cubic crosses of three namespaces by first character (repeatable; same as -q abc)', collect, [] as string[])
    .option('--no-bias', `no constant bias feature (default: ${DEFAULT_FEATURES.bias ? 'a bias' : 'none'})`)
    .addOption(new Option('--repeats <r>', 'value of repeated features').choices(['count', 'log', 'binary']).default(DEFAULT_FEATURES.repeats))
    .option('--no-unit-norm', `do not scale examples to unit L2 norm (default: ${DEFAULT_FEATURES.unitNorm ? 'scaled' : 'not scaled'})`)
    .option('--learning-rate <eta>', 'base learning rate', floatArg(1e-12, 1e6), DEFAULT_LEARNER.learningRate)
    .option('--power-t <p>', 'schedule exponent without --adaptive: eta * t^-p', floatArg(0, 1), DEFAULT_LEARNER.powerT)
    .option('--l2 <lambda>', 'L2 regularisation (applied lazily)', floatArg(0, 1e6), DEFAULT_LEARNER.l2)
    .option('--no-adaptive', `plain SGD instead of per-feature AdaGrad rates (default: ${DEFAULT_LEARNER.adaptive ? 'AdaGrad' : 'plain'})`)
    .option('--normalized', 'per-feature rates scaled by the largest |x| seen', DEFAULT_LEARNER.normalized)
    .option('--no-invariant', `plain gradient steps (may overshoot the margin) (default: ${DEFAULT_LEARNER.invariant ? 'margin-safe steps' : 'plain'})`)
    .option('--average', 'predict with averaged weights', DEFAULT_LEARNER.average)
    .option('--shuffle-buffer <n>', 'shuffle through a buffer of n lines (for files grouped by class)', intArg(0, 100_000_000), DEFAULT_TRAIN.shuffleBuffer)
    .option('--seed <n>', 'seed of the shuffle buffer', intArg(0, 2 ** 32 - 1), DEFAULT_TRAIN.seed)
    .option('--continue <model>', 'continue training this model (its settings are kept)')
    .option('--skip-bad', 'count and skip malformed lines instead of stopping', DEFAULT_TRAIN.skipBad)
    .option('--label-prefix <p>', 'label prefix of fastText lines', DEFAULT_TRAIN.labelPrefix)
    .option('--report-every <n>', 'progressive validation every n examples (default 1, 2, 4, ...)', intArg(1))
    .option('--quiet', 'no progressive validation on stderr', false)
    .addOption(
      new Option('--parse-thread <mode>', 'read, parse and look up features on a worker thread while learning (auto: files of 1 MiB+ on 2+ cores; same result)')
        .choices(['auto', 'on', 'off'])
        .default(DEFAULT_TRAIN.parseThread === 'auto' ? 'auto' : DEFAULT_TRAIN.parseThread ? 'on' : 'off'),
    )
    .action(async (f: TrainFlags) => {
      const model = f.continue ? await loadLinearModel(f.continue) : undefined;
      if (!f.quiet)
        process.stderr.write(
          `${'pass'.padStart(4)} ${'examples'.padStart(12)} ${'pv error'.padStart(9)} ${'pv loss'.padStart(9)} ${'window err'.padStart(10)}\n`,
        );
      const onProgress = f.quiet
        ? undefined
        : (r: ProgressReport) =>
            process.stderr.write(
              `${String(r.pass).padStart(4)} ${String(r.examples).padStart(12)} ${r.error.toFixed(4).padStart(9)} ${r.loss.toFixed(4).padStart(9)} ${r.windowError.toFixed(4).padStart(10)}\n`,
            );
      const { model: trained, summary } = await trainLinear(f.input, {
        format: f.format as 'auto',
        labelPrefix: f.labelPrefix,
        features: featuresOf(f),
        learner: learnerOf(f),
        passes: f.passes,
        shuffleBuffer: f.shuffleBuffer,
        seed: f.seed,
        skipBad: f.skipBad,
        model,
        reportEvery: f.reportEvery,
        onProgress,
        parseThread: f.parseThread === 'auto' ? 'auto' : f.parseThread === 'on',
      });
      saveLinearModel(trained, f.model);
      for (const m of summary.skippedMessages) process.stderr.write(`skipped: ${m}\n`);
      if (summary.skipped > summary.skippedMessages.length) process.stderr.write(`skipped: ... ${summary.skipped - summary.skippedMessages.length} more\n`);
      const { skippedMessages: _omit, ...rest } = summary;
      process.stdout.write(`${JSON.stringify({ model: f.model, ...rest })}\n`);
    });

  group
    .command('test')
    .description('evaluate a model on labelled lines; prints JSON {n, accuracy, precision, recall, f1, auc}')
    .requiredOption('--model <m>', 'model file')
    .option('--input <file>', 'labelled data (- or none = stdin)')
    .option('--skip-bad', 'count and skip malformed lines instead of stopping', false)
    .action(async (f: { model: string; input?: string; skipBad: boolean }) => {
      const model = await loadLinearModel(f.model);
      const { skipped, ...metrics } = await evaluate(model, f.input, { skipBad: f.skipBad });
      if (skipped > 0) process.stderr.write(`skipped ${skipped} malformed lines\n`);
      process.stdout.write(`${JSON.stringify(metrics)}\n`);
    });

  group
    .command('predict')
    .description('predict each line: label<TAB>score (hinge: margin, logistic: probability)')
    .requiredOption('--model <m>', 'model file')
    .option('--input <file>', 'lines in the model format, labels optional (- or none = stdin)')
    .option('--skip-bad', 'skip malformed lines instead of stopping', false)
    .action(async (f: { model: string; input?: string; skipBad: boolean }) => {
      const model = await loadLinearModel(f.model);
      const out = new LineWriter();
      let pending: string[] = [];
      // predictions are collected per input chunk and written (with backpressure) between chunks
      const drain = async (): Promise<void> => {
        const lines = pending;
        pending = [];
        for (const line of lines) await out.write(line);
      };
      await predictFile(model, f.input, (p) => pending.push(`${p.label}\t${Number(p.score.toPrecision(6))}\n`), { skipBad: f.skipBad, afterChunk: drain });
      await drain();
      await out.flush();
    });

  group
    .command('inspect')
    .description('the strongest features of a model, by name')
    .requiredOption('--model <m>', 'model file')
    .option('--top <n>', 'features per direction', intArg(1, 100_000), DEFAULT_INSPECT_TOP)
    .option('--json', 'print JSON', false)
    .action(async (f: { model: string; top: number; json: boolean }) => {
      const model = await loadLinearModel(f.model);
      const result = inspectModel(model, f.top);
      if (f.json) {
        process.stdout.write(
          `${JSON.stringify({ labels: model.labels, features: model.settings.features.mode, slots: model.encoder.slots, vectors: result })}\n`,
        );
        return;
      }
      const out = new LineWriter();
      await out.write(
        `labels: ${model.labels.join(', ')}; ${model.settings.features.mode} features, ${model.encoder.slots} slots; loss ${model.settings.learner.loss}\n`,
      );
      for (const r of result) {
        await out.write(`\nfor ${r.label}:\n`);
        for (const x of r.positive) await out.write(`  ${x.weight.toFixed(6).padStart(12)}  ${x.feature}\n`);
        await out.write(`against ${r.label}:\n`);
        for (const x of r.negative) await out.write(`  ${x.weight.toFixed(6).padStart(12)}  ${x.feature}\n`);
      }
      await out.flush();
    });

  if (group.commands.length === 0) throw new UsageError('linear: no commands');
}
