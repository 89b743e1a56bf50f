import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameMel, type Mel } from './index.js';

/** A (2, T) spectrogram whose value encodes (mel, frame) so windows can be checked exactly. */
function ramp(T: number): Mel {
  const data = new Float32Array(2 * T);
  for (let m = 0; m < 2; m++) for (let t = 0; t < T; t++) data[m * T + t] = 1000 * m + t + 1;
  return { data, nMels: 2, nFrames: T };
}

describe('frameMel', () => {
  it('cuts 2 s windows (44 frames) every 22 frames by default, padding the tail with the minimum', () => {
    const f = frameMel(ramp(100));
    // full windows at 0, 22, 44 (ends at 88); one more at 66 covers frames 88..99, padded.
    assert.deepEqual([...f.starts], [0, 22, 44, 66]);
    assert.equal(f.data.length, 4 * 2 * 44);
    assert.equal(f.data[(1 * 2 + 1) * 44 + 0], 1000 + 22 + 1); // window 1, mel 1, frame 0
    const last = f.data.subarray((3 * 2 + 0) * 44, (3 * 2 + 1) * 44);
    assert.equal(last[33], 100); // frame 99
    assert.deepEqual([...last.subarray(34)], new Array(10).fill(1)); // padded with the minimum, 1
  });

  it('supports edge and drop padding, custom length and hop, and short inputs', () => {
    const e = frameMel(ramp(50), { frameLength: 20, hop: 20, pad: 'edge' });
    assert.deepEqual([...e.starts], [0, 20, 40]);
    assert.deepEqual([...e.data.subarray((2 * 2 + 1) * 20 + 9, (2 * 2 + 1) * 20 + 20)], new Array(11).fill(1050)); // frame 49 repeated
    assert.deepEqual([...frameMel(ramp(50), { frameLength: 20, hop: 20, pad: 'drop' }).starts], [0, 20]);
    assert.equal(frameMel(ramp(10), { pad: 'drop' }).nWindows, 0);
    const short = frameMel(ramp(10), { padValue: -80 });
    assert.equal(short.nWindows, 1);
    assert.equal(short.data[43], -80);
    assert.equal(frameMel(ramp(0)).nWindows, 0);
    assert.deepEqual([...frameMel(ramp(88)).starts], [0, 22, 44]); // exact fit: no extra window
  });

  it('rejects bad options', () => {
    assert.throws(() => frameMel(ramp(5), { hop: 0 }), /hop must be a positive integer/);
    assert.throws(() => frameMel({ data: new Float32Array(3), nMels: 2, nFrames: 2 }), /expected nMels \* nFrames = 4/);
  });
});
