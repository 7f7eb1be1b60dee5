// Durations as operators write them: `500ms`, `30s`, `15m`, `26h`, `2d`, `1h30m`, or a plain number
// of a default unit. One parser for config keys and command-line options.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined when `text` is not a duration. A bare number is in `bareUnit`. */
export function parseDuration(text: string, bareUnit: keyof typeof UNIT_MS = 'ms'): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * UNIT_MS[bareUnit]!);
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, value, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(value) * UNIT_MS[unit!]!;
  return Math.round(total);
}

export const DURATION_FORMS = '`500ms`, `30s`, `15m`, `2h`, `1d`, `1h30m`';
