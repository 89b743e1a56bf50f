/**
 * @module
 * Training a text classifier: vocabulary from the training lines, a seeded held-out split,
 * mini-batches (bag: padded ids; GRU: padded, packed with `packBatch`, the targets permuted
 * with the same order), softmax cross-entropy against the line's labels, Adam, and early
 * stopping on the held-out loss (the best epoch's weights are kept).
 */
import { FormatError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { Adam, backendInfo, initBackend, permuteRows, tf, type StateDict } from '../nn/index.js';
import { VERSION } from '../version.js';
import { encodeLines, epochBatches, subset, targetBatch, type EncodedSet } from './encoded-set.js';
import { readLabelledLines, type LabelledLine } from './labelled-lines.js';
import { resolveSettings, type NetSettings, type TrainSettings, type VocabSettings } from './settings.js';
import { TextNet, type BagInput, type SequenceInput } from './text-net.js';
import { TEXT_MODEL_FORMAT, TEXT_MODEL_FORMAT_VERSION, TextModel, type TextTrainingReport } from './text-model.js';
import { Vocabulary } from './vocabulary.js';

export interface TrainTextOptions {
  vocab?: Partial<VocabSettings>;
  net?: Partial<NetSettings>;
  train?: Partial<TrainSettings>;
  labelPrefix?: string;
  /**
   * An explicit held-out set (instead of `train.validation`'s share of the input): early
   * stopping and the reported validation figure use it; the vocabulary comes from all input lines.
   */
  validationLines?: LabelledLine[];
  /** Progress over training batches (a bar on a TTY from the CLI). */
  progress?: Progress;
  /** One line per epoch. */
  log?: (line: string) => void;
}

/** Mean softmax cross-entropy of logits (B, C) against target distributions (B, C). */
export function softCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}

/** The loss of one batch; for the GRU the targets follow the packed (sorted) order of the logits. */
export function batchLoss(net: TextNet, x: BagInput | SequenceInput, targets: Float32Array): tf.Scalar {
  const C = net.numLabels;
  const out = net.forwardRaw(x);
  try {
    let t = targets;
    if (out.packed) {
      // Labels follow the sort: row i of the packed logits is original row sortedIndices[i].
      const rows = permuteRows(
        Array.from({ length: x.batch }, (_, i) => targets.subarray(i * C, (i + 1) * C)),
        out.packed.sortedIndices,
      );
      t = new Float32Array(targets.length);
      rows.forEach((r, i) => t.set(r, i * C));
    }
    return softCrossEntropy(out.logits, tf.tensor2d(t, [x.batch, C]));
  } finally {
    out.packed?.data.dispose();
  }
}

/** Mean loss and top-1 accuracy (the best label is one of the line's labels) over a labelled set. */
export function evaluateLoss(model: TextModel, set: EncodedSet): { loss: number; accuracy: number } {
  const C = model.labels.length;
  const probs = model.probabilities(set);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < set.size; i++) {
    const a = set.labelOffsets[i]!;
    const b = set.labelOffsets[i + 1]!;
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + best]!) best = c;
    for (let j = a; j < b; j++) {
      loss -= Math.log(Math.max(probs[i * C + set.labels[j]!]!, 1e-30)) / (b - a);
      if (set.labels[j] === best) correct++;
    }
  }
  return { loss: loss / set.size, accuracy: correct / set.size };
}

function snapshot(model: TextModel): StateDict {
  return model.net.stateDict();
}

/**
 * Trains a classifier on fastText-style labelled lines (a file path, `-` for stdin, or parsed lines).
 *
 * @example
 * ```ts
 * const model = await trainText('train.txt', { net: { arch: 'gru' } });
 * model.save('spam-gru');
 * model.predict(['win a free prize now'], 2); // [[{ label: 'spam', probability: 0.97 }, ...]]
 * ```
 */
