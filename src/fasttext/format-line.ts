/**
 * @module
 * The text lines the fastText CLI prints: `std::cout << vec` (values at precision 5, each
 * followed by a space) and `printPredictions` (label/word, space, score at precision 6).
 */
import { formatG } from './format-float.js';

/** Values as `operator<<(ostream, Vector)`: `%.5g` each, each followed by a space. */
export function formatVector(v: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < v.length; i++) s += `${formatG(v[i]!, 5)} `;
  return s;
}

/** A score as `std::cout << real` with the default precision of 6. */
export function formatScore(x: number): string {
  return formatG(x, 6);
}
