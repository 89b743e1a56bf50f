/**
 * @module
 * A single-producer single-consumer ring of encoded examples in a SharedArrayBuffer: the parse
 * worker writes (label bytes, importance, slots, values) records, the learning thread reads
 * them in place. Records are 32-bit words; a record that would not fit before the end of the
 * ring is preceded by a wrap marker and written at the start. Positions are word counters
 * that wrap at 2^32 (their difference is the fill, always < capacity).
 *
 * Record layout (words): [kind, lineNo, a, b, payload...]
 * - EXAMPLE: a = n (encoded entries), b = label byte length; then the importance (float64 as
 *   two words), a scale (float32), the slots in use after this line (int32: the lookup's size,
 *   so the reader grows its weights), the label bytes padded to whole words, n slots (int32),
 *   n values (float32).
 * - TOKENS: as EXAMPLE, but the n entries are the line's feature slots and values before
 *   merging (the reader merges them, scaling values by the scale, and adds the bias): this
 *   moves the merge of repeated slots to the reader, balancing the two threads.
 * - BAD: a = message byte length; then the message (UTF-8, padded). A line that stops training
 *   or is skipped (`file:line` is added by the reader).
 * - FORMAT: a = index of the detected format in INPUT_FORMATS (sent before the first example).
 * - PASS_END: a = lines read in the pass.
 * - FAILED: a = message byte length; then the message: the worker itself failed (I/O, ...).
 */

/** Record kinds (first word). */
export const RECORD = { WRAP: 0, EXAMPLE: 1, BAD: 2, FORMAT: 3, PASS_END: 4, FAILED: 5, TOKENS: 6 } as const;

/** Control words at the start of the shared buffer. */
const WRITE = 0;
const READ = 1;
/** Set by the reader when it stops early (error): the writer gives up. */
const CANCEL = 2;
/** Set while the reader (writer) sleeps on WRITE (READ): notify only then, notifying costs a lock. */
const READER_WAITING = 3;
const WRITER_WAITING = 4;
const CONTROL_WORDS = 16;
const HEADER = 4;

/**
 * Default ring size in words (1 MiB, ~4.5k records of a 24-feature example): small enough to
 * stay in the caches the two cores share, and a line of up to ~130k features fits (longer
 * lines are refused with a message to train without the parse thread).
 */
export const DEFAULT_RING_WORDS = 1 << 18;

/** Creates the shared memory of a ring with `words` data words. */
export function createRing(words = DEFAULT_RING_WORDS): SharedArrayBuffer {
  // a power of two, so positions that wrap at 2^32 map to the same index
  if (!Number.isInteger(Math.log2(words)) || words < 64) throw new RangeError(`ring words must be a power of two >= 64, got ${words}`);
  return new SharedArrayBuffer((CONTROL_WORDS + words) * 4);
}

/** The views both sides use over the shared buffer. */
class RingViews {
  readonly control: Int32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly u32: Uint32Array;
  readonly bytes: Buffer;
  /** Data words (a power of two) and its mask. */
  readonly capacity: number;
  readonly mask: number;

  constructor(sab: SharedArrayBuffer) {
    this.control = new Int32Array(sab, 0, CONTROL_WORDS);
    this.capacity = sab.byteLength / 4 - CONTROL_WORDS;
    this.mask = this.capacity - 1;
    this.i32 = new Int32Array(sab, CONTROL_WORDS * 4, this.capacity);
    this.f32 = new Float32Array(sab, CONTROL_WORDS * 4, this.capacity);
    this.u32 = new Uint32Array(sab, CONTROL_WORDS * 4, this.capacity);
    this.bytes = Buffer.from(sab, CONTROL_WORDS * 4, this.capacity * 4);
  }
}

// float64 <-> two words without allocating
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** The producer side (the parse worker). */
export class RingWriter {
  private readonly v: RingViews;
  /** Local write position (published every few records). */
  private pos: number;
  /** Words written since the last publication, and how many to gather before publishing. */
  private unpublished = 0;
  private readonly batch: number;
  /** The reader's position when last looked at (its space is free for sure). */
  private readSeen: number;

  constructor(sab: SharedArrayBuffer) {
    this.v = new RingViews(sab);
    this.pos = Atomics.load(this.v.control, WRITE);
    this.readSeen = Atomics.load(this.v.control, READ);
    // publishing wakes a sleeping reader (a system call): do it in batches of 1/16 of the ring
    this.batch = this.v.capacity >> 4;
  }

