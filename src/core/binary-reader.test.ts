import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BinaryFile } from './binary-reader.js';
import { FormatError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'leanml-br-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('BinaryFile', () => {
  it('reads values past 4 GiB in a sparse file with positioned reads', () => {
    const path = join(dir, 'big.bin');
    const fd = openSync(path, 'w');
    const at = 5 * 1024 ** 3 + 3; // past 2^32, unaligned
    const buf = Buffer.alloc(16);
    buf.writeInt32LE(-123456, 0);
    buf.writeFloatLE(1.5, 4);
    buf.writeBigInt64LE(6_000_000_000n, 8);
    writeSync(fd, buf, 0, 16, at);
    closeSync(fd);
    const f = BinaryFile.open(path);
    try {
      assert.equal(f.size, at + 16);
      const c = f.cursor(at);
      assert.equal(c.i32(), -123456);
      assert.equal(c.f32(), 1.5);
      assert.equal(c.i64(), 6_000_000_000);
      assert.equal(c.offset, at + 16);
      assert.deepEqual([...f.read(at + 4, 4)], [...buf.subarray(4, 8)]);
      assert.throws(
        () => c.u8(),
        (e: unknown) => e instanceof FormatError && /big\.bin: truncated.*5368709139/.test(e.message),
      );
      // one read larger than 2 GiB (a single readSync call cannot take it), ending on the values
      const len = 2 ** 31 + 2 ** 20;
      const whole = f.read(at + 16 - len, len);
      assert.equal(whole.byteLength, len);
      assert.deepEqual([...whole.subarray(len - 16)], [...buf]);
      assert.equal(whole[0], 0);
    } finally {
      f.close();
    }
  });

  it('refuses reads past the end before allocating, naming file and offset', () => {
    const path = join(dir, 'small.bin');
    writeFileSync(path, Buffer.from([1, 2, 3, 4, 5]));
    const f = BinaryFile.open(path);
    try {
      assert.throws(() => f.read(2, 2 ** 40), /small\.bin: truncated: data needs bytes 2\.\.1099511627778 but the file has 5 bytes/);
      assert.throws(() => f.cursor(3).i32('nwords'), /small\.bin: truncated: nwords needs bytes 3\.\.7/);
      assert.throws(() => f.cursor(0).bytes(6, 'word'), /truncated: word/);
      assert.throws(() => f.read(-1, 1), /invalid data range/);
    } finally {
      f.close();
    }
  });

  it('reads NUL-terminated strings across window boundaries and bounds their length', () => {
    const path = join(dir, 'strings.bin');
    const long = Buffer.alloc(70_000, 0x61);
    writeFileSync(path, Buffer.concat([Buffer.from('héllo\0'), long, Buffer.from([0]), Buffer.from('tail')]));
    const f = BinaryFile.open(path);
    try {
      const c = f.cursor(0);
      assert.equal(Buffer.from(c.until(0, 100)).toString('utf8'), 'héllo');
      assert.equal(c.until(0, 100_000).length, 70_000);
      assert.throws(() => c.until(0, 100), /has no terminator/);
      assert.throws(() => f.cursor(7).until(0, 1000, 'word'), /word at byte 7 is longer than 1000 bytes/);
    } finally {
      f.close();
    }
  });

  it('refuses 64-bit values outside the safe integer range', () => {
    const path = join(dir, 'i64.bin');
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(2n ** 60n);
    writeFileSync(path, b);
    const f = BinaryFile.open(path);
    try {
      assert.throws(() => f.cursor(0).i64('ntokens'), /ntokens at byte 0 is out of range/);
    } finally {
      f.close();
    }
  });
});
