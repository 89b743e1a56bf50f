/**
 * @module
 * Asynchronous random access, for bytes that arrive over the network (HTTP range requests, see
 * `http-range-source.ts`): a reader asks for all the ranges it needs at once and the source is free
 * to merge neighbouring ones into fewer requests. `syncToAsync` serves a `ByteSource` (a file, an
 * `ArrayBuffer`) through the same interface. Nothing here needs Node.
 */
import type { ByteSource } from './byte-source.js';

/** A byte range. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** What a source has transferred so far. */
export interface SourceStats {
  /** Requests made (reads served from a cache not counted). */
  requests: number;
  /** Bytes transferred. */
  bytesFetched: number;
}

/** Asynchronous random access to a sized run of bytes. */
export interface AsyncByteSource {
  /** Name used in error messages (a file path, a URL). */
  readonly path: string;
  readonly size: number;
  /** Every range's bytes, in the order asked; ranges outside the source are refused with a `FormatError`. */
  readRanges(ranges: ByteRange[]): Promise<Uint8Array[]>;
  readonly stats: SourceStats;
  close(): void;
}

/** A `ByteSource` behind the asynchronous interface (each range is one synchronous read). */
export function syncToAsync(src: ByteSource): AsyncByteSource {
  const stats: SourceStats = { requests: 0, bytesFetched: 0 };
  return {
    path: src.path,
    size: src.size,
    stats,
    async readRanges(ranges: ByteRange[]): Promise<Uint8Array[]> {
      return ranges.map((r) => {
        stats.requests++;
        stats.bytesFetched += r.length;
        return src.read(r.offset, r.length);
      });
    },
    close: () => src.close(),
  };
}
