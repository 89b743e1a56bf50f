/**
 * @module
 * Defaults of the fastText queries and of `convert`, defined once: the API's parameters, the
 * `leanml fasttext` commands' `--help` and the job kinds read them here. Where the fastText CLI
 * has the command, they are its defaults.
 */
import type { StoreDtype } from './store-format.js';

export interface FastTextDefaults {
  nnK: number;
  analogiesK: number;
  predictK: number;
  threshold: number;
  dtype: StoreDtype;
  index: 'ivf' | 'none';
}

export const DEFAULT_FASTTEXT: Readonly<FastTextDefaults> = Object.freeze({
  /** Neighbours per query (`fasttext nn`: 10). */
  nnK: 10,
  /** Answers per analogy (`fasttext analogies`: 10). */
  analogiesK: 10,
  /** Labels per line (`fasttext predict-prob`: 1). */
  predictK: 1,
  /** Minimum probability (`predict-prob`: 0.0). */
  threshold: 0,
  /** Store element type of `convert`. */
  dtype: 'f32',
  /** Index of `convert`: none, or `ivf` (inverted-file lists). */
  index: 'none',
});
