/**
 * leanml's version, written into saved models and reports. A literal rather than a read of
 * package.json, so that it works bundled and in any module system; `version.test.ts` checks that
 * the two agree.
 */
export const VERSION = '0.1.0';
