import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeNpy, encodeNpy } from './npy.js';
import { FormatError } from './errors.js';

/** A .npy v1.0 buffer with the given header dict text, padded as numpy pads it. */
function npyWithHeader(dict: string, data: Float32Array | Float64Array): Buffer {
  const len = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, len & 0xff, len >> 8]);
  return Buffer.concat([pre, Buffer.from(`${dict.padEnd(len - 1)}\n`, 'latin1'), Buffer.from(data.buffer)]);
}

describe('npy', () => {
  it('round-trips float32, float64 and int32 arrays with their shapes', () => {
    for (const data of [Float32Array.of(1, -2.5, 3e-8, 4, 5, 6), Float64Array.of(1, 2, 3, 4, 5, Math.PI), Int32Array.of(-1, 0, 1, 2, 3, 2 ** 31 - 1)]) {
      const back = decodeNpy(encodeNpy(data, [2, 3]));
      assert.deepEqual(back.shape, [2, 3]);
      assert.equal(back.data.constructor, data.constructor);
      assert.deepEqual([...back.data], [...data]);
    }
    assert.deepEqual(decodeNpy(encodeNpy(new Float32Array(0), [0])).shape, [0]);
    assert.deepEqual(decodeNpy(encodeNpy(Float32Array.of(7), [])).shape, []);
  });

  it('writes the header numpy writes (format 1.0, padded to 64 bytes)', () => {
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);
    const header = Buffer.from(bytes.subarray(10, 128)).toString('latin1');
    assert.equal(header, `${"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".padEnd(117)}\n`);
    assert.equal(new DataView(bytes.buffer).getUint16(8, true), 118);
    assert.equal(bytes.length, 128 + 24);
  });

  it('decodes a file written by numpy 1.x (1-D shape, header from np.save)', () => {
    const a = decodeNpy(npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", Float64Array.of(1, 2, 3)));
    assert.deepEqual(a.shape, [3]);
    assert.deepEqual([...a.data], [1, 2, 3]);
  });

  it('refuses bad magic, unsupported dtypes, Fortran order and truncated data', () => {
    assert.throws(() => decodeNpy(Buffer.from('not numpy at all'), 'x.npy'), /x\.npy: not a \.npy file/);
    const four = new Float32Array(4);
    assert.throws(() => decodeNpy(npyWithHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", four)), /unsupported dtype '<c8'/);
    assert.throws(() => decodeNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", four)), /Fortran-order/);
    assert.throws(() => decodeNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -2), }", four)), /bad shape/);
    assert.throws(() => decodeNpy(encodeNpy(four, [4]).subarray(0, 70), 'cut.npy'), /cut\.npy: truncated \.npy header/);
    assert.throws(() => decodeNpy(encodeNpy(four, [4]).subarray(0, 140), 'cut.npy'), /cut\.npy: truncated \.npy data/);
  });

  it('never throws anything but a FormatError on arbitrary bytes (fuzz)', () => {
    const valid = encodeNpy(Float32Array.of(1, 2, 3), [3]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(valid.length), (noise, at) => {
        const buf = new Uint8Array(valid);
        buf.set(noise.subarray(0, valid.length - at), at);
        try {
          decodeNpy(buf);
        } catch (e) {
          assert.ok(e instanceof FormatError, String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});
