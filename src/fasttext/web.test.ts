/**
 * `leanml/fasttext/web` runs where Node does not: a static walk of its import graph finds no Node
 * built-in, no package import and no Node global (`Buffer`, `process`, `require`); and models
 * opened from bytes in memory answer as the same files opened by path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { openFastText } from './open.js';
import { openModelBytes } from './web.js';

const ENTRY = join(import.meta.dirname, 'web.ts');
const M = 'test/fixtures/fasttext/models';

/** Module specifiers a file loads at run time (type-only imports and exports are erased by TypeScript). */
function runtimeImports(code: string): string[] {
  const out: string[] = [];
  const stmt = /(?:^|\n)\s*(import|export)\s+([^;]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(stmt)) {
    const clause = m[2]!.trim();
    if (clause.startsWith('type ')) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause);
    if (
      braces &&
      braces[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .every((s) => s.startsWith('type '))
    )
      continue;
    out.push(m[3]!);
  }
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Code without comments and string contents, for looking up identifiers. */
function codeOnly(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

describe('leanml/fasttext/web', () => {
  test('its import graph has no Node built-in, package or Node global', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      for (const spec of runtimeImports(code)) {
        if (!spec.startsWith('.')) {
          problems.push(`${relative('.', file)} imports '${spec}'`);
          continue;
        }
        walk(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
      const m = /\b(Buffer|process|require|__dirname|__filename|global)\b(?!\s*:)/.exec(codeOnly(code));
      if (m) problems.push(`${relative('.', file)} uses the Node global '${m[1]}'`);
    };
    walk(ENTRY);
    assert.deepEqual(problems, []);
    // the graph is the reader, not a stub: models, stores, range reads and search are on it
    for (const f of [
      'bin-model.ts',
      'read-model.ts',
      'quant-matrix.ts',
      'store-model.ts',
      'remote-store.ts',
      'ivf-search.ts',
      'word-search.ts',
      'predict.ts',
    ]) {
      assert.ok(
        [...seen].some((s) => s.endsWith(`/fasttext/${f}`)),
        `${f} is reached`,
      );
    }
    assert.ok([...seen].some((s) => s.endsWith('/core/http-range-source.ts')));
  });

  test('the walk catches what it must', () => {
    assert.deepEqual(
      runtimeImports(
        "import { readFileSync } from 'node:fs';\nimport type { X } from 'fs';\nimport { type A, type B } from 'path';\nexport { y } from './y.js';",
      ),
      ['node:fs', './y.js'],
    );
    assert.match(codeOnly("const b = Buffer.from('x'); // process"), /Buffer/);
    assert.doesNotMatch(codeOnly("// Buffer is Node only\nconst s = 'process';"), /Buffer|process/);
  });

  test('models from bytes answer as the files they came from', () => {
    for (const f of ['q-norm.ftz', 'sup-softmax.bin', 'skipgram.bin']) {
      const path = `${M}/${f}`;
      const local = openFastText(path);
      const mem = openModelBytes(new Uint8Array(readFileSync(path)).buffer, f);
      if (local.isSupervised) {
        for (const line of ['the file is read and written', 'die datei wird gelesen', 'le fichier'])
          assert.deepEqual(mem.predict(line, 3), local.predict(line, 3), `${f}: ${line}`);
      } else {
        assert.deepEqual(mem.wordVector('xyzzyq'), local.wordVector('xyzzyq'));
        assert.deepEqual(mem.nearestNeighbors('license', 5), local.nearestNeighbors('license', 5));
      }
      local.close();
    }
    // a byte array that starts at an odd offset inside its buffer
    const bytes = readFileSync(`${M}/q-norm.ftz`);
    const odd = new Uint8Array(bytes.length + 3);
    odd.set(bytes, 3);
    assert.deepEqual(openModelBytes(odd.subarray(3), 'odd').predict('le fichier', 2), openFastText(`${M}/q-norm.ftz`).predict('le fichier', 2));
  });
});
