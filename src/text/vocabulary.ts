/**
 * @module
 * The vocabulary of a text classifier: which embedding rows a token reads. Row 0 is PAD (stays
 * zero), row 1 is `</s>` (the token of a line without text), then every training token seen at
 * least `minCount` times (most frequent first), then `buckets` hashed rows shared by the other
 * tokens and by character n-grams of `<token>` (minn..maxn), hashed with fastText's FNV-1a.
 * A token's ids: its own row if it has one, plus its n-grams' rows; a token with neither
 * reads the bucket of its own hash, so unseen words still land somewhere learned.
 */
import { FormatError } from '../core/errors.js';
import { fnv1a32 } from '../fasttext/hash.js';
import type { VocabSettings } from './settings.js';

export const PAD_ID = 0;
export const EOS_TOKEN = '</s>';

const utf8 = new TextEncoder();

export class Vocabulary {
  /** Tokens with their own row, in row order from 1 (`</s>` first). */
  readonly words: string[];
  /** Training counts of `words`. */
  readonly counts: Int32Array;
  readonly settings: VocabSettings;
  private readonly index = new Map<string, number>();
  private readonly cache = new Map<string, Int32Array>();

  constructor(words: string[], counts: Int32Array, settings: VocabSettings) {
    if (words[0] !== EOS_TOKEN) throw new FormatError(`vocabulary: the first word must be ${EOS_TOKEN}, got '${words[0]}'`);
    this.words = words;
    this.counts = counts;
    this.settings = { ...settings };
    words.forEach((w, i) => {
      if (this.index.has(w)) throw new FormatError(`vocabulary: '${w}' appears twice (rows ${this.index.get(w)} and ${i + 1})`);
      this.index.set(w, i + 1);
    });
  }

  /** Counts tokens and keeps those seen at least `minCount` times, most frequent first (ties: first seen). */
  static build(lines: Iterable<string[]>, settings: VocabSettings): Vocabulary {
    const counts = new Map<string, number>();
    for (const tokens of lines) for (const t of tokens.slice(0, settings.maxTokens)) counts.set(t, (counts.get(t) ?? 0) + 1);
    counts.delete(EOS_TOKEN);
    const kept = [...counts].filter(([, c]) => c >= settings.minCount);
    kept.sort((a, b) => b[1] - a[1]); // stable: ties keep first-seen order
    const words = [EOS_TOKEN, ...kept.map(([w]) => w)];
    return new Vocabulary(words, Int32Array.from([0, ...kept.map(([, c]) => c)]), settings);
  }

  /** Rows in the embedding table: PAD + words + buckets. */
  get size(): number {
    return 1 + this.words.length + this.settings.buckets;
  }

  /** The row of a token that has one, else -1. */
  wordId(token: string): number {
    return this.index.get(token) ?? -1;
  }

  private bucket(s: string): number {
    return 1 + this.words.length + (fnv1a32(utf8.encode(s)) % this.settings.buckets);
  }

  /** The embedding rows a token reads (never empty). */
  tokenIds(token: string): Int32Array {
    let ids = this.cache.get(token);
    if (ids) return ids;
    const out: number[] = [];
    const own = this.wordId(token);
    if (own >= 0) out.push(own);
    const { minn, maxn } = this.settings;
    if (maxn > 0 && token !== EOS_TOKEN) {
      const chars = Array.from(`<${token}>`);
      for (let i = 0; i < chars.length; i++) {
        for (let n = minn; n <= maxn && i + n <= chars.length; n++) {
          if (n === 1 && (i === 0 || i === chars.length - 1)) continue; // '<' and '>' alone, as fastText
          out.push(this.bucket(chars.slice(i, i + n).join('')));
        }
      }
    }
    if (out.length === 0) out.push(this.bucket(token));
    ids = Int32Array.from(out);
    if (this.cache.size < 1_000_000) this.cache.set(token, ids);
    return ids;
  }

  /** `vocab.txt`: one `word<TAB>count` line per row from 1. */
  serialize(): string {
    return this.words.map((w, i) => `${w}\t${this.counts[i]}\n`).join('');
  }

  static parse(text: string, settings: VocabSettings, name: string): Vocabulary {
    const words: string[] = [];
    const counts: number[] = [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((l, i) => {
      const m = /^(\S+)\t(\d+)$/.exec(l);
      if (!m) throw new FormatError(`${name}:${i + 1}: expected 'word<TAB>count', got '${l.slice(0, 60)}'`);
      words.push(m[1]!);
      counts.push(Number(m[2]));
    });
    if (words.length === 0) throw new FormatError(`${name}: empty vocabulary`);
    return new Vocabulary(words, Int32Array.from(counts), settings);
  }
}
