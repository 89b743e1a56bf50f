/**
 * @module
 * Buffered, backpressure-aware writing of many small lines to stdout.
 */
import type { Writable } from 'node:stream';

/** Collects text and writes it in large chunks, waiting for the stream to drain. */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly out: Writable = process.stdout,
    private readonly chunk = 1 << 16,
  ) {}

  async write(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.chunk) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}
