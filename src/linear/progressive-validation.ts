/**
 * @module
 * Progressive validation: every example is predicted (from the margins computed before its
 * update) before it is learned, so the running error is an honest estimate of test error
 * without a held-out set. Keeps the current pass's and the first pass's figures and a window
 * since the last report.
 */
import type { LinearModel } from './linear-model.js';

/** Progressive validation so far: every example predicted before it was learned. */
export interface ProgressReport {
  pass: number;
  /** Examples learned so far (all passes). */
  examples: number;
  /** Mean error rate and loss over all examples of the first pass so far (later passes: over the current pass). */
  error: number;
  loss: number;
  /** Error rate over the examples since the previous report. */
  windowError: number;
  windowExamples: number;
}

export class ProgressiveValidation {
  /** Examples accounted (all passes). */
  examples = 0;
  pass = 1;
  private n = 0;
  private err = 0;
  private loss = 0;
  private winN = 0;
  private winErr = 0;
  private nextReport: number;
  private first = { n: 0, err: 0, loss: 0 };

  /** `reportEvery` 0: reports at 1, 2, 4, 8, ... examples. */
  constructor(
    private readonly reportEvery: number,
    private readonly onProgress?: (report: ProgressReport) => void,
  ) {
    this.nextReport = reportEvery > 0 ? reportEvery : 1;
  }

  /** Accounts the example just learned by `m` with label index `y`, from the margins before its update. */
  account(m: LinearModel, y: number): void {
    this.examples++;
    const L = m.learner;
    const pred = m.predictedIndex(L.margins);
    const K = L.vectors;
    const hinge = m.settings.learner.loss === 'hinge';
    let loss = 0;
    for (let k = 0; k < K; k++) {
      const target = K === 1 ? (y === m.positive ? 1 : -1) : k === y ? 1 : -1;
      const z = target * L.margins[k]!;
      loss += hinge ? Math.max(0, 1 - z) : z > 30 ? Math.exp(-z) : Math.log1p(Math.exp(-z));
    }
    const wrong = pred !== y ? 1 : 0;
    this.n++;
    this.err += wrong;
    this.loss += loss / K;
    this.winN++;
    this.winErr += wrong;
    if (this.onProgress && this.examples >= this.nextReport) {
      this.report();
      this.nextReport = this.reportEvery > 0 ? this.nextReport + this.reportEvery : this.nextReport * 2;
    }
  }

  /** Starts pass `pass` (its figures count from zero). */
  startPass(pass: number): void {
    this.pass = pass;
    this.n = this.err = this.loss = 0;
  }

  /** Ends the current pass; the first pass's figures are kept. */
  endPass(): void {
    if (this.pass === 1) this.first = { n: this.n, err: this.err, loss: this.loss };
  }

  /** Examples of the current pass so far. */
  get passExamples(): number {
    return this.n;
  }

  /** Reports what came after the previous report (call once training is over). */
  finish(): void {
    if (this.onProgress && this.winN > 0) this.report();
  }

  /** Error and loss over the first pass. */
  get firstPass(): { error: number; loss: number } {
    return { error: this.first.err / this.first.n, loss: this.first.loss / this.first.n };
  }

  private report(): void {
    this.onProgress!({
      pass: this.pass,
      examples: this.examples,
      error: this.err / this.n,
      loss: this.loss / this.n,
      windowError: this.winErr / this.winN,
      windowExamples: this.winN,
    });
    this.winN = 0;
    this.winErr = 0;
  }
}
