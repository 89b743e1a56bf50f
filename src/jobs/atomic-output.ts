/**
 * @module
 * Result files appear whole or not at all: each is written to a temporary name in the same
 * directory and renamed into place (atomic on one filesystem, including NFS), so a worker
 * killed mid-write leaves at most a `.tmp-` file that `sweepTemporaries` removes later.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TMP_PREFIX = '.tmp-';

/** A temporary path beside `path` (same directory, so the rename cannot cross filesystems). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `${TMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/**
 * Runs `write(tmp)` and renames `tmp` to `path`; on failure the temporary file is removed.
 * With several files, call it once per file: each appears atomically.
 */
export async function writeAtomically(path: string, write: (tmp: string) => Promise<void> | void): Promise<void> {
  const tmp = temporaryPathFor(path);
  try {
    await write(tmp);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Removes temporary files older than `olderThanMs` (left by workers that died mid-write); returns how many. */
export function sweepTemporaries(dir: string, olderThanMs = 3_600_000): number {
  let n = 0;
  const now = Date.now();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const p = join(dir, name);
    try {
      if (now - statSync(p).mtimeMs >= olderThanMs) {
        rmSync(p, { force: true });
        n++;
      }
    } catch {
      // removed by another worker meanwhile
    }
  }
  return n;
}
