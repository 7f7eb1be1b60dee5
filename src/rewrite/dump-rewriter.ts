// The rewriter's state machine over pg_dump's plain format: SQL lines (CREATE TABLE limits, COPY
// headers) and COPY rows, rewriting target values and counting everything. The speed-tuned core:
// its hot paths (bulk, wholeRow, copyStep) share the buffer cursors below and stay in one class.
import { VerifyError } from '../errors/errors.js';
import { BACKSLASH, countNewlines, CR, NL, TAB, TERMINATOR } from './copy-bytes.js';
import { DdlLimits } from './ddl-limits.js';
import { planTable, type TablePlan } from './hive-columns.js';
import { countRange, matchAt, MAX_BACKSLASH_RUN, rewriteRange, TRIGGER, unescapedCharLength } from './matcher.js';
import { displayTable, parseCopyHeader } from './pgdump-sql.js';
import { RewriteEvidence, SQL_TABLE, type LengthViolation, type RewriteReport } from './rewrite-evidence.js';
import { ChunkOutput } from './chunk-output.js';
import { compileRules, copyEscape, type Pattern, type RewriterOptions } from './rules.js';

/** SQL lines longer than this are passed through without being parsed (memory bound). */
const MAX_SQL_LINE = 1 << 20;
/** Captured values (row keys, PARAM_KEY, ...) are cut at this many bytes. */
const MAX_CAPTURE = 512;

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/** One table's COPY data (text format, no header, no `\\.` line), as `COPY t (cols) TO STDOUT` sends it. */
export interface CopyTable {
  schema: string | undefined;
  table: string;
  /** Column names in the order of the COPY column list. */
  columns: readonly string[];
  /** Declared `varchar(n)` limits by column name (null: unlimited), as the dump's CREATE TABLE would give them. */
  limits?: ReadonlyMap<string, number | null>;
}

/** The state machine. `process` handles one buffer (carried bytes + new chunk) and returns the output. */
export class DumpRewriter {
  private readonly patterns: Pattern[];
  /** Bytes kept before the first unprocessed byte, for look-behind (scheme, backslash runs). */
  readonly context: number;
  /** Bytes held back at the end of a non-final buffer, so a match is always seen whole. */
  private readonly holdback: number;
  stoppedAt = 0;

  // SQL mode
  private mode: 'sql' | 'copy' = 'sql';
  /** Bare COPY data of one table (createTableRewriter): no header, no `\\.` terminator. */
  private bareCopy = false;
  private sqlLineStart = true;
  private readonly ddl = new DdlLimits();

  // COPY mode
  private plan: TablePlan | undefined;
  private rowStart = true;
  private field = 0;
  /** Where the current row started in this buffer, or -1 when it started in an earlier one. */
  private rowStartPos = -1;
  private rowSeq = 0;
  private rowKeyCarry: string | undefined;
  // Captured fields are kept as positions in the current buffer (no copies on the hot path) and
  // turned into strings only when a buffer ends mid-row or a message needs them.
  private cap0: string | undefined;
  private cap0Start = -1;
  private cap0End = -1;
  private capKey: string | undefined;
  private capKeyStart = -1;
  private capKeyEnd = -1;
  private keyMatches = false;
  private capInfo: string | undefined;
  /** Bytes of a captured field that started in an earlier buffer. */
  private capParts: Buffer[] = [];
  private capLength = 0;
  private readonly keyBuffers: Buffer[];
  private targetParts: Buffer[] | undefined;
  /** Rows and rewrites (per column index) of the current COPY block, flushed into the maps at its end. */
  private blockRows = 0;
  private blockRewrites: number[] = [];
  /** Field starts of the row handled by the bulk path. */
  private fieldStarts: Int32Array = new Int32Array(64);

  // per-buffer
  private buf: Buffer = Buffer.alloc(0);
  private readonly out = new ChunkOutput();
  private emitFrom = 0;
  private nlAt = -2;
  private nlFrom = 0;
  private tabAt = -2;
  private tabFrom = 0;
  private trigAt = -2;
  private trigFrom = 0;

  private readonly evidence = new RewriteEvidence();

