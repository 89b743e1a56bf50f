/**
 * Bad input for the model reader: wrong magic or version, every truncation of a real model,
 * sizes that do not add up, absurd dimensions, and random header bytes (fast-check): each is
 * refused with a `FormatError` naming the file, never a crash or a huge allocation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { FormatError } from '../core/errors.js';
import { openFastText } from './open.js';
import { openBin } from './open.js';
import { convertToStore } from './convert.js';

const tmp = mkdtempSync(join(tmpdir(), 'leanml-ft-bad-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const good = readFileSync('test/fixtures/fasttext/models/nosub.bin');
const ftz = readFileSync('test/fixtures/fasttext/models/q-norm.ftz');
let n = 0;
function withBytes(bytes: Uint8Array, fn: (path: string) => void): void {
  const p = join(tmp, `m${n++}.bin`);
  writeFileSync(p, bytes);
  try {
    fn(p);
  } finally {
    rmSync(p, { force: true });
  }
}
function refuses(bytes: Uint8Array, pattern: RegExp): void {
  withBytes(bytes, (p) => {
    assert.throws(
      () => openFastText(p).close(),
      (e: unknown) => e instanceof FormatError && pattern.test(e.message) && e.message.includes(p),
    );
  });
}
function patched(src: Uint8Array, at: number, write: (dv: DataView) => void): Uint8Array {
  const b = new Uint8Array(src);
  write(new DataView(b.buffer, at));
  return b;
}

describe('model reader refuses bad input', () => {
  test('wrong magic, unknown versions', () => {
    refuses(
      patched(good, 0, (d) => d.setInt32(0, 12345, true)),
      /not a fastText model: magic 12345/,
    );
    refuses(
      patched(good, 4, (d) => d.setInt32(0, 13, true)),
      /unsupported fastText format version 13/,
    );
    refuses(
      patched(good, 4, (d) => d.setInt32(0, 10, true)),
      /version 10/,
    );
    refuses(new Uint8Array(3), /too short/);
  });

  test('absurd header values are refused before allocating', () => {
    refuses(
      patched(good, 8, (d) => d.setInt32(0, 1 << 30, true)),
      /dim 1073741824/,
    ); // dim
    refuses(
      patched(good, 8 + 24, (d) => d.setInt32(0, 9, true)),
      /unknown loss 9/,
    );
    refuses(
      patched(good, 8 + 28, (d) => d.setInt32(0, 0, true)),
      /unknown model 0/,
    );
    const dictAt = 8 + 56;
    refuses(
      patched(good, dictAt, (d) => d.setInt32(0, 2_000_000_000, true)),
      /size 2000000000/,
    );
    refuses(
      patched(good, dictAt, (d) => {
        d.setInt32(0, 500_000_000, true);
        d.setInt32(4, 500_000_000, true);
        d.setInt32(8, 0, true);
      }),
      /claims 500000000 entries/,
    );
  });

  test('sizes that do not add up', () => {
    const m = openBin('test/fixtures/fasttext/models/nosub.bin');
    m.close();
    // bucket changed: input rows no longer equal nwords + bucket
    refuses(
      patched(good, 8 + 32, (d) => d.setInt32(0, 7, true)),
      /rows but nwords/,
    );
    // trailing garbage after the output matrix
    refuses(new Uint8Array([...good, 1, 2, 3]), /3 unexpected bytes after the output matrix/);
  });

  test('every truncation of a .bin and a .ftz is refused', () => {
    for (const src of [good, ftz]) {
      const cuts = new Set<number>();
      for (let i = 0; i < 400; i++) cuts.add(i);
      for (let i = 1; i <= 40; i++) cuts.add(Math.floor((src.length * i) / 41));
      cuts.add(src.length - 1);
      for (const cut of cuts) {
        withBytes(src.subarray(0, cut), (p) => {
          assert.throws(() => openFastText(p).close(), FormatError, `cut at ${cut}`);
        });
      }
    }
  });

  test('fuzz: random bytes over the header and dictionary never crash the reader', () => {
    const p = join(tmp, 'fuzz.bin');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (at, junk) => {
        const b = new Uint8Array(good);
        b.set(junk.subarray(0, Math.max(0, b.length - at)), at);
        writeFileSync(p, b);
        try {
          openFastText(p).close();
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('store reader refuses bad input', () => {
  test('bad magic, version, truncation, tampered header', () => {
    const model = openBin('test/fixtures/fasttext/models/cbow.bin');
    const store = join(tmp, 'cbow.store');
    convertToStore(model, store, { dtype: 'int8' });
    model.close();
    const s = readFileSync(store);
    const reopened = openFastText(store);
    assert.equal(reopened.format, 'store');
    reopened.close();
    refuses(
      patched(s, 8, (d) => d.setUint32(0, 9, true)),
      /unsupported vector store version 9/,
    );
    refuses(
      patched(s, 12, (d) => d.setUint32(0, 1 << 30, true)),
      /header length/,
    );
    refuses(s.subarray(0, s.length - 100), /truncated/);
    const json = s.subarray(16, 16 + new DataView(s.buffer, s.byteOffset).getUint32(12, true)).toString();
    const tampered = Buffer.from(json.replace(/"nwords":(\d+)/, (_, v) => `"nwords":${Number(v) + 1}`.padEnd(`"nwords":${v}`.length)));
    const t = new Uint8Array(s);
    t.set(tampered.subarray(0, json.length), 16);
    refuses(t, /section|expected/);
  });
});
