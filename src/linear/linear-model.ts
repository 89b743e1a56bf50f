/**
 * @module
 * A linear classifier: the feature encoder (lookup or hashing), the labels and the learner's
 * weights and state. It learns one example at a time and predicts text lines in the format
 * it was trained on. Binary problems keep one weight vector oriented towards the positive
 * label; a third label turns the model into one-vs-rest with one vector per label.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_LABEL_PREFIX } from '../core/label-prefix.js';
import { parserFor, type InputFormat } from './detect-format.js';
import { DEFAULT_FEATURES, FeatureEncoder, type FeatureConfig } from './feature-encoder.js';
import type { FeatureLookup } from './feature-lookup.js';
import { ParsedLine } from './parsed-line.js';
import { DEFAULT_LEARNER, SgdLearner, type LearnerOptions } from './sgd-learner.js';

/** Everything that defines how a model reads input and learns. */
export interface LinearModelSettings {
  format: InputFormat;
  /** Prefix marking labels in fastText lines. */
  labelPrefix: string;
  features: FeatureConfig;
  learner: LearnerOptions;
}

/** Labels that are taken as the positive class of a binary problem (test metrics, scores). */
export const POSITIVE_LABELS = ['spam', '+1', '1', 'pos', 'positive', 'true', 'yes'];

/** A prediction: the label and its score (hinge: margin; logistic: probability). */
export interface Prediction {
  label: string;
  score: number;
}

export class LinearModel {
  readonly settings: LinearModelSettings;
  readonly encoder: FeatureEncoder;
  readonly learner: SgdLearner;
  /** Labels in order of first appearance. */
  readonly labels: string[] = [];
  /** Binary models: index in `labels` of the class a positive margin means. */
  positive = 0;
  private labelBytes: Buffer[] = [];
  private labelMap = new Map<string, number>();
  private readonly line = new ParsedLine();
  private readonly parse: (buf: Buffer, start: number, end: number, out: ParsedLine) => string | null;

  constructor(
    settings: { format: InputFormat; labelPrefix?: string; features?: Partial<FeatureConfig>; learner?: Partial<LearnerOptions> },
    state?: { lookup?: FeatureLookup; learner?: SgdLearner; labels?: string[]; positive?: number },
  ) {
    this.settings = {
      format: settings.format,
      labelPrefix: settings.labelPrefix ?? DEFAULT_LABEL_PREFIX,
      features: { ...DEFAULT_FEATURES, ...settings.features },
      learner: { ...DEFAULT_LEARNER, ...settings.learner },
    };
    this.encoder = new FeatureEncoder(this.settings.features, state?.lookup);
    this.learner = state?.learner ?? new SgdLearner(this.settings.learner, 1, this.settings.features.mode === 'hash' ? 1 << this.settings.features.bits : 1024);
    for (const l of state?.labels ?? []) this.registerLabel(l);
    this.positive = state?.positive ?? 0;
    this.parse = parserFor(this.settings.format, this.settings.labelPrefix, this.settings.features.mode);
  }

  /** The input format lines must be in. */
  get format(): InputFormat {
    return this.settings.format;
  }

  /** Index of the label `buf[start, end)`, or -1 when unknown and not `grow`. */
  labelIndex(buf: Buffer, start: number, end: number, grow: boolean): number {
    const len = end - start;
    const lb = this.labelBytes;
    if (lb.length <= 16) {
      // few labels: compare bytes, no string per line
      for (let j = 0; j < lb.length; j++) {
        const b = lb[j]!;
        if (b.length !== len) continue;
        let k = 0;
        while (k < len && b[k] === buf[start + k]) k++;
        if (k === len) return j;
      }
      return grow ? this.addLabel(buf.toString('utf8', start, end)) : -1;
    }
    const s = buf.toString('utf8', start, end);
    const j = this.labelMap.get(s);
    if (j !== undefined) return j;
    return grow ? this.addLabel(s) : -1;
  }

  /** Parses a line in the model's format into the model's scratch; returns what is wrong, or null. */
  parseLine(buf: Buffer, start: number, end: number): string | null {
    return this.parse(buf, start, end, this.line);
  }

  /** The line parsed last. */
  get parsed(): ParsedLine {
    return this.line;
  }