  constructor(private readonly options: RewriterOptions) {
    this.patterns = compileRules(options.rules, true);
    this.keyBuffers = options.parameterKeys.map((k) => Buffer.from(copyEscape(k)));
    const longest = this.patterns.reduce((m, p) => Math.max(m, p.length), 0);
    const longestScheme = this.patterns.reduce((m, p) => Math.max(m, p.scheme.length), 0);
    this.holdback = longest + 8;
    this.context = longestScheme + MAX_BACKSLASH_RUN + 8;
  }

  // ---- buffer-level helpers -------------------------------------------------------------------

  private nextNl(from: number): number {
    if (this.nlAt === -2 || (this.nlAt !== -1 && this.nlAt < from) || (this.nlAt === -1 && from < this.nlFrom)) {
      this.nlAt = this.buf.indexOf(NL, from);
      this.nlFrom = from;
    }
    return this.nlAt;
  }

  private nextTab(from: number): number {
    if (this.tabAt === -2 || (this.tabAt !== -1 && this.tabAt < from) || (this.tabAt === -1 && from < this.tabFrom)) {
      this.tabAt = this.buf.indexOf(TAB, from);
      this.tabFrom = from;
    }
    return this.tabAt;
  }

  private nextTrigger(from: number): number {
    if (this.trigAt === -2 || (this.trigAt !== -1 && this.trigAt < from) || (this.trigAt === -1 && from < this.trigFrom)) {
      this.trigAt = this.buf.indexOf(TRIGGER, from);
      this.trigFrom = from;
    }
    return this.trigAt;
  }

  /** End of the current field: the next tab or newline, whichever comes first; -1 if neither. */
  private fieldEnd(from: number): number {
    const nl = this.nextNl(from);
    const tab = this.nextTab(from);
    if (tab === -1) return nl;
    if (nl === -1) return tab;
    return tab < nl ? tab : nl;
  }

  private emitTo(end: number): void {
    if (end > this.emitFrom) this.out.range(this.emitFrom, end);
    this.emitFrom = end;
  }

  private emitPieces(pieces: readonly Buffer[]): void {
    for (const piece of pieces) this.out.piece(piece);
  }

  /** Process `buf` from `start`; sets `stoppedAt` (first byte not processed) and returns the output. */
  process(buf: Buffer, start: number, final: boolean): Buffer {
    this.buf = buf;
    this.out.reset(buf);
    this.emitFrom = start;
    this.nlAt = this.tabAt = this.trigAt = -2;
    const len = buf.length;
    const limit = final ? len : len - this.holdback;
    let pos = start;
    if (this.mode === 'copy' && !this.rowStart) this.rowStartPos = -1;
    while (pos < limit) {
      pos = this.mode === 'sql' ? this.sqlStep(pos, limit, final) : this.copyStep(pos, limit, final);
      if (pos < 0) {
        pos = -pos - 1; // a step asked to stop here and wait for more bytes
        break;
      }
    }
    if (this.targetParts === undefined) this.emitTo(pos);
    if (this.mode === 'copy' && !this.rowStart) this.materializeCaptures();
    this.stoppedAt = pos;
    return this.out.result();
  }

  // ---- SQL mode -------------------------------------------------------------------------------

  /** One step outside COPY data; returns the next position, or -(pos+1) to wait for more bytes. */
  private sqlStep(pos: number, limit: number, final: boolean): number {
    const buf = this.buf;
    const nl = this.nextNl(pos);
    if (!this.sqlLineStart) {
      const end = nl === -1 ? limit : nl;
      this.scanLeftovers(pos, end, SQL_TABLE, '(SQL text)', -1);
      if (nl === -1) return limit;
      this.sqlLineStart = true;
      return nl + 1;
    }
    if (nl === -1 && !final) {
      if (buf.length - pos <= MAX_SQL_LINE) return -(pos + 1);
      this.sqlLineStart = false; // an enormous line: pass it through unparsed
      this.ddl.otherLine();
      return pos;
    }
    const end = nl === -1 ? buf.length : nl;
    this.scanLeftovers(pos, end, SQL_TABLE, '(SQL text)', -1);
    const first = buf[pos];
    if (first === 0x43 /* C */ || first === 0x20 || first === 0x09 || first === 0x29 /* ) */) {
      this.sqlLine(buf.toString('utf8', pos, end));
    } else {
      this.ddl.otherLine();
    }
    return nl === -1 ? buf.length : nl + 1;
  }

