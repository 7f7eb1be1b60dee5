// Build-time artifacts of the fast path (help-cache.json, the *.bundle.js) are used only when
// written after tsc last wrote the modules they come from: a plain `tsc -p tsconfig.build.json`
// (which rewrites every output) makes them stale, and the modules answer instead.
import { fs } from './builtins.js';

/** Whether `artifact` exists and is not older than `source` (npm's packed files share one mtime). */
export function builtAfter(artifact: URL, source: URL): boolean {
  try {
    return fs.statSync(artifact).mtimeMs >= fs.statSync(source).mtimeMs;
  } catch {
    return false;
  }
}
