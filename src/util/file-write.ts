// Writing an output the user named (`rewrite --out`, `bundle -o`) so that no reader ever sees half
// of it: into a temporary name next to it, renamed over it on success. Only a regular file (or a
// name not there yet) may be replaced that way: renaming over /dev/null, /dev/stdout or a named pipe
// would put a file where the device or pipe was (as root, /dev/null itself). Those are written in
// place. A symbolic link is followed, so the link stays and what it points to is replaced.
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export interface FileWrite {
  /** The file to open for writing: a temporary name, or the target itself (a device, a pipe). */
  path: string;
  /** Where `path` is renamed to once it is complete; undefined when it is written in place. */
  renameTo: string | undefined;
}

export function fileWrite(target: string, tempSuffix: string): FileWrite {
  // /dev/stdout redirected to a file is a regular file too, but its writer holds it open.
  if (/^\/(dev|proc)\//.test(resolve(target))) return { path: target, renameTo: undefined };
  try {
    // stat follows links: /dev/stdout is a link to /proc/self/fd/1, whose own link names a pipe.
    if (!statSync(target).isFile()) return { path: target, renameTo: undefined };
  } catch (error) {
    // Not there yet: a new file. Other errors (permissions) surface when it is opened.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path: `${target}${tempSuffix}`, renameTo: target };
    return { path: target, renameTo: undefined };
  }
  const real = lstatSync(target).isSymbolicLink() ? realpathSync(target) : target;
  return { path: `${real}${tempSuffix}`, renameTo: real };
}
