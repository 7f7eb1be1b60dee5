// A bundle run with the code V8 had compiled once the build ran it (scripts/keep-code-cache.ts): the
// config loader once it loaded a config, the rewriter once it rewrote a dump. Node's compile cache
// keeps only what V8 compiles before a module runs (its top level): yaml's parser, zod's checks and
// the rewriter's loops are compiled when first called, in every process. The cache is kept beside
// the bundle for the Node that built it (docs/performance.md); any other Node, or a cache older than
// its bundle, is not read, and a bundle without one is required as any other.
import { fs, nodeModule } from './builtins.js';

/** Where the build keeps the code cache of `bundle`: one file per Node version and architecture. */
export const codeCacheFile = (bundle: string): string => `${bundle}.${process.version}-${process.arch}.v8cache`;

/** A CommonJS file compiled as Node wraps one, through vm.Script (whose code cache can be made after it ran). */
export function runCommonJs(file: string, cachedData?: Buffer): { exports: unknown; script: import('node:vm').Script } {
  const source = fs.readFileSync(file, 'utf8');
  // Taken here, not with the other built-ins: only this path needs it.
  const script = new (process.getBuiltinModule('node:vm').Script)(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: file,
      cachedData,
    },
  );
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, nodeModule.createRequire(file), module, file, file.replace(/\/[^/]*$/, ''));
  return { exports: module.exports, script };
}

/** The build's code cache of `bundle` for this Node, unless absent or older than the bundle. */
export function usableCodeCache(bundle: string): Buffer | undefined {
  const cache = codeCacheFile(bundle);
  try {
    if (fs.statSync(cache).mtimeMs >= fs.statSync(bundle).mtimeMs) return fs.readFileSync(cache);
  } catch {
    // No cache for this Node: Node's own compile cache, as for every other module.
  }
  return undefined;
}

/**
 * `require(bundle)`, but with the build's code cache when there is one for this Node, not older than
 * the bundle (V8 itself checks only the source's length). A cache V8 refuses (other V8 flags, from
 * NODE_OPTIONS say) costs a compile of the bundle's top level, which Node's compile cache would
 * have saved: correct, only slower. The bundle is then read as a file, not loaded as a module.
 */
export function requireWithCodeCache(bundle: string): unknown {
  const cachedData = usableCodeCache(bundle);
  return cachedData === undefined ? nodeModule.createRequire(bundle)(bundle) : runCommonJs(bundle, cachedData).exports;
}
