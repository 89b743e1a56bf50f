import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormatError } from '../core/errors.js';
import { formatDetection, parseRttm, toAudacity, toCsv, toJson, toRttm } from './formats.js';

const d = {
  duration: 600.0004,
  threshold: 0.71234,
  segments: [
    { start: 1.2344, end: 3.5, score: 0.81119 },
    { start: 10, end: 12.25, score: 0.9 },
  ],
};

describe('detection formats', () => {
  it('JSON has duration, threshold and segments rounded to 1 ms', () => {
    assert.equal(toJson(d), '{"duration":600,"threshold":0.712,"segments":[{"start":1.234,"end":3.5,"score":0.811},{"start":10,"end":12.25,"score":0.9}]}\n');
  });
  it('RTTM lines are as pyannote writes them, and read back', () => {
    const text = toRttm(d, 'my show');
    assert.equal(text, 'SPEAKER my_show 1 1.234 2.266 <NA> <NA> target <NA> <NA>\nSPEAKER my_show 1 10.000 2.250 <NA> <NA> target <NA> <NA>\n');
    const back = parseRttm(text);
    assert.equal(back.length, 2);
    assert.equal(back[1]!.uri, 'my_show');
    assert.ok(Math.abs(back[1]!.end - 12.25) < 1e-9);
  });
  it('CSV has a header and one row per segment', () => {
    assert.equal(toCsv(d), 'start,end,score\n1.234,3.500,0.811\n10.000,12.250,0.900\n');
    assert.equal(formatDetection({ ...d, segments: [] }, 'csv'), 'start,end,score\n');
  });
  it('Audacity labels are start, end and label separated by tabs, in seconds', () => {
    assert.equal(toAudacity(d), '1.234400\t3.500000\ttarget 0.811\n10.000000\t12.250000\ttarget 0.900\n');
    assert.equal(formatDetection(d, 'audacity'), toAudacity(d));
    assert.equal(formatDetection({ ...d, segments: [] }, 'audacity'), '');
  });
  it('bad RTTM names the line', () => {
    assert.throws(
      () => parseRttm('SPEAKER a 1 0.0 1.0 <NA> <NA> x <NA> <NA>\nSPEAKER a 1 zz 1.0 <NA> <NA> x\n', 'truth.rttm'),
      (e: Error) => e instanceof FormatError && /truth\.rttm:2/.test(e.message),
    );
    assert.throws(() => parseRttm('SPEAKER a 1 0.0\n'), FormatError);
  });
});
