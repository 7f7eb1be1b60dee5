// The rewriter's cursor over one buffer: cached searches for newline, tab and `://`, the output
// being built, and the current row's captured fields (row key, PARAM_KEY) for reports and
// messages. DumpRewriter (dump-rewriter.ts) extends it with the state machine.
import { NL, TAB, TERMINATOR } from './copy-bytes.js';
import type { TablePlan } from './hive-columns.js';
import { matchAt, TRIGGER } from './matcher.js';
import { ChunkOutput } from './chunk-output.js';
import { RewriteEvidence } from './rewrite-evidence.js';
import { compileRules, copyEscape, type Pattern, type RewriterOptions } from './rules.js';
import type { BufferMarks } from './simd-scan.js';

/** Captured values (row keys, PARAM_KEY, ...) are cut at this many bytes. */
export const MAX_CAPTURE = 512;

export abstract class CopyCursor {
  protected readonly patterns: Pattern[];
  protected plan: TablePlan | undefined;
  protected field = 0;
  /** Where the current row started in this buffer, or -1 when it started in an earlier one. */
  protected rowStartPos = -1;
  protected rowSeq = 0;
  protected rowKeyCarry: string | undefined;
  // Captured fields are kept as positions in the current buffer (no copies on the hot path) and
  // turned into strings only when a buffer ends mid-row or a message needs them.
  protected cap0: string | undefined;
  protected cap0Start = -1;
  protected cap0End = -1;
  protected capKey: string | undefined;
  protected capKeyStart = -1;
  protected capKeyEnd = -1;
  protected keyMatches = false;
  protected capInfo: string | undefined;
  /** Bytes of a captured field that started in an earlier buffer. */
  protected capParts: Buffer[] = [];
  protected capLength = 0;
  protected readonly keyBuffers: Buffer[];
  // per-buffer
  protected buf: Buffer = Buffer.alloc(0);
  protected readonly out: ChunkOutput;
  protected emitFrom = 0;
  protected nlAt = -2;
  protected nlFrom = 0;
  protected tabAt = -2;
  protected tabFrom = 0;
  protected trigAt = -2;
  protected trigFrom = 0;
  /** The buffer's `://` and terminators found in one pass (the CLI's file loop), else searched. */
  protected marks: BufferMarks | undefined;
  private triggerIndex = 0;
  private terminatorIndex = 0;

  protected readonly evidence = new RewriteEvidence();

  /** `reuseOutput`: each `process` result is consumed before the next call (see ChunkOutput). */
  constructor(options: RewriterOptions, reuseOutput: boolean) {
    this.out = new ChunkOutput(reuseOutput);
    this.patterns = compileRules(options.rules, true);
    this.keyBuffers = options.parameterKeys.map((k) => Buffer.from(copyEscape(k)));
  }

  protected nextNl(from: number): number {
    if (this.nlAt === -2 || (this.nlAt !== -1 && this.nlAt < from) || (this.nlAt === -1 && from < this.nlFrom)) {
      this.nlAt = this.buf.indexOf(NL, from);
      this.nlFrom = from;
    }
    return this.nlAt;
  }

  protected nextTab(from: number): number {
    if (this.tabAt === -2 || (this.tabAt !== -1 && this.tabAt < from) || (this.tabAt === -1 && from < this.tabFrom)) {
      this.tabAt = this.buf.indexOf(TAB, from);
      this.tabFrom = from;
    }
    return this.tabAt;
  }

  protected nextTrigger(from: number): number {
    const marks = this.marks;
    if (marks !== undefined) {
      const at = nextInList(marks.triggers, marks.triggerCount, this.triggerIndex, from);
      this.triggerIndex = at;
      return at < marks.triggerCount ? (marks.triggers[at] as number) : -1;
    }
    if (this.trigAt === -2 || (this.trigAt !== -1 && this.trigAt < from) || (this.trigAt === -1 && from < this.trigFrom)) {
      this.trigAt = this.buf.indexOf(TRIGGER, from);
      this.trigFrom = from;
    }
    return this.trigAt;
  }

  /** The index in the buffer's marks of the first `://` at or after `from` (marks present). */
  protected triggerIndexFrom(from: number): number {
    const marks = this.marks as BufferMarks;
    this.triggerIndex = nextInList(marks.triggers, marks.triggerCount, this.triggerIndex, from);
    return this.triggerIndex;
  }

  protected nextTerminator(from: number): number {
    const marks = this.marks;
    if (marks === undefined) return this.buf.indexOf(TERMINATOR, from);
    const at = nextInList(marks.terminators, marks.terminatorCount, this.terminatorIndex, from);
    this.terminatorIndex = at;
    return at < marks.terminatorCount ? (marks.terminators[at] as number) : -1;
  }

  /** A new buffer, with its marks when the file loop found them. */
  protected useBuffer(buf: Buffer, marks: BufferMarks | undefined): void {
    this.buf = buf;
    this.marks = marks;
    this.nlAt = this.tabAt = this.trigAt = -2;
    this.triggerIndex = this.terminatorIndex = 0;
  }

  /** End of the current field: the next tab or newline, whichever comes first; -1 if neither. */
  protected fieldEnd(from: number): number {
    const nl = this.nextNl(from);
    const tab = this.nextTab(from);
    if (tab === -1) return nl;
    if (nl === -1) return tab;
    return tab < nl ? tab : nl;
  }

  protected emitTo(end: number): void {
    if (end > this.emitFrom) this.out.range(this.emitFrom, end);
    this.emitFrom = end;
  }