  /** Largest record (words) that fits. */
  get maxRecordWords(): number {
    return this.v.capacity - 1;
  }

  /** Words an example record takes. */
  static exampleWords(labelLength: number, n: number): number {
    return HEADER + 4 + ((labelLength + 3) >> 2) + 2 * n;
  }

  /** Whether the reader asked the writer to stop. */
  get cancelled(): boolean {
    return Atomics.load(this.v.control, CANCEL) !== 0;
  }

  /** Writes an encoded example (EXAMPLE) or a line's token hashes (TOKENS); false when the reader cancelled. */
  example(
    kind: number,
    lineNo: number,
    label: Uint8Array,
    labelStart: number,
    labelEnd: number,
    weight: number,
    scale: number,
    slots: number,
    idx: Int32Array,
    val: Float32Array,
    n: number,
  ): boolean {
    const labelLen = labelEnd - labelStart;
    const at = this.reserve(RingWriter.exampleWords(labelLen, n));
    if (at < 0) return false;
    const { i32, f32, u32, bytes } = this.v;
    i32[at] = kind;
    i32[at + 1] = lineNo;
    i32[at + 2] = n;
    i32[at + 3] = labelLen;
    f64[0] = weight;
    u32[at + 4] = f64Words[0]!;
    u32[at + 5] = f64Words[1]!;
    f32[at + 6] = scale;
    i32[at + 7] = slots;
    let p = at + 8;
    // labels are short: a loop, not a subarray (an allocation per example)
    const b0 = p * 4 - labelStart;
    for (let j = labelStart; j < labelEnd; j++) bytes[b0 + j] = label[j]!;
    p += (labelLen + 3) >> 2;
    for (let i = 0; i < n; i++) i32[p + i] = idx[i]!;
    p += n;
    for (let i = 0; i < n; i++) f32[p + i] = val[i]!;
    this.commit(at, p + n);
    return true;
  }

  /** Writes a message record (BAD or FAILED). */
  message(kind: number, lineNo: number, text: string): boolean {
    const msg = Buffer.from(text.length > 4096 ? `${text.slice(0, 4096)}...` : text, 'utf8');
    const at = this.reserve(HEADER + ((msg.length + 3) >> 2));
    if (at < 0) return false;
    const { i32, bytes } = this.v;
    i32[at] = kind;
    i32[at + 1] = lineNo;
    i32[at + 2] = msg.length;
    i32[at + 3] = 0;
    bytes.set(msg, (at + HEADER) * 4);
    this.commit(at, at + HEADER + ((msg.length + 3) >> 2));
    return true;
  }

  /** Writes a small control record (FORMAT, PASS_END). */
  control(kind: number, a: number): boolean {
    const at = this.reserve(HEADER);
    if (at < 0) return false;
    const i32 = this.v.i32;
    i32[at] = kind;
    i32[at + 1] = 0;
    i32[at + 2] = a;
    i32[at + 3] = 0;
    this.commit(at, at + HEADER);
    return true;
  }

  /** Makes everything written visible to the reader and wakes it. */
  flush(): void {
    const control = this.v.control;
    Atomics.store(control, WRITE, this.pos | 0);
    if (Atomics.load(control, READER_WAITING) !== 0) Atomics.notify(control, WRITE);
    this.unpublished = 0;
  }

  /** Index where a record of `words` can be written (waiting for room), or -1 when cancelled. */
  private reserve(words: number): number {
    const { capacity, control } = this.v;
    if (words > capacity - 1) throw new RangeError(`an encoded line needs ${words} words, more than the parse ring holds (${capacity - 1})`);
    let at = this.pos & this.v.mask;
    // room for the wrap marker too when the record does not fit before the end
    const need = at + words > capacity ? capacity - at + words : words;
    // look at the reader's position only when what we knew of it is not enough
    while (capacity - ((this.pos - this.readSeen) | 0) < need) {
      const read = Atomics.load(control, READ);
      this.readSeen = read;
      if (capacity - ((this.pos - read) | 0) >= need) break;
      if (this.cancelled) return -1;
      this.flush();
      Atomics.store(control, WRITER_WAITING, 1);
      Atomics.wait(control, READ, read, 100);
      Atomics.store(control, WRITER_WAITING, 0);
    }
    if (at + words > capacity) {
      this.v.i32[at] = RECORD.WRAP;
      this.pos = (this.pos + (capacity - at)) | 0;
      at = 0;
    }
    return at;
  }

