/**
 * @module
 * An `AsyncByteSource` over HTTP range requests (`fetch` with a `Range` header), for reading a
 * multi-gigabyte store on a static file host without downloading it. Small reads are widened to
 * aligned pages and kept in a bounded cache (dictionary lookups touch the same pages again);
 * ranges asked together are merged when the gap between them is small, and the merged requests
 * run a few at a time. Counts requests and bytes, so a page can show what it fetched.
 */
import type { AsyncByteSource, ByteRange, SourceStats } from './async-source.js';
import { checkSourceRange } from './byte-source.js';
import { FormatError, LeanmlError } from './errors.js';

/** Defaults of `HttpRangeSource`. */
export const DEFAULT_HTTP_RANGE = Object.freeze({
  /** Reads up to this size are widened to whole aligned pages and cached. */
  pageBytes: 4096,
  /** Ranges closer than this are fetched as one request. */
  mergeGapBytes: 16384,
  /** Requests in flight at once. */
  parallel: 6,
  /** Bytes of cached pages kept (oldest dropped first). */
  cacheBytes: 32 << 20,
  /** Bytes fetched by `open` (the start of the file: a store's header). */
  headBytes: 65536,
});

type HttpRangeSettings = { -readonly [K in keyof typeof DEFAULT_HTTP_RANGE]: number };

/** Options of `HttpRangeSource.open`. */
export interface HttpRangeOptions extends Partial<HttpRangeSettings> {
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. authorisation). */
  headers?: Record<string, string>;
}

/** A network or server failure while reading a remote file. */
export class HttpSourceError extends LeanmlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('http', message, options);
  }
}

const EMPTY = new Uint8Array(0);

/** Parses `Content-Range: bytes a-b/total`. */
function parseContentRange(v: string | null): { start: number; end: number; total: number } | null {
  const m = v ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(v.trim()) : null;
  return m ? { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) } : null;
}

/** Random access to a file served over HTTP with range requests. */
export class HttpRangeSource implements AsyncByteSource {
  readonly path: string;
  readonly size: number;
  readonly stats: SourceStats = { requests: 0, bytesFetched: 0 };
  private readonly o: HttpRangeSettings;
  private readonly fetchFn: typeof fetch;
  private readonly headers: Record<string, string>;
  /** Cached pages by page number, oldest first (a Map keeps insertion order). */
  private pages = new Map<number, Uint8Array>();
  private cached = 0;

  private constructor(url: string, size: number, o: HttpRangeSettings, fetchFn: typeof fetch, headers: Record<string, string>) {
    this.path = url;
    this.size = size;
    this.o = o;
    this.fetchFn = fetchFn;
    this.headers = headers;
  }