export async function trainText(input: string | LabelledLine[] | undefined, opts: TrainTextOptions = {}): Promise<TextModel> {
  const settings = resolveSettings(opts);
  const name = typeof input === 'string' ? input : 'input';
  const lines = Array.isArray(input) ? input : readLabelledLines(input, { labelPrefix: opts.labelPrefix });
  if (lines.length === 0) throw new FormatError(`${name}: no lines`);
  const progress = opts.progress ?? silentProgress;
  const log = opts.log ?? (() => {});
  const t0 = performance.now();

  // Held-out split (seeded), vocabulary from the training part only.
  const order = Int32Array.from(lines.keys());
  const rng = new Rng(settings.train.seed);
  rng.shuffle(order);
  const explicit = opts.validationLines;
  const nValid = explicit ? 0 : lines.length >= 20 ? Math.round(lines.length * settings.train.validation) : 0;
  const validRows = order.subarray(0, nValid);
  const trainRows = order.subarray(nValid);
  const labelNames = [...new Set(lines.flatMap((l) => l.labels))].sort();
  if (labelNames.length === 0) throw new FormatError(`${name}: no labels`);
  const vocab = Vocabulary.build(
    Array.from(trainRows, (r) => lines[r]!.tokens),
    settings.vocab,
  );
  const all = encodeLines(lines, vocab, labelNames, name);
  const train = subset(all, trainRows);
  const valid = explicit ? (explicit.length ? encodeLines(explicit, vocab, labelNames, 'validation lines') : null) : nValid > 0 ? subset(all, validRows) : null;

  await initBackend();
  const net = new TextNet(vocab.size, labelNames.length, settings.net, settings.train.seed);
  const report: TextTrainingReport = {
    trainLines: train.size,
    validationLines: valid?.size ?? 0,
    epochs: 0,
    bestEpoch: 0,
    history: [],
    validationLoss: null,
    validationAccuracy: null,
    seconds: 0,
    backend: backendInfo().name,
  };
  const model = new TextModel(
    {
      format: TEXT_MODEL_FORMAT,
      formatVersion: TEXT_MODEL_FORMAT_VERSION,
      leanml: VERSION,
      versions: { leanml: VERSION, tfjs: tf.version_core },
      settings,
      labels: labelNames,
      vocabularySize: vocab.size,
      training: report,
    },
    vocab,
    net,
  );
  const opt = new Adam(net.trainableVariables(), { lr: settings.train.lr });
  const C = labelNames.length;
  let best: { loss: number; weights: StateDict } | null = null;
  let stale = 0;
  try {
    const batchesPerEpoch = Math.ceil(train.size / settings.train.batchSize);
    progress.start(batchesPerEpoch * settings.train.epochs, 'text train');
    for (let epoch = 1; epoch <= settings.train.epochs; epoch++) {
      const e0 = performance.now();
      let lossSum = 0;
      const batches = epochBatches(train, settings.train.batchSize, rng);
      batches.forEach((rows, b) => {
        const x = model.input(train, rows);
        const targets = targetBatch(train, rows, C);
        lossSum += opt.minimize(() => batchLoss(net, x, targets)) * rows.length;
        progress.update((epoch - 1) * batchesPerEpoch + b + 1);
      });
      const seconds = (performance.now() - e0) / 1000;
      const v = valid ? evaluateLoss(model, valid) : null;
      report.history.push({ epoch, trainLoss: lossSum / train.size, validationLoss: v?.loss ?? null, validationAccuracy: v?.accuracy ?? null, seconds });
      report.epochs = epoch;
      log(
        `epoch ${epoch}: train loss ${(lossSum / train.size).toFixed(4)}${v ? `, held-out loss ${v.loss.toFixed(4)}, accuracy ${v.accuracy.toFixed(4)}` : ''} (${seconds.toFixed(1)} s)`,
      );
      if (!Number.isFinite(lossSum)) throw new Error(`text train: the loss became ${lossSum} in epoch ${epoch}; lower --lr`);
      if (v) {
        if (!best || v.loss < best.loss) {
          best = { loss: v.loss, weights: snapshot(model) };
          report.bestEpoch = epoch;
          report.validationLoss = v.loss;
          report.validationAccuracy = v.accuracy;
          stale = 0;
        } else if (settings.train.patience > 0 && ++stale >= settings.train.patience) {
          break;
        }
      } else {
        report.bestEpoch = epoch;
      }
    }
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    progress.stop();
    opt.dispose();
  }
  if (best) net.loadStateDict(best.weights);
  report.seconds = (performance.now() - t0) / 1000;
  return model;
}
