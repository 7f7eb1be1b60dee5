// Build-time artifacts of the fast path (help-cache.json, the *.bundle.js) are used only when
// written after tsc last wrote the modules they come from: a plain `tsc -p tsconfig.build.json`
// (which rewrites every output) makes them stale, and the modules answer instead.
import { statSync } from 'node:fs';

/** Whether `artifact` exists and is not older than `source` (npm's packed files share one mtime). */
export function builtAfter(artifact: URL, source: URL): boolean {
  try {
    return statSync(artifact).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}
