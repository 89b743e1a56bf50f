import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FormatError } from '../core/errors.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from './safetensors.js';

function withHeader(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips every writable dtype with metadata through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leanml-st-'));
    try {
      const path = join(dir, 'a.safetensors');
      const sd = {
        'w.weight': { data: Float32Array.from([1.5, -2, 3, 4, 5, 6]), shape: [2, 3] },
        b: { data: Float64Array.from([Math.PI]), shape: [1] },
        ids: { data: Int32Array.from([7, -8]), shape: [2] },
        mask: { data: Uint8Array.from([1, 0, 1]), shape: [3] },
        scalar: { data: Float32Array.from([2]), shape: [] },
      };
      saveSafetensors(path, sd, { format: 'pt' });
      const back = loadSafetensors(path);
      assert.deepEqual(Object.keys(back).sort(), Object.keys(sd).sort());
      for (const [k, v] of Object.entries(sd)) {
        assert.deepEqual(back[k]!.shape, v.shape, k);
        assert.equal(back[k]!.data.constructor, v.data.constructor, k);
        assert.deepEqual(Array.from(back[k]!.data), Array.from(v.data), k);
      }
      const enc = encodeSafetensors(sd);
      assert.equal((8 + Number(new DataView(enc.buffer).getBigUint64(0, true))) % 8, 0, 'data section is 8-byte aligned');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('widens F16 and BF16 and narrows I64', () => {
    const data = new Uint8Array(2 * 2 + 2 * 2 + 8 * 2);
    const dv = new DataView(data.buffer);
    dv.setUint16(0, 0x3c00, true); // 1.0 in f16
    dv.setUint16(2, 0xc000, true); // -2.0 in f16
    dv.setUint16(4, 0x3fc0, true); // 1.5 in bf16
    dv.setUint16(6, 0x4040, true); // 3.0 in bf16
    dv.setBigInt64(8, -5n, true);
    dv.setBigInt64(16, 123456n, true);
    const { tensors } = decodeSafetensors(
      withHeader(
        {
          h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
          b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
          i: { dtype: 'I64', shape: [2], data_offsets: [8, 24] },
        },
        data,
      ),
    );
    assert.deepEqual(Array.from(tensors['h']!.data), [1, -2]);
    assert.deepEqual(Array.from(tensors['b']!.data), [1.5, 3]);
    assert.deepEqual(Array.from(tensors['i']!.data), [-5, 123456]);
  });

  it('rejects bad files with the reason and the place', () => {
    assert.throws(() => decodeSafetensors(new Uint8Array(3), 'x.st'), /x.st: not a safetensors file/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    assert.throws(() => decodeSafetensors(huge, 'x.st'), /header length .* exceeds/);
    assert.throws(
      () => decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)), 'x.st'),
      /'a' data_offsets \[0,8\] fall outside/,
    );
    assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))), /needs 12 bytes/);
    assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))), /unsupported dtype C64/);
    assert.throws(() => decodeSafetensors(withHeader([1, 2])), /must be a JSON object/);
  });

  it('never throws anything but FormatError on arbitrary bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, valid) => {
        const buf = valid ? withHeader({ t: { dtype: 'F32', shape: [bytes.length >> 2], data_offsets: [0, (bytes.length >> 2) * 4] } }, bytes) : bytes;
        try {
          decodeSafetensors(buf);
        } catch (err) {
          if (!(err instanceof FormatError)) throw err;
        }
      }),
      { numRuns: 500 },
    );
  });
});
