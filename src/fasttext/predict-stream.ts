/**
 * @module
 * Streaming `predict-prob`: bytes of text in, bytes of `label prob label prob ...` lines out,
 * one output line per input line, formatted as the fastText CLI prints them (labels as their raw
 * bytes, probabilities as `%.6g`). Input arrives in chunks of any size; a line split across
 * chunks is carried over, so memory stays bounded by the chunk and the longest line.
 */
import { writeG } from './format-float.js';
import type { LinePredictorLike } from './line-predictor.js';

const NL = 10;

/** Options of `PredictStream`. */
export interface PredictStreamOptions {
  /** Labels per line; -1 for all. */
  k: number;
  /** Minimum probability. */
  threshold: number;
}

/** Turns input chunks into `predict-prob` output. */
export class PredictStream {
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private out = new Uint8Array(1 << 16);
  private len = 0;
  private readonly labels: Uint8Array[] = [];

  constructor(
    private readonly p: LinePredictorLike,
    private readonly opts: PredictStreamOptions,
  ) {
    for (let i = 0; i < p.nlabels; i++) this.labels.push(p.labelBytes(i));
  }

  /** Predicts every complete line of `chunk` (with what was carried); returns their output lines. */
  push(chunk: Uint8Array): Uint8Array {
    let s = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.keep(chunk);
        return this.take();
      }
      this.keep(chunk.subarray(0, nl));
      this.line(this.carry, 0, this.carryLen, true);
      this.carryLen = 0;
      s = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(NL, s);
      if (nl < 0) break;
      this.line(chunk, s, nl, true);
      s = nl + 1;
    }
    if (s < chunk.length) this.keep(chunk.subarray(s));
    return this.take();
  }

  /** Predicts the last line if it had no newline; returns its output. */
  end(): Uint8Array {
    if (this.carryLen > 0) this.line(this.carry, 0, this.carryLen, false);
    this.carryLen = 0;
    return this.take();
  }

  private keep(bytes: Uint8Array): void {
    const need = this.carryLen + bytes.length;
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2, 4096));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(bytes, this.carryLen);
    this.carryLen = need;
  }

  private line(bytes: Uint8Array, start: number, end: number, eos: boolean): void {
    const p = this.p;
    const n = p.predictLine(bytes, start, end, eos, this.opts.k, this.opts.threshold);
    for (let i = 0; i < n; i++) {
      const label = this.labels[p.labelIds[i]!]!;
      this.reserve(label.length + 32);
      const o = this.out;
      let len = this.len;
      if (i > 0) o[len++] = 32;
      for (let c = 0; c < label.length; c++) o[len++] = label[c]!;
      o[len++] = 32;
      this.len = writeG(p.probs[i]!, 6, o, len);
    }
    this.reserve(1);
    this.out[this.len++] = NL;
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.out.length) return;
    const grown = new Uint8Array(Math.max(this.out.length * 2, this.len + extra));
    grown.set(this.out.subarray(0, this.len));
    this.out = grown;
  }

  private take(): Uint8Array {
    const r = this.out.slice(0, this.len);
    this.len = 0;
    return r;
  }
}