  private sqlLine(line: string): void {
    if (this.ddl.line(line)) return;
    const header = parseCopyHeader(line);
    if (header) {
      const name = displayTable(header.schema, header.table);
      this.plan = planTable(name, header.columns, this.options.allParameterKeys);
      this.evidence.sawTable(name);
      this.blockRows = 0;
      this.blockRewrites = zeros(header.columns.length);
      this.mode = 'copy';
      this.rowStart = true;
    }
  }

  // ---- COPY mode ------------------------------------------------------------------------------

  private copyStep(pos: number, limit: number, final: boolean): number {
    const buf = this.buf;
    const plan = this.plan as TablePlan;
    if (this.rowStart) {
      if (buf[pos] === BACKSLASH && buf[pos + 1] === 0x2e) {
        const after = buf[pos + 2];
        if (after === NL || after === CR || (after === undefined && final)) {
          const nl = this.nextNl(pos);
          this.flushBlock();
          this.mode = 'sql';
          this.plan = undefined;
          this.sqlLineStart = true;
          return nl === -1 ? buf.length : nl + 1;
        }
      }
      if (plan.infoIndex < 0) {
        const next = this.bulk(pos, limit, plan);
        if (next > pos) return next;
      }
      this.rowStart = false;
      this.rowStartPos = pos;
      this.field = 0;
      this.rowSeq++;
      this.rowKeyCarry = this.cap0 = this.capKey = this.capInfo = undefined;
      this.cap0Start = this.capKeyStart = -1;
      this.keyMatches = false;
    }
    if (this.targetParts !== undefined || (this.field <= plan.lastInteresting && this.isTarget(plan))) {
      return this.targetField(pos, final);
    }
    if (this.field > plan.lastInteresting) {
      // Nothing more to decide in this row: jump to its end.
      const nl = this.nextNl(pos);
      if (nl === -1) {
        this.scanLeftovers(pos, limit, plan.name, undefined, pos);
        // Stopping mid-row: remember the row key and where the field count is.
        if (this.rowStartPos >= 0 && this.cap0 === undefined && this.cap0Start < 0 && this.rowKeyCarry === undefined) {
          this.rowKeyCarry = this.firstField(this.rowStartPos, limit);
        }
        this.field += this.countTabs(pos, limit);
        return limit;
      }
      this.scanLeftovers(pos, nl, plan.name, undefined, pos);
      this.endRow(plan);
      return nl + 1;
    }
    const end = this.fieldEnd(pos);
    const stop = end === -1 ? limit : end;
    const column = plan.columns[this.field] ?? `#${this.field}`;
    this.scanLeftovers(pos, stop, plan.name, column, -1);
    const capturing = plan.roles[this.field] === 'capture';
    if (end === -1) {
      if (capturing) this.capture(pos, stop);
      return limit;
    }
    if (capturing) this.endCapture(plan, pos, end);
    if (buf[end] === NL) this.endRow(plan);
    else this.field++;
    return end + 1;
  }

  private isTarget(plan: TablePlan): boolean {
    const role = plan.roles[this.field];
    return role === 'target' || (role === 'param-value' && this.keyMatches);
  }

