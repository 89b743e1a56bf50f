import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { murmur3, murmur3String } from './murmur-hash.js';

// test/fixtures/linear/murmur3.json: scikit-learn murmurhash3_32 (see test/fixtures/gen/linear)
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/linear/murmur3.json', import.meta.url), 'utf8')) as {
  hashes: { text: string; seed: number; hash: number }[];
};

describe('murmur3', () => {
  it('matches scikit-learn murmurhash3_32 on UTF-8 bytes', () => {
    assert.ok(fixture.hashes.length >= 10);
    for (const { text, seed, hash } of fixture.hashes) assert.equal(murmur3String(text, seed), hash, `'${text}' seed ${seed}`);
  });

  it('hashes a byte range in place, independent of what surrounds it', () => {
    const b = Buffer.from('xxhelloyy');
    assert.equal(murmur3(b, 2, 7, 0), murmur3String('hello'));
  });
});
