// Build step (after tsc): the start-up fast paths as single CommonJS files (required, not imported:
// CommonJS needs no ES loader, which costs ~10 ms of a start; each falls back to its modules when a
// bundle is absent or stale):
// - dist/src/cli/fast-path.bundle.cjs, what the executable (hmsdr.cts) runs first: the Node version
//   check, `--version`, the cached help and the dispatch of check and rewrite (fast-launch.ts);
// - dist/src/cli/check-fast.bundle.cjs, `hmsdr check`'s fast path and all it imports (the health
//   report, the run-state schema in zod/mini), and dist/src/config/load.bundle.cjs, the config loader
//   it needs only when its config is not in its cache, with V8's code cache of it once it loaded a
//   config (src/cli/code-cache.ts). A monitoring agent starts check every minute, and loading ~200
//   small modules cost more CPU than running them (docs/performance.md);
// - dist/src/cli/rewrite-fast.bundle.cjs, `hmsdr rewrite --map …` and the rewriter (~30 modules):
//   started once per dump in a pipe; its WebAssembly module's bytes assembled here, and V8's code
//   cache of it once it rewrote a dump.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { TRAINING_MAP, trainingDump } from './training-dump.js';
import { EXAMPLE_CONFIG } from '../src/config/example.js';
import { assembledModule } from '../src/rewrite/simd-kernels.js';

const distCli = join(resolve(fileURLToPath(import.meta.url), '../../..'), 'dist/src/cli');

const distConfig = join(distCli, '../config');

const distScripts = dirname(fileURLToPath(import.meta.url));

/**
 * `node:*` imports as `process.getBuiltinModule(…)` (a CommonJS value, its properties read where
 * used): an ES import builds the built-in's namespace, which reads every export, and `fs.promises`
 * alone loads ~30 internal modules (src/cli/builtins.ts). Each built-in is taken only when one of
 * its properties is first read (the names listed here, at build time): `node:stream`, `node:tty` or
 * `node:crypto` imported by a module on the path but not used by this command cost nothing.
 */
const builtinsWithoutNamespace: Plugin = {
  name: 'builtins-without-namespace',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => {
      const names = Object.getOwnPropertyNames(process.getBuiltinModule(args.path)).filter((n) => n !== 'default');
      return {
        contents: [
          'let builtin;',
          `const read = (name) => (builtin ??= process.getBuiltinModule(${JSON.stringify(args.path)}))[name];`,
          `for (const name of ${JSON.stringify(names)})`,
          '  Object.defineProperty(module.exports, name, { get: () => read(name), enumerable: true });',
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * One CommonJS file for Node 22 from `entry` and all it imports (but `external`, whose dynamic
 * `import()` stays as written). `import.meta.url` is the bundle's own URL: the modules find the files
 * beside them (package.json, the help cache, the other bundles) from there, as they do unbundled.
 */
const bundle = (entry: string, outfile: string, more: Partial<BuildOptions> = {}) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'warning',
    ...more,
    define: { 'import.meta.url': 'hmsdrModuleUrl', ...more.define },
    banner: { js: 'const hmsdrModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [builtinsWithoutNamespace, ...(more.plugins ?? [])],
  });

// What the executable runs first; check's and rewrite's own bundles are required by name when used.
// Their modules, imported only as the fallback for a stale bundle, are left as written.
await bundle(join(distCli, 'fast-launch.js'), join(distCli, 'fast-path.bundle.cjs'), {
  external: ['./check-fast.js', './rewrite-fast.js'],
});

// The config loader (yaml, the config schema) stays a module of its own, imported on a cache miss
// only (check-fast.ts): the path is kept as written, relative to the bundle beside check-fast.js.
await bundle(join(distCli, 'check-fast.js'), join(distCli, 'check-fast.bundle.cjs'), { external: ['../config/load.js'] });

// rewrite-run.ts imports the config loader's options module only for --config, which the fast path
// leaves to the full CLI: kept out of the bundle, its path made relative to the bundle.
const optionsOutside: Plugin = {
  name: 'options-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/options\.js$/ }, (args) =>
      args.importer.endsWith(join('commands', 'rewrite-run.js')) ? { path: './options.js', external: true } : undefined,
    );
  },
};
// The rewriter's WebAssembly module, assembled here once instead of at every start-up (simd-scan.ts).
const rewriteBundle = join(distCli, 'rewrite-fast.bundle.cjs');
await bundle(join(distCli, 'rewrite-fast.js'), rewriteBundle, {
  plugins: [optionsOutside],
  define: { HMSDR_SIMD_MODULE: JSON.stringify(Buffer.from(assembledModule()).toString('base64')) },
});

/**
 * yaml's browser build decodes `!!binary` (YAML 1.1) with `atob` into a Uint8Array, its Node build
 * with Buffer: given the Node build's branch back, a config holding one is refused with the same
 * message through the bundle as through the modules ("received Buffer").
 */
const yamlBinaryAsBuffer: Plugin = {
  name: 'yaml-binary-as-buffer',
  setup(b) {
    b.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]schema[\\/]yaml-1\.1[\\/]binary\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const atob = "if (typeof atob === 'function') {";
      if (!source.includes(atob)) throw new Error(`${args.path}: no atob branch to give Buffer's back (yaml changed?)`);
      return {
        contents: source.replace(atob, `if (typeof Buffer === 'function') {\n return Buffer.from(src, 'base64');\n } else ${atob}`),
        loader: 'js',
      };
    });
  },
};

// What check loads when its config is not in its cache: the config loader (yaml, zod, the schema) as
// one module too, dist/src/config/load.bundle.cjs. yaml is taken as its ES modules (the package's
// browser build: the same code as its CommonJS build but for `!!binary`, given Node's branch back
// above, and for how a warning is printed, which the loader turns off), which esbuild joins into one
// scope and leaves out what parsing does not use, and the file's whitespace goes: V8 reads the whole
// source with its code cache. 394 -> 240 kB; a check with its config not remembered 137 -> 133 ms
// of CPU (docs/performance.md).
const loaderBundle = join(distConfig, 'load.bundle.cjs');
const yamlPackage = dirname(createRequire(import.meta.url).resolve('yaml/package.json'));
await bundle(join(distConfig, 'load.js'), loaderBundle, {
  alias: { yaml: join(yamlPackage, 'browser/dist/index.js') },
  plugins: [yamlBinaryAsBuffer],
  minifyWhitespace: true,
});

// V8's code for the loader once it has loaded a config, and for the rewriter once it has rewritten a
// dump (src/cli/code-cache.ts): each run once, in a process of its own, then the code cache of
// everything compiled so far. The config `hmsdr init` writes; a small dump of the tables a Hive
// metastore's dump holds URIs and parameters in (training-dump.ts).
const keepCodeCache = (bundle: string, name: string, args: unknown[]) =>
  execFileSync(process.execPath, [join(distScripts, 'keep-code-cache.js'), bundle, name, JSON.stringify(args)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
const example = mkdtempSync(join(tmpdir(), 'hmsdr-build-'));
try {
  writeFileSync(join(example, 'hmsdr.yaml'), EXAMPLE_CONFIG);
  keepCodeCache(loaderBundle, 'loadConfig', [join(example, 'hmsdr.yaml'), {}, { checkSecrets: false }]);
  writeFileSync(join(example, 'dump.sql'), trainingDump());
  const rewrite = ['--map', TRAINING_MAP, '--in', join(example, 'dump.sql'), '--out', join(example, 'out.sql')];
  keepCodeCache(rewriteBundle, 'fastRewrite', [rewrite]);
} finally {
  rmSync(example, { recursive: true, force: true });
}