  /** A value to rewrite: collected whole (across buffers if needed), then rewritten and checked. */
  private targetField(pos: number, final: boolean): number {
    const buf = this.buf;
    let end = this.fieldEnd(pos);
    if (end === -1) {
      if (!final) {
        this.emitTo(pos);
        (this.targetParts ??= []).push(Buffer.from(buf.subarray(pos)));
        this.emitFrom = buf.length;
        return -(buf.length + 1);
      }
      end = buf.length;
    }
    const plan = this.plan as TablePlan;
    let value: Buffer;
    let lo: number;
    if (this.targetParts !== undefined) {
      value = Buffer.concat([...this.targetParts, buf.subarray(pos, end)]);
      lo = 0;
      this.targetParts = undefined;
      this.emitFrom = pos;
    } else {
      value = buf;
      lo = pos;
    }
    const hi = value === buf ? end : value.length;
    const trigger = value === buf ? this.nextTrigger(pos) : value.indexOf(TRIGGER);
    let emitted = false;
    if (trigger !== -1 && trigger < hi) {
      const pieces = this.rewriteTarget(value, lo, hi, trigger, plan, this.field);
      if (pieces !== undefined) {
        this.emitTo(pos);
        this.emitPieces(pieces);
        this.emitFrom = end;
        emitted = true;
      }
    }
    if (value !== buf && !emitted) {
      // Collected across buffers and left as is: emit the original bytes.
      this.emitPieces([value]);
      this.emitFrom = end;
    }
    if (end === buf.length) return end;
    if (buf[end] === NL) this.endRow(plan);
    else this.field++;
    return end + 1;
  }

  /** Rewrite one target value; returns the pieces to emit instead of it (undefined: emit as is). */
  private rewriteTarget(src: Buffer, lo: number, hi: number, trigger: number, plan: TablePlan, field: number): Buffer[] | undefined {
    const result = rewriteRange(src, lo, hi, this.patterns, true, trigger);
    const pieces = result.pieces;
    if (pieces === undefined) return undefined;
    this.blockRewrites[field] = (this.blockRewrites[field] ?? 0) + 1;
    if (result.delta > 0) this.checkLength(plan, plan.columns[field] ?? `#${field}`, hi - lo + result.delta, () => Buffer.concat(pieces));
    return this.options.countOnly ? undefined : pieces;
  }

  /**
   * rewriteTarget for a value `buf[fs, fe)` of this buffer, written straight into the output (the
   * SDS rows' hot path: no pieces, no Buffer per match). Same matching as rewriteRange.
   */
  private rewriteTargetInto(fs: number, fe: number, t: number, plan: TablePlan, field: number): void {
    const buf = this.buf;
    const out = this.out;
    let last = fs;
    let delta = 0;
    let matched = false;
    while (t !== -1 && t + 3 <= fe) {
      const p = matchAt(buf, t, fs, fe, this.patterns, true);
      if (p === undefined || t - p.scheme.length < last) {
        t = buf.indexOf(TRIGGER, t + 1);
        continue;
      }
      const s = t - p.scheme.length;
      const e = t + 3 + p.rest.length;
      if (matched) out.range(last, s);
      else this.emitTo(s);
      matched = true;
      out.piece(p.replacement);
      delta += p.replacement.length - (e - s);
      last = e;
      t = buf.indexOf(TRIGGER, e);
    }
    if (!matched) return;
    out.range(last, fe);
    this.emitFrom = fe;
    this.blockRewrites[field] = (this.blockRewrites[field] ?? 0) + 1;
    if (delta > 0) {
      this.checkLength(plan, plan.columns[field] ?? `#${field}`, fe - fs + delta, () => Buffer.concat(rewriteRange(buf, fs, fe, this.patterns, true).pieces ?? []));
    }
  }

  /**
   * The fast path over whole rows: count rows and look only at rows holding a `://`. Handles the
   * complete rows from `pos` up to the block end or the last newline before `limit`; returns where it stopped.
   */
  private bulk(pos: number, limit: number, plan: TablePlan): number {
    const buf = this.buf;
    const lastNl = buf.lastIndexOf(NL, limit - 1);
    if (lastNl < pos) return pos;
    let end = lastNl + 1;
    const term = buf.indexOf(TERMINATOR, pos);
    if (term !== -1 && term + 1 < end) end = term + 1;
    let at = pos;
    let rows = 0;
    for (let t = this.nextTrigger(pos); t !== -1 && t < end; t = this.nextTrigger(at)) {
      // One walk to the trigger: count the rows before it and note the field starts of its row.
      let starts = this.fieldStarts;
      let n = 1;
      starts[0] = at;
      for (let i = at; i < t; i++) {
        const b = buf[i];
        if (b === NL) {
          rows++;
          n = 1;
          starts[0] = i + 1;
        } else if (b === TAB) {
          if (n === starts.length) starts = this.growFieldStarts();
          starts[n++] = i + 1;
        }
      }
      at = this.wholeRow(plan, n, t);
      rows++;
    }
    rows += countNewlines(buf, at, end);
    this.blockRows += rows;
    return end;
  }