  /**
   * Learns the parsed line (which must have a label); returns the label index. The margins
   * before the update stay in `learner.margins` for progressive validation.
   */
  learnParsed(): number {
    const line = this.line;
    const y = this.labelIndex(line.buf, line.labelStart, line.labelEnd, true);
    const enc = this.encoder;
    const n = enc.encode(line, true);
    if (enc.lookup) this.learner.ensureCapacity(enc.lookup.size);
    this.learnEncoded(enc.idx, enc.val, n, y, line.weight);
    return y;
  }

  /**
   * Learns an example already encoded by this model's feature settings (slots idx[0, n),
   * values val[0, n)) with label index `y` (from `labelIndex`) and importance `weight`; the
   * margins before the update stay in `learner.margins`. Slots must be below `encoder.slots`.
   */
  learnEncoded(idx: Int32Array, val: Float32Array, n: number, y: number, weight: number): void {
    const target = this.learner.vectors === 1 ? (y === this.positive ? 0 : 1) : y;
    this.learner.learn(idx, val, n, target, weight);
  }

  /** Predicted label index of the parsed line from margins in `learner.margins` (or freshly computed). */
  predictedIndex(margins: Float64Array): number {
    if (this.learner.vectors === 1) {
      if (this.labels.length < 2) return 0;
      return margins[0]! > 0 ? this.positive : 1 - this.positive;
    }
    let best = 0;
    for (let k = 1; k < this.learner.vectors; k++) if (margins[k]! > margins[best]!) best = k;
    return best;
  }

  /** Prediction margins of the parsed line (averaged weights when averaging), into `out`: (K). */
  marginsOfParsed(out: Float64Array): Float64Array {
    const enc = this.encoder;
    const n = enc.encode(this.line, false);
    for (let k = 0; k < this.learner.vectors; k++) out[k] = this.learner.predictMargin(k, enc.idx, enc.val, n);
    return out;
  }

  private scratchMargins = new Float64Array(2);

  /** Predicts one line in the model's input format (a label in it is ignored). Throws FormatError-free UsageError on bad text. */
  predictText(text: string): Prediction {
    const buf = Buffer.from(text, 'utf8');
    const err = this.parseLine(buf, 0, buf.length);
    if (err) throw new UsageError(`predict: ${err}`);
    return this.predictParsed();
  }

  /** Predicts the parsed line. */
  predictParsed(): Prediction {
    if (this.labels.length === 0) throw new UsageError('predict: the model has not learned any example');
    if (this.scratchMargins.length < this.learner.vectors) this.scratchMargins = new Float64Array(this.learner.vectors);
    const m = this.marginsOfParsed(this.scratchMargins);
    const j = this.predictedIndex(m);
    const margin = this.learner.vectors === 1 ? (j === this.positive ? m[0]! : -m[0]!) : m[j]!;
    return { label: this.labels[j]!, score: this.settings.learner.loss === 'logistic' ? 1 / (1 + Math.exp(-margin)) : margin };
  }

  /** Learns one labelled line given as text (library use; files go through `trainLinear`). */
  learnText(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    const err = this.parseLine(buf, 0, buf.length);
    if (err) throw new UsageError(`learn: ${err}`);
    if (this.line.labelStart < 0) throw new UsageError('learn: the line has no label');
    this.learnParsed();
  }

  private registerLabel(label: string): number {
    const j = this.labels.length;
    this.labels.push(label);
    this.labelBytes.push(Buffer.from(label, 'utf8'));
    this.labelMap.set(label, j);
    return j;
  }

  /** A new label: orient binary models towards the preferred positive label; go one-vs-rest at three. */
  private addLabel(label: string): number {
    const j = this.registerLabel(label);
    const L = this.learner;
    if (j === 1 && POSITIVE_LABELS.includes(label) && !POSITIVE_LABELS.includes(this.labels[0]!)) {
      L.negate(0);
      this.positive = 1;
    } else if (j === 2) {
      // vector 0 scored labels[positive]; make it vector `positive`, the other label its negation
      L.addVector();
      L.copyNegated(0, 1);
      if (this.positive === 1) {
        L.negate(0);
        L.negate(1);
      }
      L.addVector();
      this.positive = 0;
    } else if (j > 2) {
      L.addVector();
    }
    return j;
  }
}
