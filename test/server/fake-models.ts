/**
 * In-memory models implementing the server's interfaces, for testing routes without model
 * files. The vectors fake computes real cosine neighbours over a tiny vocabulary so answers
 * can be checked by hand.
 */
import { readFileSync } from 'node:fs';
import { FormatError } from '../../src/core/errors.js';
import type { LabelProb, LinearPredictor, ScoredWord, SpeakerDetector, VectorsModel } from '../../src/server/model-types.js';

const VOCAB: Record<string, number[]> = {
  king: [0.9, 0.8, 0.1],
  queen: [0.9, 0.1, 0.8],
  man: [0.1, 0.9, 0.1],
  woman: [0.1, 0.2, 0.9],
  apple: [-0.5, 0.1, 0.1],
};

function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : d / Math.sqrt(na * nb);
}

/** A 3-d word-vector model over five words; OOV words get a vector derived from their length. */
export class FakeVectors implements VectorsModel {
  readonly dim = 3;
  closed = false;
  constructor(readonly isSupervised = false) {}
  inVocabulary(word: string): boolean {
    return Object.hasOwn(VOCAB, word);
  }
  wordVector(word: string): Float32Array {
    return Float32Array.from(Object.hasOwn(VOCAB, word) ? VOCAB[word]! : [word.length / 10, 0, 0]);
  }
  sentenceVector(text: string): Float32Array {
    const words = text.split(/\s+/).filter(Boolean);
    const out = new Float32Array(3);
    for (const w of words) this.wordVector(w).forEach((v, i) => (out[i]! += v / words.length));
    return out;
  }
  private ranked(q: Float32Array, exclude: string[], k: number): ScoredWord[] {
    return Object.keys(VOCAB)
      .filter((w) => !exclude.includes(w))
      .map((w) => ({ word: w, score: cosine(q, this.wordVector(w)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
  nearestNeighbors(word: string, k: number): ScoredWord[] {
    return this.ranked(this.wordVector(word), [word], k);
  }
  analogies(a: string, b: string, c: string, k: number): ScoredWord[] {
    const [va, vb, vc] = [this.wordVector(a), this.wordVector(b), this.wordVector(c)];
    return this.ranked(
      va.map((x, i) => x - vb[i]! + vc[i]!),
      [a, b, c],
      k,
    );
  }
  predict(text: string, k: number, threshold: number): LabelProb[] {
    const p = text.includes('royal') ? 0.9 : 0.3;
    return [
      { label: '__label__royal', prob: p },
      { label: '__label__other', prob: 1 - p },
    ]
      .sort((a, b) => b.prob - a.prob)
      .filter((l) => l.prob >= threshold)
      .slice(0, k);
  }
  close(): void {
    this.closed = true;
  }
}

/** A linear "spam" classifier: spam when the text says "free". */
export class FakeLinear implements LinearPredictor {
  readonly labels = ['ham', 'spam'];
  predictText(text: string): { label: string; score: number } {
    return text.includes('free') ? { label: 'spam', score: 1.5 } : { label: 'ham', score: -0.5 };
  }
}

/** A speaker detector whose calls can be held open (to test the concurrency bound and shutdown). */
export class FakeSpeaker implements SpeakerDetector {
  private gates: (() => void)[] = [];
  hold = false;
  calls = 0;
  /** Lets every held call finish. */
  release(): void {
    for (const g of this.gates.splice(0)) g();
  }
  get waiting(): number {
    return this.gates.length;
  }
  async detect(path: string, opts: { threshold?: number }): Promise<{ segments: { start: number; end: number; score: number }[]; duration: number }> {
    this.calls++;
    const audio = readFileSync(path);
    if (audio.length < 4 || String.fromCharCode(...audio.subarray(0, 4)) !== 'RIFF') throw new FormatError('upload: not a WAV file (expected RIFF at byte 0)');
    if (this.hold) await new Promise<void>((r) => this.gates.push(r));
    return { duration: audio.length / 1000, segments: [{ start: 1, end: 2.5, score: opts.threshold ?? 0.8 }] };
  }
}