  private growFieldStarts(): Int32Array {
    const grown = new Int32Array(this.fieldStarts.length * 2);
    grown.set(this.fieldStarts);
    this.fieldStarts = grown;
    return grown;
  }

  /**
   * One complete row whose first `n` field starts (up to the trigger `t`) are in `fieldStarts`:
   * rewrite or report the fields holding triggers. Returns the index after the row's newline.
   */
  private wholeRow(plan: TablePlan, n: number, t: number): number {
    const buf = this.buf;
    let starts = this.fieldStarts;
    const start = starts[0] as number;
    const rowEnd = this.nextNl(t);
    this.rowSeq++;
    this.rowStartPos = start;
    this.rowKeyCarry = this.cap0 = this.capKey = undefined;
    this.capKeyStart = -1;
    let i = t;
    for (;;) {
      const f = n - 1;
      const fs = starts[f] as number;
      let fe = this.nextTab(t);
      if (fe === -1 || fe > rowEnd) fe = rowEnd;
      this.cap0Start = start;
      this.cap0End = Math.min(n > 1 ? (starts[1] as number) - 1 : fe, start + MAX_CAPTURE);
      const role = plan.roles[f];
      let target = role === 'target';
      const k = plan.paramKeyIndex;
      if (k >= 0 && f > k) {
        const ks = starts[k] as number;
        const ke = (starts[k + 1] as number) - 1;
        this.capKeyStart = ks;
        this.capKeyEnd = Math.min(ke, ks + MAX_CAPTURE);
        if (role === 'param-value') target = this.isConfiguredKey(buf, ks, ke);
      }
      if (target && !this.options.countOnly) {
        this.rewriteTargetInto(fs, fe, t, plan, f);
      } else if (target) {
        this.rewriteTarget(buf, fs, fe, t, plan, f);
      } else if (countRange(buf, fs, fe, this.patterns, true) > 0) {
        this.recordLeftAlone(plan.name, plan.columns[f] ?? `#${f}`, plan);
      }
      t = this.nextTrigger(fe);
      if (t === -1 || t > rowEnd) break;
      // Another trigger in this row: note the field starts up to it.
      for (i = fe; i < t; i++) {
        if (buf[i] === TAB) {
          if (n === starts.length) starts = this.growFieldStarts();
          starts[n++] = i + 1;
        }
      }
    }
    this.cap0Start = this.capKeyStart = -1;
    return rowEnd + 1;
  }

  private isConfiguredKey(src: Buffer, start: number, stop: number): boolean {
    const length = stop - start;
    for (const key of this.keyBuffers) {
      if (key.length === length && src.compare(key, 0, length, start, stop) === 0) return true;
    }
    return false;
  }

  private flushBlock(): void {
    if (this.plan === undefined) return;
    this.evidence.addBlock(this.plan, this.blockRows, this.blockRewrites);
    this.blockRows = 0;
    this.blockRewrites = [];
  }

  private checkLength(plan: TablePlan, column: string, rawLength: number, value: () => Buffer): void {
    const declared = this.ddl.limit(plan.name, column);
    const limit = declared === undefined ? this.options.maxValueLength : declared === null ? Infinity : Math.min(declared, this.options.maxValueLength);
    if (rawLength <= limit) return; // characters never exceed escaped bytes
    const length = unescapedCharLength(value());
    if (length <= limit) return;
    const violation: LengthViolation = { table: plan.name, column, rowKey: this.rowKey(plan), length, limit };
    if (this.options.countOnly) {
      this.evidence.violation(violation);
      return;
    }
    throw new VerifyError(
      `rewriting ${violation.table}.${column} in row ${violation.rowKey} gives ${length} characters, more than the column allows (${limit})`,
      [`${violation.table}.${column} ${violation.rowKey}: ${length} > ${limit}`],
      { hint: 'use a shorter new authority, or shorten that location in the source metastore; nothing was restored' },
    );
  }

