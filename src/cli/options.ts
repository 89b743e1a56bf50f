/**
 * @module
 * Option parsers shared by the commands: numbers are validated at parse time so that a bad
 * value is a usage error (exit 2) naming the option.
 */
import { InvalidArgumentError } from 'commander';

/** Parser for an integer option within [min, max]. */
export function intArg(min = -Infinity, max = Infinity): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^[-+]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer, got '${v}'`);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got ${n}`);
    return n;
  };
}

/** Parser for a finite number option within [min, max]. */
export function floatArg(min = -Infinity, max = Infinity): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${v}'`);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number in [${min}, ${max}], got ${n}`);
    return n;
  };
}