  private commit(at: number, end: number): void {
    this.pos = (this.pos + (end - at)) | 0;
    this.unpublished += end - at;
    if (this.unpublished >= this.batch) this.flush();
  }
}

/** The consumer side (the learning thread). Fields describe the record read last. */
export class RingReader {
  private readonly v: RingViews;
  private pos = 0;
  /** Published write position last seen. */
  private limit = 0;
  /** Records read since space was last released to the writer. */
  private unreleased = 0;
  kind = 0;
  lineNo = 0;
  /** EXAMPLE: entries; BAD/FAILED: message length; FORMAT: format index; PASS_END: lines. */
  a = 0;
  /** EXAMPLE: label byte length. */
  labelLength = 0;
  /** EXAMPLE: byte offset of the label in `bytes`. */
  labelAt = 0;
  weight = 1;
  /** TOKENS: the scale of the values. */
  scale = 1;
  /** EXAMPLE, TOKENS: slots in use after this line. */
  slots = 0;
  /** EXAMPLE, TOKENS: word offsets of slots and values in `i32`/`f32`. */
  idxAt = 0;
  valAt = 0;

  constructor(sab: SharedArrayBuffer) {
    this.v = new RingViews(sab);
  }

  get i32(): Int32Array {
    return this.v.i32;
  }

  get f32(): Float32Array {
    return this.v.f32;
  }

  get bytes(): Buffer {
    return this.v.bytes;
  }

  /** The message of a BAD or FAILED record. */
  message(): string {
    return this.v.bytes.toString('utf8', this.labelAt, this.labelAt + this.a);
  }

  /**
   * Reads the next record into the fields; false when none is published yet (after waiting up
   * to `waitMs`). The previous record's space is released to the writer.
   */
  next(waitMs: number): boolean {
    const { control, capacity, i32, u32 } = this.v;
    if (++this.unreleased >= 512) {
      // give space back regularly, so a waiting writer works while we read
      this.unreleased = 0;
      this.release();
    }
    if (this.pos === this.limit) {
      // release everything read so far, then look for (or wait for) more
      this.release();
      this.limit = Atomics.load(control, WRITE);
      if (this.pos === this.limit) {
        Atomics.store(control, READER_WAITING, 1);
        Atomics.wait(control, WRITE, this.pos, waitMs);
        Atomics.store(control, READER_WAITING, 0);
        this.limit = Atomics.load(control, WRITE);
        if (this.pos === this.limit) return false;
      }
    }
    let at = this.pos & this.v.mask;
    if (i32[at] === RECORD.WRAP) {
      this.pos = (this.pos + (capacity - at)) | 0;
      at = 0;
    }
    const kind = i32[at]!;
    this.kind = kind;
    this.lineNo = i32[at + 1]!;
    this.a = i32[at + 2]!;
    let words = HEADER;
    if (kind === RECORD.EXAMPLE || kind === RECORD.TOKENS) {
      const labelLen = i32[at + 3]!;
      this.labelLength = labelLen;
      f64Words[0] = u32[at + 4]!;
      f64Words[1] = u32[at + 5]!;
      this.weight = f64[0]!;
      this.scale = this.v.f32[at + 6]!;
      this.slots = i32[at + 7]!;
      this.labelAt = (at + 8) * 4;
      this.idxAt = at + 8 + ((labelLen + 3) >> 2);
      this.valAt = this.idxAt + this.a;
      words = this.valAt + this.a - at;
    } else if (kind === RECORD.BAD || kind === RECORD.FAILED) {
      this.labelAt = (at + HEADER) * 4;
      words = HEADER + ((this.a + 3) >> 2);
    }
    this.pos = (this.pos + words) | 0;
    return true;
  }

  /** Gives the space of the records read so far back to the writer. */
  private release(): void {
    const control = this.v.control;
    Atomics.store(control, READ, this.pos);
    if (Atomics.load(control, WRITER_WAITING) !== 0) Atomics.notify(control, READ);
  }

  /** Tells the writer to stop (the reader will read no more). */
  cancel(): void {
    Atomics.store(this.v.control, CANCEL, 1);
    Atomics.store(this.v.control, READ, this.pos);
    Atomics.notify(this.v.control, READ);
  }
}