  /** A captured field continues past this buffer: keep a copy of its bytes (bounded). */
  private capture(from: number, to: number): void {
    const room = MAX_CAPTURE - this.capLength;
    if (room <= 0) return;
    const end = Math.min(to, from + room);
    this.capParts.push(Buffer.from(this.buf.subarray(from, end)));
    this.capLength += end - from;
  }

  /** A captured field ends at `end` in this buffer. */
  private endCapture(plan: TablePlan, pos: number, end: number): void {
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
  private materializeCaptures(): void {
    if (this.cap0Start >= 0) this.cap0 = this.buf.toString('utf8', this.cap0Start, this.cap0End);
    if (this.capKeyStart >= 0) this.capKey = this.buf.toString('utf8', this.capKeyStart, this.capKeyEnd);
    this.cap0Start = this.capKeyStart = -1;
  }

  private paramKeyText(): string | undefined {
    return this.capKeyStart >= 0 ? this.buf.toString('utf8', this.capKeyStart, this.capKeyEnd) : this.capKey;
  }

  private endRow(plan: TablePlan): void {
    this.blockRows++;
    this.rowStart = true;
    if (plan.infoIndex >= 0 && this.capInfo !== undefined) {
      if (plan.key === 'VERSION') this.evidence.hiveVersion = this.capInfo;
      else if (plan.key === 'NOTIFICATION_LOG' && this.capInfo.startsWith('gzip')) this.evidence.gzipMessage(plan.name, () => this.rowKey(plan));
    }
  }

  private countTabs(from: number, to: number): number {
    let n = 0;
    for (let t = this.buf.indexOf(TAB, from); t !== -1 && t < to; t = this.buf.indexOf(TAB, t + 1)) n++;
    return n;
  }

  private firstField(from: number, limit: number): string {
    const tab = this.buf.indexOf(TAB, from);
    const nl = this.buf.indexOf(NL, from);
    let end = limit;
    if (tab !== -1 && tab < end) end = tab;
    if (nl !== -1 && nl < end) end = nl;
    return this.buf.toString('utf8', from, Math.min(end, from + MAX_CAPTURE));
  }

  private rowKey(plan: TablePlan): string {
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
  private scanLeftovers(from: number, to: number, table: string, column: string | undefined, fieldBase: number): void {
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

  private recordLeftAlone(table: string, column: string, plan: TablePlan | undefined): void {
    const paramKey = plan !== undefined && plan.paramKeyIndex >= 0 ? this.paramKeyText() : undefined;
    this.evidence.leftAloneAt(table, column, plan === undefined ? -1 : this.rowSeq, plan === undefined ? undefined : () => this.rowKey(plan), paramKey);
  }

  /** Start inside `table`'s COPY data; the end of the input then ends the block (see finish). */
  enterCopy(table: CopyTable): void {
    const name = displayTable(table.schema, table.table);
    this.ddl.declare(name, table.limits ?? []);
    this.sqlLine(`COPY ${quoteName(table.schema, table.table)} (${table.columns.map(quoteIdentifier).join(', ')}) FROM stdin;`);
    this.bareCopy = true;
  }

  finish(): void {
    if (this.mode === 'copy' && this.bareCopy && this.rowStart) {
      this.flushBlock();
      this.mode = 'sql';
      this.plan = undefined;
      return;
    }
    if (this.mode === 'copy' && this.bareCopy) {
      throw new VerifyError(`the COPY data of ${this.plan?.name ?? '?'} ended inside a row: it is truncated`, [`truncated COPY row: ${this.plan?.name ?? '?'}`]);
    }
    if (this.mode === 'copy') {
      throw new VerifyError(`the dump ended inside the COPY data of ${this.plan?.name ?? '?'} (no \\. line): it is truncated`, [
        `truncated COPY block: ${this.plan?.name ?? '?'}`,
      ]);
    }
  }

  report(bytesIn: number, bytesOut: number): RewriteReport {
    if (this.mode === 'copy') this.flushBlock();
    return this.evidence.report(bytesIn, bytesOut, this.options.countOnly === true);
  }
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteName = (schema: string | undefined, table: string): string => (schema === undefined ? quoteIdentifier(table) : `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`);
