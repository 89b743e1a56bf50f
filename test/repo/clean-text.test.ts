// The repository is what users and contributors read: no paths of a development machine and no
// notes about how the work was organised in any tracked text file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const SELF = 'test/repo/clean-text.test.ts';
/** What must not appear, and why. */
const FORBIDDEN: [RegExp, string][] = [
  [/\/work\//, 'a path of a development machine'],
  [/\bsessions? \d/i, 'a note about how the work was organised'],
  [/\bengineers?\b/i, 'a note about how the work was organised'],
  [/\bthe lead\b/i, 'a note about how the work was organised'],
  [/\bthe issue\b/i, 'a note about how the work was organised'],
  [/(?<!fastText )\bissue #\d/i, 'a reference to a tracker entry of this project'],
];

function trackedFiles(): string[] | undefined {
  const r = spawnSync('git', ['ls-files', '-z'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return r.stdout.split('\0').filter((f) => f !== '' && f !== SELF && f !== 'package-lock.json');
}

const files = trackedFiles();

describe('tracked files', { skip: files === undefined ? 'not a git checkout (git ls-files failed)' : undefined }, () => {
  it('hold no machine paths and no notes about how the work was organised', () => {
    const found: string[] = [];
    for (const f of files!) {
      let text: string;
      try {
        const bytes = readFileSync(f);
        if (bytes.includes(0)) continue; // binary
        text = bytes.toString('utf8');
      } catch {
        continue; // deleted in the work tree
      }
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        for (const [re, why] of FORBIDDEN) if (re.test(line)) found.push(`${f}:${i + 1}: ${why}: ${line.trim().slice(0, 120)}`);
      });
    }
    assert.deepEqual(found, []);
  });
});
