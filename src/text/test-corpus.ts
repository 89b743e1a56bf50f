/**
 * @module
 * A small generated corpus for tests, fixtures and the demo's smoke runs: three topics whose
 * lines mix a few topic words with shared filler words, lengths 1-12 tokens, some lines with
 * two labels. Deterministic for a seed.
 */
import { Rng } from '../core/rng.js';

const TOPICS: Record<string, string[]> = {
  sport: ['match', 'goal', 'team', 'coach', 'score', 'league', 'player'],
  food: ['bread', 'cheese', 'soup', 'recipe', 'oven', 'salt', 'dinner'],
  music: ['guitar', 'song', 'band', 'drum', 'concert', 'album', 'chord'],
};
const FILLER = ['the', 'a', 'of', 'and', 'today', 'we', 'really', 'some', 'new', 'very'];

/** `n` fastText lines (`__label__topic tokens…`); about one in ten has a second label. */
export function topicLines(n: number, seed = 1): string[] {
  const rng = new Rng(seed);
  const names = Object.keys(TOPICS);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = names[rng.int(names.length)]!;
    const len = 1 + rng.int(12);
    const words: string[] = [];
    for (let k = 0; k < len; k++) words.push(rng.next() < 0.45 ? TOPICS[t]![rng.int(7)]! : FILLER[rng.int(FILLER.length)]!);
    let labels = `__label__${t}`;
    if (rng.next() < 0.1) {
      const u = names[(names.indexOf(t) + 1) % names.length]!;
      words.push(TOPICS[u]![rng.int(7)]!);
      labels += ` __label__${u}`;
    }
    out.push(`${labels} ${words.join(' ')}`);
  }
  return out;
}
