// Build step (after tsc): dist/src/cli/check-fast.bundle.js, `hmsdr check`'s fast path and all it
// imports (zod, yaml, the config schema, the health report) as one ES module. A monitoring agent
// starts check every minute, and loading ~200 small modules cost more CPU than running them
// (docs/performance.md). fast-path.ts falls back to the modules when the bundle is absent or stale.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const distCli = join(resolve(fileURLToPath(import.meta.url), '../../..'), 'dist/src/cli');

await build({
  entryPoints: [join(distCli, 'check-fast.js')],
  outfile: join(distCli, 'check-fast.bundle.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // yaml is CommonJS and requires node's built-ins: give the ES module a require of its own.
  banner: {
    js: "import { createRequire as hmsdrCreateRequire } from 'node:module';\nconst require = hmsdrCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
