/**
 * @module
 * Splitting input into words the way the fastText CLI does: `std::cin >> word` and
 * `Dictionary::readWord` split on ASCII whitespace (readWord also on NUL) and work on raw
 * bytes, so words that are not valid UTF-8 pass through untouched.
 */

/** Whether byte `c` separates words (space, \t, \n, \v, \f, \r; NUL when `nul`). */
export function isSpace(c: number, nul = false): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (nul && c === 0);
}

/** The words of `bytes` (split on whitespace, empty words dropped). */
export function splitWords(bytes: Uint8Array, nul = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    while (i < n && isSpace(bytes[i]!, nul)) i++;
    const s = i;
    while (i < n && !isSpace(bytes[i]!, nul)) i++;
    if (i > s) out.push(bytes.subarray(s, i));
  }
  return out;
}

/**
 * Lines of `bytes` split on `\n`: `ended` says whether the line had its newline (the last one
 * may not). An empty input has no lines.
 */
export function splitLines(bytes: Uint8Array): { line: Uint8Array; ended: boolean }[] {
  const out: { line: Uint8Array; ended: boolean }[] = [];
  let s = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      out.push({ line: bytes.subarray(s, i), ended: true });
      s = i + 1;
    }
  }
  if (s < bytes.length) out.push({ line: bytes.subarray(s), ended: false });
  return out;
}
