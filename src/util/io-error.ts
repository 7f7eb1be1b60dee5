// A read or write the system refused, said plainly: the errno's meaning, the file, no stack.
import { PreconditionError } from '../errors/errors.js';

const IO_HINTS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EROFS: 'a read-only file system',
  EISDIR: 'it is a directory',
  EPIPE: 'the reader closed the pipe before the end',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EIO: 'an I/O error on the device',
  EBADF: 'the descriptor is not open for this',
};

/** A clear error (exit 4) for a read or write the system refused: the errno's meaning, no stack. */
export function ioError(what: string, name: string, error: NodeJS.ErrnoException): PreconditionError {
  const code = error.code ?? 'unknown';
  const meaning = IO_HINTS[code] ?? error.message;
  return new PreconditionError(`cannot ${what} (${name}): ${meaning} (${code})`);
}
