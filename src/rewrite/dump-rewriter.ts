// The rewriter's state machine over pg_dump's plain format: SQL lines (CREATE TABLE limits, COPY
// headers) and COPY rows, rewriting target values and counting everything. The speed-tuned core
// (bulk, wholeRow, copyStep); one value's rewrite and length check are in value-rewriter.ts, the
// buffer cursor and row captures in copy-cursor.ts.
import { VerifyError } from '../errors/errors.js';
import { BACKSLASH, countNewlines, CR, NL } from './copy-bytes.js';
import { planTable, type TablePlan } from './hive-columns.js';
import { countRange, MAX_BACKSLASH_RUN, TRIGGER } from './matcher.js';
import { copyHeaderLine, displayTable, parseCopyHeader } from './pgdump-sql.js';
import { SQL_TABLE, type RewriteReport } from './rewrite-evidence.js';
import { MAX_CAPTURE } from './copy-cursor.js';
import { ValueRewriter } from './value-rewriter.js';
import { FieldStarts } from './field-starts.js';
import type { RewriterOptions } from './rules.js';
import type { BufferMarks, RowLocation } from './simd-scan.js';
import { SWEEP_DEFER, SWEEP_FULL } from './row-kernels.js';

/** SQL lines longer than this are passed through without being parsed (memory bound). */
const MAX_SQL_LINE = 1 << 20;

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
export class DumpRewriter extends ValueRewriter {
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

  // COPY mode
  private rowStart = true;
  private targetParts: Buffer[] | undefined;
  /** Rows of the current COPY block, flushed into the report at its end (with blockRewrites). */
  private blockRows = 0;
  /** Field starts of the row handled by the bulk path. */
  private readonly fields = new FieldStarts();
  private readonly located: RowLocation = { rowStart: 0, fieldIndex: 0, fieldStart: 0, fieldEnd: 0, rowEnd: 0 };
  /** The COPY block whose columns canSweep prepared: the ones to rewrite, their roles and limits for sweep. */
  private sweepPlan: TablePlan | undefined;
  private sweepColumns: number[] = [];
  private sweepRoles = new Uint8Array(0);
  private sweepLimits = new Int32Array(0);

  constructor(options: RewriterOptions, { reuseOutput = false }: { reuseOutput?: boolean } = {}) {
    super(options, reuseOutput);
    const longest = this.patterns.reduce((m, p) => Math.max(m, p.length), 0);
    const longestScheme = this.patterns.reduce((m, p) => Math.max(m, p.scheme.length), 0);
    this.holdback = longest + 8;
    this.context = longestScheme + MAX_BACKSLASH_RUN + 8;
  }

  // ---- buffer-level helpers -------------------------------------------------------------------

