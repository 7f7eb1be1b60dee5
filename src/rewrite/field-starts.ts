// Where the fields of one COPY row start, up to a `://` in it: what the bulk path needs to know
// the column of each match (and, in *_PARAMS, the PARAM_KEY before it) without a state machine.
import { TAB } from './copy-bytes.js';
import { doubled, type RowLocation } from './simd-scan.js';

export class FieldStarts {
  /** starts[i]: where field i begins in the buffer (only the entries set are read). */
  starts: Int32Array = new Int32Array(64);
  /** Fields that start before the last trigger walked to. */
  n = 0;

  /** Every field start of the row beginning at `rowStart`, up to the trigger at `t`. */
  walk(buf: Buffer, rowStart: number, t: number): void {
    this.starts[0] = rowStart;
    this.n = 1;
    this.extend(buf, rowStart, t);
  }

  /** The fields starting in `buf[from, t)`, after those known. */
  extend(buf: Buffer, from: number, t: number): void {
    let starts = this.starts;
    let n = this.n;
    for (let i = from; i < t; i++) {
      if (buf[i] === TAB) {
        if (n === starts.length) starts = this.starts = doubled(starts);
        starts[n++] = i + 1;
      }
    }
    this.n = n;
  }

  /**
   * From a located trigger (simd-scan.ts): the row's start, the starts of fields 1 to `upTo`
   * (the first field's end, the PARAM_KEY's bounds) and the trigger's field; the others are
   * never read.
   */
  fromLocation(buf: Buffer, located: RowLocation, upTo: number): void {
    const n = located.fieldIndex + 1;
    let starts = this.starts;
    while (starts.length < n) starts = this.starts = doubled(starts);
    starts[0] = located.rowStart;
    const needed = Math.min(upTo, n - 1);
    for (let i = located.rowStart, k = 1; k <= needed; i++) {
      if (buf[i] === TAB) starts[k++] = i + 1;
    }
    starts[n - 1] = located.fieldStart;
    this.n = n;
  }
}
