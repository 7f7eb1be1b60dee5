// `npm run build:sea`: hmsdr as one executable file (Node single-executable application).
// 1. esbuild bundles scripts/sea-entry.ts and everything it imports (the lazily imported command
//    modules too: without splitting, esbuild inlines each dynamic import) into one CommonJS file;
// 2. node --experimental-sea-config turns it into a blob; postject injects it into a copy of node.
// The version of package.json is injected (__HMSDR_VERSION__): the binary has no package.json.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..', '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'sea'));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bundle = join(out, 'hmsdr.cjs');
await build({
  entryPoints: [join(root, 'scripts', 'sea-entry.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  // Optional native add-ons that ssh2 and pg load inside try/catch: never in the binary.
  external: ['cpu-features', 'pg-native', '*.node'],
  // ESM-only `import.meta.url`: in the binary, the executable's own path.
  define: { 'import.meta.url': '__hmsdrModuleUrl', __HMSDR_VERSION__: JSON.stringify(version) },
  banner: { js: 'const __hmsdrModuleUrl = require("node:url").pathToFileURL(process.execPath).href;' },
  logLevel: 'warning',
});

const blob = join(out, 'hmsdr.blob');
const seaConfig = join(out, 'sea-config.json');
writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
const binary = join(out, 'hmsdr');
copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
execFileSync(
  process.execPath,
  [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
rmSync(blob);
rmSync(seaConfig);
const mb = (statSync(binary).size / 1024 / 1024).toFixed(1);
process.stdout.write(`built ${binary} (hmsdr ${version}, ${mb} MiB, node ${process.version})\n`);
