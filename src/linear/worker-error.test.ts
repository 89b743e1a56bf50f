import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as errors from '../core/errors.js';
import { errorFromWorker, errorToWorkerMessage } from './worker-error.js';

describe('errors from the parse worker', () => {
  it('every LeanmlError class of core/errors comes back as itself, with its message', () => {
    const classes = (Object.values(errors) as unknown[]).filter(
      (v): v is new (m: string) => errors.LeanmlError => typeof v === 'function' && v.prototype instanceof errors.LeanmlError,
    );
    assert.ok(classes.length >= 6);
    for (const C of classes) {
      const back = errorFromWorker(errorToWorkerMessage(new C('data.txt:3: what went wrong')));
      assert.equal(back.constructor, C, C.name);
      assert.equal(back.message, 'data.txt:3: what went wrong');
      assert.equal(errors.exitCodeOf(back), errors.exitCodeOf(new C('x')));
    }
  });
  it('anything else arrives as an Error with its message', () => {
    const back = errorFromWorker(errorToWorkerMessage(new RangeError('out of range')));
    assert.equal(back.constructor, Error);
    assert.equal(back.message, 'out of range');
    assert.equal(errorFromWorker(errorToWorkerMessage('a string')).message, 'a string');
  });
});