  /**
   * Opens `url`: one range request for its first `headBytes`, which gives the file's size and is
   * cached. Refuses a server that ignores ranges (it would send the whole file every time).
   */
  static async open(url: string, opts: HttpRangeOptions = {}): Promise<HttpRangeSource> {
    const { fetch: f, headers, ...rest } = opts;
    const o: HttpRangeSettings = { ...DEFAULT_HTTP_RANGE, ...rest };
    const fetchFn = f ?? globalThis.fetch.bind(globalThis);
    const res = await request(fetchFn, url, `bytes=0-${o.headBytes - 1}`, headers ?? {});
    if (res.status === 416) {
      // an empty file has no byte 0
      const cr = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
      if (cr && Number(cr[1]) === 0) return new HttpRangeSource(url, 0, o, fetchFn, headers ?? {});
    }
    if (res.status === 200) {
      await res.body?.cancel();
      throw new HttpSourceError(
        `${url}: the server ignored the Range header (answered 200 with the whole file); serve it from a host that supports range requests (leanml serve --files DIR does)`,
      );
    }
    if (res.status !== 206) throw new HttpSourceError(`${url}: HTTP ${res.status} ${res.statusText} for bytes 0..${o.headBytes}`);
    const cr = parseContentRange(res.headers.get('content-range'));
    if (cr?.start !== 0) throw new HttpSourceError(`${url}: 206 answer without a usable Content-Range (${res.headers.get('content-range')})`);
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length !== cr.end + 1) throw new HttpSourceError(`${url}: got ${body.length} bytes for bytes 0..${cr.end + 1}`);
    const src = new HttpRangeSource(url, cr.total, o, fetchFn, headers ?? {});
    src.stats.requests++;
    src.stats.bytesFetched += body.length;
    src.keepPages(0, body);
    return src;
  }

  async readRanges(ranges: ByteRange[]): Promise<Uint8Array[]> {
    for (const r of ranges) checkSourceRange(this, r.offset, r.length);
    const P = this.o.pageBytes;
    // what to fetch: small reads as whole pages not yet cached, large reads as they are
    const wanted: ByteRange[] = [];
    // cached pages this call uses, held here: fetching may evict them from the cache
    const have = new Map<number, Uint8Array>();
    for (const r of ranges) {
      if (r.length === 0) continue;
      if (r.length <= P) {
        for (let p = Math.floor(r.offset / P); p * P < r.offset + r.length; p++) {
          const c = this.pages.get(p);
          if (c) have.set(p, c);
          else if (!have.has(p)) {
            have.set(p, EMPTY);
            wanted.push({ offset: p * P, length: Math.min(P, this.size - p * P) });
          }
        }
      } else wanted.push(r);
    }
    const fetched = await this.fetchMerged(wanted);
    return ranges.map((r) => {
      if (r.length === 0) return new Uint8Array(0);
      const out = new Uint8Array(r.length);
      if (r.length <= P) {
        for (let p = Math.floor(r.offset / P); p * P < r.offset + r.length; p++) {
          const c = have.get(p);
          const page = c && c !== EMPTY ? c : pageFrom(fetched, p * P, Math.min(P, this.size - p * P));
          copyOverlap(page, p * P, out, r.offset);
        }
      } else {
        for (const f of fetched) copyOverlap(f.bytes, f.offset, out, r.offset);
      }
      return out;
    });
  }

  /** Fetches `wanted` (merging close ranges), caching the whole pages it got; returns the pieces. */
  private async fetchMerged(wanted: ByteRange[]): Promise<{ offset: number; bytes: Uint8Array }[]> {
    if (wanted.length === 0) return [];
    const sorted = [...wanted].sort((a, b) => a.offset - b.offset);
    const merged: ByteRange[] = [];
    for (const r of sorted) {
      const last = merged[merged.length - 1];
      if (last && r.offset <= last.offset + last.length + this.o.mergeGapBytes) {
        last.length = Math.max(last.length, r.offset + r.length - last.offset);
      } else merged.push({ ...r });
    }
    const out: { offset: number; bytes: Uint8Array }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < merged.length) {
        const r = merged[next++]!;
        out.push({ offset: r.offset, bytes: await this.fetchRange(r) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.parallel, merged.length) }, worker));
    for (const f of out) this.keepPages(f.offset, f.bytes);
    return out;
  }

  private async fetchRange(r: ByteRange): Promise<Uint8Array> {
    const end = r.offset + r.length;
    const res = await request(this.fetchFn, this.path, `bytes=${r.offset}-${end - 1}`, this.headers);
    if (res.status !== 206) {
      await res.body?.cancel();
      throw new HttpSourceError(
        `${this.path}: HTTP ${res.status} ${res.statusText} for bytes ${r.offset}..${end}${res.status === 200 ? ' (the server ignored the Range header)' : ''}`,
      );
    }
    const cr = parseContentRange(res.headers.get('content-range'));
    if (cr && cr.total !== this.size) throw new FormatError(`${this.path}: the file changed while reading (now ${cr.total} bytes, was ${this.size})`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    this.stats.requests++;
    this.stats.bytesFetched += bytes.length;
    if (!cr || cr.start !== r.offset || bytes.length !== r.length) {
      throw new HttpSourceError(`${this.path}: asked for bytes ${r.offset}..${end}, got ${bytes.length} bytes (${res.headers.get('content-range')})`);
    }
    return bytes;
  }

  /** Caches the whole pages inside `bytes` (which starts at `offset`), dropping the oldest over the bound. */
  private keepPages(offset: number, bytes: Uint8Array): void {
    const P = this.o.pageBytes;
    const end = offset + bytes.length;
    for (let p = Math.ceil(offset / P); p * P < end; p++) {
      const s = p * P,
        e = Math.min(s + P, this.size);
      if (e > end || this.pages.has(p)) continue;
      this.pages.set(p, bytes.slice(s - offset, e - offset));
      this.cached += e - s;
    }
    for (const [p, b] of this.pages) {
      if (this.cached <= this.o.cacheBytes) break;
      this.pages.delete(p);
      this.cached -= b.length;
    }
  }

  close(): void {
    this.pages.clear();
    this.cached = 0;
  }
}

async function request(fetchFn: typeof fetch, url: string, range: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetchFn(url, { headers: { ...headers, range } });
  } catch (err) {
    throw new HttpSourceError(`${url}: request for ${range} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** The page at `start` cut from the fetched pieces. */
function pageFrom(fetched: { offset: number; bytes: Uint8Array }[], start: number, length: number): Uint8Array {
  for (const f of fetched) {
    if (f.offset <= start && start + length <= f.offset + f.bytes.length) return f.bytes.subarray(start - f.offset, start - f.offset + length);
  }
  throw new Error(`page at ${start} was not fetched`);
}

/** Copies the part of `src` (starting at file offset `srcAt`) that overlaps `dst` (starting at `dstAt`). */
function copyOverlap(src: Uint8Array, srcAt: number, dst: Uint8Array, dstAt: number): void {
  const s = Math.max(srcAt, dstAt),
    e = Math.min(srcAt + src.length, dstAt + dst.length);
  if (e > s) dst.set(src.subarray(s - srcAt, e - srcAt), s - dstAt);
}
