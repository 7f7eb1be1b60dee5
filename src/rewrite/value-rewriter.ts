// One target value rewritten: its matches replaced (as pieces, or straight into the chunk's output),
// the rewrites counted per column of the COPY block, and the rewritten value held to its column's
// length (the varchar(n) of the dump's DDL, and the configured maximum). DumpRewriter
// (dump-rewriter.ts) extends it with the state machine.
import { VerifyError } from '../errors/errors.js';
import { CopyCursor } from './copy-cursor.js';
import { DdlLimits } from './ddl-limits.js';
import type { TablePlan } from './hive-columns.js';
import { matchAt, rewriteRange, unescapedCharLength } from './matcher.js';
import type { LengthViolation } from './rewrite-evidence.js';
import type { RewriterOptions } from './rules.js';

export abstract class ValueRewriter extends CopyCursor {
  protected readonly ddl = new DdlLimits();
  /** Rewrites per column index of the current COPY block, flushed into the report at its end. */
  protected blockRewrites: number[] = [];

  constructor(
    protected readonly options: RewriterOptions,
    reuseOutput: boolean,
  ) {
    super(options, reuseOutput);
  }

  /** Rewrite one target value; returns the pieces to emit instead of it (undefined: emit as is). */
  protected rewriteTarget(src: Buffer, lo: number, hi: number, trigger: number, plan: TablePlan, field: number): Buffer[] | undefined {
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
  protected rewriteTargetInto(fs: number, fe: number, t: number, plan: TablePlan, field: number): void {
    const buf = this.buf;
    const out = this.out;
    let last = fs;
    let delta = 0;
    let matched = false;
    while (t !== -1 && t + 3 <= fe) {
      const p = matchAt(buf, t, fs, fe, this.patterns, true);
      if (p === undefined || t - p.scheme.length < last) {
        t = this.nextTrigger(t + 1);
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
      t = this.nextTrigger(e);
    }
    if (!matched) return;
    out.range(last, fe);
    this.emitFrom = fe;
    this.blockRewrites[field] = (this.blockRewrites[field] ?? 0) + 1;
    if (delta > 0) {
      this.checkLength(plan, plan.columns[field] ?? `#${field}`, fe - fs + delta, () =>
        Buffer.concat(rewriteRange(buf, fs, fe, this.patterns, true).pieces ?? []),
      );
    }
  }

  /** The longest value `column` takes: its varchar(n) in the dump's DDL, and the configured maximum. */
  protected valueLimit(plan: TablePlan, column: string): number {
    const declared = this.ddl.limit(plan.name, column);
    return declared === undefined
      ? this.options.maxValueLength
      : declared === null
        ? Infinity
        : Math.min(declared, this.options.maxValueLength);
  }

  private checkLength(plan: TablePlan, column: string, rawLength: number, value: () => Buffer): void {
    const limit = this.valueLimit(plan, column);
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
}
