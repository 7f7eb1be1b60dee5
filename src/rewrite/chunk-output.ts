// The rewriter's output for one input buffer. While nothing was changed it is a range of the input
// (no copy); at the first change it becomes one buffer the kept ranges and replacements are copied
// into: no Buffer object per kept range and no concatenation at the end (the hot path of SDS rows).

const EMPTY = Buffer.alloc(0);

export class ChunkOutput {
  private src: Buffer = EMPTY;
  /** Start of the output in `src` while it is a range of it (`out` undefined). */
  private start = 0;
  private length = 0;
  private out: Buffer | undefined;

  /** Start the output of `src`. */
  reset(src: Buffer): void {
    this.src = src;
    this.start = 0;
    this.length = 0;
    this.out = undefined;
  }

  get bytes(): number {
    return this.length;
  }

  /** Append `src[from, to)`. */
  range(from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.out === undefined) {
      if (this.length === 0) this.start = from;
      if (from === this.start + this.length) {
        this.length += n;
        return;
      }
    }
    const out = this.room(n);
    this.src.copy(out, this.length, from, to);
    this.length += n;
  }

  /** Append a buffer (a replacement, or bytes collected across input buffers). */
  piece(piece: Buffer): void {
    if (piece.length === 0) return;
    const out = this.room(piece.length);
    piece.copy(out, this.length);
    this.length += piece.length;
  }

  /** The output, valid until the next reset. */
  result(): Buffer {
    if (this.out === undefined) return this.length === 0 ? EMPTY : this.src.subarray(this.start, this.start + this.length);
    const out = this.out.subarray(0, this.length);
    this.out = undefined;
    return out;
  }

  /** The output buffer with room for `n` more bytes (created from the range so far, or grown). */
  private room(n: number): Buffer {
    const needed = this.length + n;
    let out = this.out;
    if (out === undefined) {
      out = Buffer.allocUnsafe(Math.max(needed, this.src.length - this.start + (this.src.length >> 4), 4096));
      this.src.copy(out, 0, this.start, this.start + this.length);
      this.out = out;
    } else if (out.length < needed) {
      const grown = Buffer.allocUnsafe(Math.max(needed, out.length * 2));
      out.copy(grown, 0, 0, this.length);
      this.out = out = grown;
    }
    return out;
  }
}
