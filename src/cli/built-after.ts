// Build-time artifacts of the fast path (help-cache.json, the *.bundle.cjs) are used only when
// written after tsc last wrote the modules they come from: a plain `tsc -p tsconfig.build.json`
// (which rewrites every output) makes them stale, and the modules answer instead.
import { fs, url } from './builtins.js';
import { requireWithCodeCache } from './code-cache.js';

/** Whether `artifact` exists and is not older than `source` (npm's packed files share one mtime). */
export function builtAfter(artifact: URL, source: URL): boolean {
  try {
    return fs.statSync(artifact).mtimeMs >= fs.statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * The CommonJS bundle the build made of `source` (scripts/bundle-fast-paths.ts), required (not
 * imported: CommonJS needs no ES loader), with the code cache the build kept of it if any
 * (code-cache.ts), unless it is absent or stale: then the modules.
 */
export async function bundledOr<T>(bundle: URL, source: URL, modules: () => Promise<T>): Promise<T> {
  return builtAfter(bundle, source) ? (requireWithCodeCache(url.fileURLToPath(bundle)) as T) : modules();
}
