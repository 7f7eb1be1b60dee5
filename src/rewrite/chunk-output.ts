// The rewriter's output for one input buffer. While nothing was changed it is a range of the input
// (no copy); at the first change it becomes one buffer the kept ranges and replacements are copied
// into: no Buffer object per kept range and no concatenation at the end (the hot path of SDS rows).
// A caller that writes each output before the next reset (the CLI's file loop) lets it reuse that
// buffer: a fresh 1 MiB buffer per chunk costs its page faults again on every chunk. Such a caller
// can also give the WebAssembly sweep's output area as the buffer: sweep then writes the output in
// place, where it would otherwise write it there and have it copied here.

const EMPTY = Buffer.alloc(0);

export class ChunkOutput {
  private src: Buffer = EMPTY;
  /** Start of the output in `src` while it is a range of it (`out` undefined). */
  private start = 0;
  private length = 0;
  private out: Buffer | undefined;
  /** The last output buffer, kept for the next chunk when `reuse` is set. */
  private spare: Buffer | undefined;
  /** The sweep's output area, the output's buffer while it holds it (`reuse` only). */
  private area: Buffer | undefined;

  /** `reuse`: the caller is done with a result before the next reset, so its buffer can be reused. */
  constructor(private readonly reuse = false) {}

  /** Start the output of `src`; `area`: the sweep's output area (a view valid until the next reset). */
  reset(src: Buffer, area?: Buffer): void {
    this.src = src;
    this.start = 0;
    this.length = 0;
    this.out = undefined;
    this.area = this.reuse ? area : undefined;
  }

  /**
   * Where in the area the sweep may write the output's next bytes in place, or -1 (no area, or
   * the output outgrew it). While the output is still a range of `src`, its bytes are copied to
   * the area's start only when the sweep has written something after them (wroteInArea).
   */
  placeInArea(): number {
    const area = this.area;
    if (area === undefined) return -1;
    if (this.out === undefined) return this.length < area.length ? this.length : -1;
    return this.out === area ? this.length : -1;
  }

  /** The sweep wrote `n` bytes at placeInArea(). */
  wroteInArea(n: number): void {
    if (n === 0) return;
    if (this.out === undefined) {
      const area = this.area as Buffer;
      this.src.copy(area, 0, this.start, this.start + this.length);
      this.out = area;
    }
    this.length += n;
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
    if (this.reuse && this.out !== this.area) this.spare = this.out;
    this.out = undefined;
    return out;
  }

  /** The output buffer with room for `n` more bytes (created from the range so far, or grown). */
  private room(n: number): Buffer {
    const needed = this.length + n;
    let out = this.out;
    if (out === undefined) {
      const size = Math.max(needed, this.src.length - this.start + (this.src.length >> 4), 4096);
      // The area only when it holds all that is asked. The one piece copied from the area (the
      // sweep's output, when placeInArea was -1 because the kept range alone fills the area) asks
      // for more than that, so the range is never copied over it.
      if (this.area !== undefined && this.area.length >= needed) out = this.area;
      else out = this.spare !== undefined && this.spare.length >= size ? this.spare : Buffer.allocUnsafe(size);
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
