import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { detectFormat } from './detect-format.js';
import { parseFastText } from './parse-fasttext.js';
import { parseLibsvm } from './parse-libsvm.js';
import { parseNumber } from './parse-number.js';
import { parseVw } from './parse-vw.js';
import { ParsedLine } from './parsed-line.js';

const PREFIX = Buffer.from('__label__');

/** The parsed line as plain data: label, weight, and [namespace, feature, value] triples. */
function view(line: ParsedLine): { label: string | null; weight: number; features: [string, string, number][] } {
  const features: [string, string, number][] = [];
  for (let s = 0; s < line.nsCount; s++) {
    const ns = line.buf.toString('utf8', line.nsStart[s]!, line.nsEnd[s]!);
    for (let f = line.nsFirst[s]!; f < line.nsLast[s]!; f++) features.push([ns, line.buf.toString('utf8', line.tokStart[f]!, line.tokEnd[f]!), line.value[f]!]);
  }
  return { label: line.label(), weight: line.weight, features };
}

function parse(fn: (b: Buffer, s: number, e: number, out: ParsedLine) => string | null, text: string): ReturnType<typeof view> | string {
  const line = new ParsedLine();
  const b = Buffer.from(text);
  const err = fn(b, 0, b.length, line);
  return err ?? view(line);
}

const ft = (b: Buffer, s: number, e: number, out: ParsedLine) => parseFastText(b, s, e, out, PREFIX);

describe('fastText lines', () => {
  it('reads the label anywhere and tokens split on any whitespace', () => {
    assert.deepEqual(parse(ft, 'free  money\t__label__spam now\r'), {
      label: 'spam',
      weight: 1,
      features: [
        ['', 'free', 1],
        ['', 'money', 1],
        ['', 'now', 1],
      ],
    });
  });
  it('a line without a label parses (prediction input); an empty label is an error', () => {
    assert.deepEqual(parse(ft, 'just words'), {
      label: null,
      weight: 1,
      features: [
        ['', 'just', 1],
        ['', 'words', 1],
      ],
    });
    assert.match(parse(ft, '__label__ words') as string, /empty label/);
  });
});

describe('Vowpal Wabbit lines', () => {
  it('reads label, importance, tag, namespaces with weights, feature values', () => {
    assert.deepEqual(parse(parseVw, "-1 2.5 'id7 |user age:0.5 tall |ad:2 x y:-1 | plain"), {
      label: '-1',
      weight: 2.5,
      features: [
        ['user', 'age', 0.5],
        ['user', 'tall', 1],
        ['ad', 'x', 2 * 0 + 1],
        ['ad', 'y', -1],
        ['', 'plain', 1],
      ],
    });
  });
  it('a missing bar, a bad value or a negative importance is named', () => {
    assert.match(parse(parseVw, '1 a b') as string, /expected a '\|'/);
    assert.match(parse(parseVw, '1 |a x:abc') as string, /bad feature value in 'x:abc'/);
    assert.match(parse(parseVw, '1 -2 |a x') as string, /bad importance weight '-2'/);
    assert.match(parse(parseVw, '1 |a :3') as string, /missing feature name/);
  });
  it('unlabelled lines parse for prediction', () => {
    assert.deepEqual((parse(parseVw, '|a x') as ReturnType<typeof view>).label, null);
  });
});

describe('libsvm lines', () => {
  it('reads label and index:value pairs, skips zeros and qid', () => {
    assert.deepEqual(parse(parseLibsvm, '+1 qid:3 1:0.5 7:2e-1 9:0'), {
      label: '+1',
      weight: 1,
      features: [
        ['', '1', 0.5],
        ['', '7', Math.fround(0.2)],
      ],
    });
  });
  it('names what is wrong', () => {
    assert.match(parse(parseLibsvm, '1 3:x') as string, /bad value in '3:x'/);
    assert.match(parse(parseLibsvm, '1 3:1 word') as string, /expected index:value, got 'word'/);
  });
});

describe('parseNumber', () => {
  it('agrees with Number() on decimal strings', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = String(x);
        const b = Buffer.from(s);
        assert.equal(parseNumber(b, 0, b.length), Number(s));
      }),
    );
    for (const bad of ['', '-', 'abc', '1..2', '1e', 'Infinity', 'NaN', '0x10']) assert.ok(Number.isNaN(parseNumber(Buffer.from(bad), 0, bad.length)), bad);
  });
});

describe('format detection', () => {
  it('tells the three formats apart', () => {
    assert.equal(detectFormat('__label__a b c'), 'fasttext');
    assert.equal(detectFormat('1 |a b c'), 'vw');
    assert.equal(detectFormat('-1 3:0.5 10:1'), 'libsvm');
    assert.equal(detectFormat('plain words here'), 'fasttext');
  });
});

describe('parsers never throw and stay within the line (fuzz)', () => {
  const parsers = { fasttext: ft, vw: parseVw, libsvm: parseLibsvm };
  for (const [name, fn] of Object.entries(parsers)) {
    it(name, () => {
      const alphabet = fc.constantFrom(..."ab1:.|-+e \t_'__label__x".split(''), 'é', '\u0000');
      fc.assert(
        fc.property(fc.string({ unit: alphabet, maxLength: 60 }), fc.string({ maxLength: 30 }), (s1, s2) => {
          const text = s1 + s2;
          const line = new ParsedLine();
          const b = Buffer.concat([Buffer.from('PRE'), Buffer.from(text), Buffer.from('POST')]);
          const end = b.length - 4;
          const err = fn(b, 3, end, line);
          if (err !== null) {
            assert.equal(typeof err, 'string');
            return;
          }
          for (let f = 0; f < line.n; f++) {
            assert.ok(line.tokStart[f]! >= 3 && line.tokEnd[f]! <= end && line.tokStart[f]! < line.tokEnd[f]!);
            assert.ok(Number.isFinite(line.value[f]!));
          }
          if (line.labelStart >= 0) assert.ok(line.labelStart >= 3 && line.labelEnd <= end);
        }),
        { numRuns: 2000 },
      );
    });
  }
});

describe('fastText parser hashes tokens while scanning', () => {
  it('its hashes equal murmur3 of the token bytes', async () => {
    const { murmur3 } = await import('./murmur-hash.js');
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !/\s/.test(t)),
          { maxLength: 8 },
        ),
        fc.boolean(),
        (tokens, trailing) => {
          const line = new ParsedLine();
          // with and without a separator after the last token (a token may end at the range's end)
          const b = Buffer.from(` ${tokens.join('  ')}${trailing ? '\t' : ''}`);
          assert.equal(parseFastText(b, 0, b.length, line, PREFIX), null);
          assert.ok(line.hashed);
          for (let f = 0; f < line.n; f++) assert.equal(line.hash[f]! >>> 0, murmur3(b, line.tokStart[f]!, line.tokEnd[f]!, 0));
        },
      ),
      { numRuns: 500 },
    );
  });
});
