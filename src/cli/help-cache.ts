// `hmsdr --help` and `hmsdr <command> --help` as yargs printed them at build time
// (scripts/gen-help-cache.ts writes help-cache.json next to the built module), so a person's first
// look does not wait for yargs. yargs stays the source: the cache is only its output, used when the
// output would be the same (same version, width and language), else the full parser renders it.
import { fs } from './builtins.js';
import { builtAfter } from './built-after.js';

export const HELP_CACHE_FILE = 'help-cache.json';

export interface HelpCache {
  version: string;
  /** The wrap width the texts were rendered at (helpWidth of a non-terminal stdout). */
  width: number;
  /** '' for `hmsdr --help`, else the command name: the text yargs printed on stdout. */
  texts: Record<string, string>;
}

/** The width cli.ts wraps help at: the terminal's, at most 110; 100 when stdout is not a terminal. */
export const helpWidth = (columns: number | undefined): number => Math.min(110, columns || 100);

/**
 * Whether yargs would print English: it picks its language from these variables (yargs-factory's
 * guessLocale); C, POSIX and en* have no translation file of their own, so they read as English.
 */
export function yargsSpeaksEnglish(env: NodeJS.ProcessEnv): boolean {
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || 'en_US').replace(/[.:].*/, '');
  return /^(C|POSIX|en|en_.*)$/.test(locale);
}

/** The key of a help text: exactly `--help` or `<command> --help`; anything else is yargs' to read. */
export function helpKey(argv: readonly string[]): string | undefined {
  if (argv.length === 1 && argv[0] === '--help') return '';
  if (argv.length === 2 && argv[1] === '--help' && /^[a-z][a-z-]*$/.test(argv[0]!)) return argv[0];
  return undefined;
}

/** The cached text for argv, or undefined when the full parser must answer. */
export function cachedHelp(
  argv: readonly string[],
  cache: HelpCache | undefined,
  now: { version: string | undefined; columns: number | undefined; env: NodeJS.ProcessEnv },
): string | undefined {
  const key = helpKey(argv);
  if (key === undefined || cache === undefined || now.version === undefined) return undefined;
  if (cache.version !== now.version || cache.width !== helpWidth(now.columns) || !yargsSpeaksEnglish(now.env)) return undefined;
  return Object.hasOwn(cache.texts, key) ? cache.texts[key] : undefined;
}

/**
 * The cache next to this module; undefined where none was built (src run directly, the SEA binary)
 * or where tsc rewrote the modules after it was (a stale text).
 */
export function readHelpCache(dir: URL = new URL('.', import.meta.url)): HelpCache | undefined {
  const url = new URL(HELP_CACHE_FILE, dir);
  if (!builtAfter(url, new URL('cli.js', dir))) return undefined;
  try {
    return JSON.parse(fs.readFileSync(url, 'utf8')) as HelpCache;
  } catch {
    return undefined;
  }
}
