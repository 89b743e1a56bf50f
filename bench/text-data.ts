/**
 * The language-identification set of `text-eval`: the translations in the gettext catalogues
 * Debian installs under /usr/share/locale, printed with `msgunfmt` (Debian `gettext`). Each
 * translated string is cleaned (format directives, markup, accelerators and escapes dropped),
 * lower-cased and split into letter runs; strings of 4+ words are kept, a string found under
 * two languages is dropped, and each language keeps at most `--per-language` strings (a seeded
 * sample). The `--languages` languages with most strings (at least `--min` each) are written
 * as fastText lines `__label__LANG words…`.
 * Usage: node --import tsx bench/text-data.ts [--out bench/data/text/langid.txt]
 *          [--languages 40] [--per-language 500] [--min 200]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng } from '../src/core/rng.js';

const LOCALE = '/usr/share/locale';

function arg(args: string[], name: string, dflt: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
}

/** The msgstr texts of a PO dump (plural forms included), header skipped. */
export function poTranslations(po: string): string[] {
  const out: string[] = [];
  let cur: string[] | null = null;
  const unq = (s: string): string => s.slice(1, -1).replace(/\\(["\\ntr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '' : c));
  const flush = (): void => {
    if (cur) {
      const s = cur.join('');
      if (s.length > 0) out.push(s);
    }
    cur = null;
  };
  for (const line of po.split('\n')) {
    const m = /^msgstr(?:\[\d+\])?\s+(".*")\s*$/.exec(line);
    if (m) {
      flush();
      cur = [unq(m[1]!)];
    } else if (cur && /^".*"\s*$/.test(line)) cur.push(unq(line.trim()));
    else flush();
  }
  flush();
  return out.filter((s) => !s.includes('Content-Type:'));
}

/** Cleaned lower-case words of a translated string. */
export function cleanWords(s: string): string[] {
  const t = s
    .replace(/%(\d+\$)?[-+ #0']*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|L|z|j|t)?[a-zA-Z%]/g, ' ')
    .replace(/<[^>]*>|\{[^}]*\}|\$\{[^}]*\}|&[a-z]+;/g, ' ')
    .replace(/[_&~](?=\p{L})/gu, '');
  return (t.toLowerCase().match(/[\p{L}\p{M}]+/gu) ?? []).filter((w) => w.length <= 30);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = arg(args, '--out', 'bench/data/text/langid.txt');
  const nLang = Number(arg(args, '--languages', '40'));
  const perLang = Number(arg(args, '--per-language', '500'));
  const min = Number(arg(args, '--min', '200'));
  const byLang = new Map<string, Set<string>>();
  for (const lang of readdirSync(LOCALE)) {
    if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(lang) || lang.startsWith('en')) continue; // no English variants, no @script variants
    const dir = join(LOCALE, lang, 'LC_MESSAGES');
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.mo'));
    } catch {
      continue;
    }
    const set = new Set<string>();
    for (const f of files) {
      const r = spawnSync('msgunfmt', [join(dir, f)], { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) continue;
      for (const s of poTranslations(r.stdout)) {
        const w = cleanWords(s);
        if (w.length >= 4) set.add(w.join(' '));
      }
    }
    byLang.set(lang, set);
  }
  // a string under two languages (untranslated or shared) says nothing about either
  const seen = new Map<string, number>();
  for (const set of byLang.values()) for (const s of set) seen.set(s, (seen.get(s) ?? 0) + 1);
  const ranked = [...byLang]
    .map(([l, set]) => [l, [...set].filter((s) => seen.get(s) === 1).sort()] as const)
    .filter(([, s]) => s.length >= min)
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, nLang);
  const rng = new Rng(7);
  const lines: string[] = [];
  for (const [lang, strings] of ranked) {
    const idx = Int32Array.from(strings.keys());
    rng.shuffle(idx);
    for (const i of idx.subarray(0, perLang)) lines.push(`__label__${lang} ${strings[i]!}`);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${lines.join('\n')}\n`);
  process.stderr.write(
    `${out}: ${lines.length} lines, ${ranked.length} languages: ${ranked.map(([l, s]) => `${l} ${Math.min(s.length, perLang)}`).join(', ')}\n`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
