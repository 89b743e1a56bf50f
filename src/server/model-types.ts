/**
 * @module
 * The small interfaces the server needs from a model. The server is written against these,
 * not against the library classes, so it can be tested with in-memory fakes and so a model
 * kind can be swapped (a `.bin`, an `.ftz`, a compact store) without touching a route.
 */

/** A result that may be computed synchronously or asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** One neighbour of a query: a vocabulary word and its cosine similarity. */
export interface ScoredWord {
  word: string;
  score: number;
}

/** One label of a supervised prediction with its probability. */
export interface LabelProb {
  label: string;
  prob: number;
}

/** A fastText-like word-vector model (`.bin`, `.ftz` or compact store). */
export interface VectorsModel {
  /** Vector dimension. */
  readonly dim: number;
  /** Whether `predict` is available (a model trained with `fasttext supervised`). */
  readonly isSupervised: boolean;
  /** The vector of a word, in or out of vocabulary. */
  wordVector(word: string): MaybePromise<Float32Array>;
  /** Whether the word has its own row (if the model can tell). */
  inVocabulary?(word: string): boolean;
  /** The sentence vector of a line of text, as `fasttext print-sentence-vectors`. */
  sentenceVector(text: string): MaybePromise<Float32Array>;
  /** The k vocabulary words closest to `word` (excluding itself), best first. */
  nearestNeighbors(word: string, k: number): MaybePromise<ScoredWord[]>;
  /** `nearestNeighbors` for many words in one pass over the vocabulary (optional; faster for batches). */
  nearestNeighborsBatch?(words: string[], k: number): MaybePromise<ScoredWord[][]>;
  /** The k words closest to `a - b + c` (unit vectors), as `fasttext analogies` (`king man woman` → queen). */
  analogies(a: string, b: string, c: string, k: number): MaybePromise<ScoredWord[]>;
  /** `analogies` for many triplets in one pass (optional). */
  analogiesBatch?(queries: [string, string, string][], k: number): MaybePromise<ScoredWord[][]>;
  /** Up to k labels with probability above `threshold`, best first. */
  predict(text: string, k: number, threshold: number): MaybePromise<LabelProb[]>;
  /** Releases file handles. */
  close?(): MaybePromise<void>;
}

/** A linear classifier over text. */
export interface LinearPredictor {
  /** The labels the model can answer. */
  readonly labels: readonly string[];
  /** The best label of a text and its score. */
  predictText(text: string): MaybePromise<{ label: string; score: number }>;
  close?(): MaybePromise<void>;
}

/** One stretch of a recording where the target speaker talks, in seconds. */
export interface SpeakerSegment {
  start: number;
  end: number;
  score: number;
}

/** Finds where a known speaker talks in a recording. */
export interface SpeakerDetector {
  /** Detects the target in an audio file (any format the audio module decodes). */
  detect(audioPath: string, opts: { threshold?: number; signal?: AbortSignal }): Promise<{ segments: SpeakerSegment[]; duration?: number; threshold?: number }>;
  close?(): MaybePromise<void>;
}

/** The kinds of models the server can hold, keyed by their URL segment. */
export interface ModelKinds {
  vectors: VectorsModel;
  linear: LinearPredictor;
  speaker: SpeakerDetector;
}

/** A model kind: `vectors`, `linear` or `speaker`. */
export type ModelKind = keyof ModelKinds;

/** What `GET /models` says about one model. */
export interface ModelInfo {
  name: string;
  kind: ModelKind;
  /** Vector dimension (vectors models). */
  dim?: number;
  /** Whether `predict` works (vectors models). */
  supervised?: boolean;
  /** Labels (linear models). */
  labels?: string[];
}
