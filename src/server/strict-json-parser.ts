/**
 * @module
 * A JSON body parser that refuses bytes that are not UTF-8 instead of silently turning them
 * into U+FFFD (what decoding with `toString('utf8')` does): a client sending Latin-1 gets a
 * 400 naming the byte offset, not answers for words it never sent.
 */
import { FormatError } from '../core/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes `body` as strict UTF-8; the error names the first bad byte offset. */
export function decodeUtf8(body: Uint8Array, what = 'body'): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new FormatError(`${what} is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(body)})`);
  }
}

/** Parses a JSON body: strict UTF-8, then `JSON.parse`. */
export function parseJsonBody(body: Uint8Array): unknown {
  const text = decodeUtf8(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`body is not valid JSON: ${(err as Error).message}`);
  }
  // No prototype-poisoning check is needed here: every body schema has
  // `additionalProperties: false`, so a `__proto__` key is refused by validation.
  return value;
}

/** Offset of the first byte that breaks UTF-8 (the length when there is none). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let j = 1; j <= n; j++) {
      const d = b[i + j];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return i;
}
