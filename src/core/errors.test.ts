import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusyError, exitCodeOf, FormatError, httpStatusOf, LimitError, NotFoundError, UsageError } from './errors.js';

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
    const e = new FormatError('m.bin: bad magic');
    assert.equal(e.name, 'FormatError');
    assert.equal(e.code, 'format');
  });
});
