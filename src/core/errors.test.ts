import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusyError, exitCodeOf, FormatError, httpStatusOf, LimitError, NotFoundError, TrainingError, UsageError } from './errors.js';

describe('errors', () => {
  it('map to exit codes and HTTP statuses in one place', () => {
    assert.equal(exitCodeOf(new UsageError('x')), 2);
    assert.equal(exitCodeOf(new FormatError('x')), 1);
    assert.equal(exitCodeOf(new Error('x')), 1);
    assert.equal(httpStatusOf(new UsageError('x')), 400);
    assert.equal(httpStatusOf(new NotFoundError('x')), 404);
    assert.equal(httpStatusOf(new LimitError('x')), 413);
    assert.equal(httpStatusOf(new BusyError('x')), 503);
    assert.equal(httpStatusOf(new TypeError('x')), 500);
    // a diverged training is not the caller's fault: exit 1, HTTP 500
    assert.equal(exitCodeOf(new TrainingError('x')), 1);
    assert.equal(httpStatusOf(new TrainingError('x')), 500);
    assert.equal(new TrainingError('x').code, 'training');
    const e = new FormatError('m.bin: bad magic');
    assert.equal(e.name, 'FormatError');
    assert.equal(e.code, 'format');
  });
});