  protected emitPieces(pieces: readonly Buffer[]): void {
    for (const piece of pieces) this.out.piece(piece);
  }

  protected isConfiguredKey(src: Buffer, start: number, stop: number): boolean {
    const length = stop - start;
    for (const key of this.keyBuffers) {
      if (key.length === length && src.compare(key, 0, length, start, stop) === 0) return true;
    }
    return false;
  }

  /** A captured field continues past this buffer: keep a copy of its bytes (bounded). */
  protected capture(from: number, to: number): void {
    const room = MAX_CAPTURE - this.capLength;
    if (room <= 0) return;
    const end = Math.min(to, from + room);
    this.capParts.push(Buffer.from(this.buf.subarray(from, end)));
    this.capLength += end - from;
  }

  /** A captured field ends at `end` in this buffer. */
  protected endCapture(plan: TablePlan, pos: number, end: number): void {
    let src = this.buf;
    let start = pos;
    let stop = end;
    if (this.capParts.length > 0) {
      this.capture(pos, end);
      src = Buffer.concat(this.capParts);
      start = 0;
      stop = src.length;
      this.capParts = [];
      this.capLength = 0;
    }
    const local = src === this.buf;
    const field = this.field;
    if (field === 0) {
      if (local) {
        this.cap0Start = start;
        this.cap0End = Math.min(stop, start + MAX_CAPTURE);
      } else this.cap0 = src.toString('utf8', start, stop);
    }
    if (field === plan.paramKeyIndex) {
      this.keyMatches = this.isConfiguredKey(src, start, stop);
      if (local) {
        this.capKeyStart = start;
        this.capKeyEnd = Math.min(stop, start + MAX_CAPTURE);
      } else this.capKey = src.toString('utf8', start, stop);
    }
    if (field === plan.infoIndex) this.capInfo = src.toString('utf8', start, stop);
  }

  /** The buffer is about to change: turn captured positions into strings. */
  protected materializeCaptures(): void {
    if (this.cap0Start >= 0) this.cap0 = this.buf.toString('utf8', this.cap0Start, this.cap0End);
    if (this.capKeyStart >= 0) this.capKey = this.buf.toString('utf8', this.capKeyStart, this.capKeyEnd);
    this.cap0Start = this.capKeyStart = -1;
  }

  protected paramKeyText(): string | undefined {
    return this.capKeyStart >= 0 ? this.buf.toString('utf8', this.capKeyStart, this.capKeyEnd) : this.capKey;
  }

  protected countTabs(from: number, to: number): number {
    let n = 0;
    for (let t = this.buf.indexOf(TAB, from); t !== -1 && t < to; t = this.buf.indexOf(TAB, t + 1)) n++;
    return n;
  }

  protected firstField(from: number, limit: number): string {
    const tab = this.buf.indexOf(TAB, from);
    const nl = this.buf.indexOf(NL, from);
    let end = limit;
    if (tab !== -1 && tab < end) end = tab;
    if (nl !== -1 && nl < end) end = nl;
    return this.buf.toString('utf8', from, Math.min(end, from + MAX_CAPTURE));
  }

  protected rowKey(plan: TablePlan): string {
    let key = this.cap0Start >= 0 ? this.buf.toString('utf8', this.cap0Start, this.cap0End) : (this.cap0 ?? this.rowKeyCarry);
    if (key === undefined && this.rowStartPos >= 0) key = this.firstField(this.rowStartPos, this.buf.length);
    const parts = [`${plan.columns[0] ?? '#0'}=${key ?? '?'}`];
    const paramKey = this.paramKeyText();
    if (plan.paramKeyIndex >= 0 && paramKey !== undefined) parts.push(`${plan.columns[plan.paramKeyIndex]}=${paramKey}`);
    return parts.join(', ');
  }

  /**
   * Count old-authority occurrences in `buf[from, to)` (not rewritten). `column` is known when the
   * row is stepped field by field; otherwise `fieldBase` is where `this.field` starts counting.
   */
  protected scanLeftovers(from: number, to: number, table: string, column: string | undefined, fieldBase: number): void {
    for (let t = this.nextTrigger(from); t !== -1 && t < to; t = this.nextTrigger(t + 1)) {
      const p = matchAt(this.buf, t, 0, this.buf.length, this.patterns, true);
      if (p === undefined) continue;
      let col = column;
      const plan = this.plan;
      if (col === undefined && plan !== undefined) {
        const index = this.field + this.countTabs(fieldBase, t);
        col = plan.columns[index] ?? `#${index}`;
      }
      this.recordLeftAlone(table, col ?? '', plan);
    }
  }

  protected recordLeftAlone(table: string, column: string, plan: TablePlan | undefined): void {
    const paramKey = plan !== undefined && plan.paramKeyIndex >= 0 ? this.paramKeyText() : undefined;
    this.evidence.leftAloneAt(
      table,
      column,
      plan === undefined ? -1 : this.rowSeq,
      plan === undefined ? undefined : () => this.rowKey(plan),
      paramKey,
    );
  }
}

/**
 * The index of the first entry >= `from` in the sorted `list[0, count)`, starting from `hint`
 * (the answer to the previous question): searches mostly move forward by a few entries.
 */
export function nextInList(list: Int32Array, count: number, hint: number, from: number): number {
  let i = hint;
  if (i > 0 && (list[i - 1] as number) >= from) {
    let lo = 0;
    let hi = i - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  while (i < count && (list[i] as number) < from) i++;
  return i;
}
