// Hadoop reads every FsShell path argument as a glob (org.apache.hadoop.fs.GlobPattern): `*`, `?`,
// `[...]` (`[!...]` negated), `{a,b}`, and `\` escaping the next character. The stand-in expands
// them for `-checksum`, the command hmsdr sends `<dir>/*` to; its other commands take paths as typed.
import { FsError } from './errors.js';
import { children, pathInfo } from './fs-shell.js';
import { resolvePath, type ResolvedPath } from './resolve.js';

/** A path component as GlobPattern compiles it; undefined when it has no wildcard. */
export function globRegex(component: string): RegExp | undefined {
  let regex = '';
  let wildcard = false;
  let setOpen = false;
  let curlyOpen = 0;
  for (let i = 0; i < component.length; i++) {
    const c = component[i]!;
    switch (c) {
      case '\\':
        if (++i >= component.length) throw new FsError(`Illegal file pattern: Missing escaped character for ${component}`);
        regex += `\\${component[i]}`;
        continue;
      case '*':
        regex += '.*';
        wildcard = true;
        continue;
      case '?':
        regex += '.';
        wildcard = true;
        continue;
      case '{':
        regex += '(?:';
        curlyOpen++;
        wildcard = true;
        continue;
      case ',':
        regex += curlyOpen > 0 ? '|' : ',';
        continue;
      case '}':
        if (curlyOpen > 0) {
          curlyOpen--;
          regex += ')';
          continue;
        }
        regex += '\\}';
        continue;
      case '[':
        setOpen = true;
        wildcard = true;
        regex += '[';
        continue;
      case '!':
        regex += setOpen && component[i - 1] === '[' ? '^' : '!';
        continue;
      case ']':
        setOpen = false;
        regex += ']';
        continue;
      case '^':
        regex += setOpen ? '^' : '\\^';
        continue;
      default:
        regex += /[.$()|+]/.test(c) ? `\\${c}` : c;
    }
  }
  if (curlyOpen > 0) throw new FsError(`Illegal file pattern: Unclosed group for ${component}`);
  return wildcard ? new RegExp(`^${regex}$`, 's') : undefined;
}

const literalOf = (component: string): string => component.replace(/\\(.)/g, '$1');

/** The paths `typed` matches (as Hadoop prints them: in the form typed); [] when none. */
export function expandGlob(typed: string): ResolvedPath[] {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/.exec(typed)?.[0] ?? '';
  const components = typed.slice(scheme.length).split('/');
  const first = components.findIndex((c) => globRegex(c) !== undefined);
  if (first < 0) {
    const literal = resolvePath(literalOf(typed));
    return pathInfo(literal) ? [literal] : [];
  }
  let matches: ResolvedPath[] = [resolvePath(`${scheme}${components.slice(0, first).map(literalOf).join('/') || '/'}`)];
  for (const component of components.slice(first)) {
    if (component === '') continue;
    const pattern = globRegex(component);
    const next: ResolvedPath[] = [];
    for (const parent of matches) {
      if (!pathInfo(parent)?.isDir) continue;
      if (pattern) next.push(...children(parent).filter((child) => pattern.test(child.path.slice(child.path.lastIndexOf('/') + 1))));
      else {
        const sep = parent.typed.endsWith('/') ? '' : '/';
        const child = resolvePath(`${parent.typed}${sep}${literalOf(component)}`);
        if (pathInfo(child)) next.push(child);
      }
    }
    matches = next;
  }
  return matches;
}
