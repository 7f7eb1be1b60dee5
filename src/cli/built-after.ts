// Build-time artifacts of the fast path (help-cache.json, the *.bundle.cjs) are used only when
// written after tsc last wrote the modules they come from: a plain `tsc -p tsconfig.build.json`
// (which rewrites every output) makes them stale, and the modules answer instead.
import { fs, nodeModule, url } from './builtins.js';

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
 * imported: CommonJS needs no ES loader) or loaded by `load`, unless it is absent or stale: then the
 * modules.
 */
export async function bundledOr<T>(
  bundle: URL,
  source: URL,
  modules: () => Promise<T>,
  load: (file: string) => unknown = (file) => nodeModule.createRequire(file)(file),
): Promise<T> {
  return builtAfter(bundle, source) ? (load(url.fileURLToPath(bundle)) as T) : modules();
}
