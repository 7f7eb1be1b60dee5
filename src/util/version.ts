// hmsdr's own version: injected at bundle time in the single-file binary (scripts/build-sea.ts),
// else read from the package.json found upwards from this module (in src/ and in dist/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __HMSDR_VERSION__: string | undefined;

export function hmsdrVersion(): string {
  if (typeof __HMSDR_VERSION__ === 'string') return __HMSDR_VERSION__;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hmsdr' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