  /** Process `buf` from `start`; sets `stoppedAt` (first byte not processed) and returns the output. */
  process(buf: Buffer, start: number, final: boolean, marks?: BufferMarks): Buffer {
    this.useBuffer(buf, marks);
    this.out.reset(buf, marks?.outputArea());
    this.emitFrom = start;
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
      this.blockRewrites = new Array<number>(header.columns.length).fill(0);
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

  /**
   * The fast path over whole rows: count rows and look only at rows holding a `://`. Handles the
   * complete rows from `pos` up to the block end or the last newline before `limit`; returns where it stopped.
   */
  private bulk(pos: number, limit: number, plan: TablePlan): number {
    const buf = this.buf;
    const lastNl = buf.lastIndexOf(NL, limit - 1);
    if (lastNl < pos) return pos;
    let end = lastNl + 1;
    const term = this.nextTerminator(pos);
    if (term !== -1 && term + 1 < end) end = term + 1;
    if (this.marks !== undefined && this.canSweep(plan)) this.sweepRows(pos, end, plan);
    else this.eachTriggerRow(pos, end, plan);
    // Rows are counted in one pass over the whole range (16 bytes at a time in a SIMD arena).
    const rows = countNewlines(buf, pos, end);
    this.blockRows += rows;
    return end;
  }

  /** The rows holding a `://` among the complete rows [pos, end), one by one (wholeRow). */
  private eachTriggerRow(pos: number, end: number, plan: TablePlan): void {
    const buf = this.buf;
    const located = this.located;
    const fields = this.fields;
    let at = pos;
    for (let t = this.nextTrigger(pos); t !== -1 && t < end; t = this.nextTrigger(at)) {
      if (this.marks !== undefined) {
        this.marks.locate(t, at, end, located);
        fields.fromLocation(buf, located, Math.max(1, plan.paramKeyIndex + 1));
        at = this.wholeRow(plan, t, located.rowEnd, located.fieldEnd);
        continue;
      }
      // The trigger's row: where it starts, then its field starts up to the trigger.
      // (Mostly the row at `at`, as in SDS: then the next newline, which wholeRow needs, is past it.)
      const nl = this.nextNl(at);
      fields.walk(buf, nl === -1 || nl > t ? at : buf.lastIndexOf(NL, t) + 1, t);
      at = this.wholeRow(plan, t);
    }
  }

  /**
   * Whether the COPY block's rows may be swept in WebAssembly (sweep in row-kernels.ts): its
   * columns known there, no PARAM_KEY to look at, values rewritten (not only counted).
   */
  private canSweep(plan: TablePlan): boolean {
    if (plan !== this.sweepPlan) {
      this.sweepPlan = plan;
      this.sweepColumns = [];
      this.sweepRoles = new Uint8Array(plan.roles.length);
      this.sweepLimits = new Int32Array(plan.roles.length);
      plan.roles.forEach((role, f) => {
        if (role !== 'target') return;
        this.sweepColumns.push(f);
        this.sweepRoles[f] = 1;
        this.sweepLimits[f] = Math.min(this.valueLimit(plan, plan.columns[f] ?? `#${f}`), 0x7fffffff);
      });
    }
    if (this.options.countOnly || plan.paramKeyIndex >= 0 || this.sweepColumns.length === 0) return false;
    return (this.marks as BufferMarks).prepareSweep(this.patterns, plan, this.sweepRoles, this.sweepLimits);
  }

  /**
   * The rows holding a `://` among the complete rows [pos, end): swept in WebAssembly, each row
   * it leaves (not the simple case) done by wholeRow, as the loop in bulk would.
   */
  private sweepRows(pos: number, end: number, plan: TablePlan): void {
    const marks = this.marks as BufferMarks;
    const swept = marks.swept;
    let at = pos;
    let index = this.triggerIndexFrom(pos);
    while (index < marks.triggerCount && (marks.triggers[index] as number) < end) {
      // In place in the output when it lives in the sweep's area (the file loop), else copied.
      const place = this.out.placeInArea();
      const status = marks.sweep(index, at, end, this.emitFrom, Math.max(place, 0));
      if (place >= 0) this.out.wroteInArea(swept.written);
      else if (swept.written > 0) this.out.piece(marks.sweptOutput());
      this.emitFrom = swept.emit;
      for (const f of this.sweepColumns) this.blockRewrites[f] = (this.blockRewrites[f] ?? 0) + marks.takeCount(f);
      if (swept.rows > 0) {
        // As wholeRow leaves them after its row.
        this.rowSeq += swept.rows;
        this.rowStartPos = swept.lastRowStart;
        this.rowKeyCarry = this.cap0 = this.capKey = undefined;
      }
      at = swept.at;
      index = swept.index;
      if (status === SWEEP_DEFER) {
        const t = marks.triggers[index] as number;
        marks.locate(t, at, end, this.located);
        this.fields.fromLocation(this.buf, this.located, 1);
        at = this.wholeRow(plan, t, this.located.rowEnd, this.located.fieldEnd);
        index = this.triggerIndexFrom(at);
      } else if (status === SWEEP_FULL) {
        this.emitTo(swept.wanted); // more kept bytes than the output area holds: copied here
      }
    }
  }

  /**
   * One complete row whose field starts up to the trigger `t` are in `fields`:
   * rewrite or report the fields holding triggers. Returns the index after the row's newline.
   * `rowEnd` and `fieldEnd` (the trigger field's end), when the caller found them already.
   */
  private wholeRow(plan: TablePlan, t: number, rowEnd = this.nextNl(t), fieldEnd = -2): number {
    const buf = this.buf;
    const fields = this.fields;
    const start = fields.starts[0] as number;
    this.rowSeq++;
    this.rowStartPos = start;
    this.rowKeyCarry = this.cap0 = this.capKey = undefined;
    this.capKeyStart = -1;
    for (;;) {
      const starts = fields.starts;
      const n = fields.n;
      const f = n - 1;
      const fs = starts[f] as number;
      let fe = fieldEnd === -2 ? this.nextTab(t) : fieldEnd;
      fieldEnd = -2;
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
      fields.extend(buf, fe, t); // another trigger in this row: the field starts up to it
    }
    this.cap0Start = this.capKeyStart = -1;
    return rowEnd + 1;
  }

  private flushBlock(): void {
    if (this.plan === undefined) return;
    this.evidence.addBlock(this.plan, this.blockRows, this.blockRewrites);
    this.blockRows = 0;
    this.blockRewrites = [];
  }

  private endRow(plan: TablePlan): void {
    this.blockRows++;
    this.rowStart = true;
    if (plan.infoIndex >= 0 && this.capInfo !== undefined) {
      if (plan.key === 'VERSION') this.evidence.hiveVersion = this.capInfo;
      else if (plan.key === 'NOTIFICATION_LOG' && this.capInfo.startsWith('gzip'))
        this.evidence.gzipMessage(plan.name, () => this.rowKey(plan));
    }
  }

  /** Start inside `table`'s COPY data; the end of the input then ends the block (see finish). */
  enterCopy(table: CopyTable): void {
    const name = displayTable(table.schema, table.table);
    this.ddl.declare(name, table.limits ?? []);
    this.sqlLine(copyHeaderLine(table.schema, table.table, table.columns));
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
      throw new VerifyError(`the COPY data of ${this.plan?.name ?? '?'} ended inside a row: it is truncated`, [
        `truncated COPY row: ${this.plan?.name ?? '?'}`,
      ]);
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
