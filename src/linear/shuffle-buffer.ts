/**
 * @module
 * A bounded shuffle buffer for streams whose order is harmful to online learning (files
 * grouped by class): holds up to `capacity` lines and emits a random one for each new line,
 * so memory stays bounded while examples from far apart get mixed.
 */
import type { Rng } from '../core/rng.js';

/** A held line: its bytes and original line number (for error messages). */
interface Held {
  bytes: Buffer;
  lineNo: number;
}

export class ShuffleBuffer {
  private items: Held[] = [];
  constructor(
    readonly capacity: number,
    private readonly rng: Rng,
  ) {}

  /** Adds a copy of `buf[start, end)`; when full, first emits a random held line through `emit`. */
  push(buf: Buffer, start: number, end: number, lineNo: number, emit: (bytes: Buffer, lineNo: number) => void): void {
    const item = { bytes: Buffer.from(buf.subarray(start, end)), lineNo };
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    const j = this.rng.int(this.capacity);
    const out = this.items[j]!;
    this.items[j] = item;
    emit(out.bytes, out.lineNo);
  }

  /** Emits everything still held, in random order, and empties the buffer. */
  flush(emit: (bytes: Buffer, lineNo: number) => void): void {
    const items = this.rng.shuffle(this.items) as Held[];
    this.items = [];
    for (const it of items) emit(it.bytes, it.lineNo);
  }
}
