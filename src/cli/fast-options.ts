// Options read without yargs, for the start-up fast paths (check, rewrite). Only the plain forms:
// `--name value` and `--name=value` for values, a bare `--flag` for booleans, every name known,
// single-valued options at most once. Anything else (an unknown or repeated option, a positional,
// a missing value or one that looks like a flag, `--no-x`, `--x=false`) gives undefined, and the
// full parser, which owns every error message, explains it.

/** `string`: once; `strings`: repeatable, collected in order; `flag`: a boolean, bare. */
export type FastOptionKind = 'string' | 'strings' | 'flag';

export interface FastOption {
  flags: readonly string[];
  kind: FastOptionKind;
}

export type FastOptions<K extends string> = Partial<Record<K, string | string[] | true>>;

export function parseFastOptions<K extends string>(args: readonly string[], specs: Record<K, FastOption>): FastOptions<K> | undefined {
  const out: FastOptions<K> = {};
  const keys = Object.keys(specs) as K[];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = keys.find((k) => specs[k].flags.includes(flag));
    if (key === undefined) return undefined;
    const kind = specs[key].kind;
    if (kind === 'flag') {
      if (eq > 0 || out[key] !== undefined) return undefined;
      out[key] = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (kind === 'strings') {
      const list = (out[key] as string[] | undefined) ?? [];
      list.push(value);
      out[key] = list;
    } else {
      if (out[key] !== undefined) return undefined;
      out[key] = value;
    }
  }
  return out;
}
