// Exclusions (`data.exclude`): regular expressions over a path relative to the data root, with the
// semantics of DistCp's RegexCopyFilter (java.util.regex `matcher(path).matches()`: the WHOLE path
// must match; each file and directory is tested on its own, a directory's children are not excluded
// with it). Only the part of the regex syntax that java.util.regex and JavaScript read the same way
// is accepted, so the matcher here (plan, verification) and DistCp's filter agree on every path.
import { createHash } from 'node:crypto';

/** Why a pattern is refused, or undefined when it is accepted. */
export function exclusionProblem(pattern: string): string | undefined {
  if (pattern === '') return 'is empty (it would match nothing; remove it)';
  if (/[\n\r]/.test(pattern)) return 'contains a line break (DistCp reads its filters file one pattern per line)';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'ends with a lone backslash';
      if (/[A-Za-z]/.test(next) && !'dDwWsStnrf'.includes(next) && !(next === 'b' || next === 'B') && next !== 'u' && next !== 'x') {
        return `uses \\${next}, which java.util.regex and JavaScript read differently (or one of them rejects); write the character class out`;
      }
      if (inClass && (next === 'b' || next === 'B')) return `uses \\${next} inside [...], which Java and JavaScript read differently`;
      if (next === 'u' && !/^[0-9A-Fa-f]{4}$/.test(pattern.slice(i + 2, i + 6))) return 'uses \\u without exactly four hex digits';
      if (next === 'x' && !/^[0-9A-Fa-f]{2}$/.test(pattern.slice(i + 2, i + 4))) return 'uses \\x without exactly two hex digits';
      if (/[0-9]/.test(next)) return 'uses a backreference or octal escape (\\0..\\9), which Java and JavaScript read differently';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') return 'nests [ inside [...] (a union in Java, a literal [ in JavaScript); escape it as \\[';
      else if (c === '&' && pattern[i + 1] === '&')
        return 'uses && inside [...] (an intersection in Java, literal characters in JavaScript)';
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A leading ] (or ^]) is a literal in Java and an empty class in JavaScript.
      const rest = pattern.slice(i + 1);
      if (rest.startsWith(']') || rest.startsWith('^]'))
        return 'starts a [...] class with ], which Java and JavaScript read differently; escape it as \\]';
      if (rest.startsWith('^')) i++;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern[i + 2];
      if (kind !== ':' && kind !== '=' && kind !== '!') {
        return 'uses a (?...) construct other than (?:...), (?=...) or (?!...) (lookbehind, named groups, atomic groups and inline flags differ between Java and JavaScript)';
      }
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      return 'uses a possessive quantifier (Java only)';
    }
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  return undefined;
}

/** A compiled exclusion list: `excluded('tmp/x.log')` for a path relative to the data root (no leading /). */
export interface Exclusions {
  readonly patterns: readonly string[];
  /** True when the path (relative, `/`-separated, no leading `/`) is excluded. */
  readonly excluded: (relativePath: string) => boolean;
  /** sha256 of the sorted, de-duplicated patterns (empty list → "none"): recorded in the sync state. */
  readonly fingerprint: string;
}

/** Compile a list (already validated by the config); throws on a refused pattern. */
export function compileExclusions(patterns: readonly string[]): Exclusions {
  for (const p of patterns) {
    const problem = exclusionProblem(p);
    if (problem) throw new Error(`exclusion ${JSON.stringify(p)} ${problem}`);
  }
  const regexes = patterns.map((p) => new RegExp(`^(?:${p})$`));
  const unique = [...new Set(patterns)].sort();
  return {
    patterns: [...patterns],
    excluded: (relativePath) => {
      const rel = relativePath.replace(/^\/+/, '');
      return rel !== '' && regexes.some((r) => r.test(rel));
    },
    fingerprint: unique.length === 0 ? 'none' : createHash('sha256').update(unique.join('\n')).digest('hex').slice(0, 16),
  };
}

/** Escape every character java.util.regex and JavaScript treat as special (both read `\<punct>` as the literal). */
export function quoteRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);
}

/**
 * The lines of DistCp's `-filters` file for one data path. RegexCopyFilter sees two forms of a path:
 * DistCpSync (-diff/-rdiff) tests `/` + the path relative to the root, the copy listing tests the
 * full qualified path (`hdfs://ns/<root>[/.snapshot/<name>]/<rel>`), and -delete's listing of the
 * target tests target paths. Each line accepts these forms for the given roots (source and target:
 * an excluded path is neither copied nor deleted on DR) and nothing above them.
 */
export function filtersFileLines(roots: readonly string[], patterns: readonly string[]): string[] {
  const quoted = [...new Set(roots.map((r) => quoteRegex(r.replace(/\/+$/, ''))))];
  const root = quoted.length === 1 ? quoted[0]! : `(?:${quoted.join('|')})`;
  return patterns.map((p) => `(?:/|[a-zA-Z][a-zA-Z0-9+.\\-]*://[^/]*${root}(?:/\\.snapshot/[^/]+)?/)(?:${p})`);
}
