#!/usr/bin/env node
// hmsdr's executable (package.json `bin`). CommonJS on purpose: an ES module as the entry starts
// Node's ES loader, about 10 ms of CPU before the first line runs, half of what a `--version` or a
// `rewrite` in a pipe costs above Node's own start (docs/performance.md). The start-up fast paths
// (fast-launch.ts, bundled by the build as fast-path.bundle.cjs) are CommonJS too; every other
// command, and any build without the bundle, goes to main.js, the ES module CLI.
import nodeModule = require('node:module');

// Before the bundle is compiled, so that its compiled code is kept on disk for the next start.
nodeModule.enableCompileCache?.();

const argv = process.argv.slice(2);
const fullCli = () => import('./main.js');

/** The bundled fast paths, or undefined before the build made them (the bundle decides if stale). */
function fastBundle(): typeof import('./fast-launch.js') | undefined {
  // getBuiltinModule (Node ≥ 22.3) is what the bundle loads Node's modules with: without it the
  // Node is too old anyway, and main.js says so.
  if (typeof process.getBuiltinModule !== 'function') return undefined;
  try {
    return require('./fast-path.bundle.cjs') as typeof import('./fast-launch.js');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

const fast = fastBundle();
if (fast === undefined) void fullCli();
else
  void fast.launch(argv).then((code) => {
    if (code === undefined) return fullCli();
    process.exitCode = code;
  });
