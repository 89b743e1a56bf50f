/**
 * @module
 * Blank lines (only spaces, tabs and carriage returns) are skipped by training and testing.
 */

/** Whether `buf[start, end)` holds only spaces, tabs and carriage returns. */
export function isBlankLine(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
