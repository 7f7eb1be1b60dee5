// One rendering of every error: headline, cause, stderr tail, what to do next. Secrets redacted.
import { ConfigError, ExitStatus, HmsdrError, isAbortError, VerifyError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { redact } from '../util/secrets.js';

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof ExitStatus) return error.exitCode;
  if (error instanceof HmsdrError) return error.exitCode;
  if (isAbortError(error)) return ExitCode.INTERRUPTED;
  return ExitCode.INTERNAL;
}

function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    if (cause instanceof Error) {
      const short = (cause as { shortMessage?: string }).shortMessage ?? cause.message;
      lines.push(short.split('\n')[0] ?? short);
      cause = (cause as { cause?: unknown }).cause;
    } else {
      break;
    }
  }
  return lines;
}

/** Values of `key` along the cause chain, outermost first. */
function alongChain(error: unknown, key: 'stderrTail' | 'hint'): string[] {
  const values: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 6; depth++) {
    const value = (current as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') values.push(value);
    current = (current as { cause?: unknown }).cause;
  }
  return values;
}

export function formatError(error: unknown, options: { verbose?: boolean } = {}): string {
  if (error instanceof ExitStatus) return '';
  const out: string[] = [];
  if (error instanceof HmsdrError) {
    out.push(`✖ ${error.message} (${error.code}, exit ${error.exitCode})`);
    if (error instanceof ConfigError) {
      for (const issue of error.issues) {
        out.push(`  ${issue.line !== undefined ? `line ${issue.line}: ` : ''}${issue.path}: ${issue.message}`);
      }
    }
    if (error instanceof VerifyError) {
      for (const difference of error.differences.slice(0, 50)) out.push(`  - ${difference}`);
      if (error.differences.length > 50) out.push(`  … and ${error.differences.length - 50} more (see the run's report)`);
    }
    for (const line of causeChain(error)) if (!error.message.includes(line)) out.push(`  cause: ${line}`);
    const stderrTail = alongChain(error, 'stderrTail').at(-1); // the process that actually failed
    if (stderrTail) {
      out.push('  stderr (last lines):');
      for (const line of stderrTail.split('\n')) out.push(`    ${line}`);
    }
    const hint = alongChain(error, 'hint')[0]; // the outermost hint knows the operator's situation best
    if (hint) out.push(`  What to do: ${hint}`);
  } else if (isAbortError(error)) {
    out.push('✖ interrupted (exit 130)');
  } else {
    const message = error instanceof Error ? error.message : String(error);
    out.push(`✖ internal error: ${message} (E_INTERNAL, exit 70)`);
    out.push('  This is a bug in hmsdr. Please report it with the command you ran and the run directory (runs/<run-id>/).');
    if (error instanceof Error && error.stack) {
      out.push(
        ...error.stack
          .split('\n')
          .slice(1, options.verbose ? 30 : 6)
          .map((l) => `  ${l.trim()}`),
      );
    }
  }
  if (options.verbose && error instanceof HmsdrError && error.stack) {
    out.push(
      ...error.stack
        .split('\n')
        .slice(1, 20)
        .map((l) => `  ${l.trim()}`),
    );
  }
  return redact(out.join('\n'));
}

/** `{"error":{code,exitCode,message,hint}}` for --json callers (secrets redacted); none for a bare exit status. */
export function errorObject(
  error: unknown,
): { error: { code: string; exitCode: number; message: string; hint: string | null } } | undefined {
  if (error instanceof ExitStatus) return undefined;
  const exitCode = exitCodeOf(error);
  const code = error instanceof HmsdrError ? error.code : isAbortError(error) ? 'E_INTERRUPTED' : 'E_INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const hint = alongChain(error, 'hint')[0] ?? null;
  return { error: { code, exitCode, message: redact(message), hint: hint === null ? null : redact(hint) } };
}
