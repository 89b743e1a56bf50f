/**
 * The multilingual text set of the `fasttext-predict` benchmark: translated messages from the
 * gettext catalogues installed under /usr/share/locale (`msgunfmt` from Debian's `gettext`
 * prints them), `perLang` lines in each of the `langs` languages with the most catalogues.
 * Deterministic for a given set of installed catalogues: files and messages are visited in
 * sorted order and picked by a hash, so the same machine always builds the same set.
 *   node --import tsx bench/fasttext-predict-data.ts [--out FILE] [--langs 40] [--per-lang 120]
 * On a machine with few catalogues, packages that ship many translations help, e.g.
 * `apt-get install coreutils tar grep sed gettext bash findutils diffutils`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOCALE_DIR = '/usr/share/locale';

/** Size and filters of the text set. */
export interface TextSetOptions {
  langs: number;
  perLang: number;
  minChars: number;
  maxChars: number;
}

/** Default size: 40 languages x 120 lines = 4,800 lines. */
export const DEFAULT_TEXT_SET: Readonly<TextSetOptions> = Object.freeze({ langs: 40, perLang: 120, minChars: 24, maxChars: 400 });

function catalogues(): Map<string, string[]> {
  const byLang = new Map<string, string[]>();
  if (!existsSync(LOCALE_DIR)) return byLang;
  for (const lang of readdirSync(LOCALE_DIR).sort()) {
    // one language per written language: skip English variants and script/region duplicates
    if (lang.startsWith('en') || lang.includes('@')) continue;
    const dir = join(LOCALE_DIR, lang, 'LC_MESSAGES');
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.mo'))
      .sort()
      .map((f) => join(dir, f));
    if (files.length > 0) byLang.set(lang, files);
  }
  return byLang;
}

/** Unescapes a C string literal body as msgunfmt writes it. */
function unescapeC(s: string): string {
  return s.replace(/\\(["\\nt]|x[0-9a-fA-F]{2}|[0-7]{1,3})/g, (_, e: string) => {
    if (e === 'n' || e === 't') return ' ';
    if (e === '"' || e === '\\') return e;
    return ' ';
  });
}

/** The translated strings (msgstr, plural forms included) of one .mo file. */
export function translations(mo: string): string[] {
  const r = spawnSync('msgunfmt', ['--no-wrap', mo], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return [];
  const out: string[] = [];
  let cur: string | null = null;
  const flush = () => {
    if (cur !== null && cur.length > 0) out.push(cur);
    cur = null;
  };
  for (const line of r.stdout.split('\n')) {
    const m = /^msgstr(?:\[\d+\])? "(.*)"$/.exec(line);
    if (m) {
      flush();
      cur = unescapeC(m[1]!);
    } else if (cur !== null && line.startsWith('"') && line.endsWith('"')) {
      cur += unescapeC(line.slice(1, -1));
    } else flush();
  }
  flush();
  return out;
}

/** Whether a message reads like a sentence rather than a format string, an option list or a header. */
function sentenceLike(s: string): boolean {
  if (s.includes('Content-Type:') || s.includes('Project-Id-Version')) return false;
  if (/--?[a-z]|%[-0-9.]*[a-z]|[{}<>=|_/\\]|https?:/.test(s)) return false;
  const letters = s.replace(/[\s\d\p{P}\p{S}]/gu, '').length;
  return letters >= s.length * 0.6;
}

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Builds the set: `perLang` distinct sentence-like messages for each of the `langs` best-covered languages. */
export function buildTextSet(opts: Partial<TextSetOptions> = {}): { lines: string[]; langs: string[] } {
  const o = { ...DEFAULT_TEXT_SET, ...opts };
  const cats = [...catalogues()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const lines: string[] = [];
  const langs: string[] = [];
  const seen = new Set<string>();
  for (const [lang, files] of cats) {
    if (langs.length === o.langs) break;
    const pool: string[] = [];
    for (const f of files) {
      for (const t of translations(f)) {
        const s = t.replace(/\s+/g, ' ').trim();
        if (s.length < o.minChars || s.length > o.maxChars || seen.has(s) || !sentenceLike(s)) continue;
        seen.add(s);
        pool.push(s);
      }
    }
    if (pool.length < o.perLang) continue;
    pool.sort((a, b) => hash32(a) - hash32(b) || (a < b ? -1 : 1));
    lines.push(...pool.slice(0, o.perLang));
    langs.push(lang);
  }
  return { lines, langs };
}

/** Writes the set to `out` (temp + rename) unless it exists; returns the path. */
export function textSetFile(out: string, opts: Partial<TextSetOptions> = {}): string {
  if (existsSync(out)) return out;
  const { lines, langs } = buildTextSet(opts);
  const want = (opts.langs ?? DEFAULT_TEXT_SET.langs) * (opts.perLang ?? DEFAULT_TEXT_SET.perLang);
  if (lines.length < want) {
    throw new Error(
      `fasttext-predict: only ${langs.length} languages under ${LOCALE_DIR} have enough translated messages (${lines.length} of ${want} lines); install packages that ship translations (see bench/fasttext-predict-data.ts)`,
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, `${lines.join('\n')}\n`);
  renameSync(`${out}.tmp`, out);
  process.stderr.write(`fasttext-predict: wrote ${lines.length} lines in ${langs.length} languages to ${out}\n`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (n: string) => {
    const i = args.indexOf(`--${n}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = opt('out') ?? join(import.meta.dirname, 'data', 'fasttext-predict', 'lines.txt');
  textSetFile(out, { langs: Number(opt('langs') ?? DEFAULT_TEXT_SET.langs), perLang: Number(opt('per-lang') ?? DEFAULT_TEXT_SET.perLang) });
}
