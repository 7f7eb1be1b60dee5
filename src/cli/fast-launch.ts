// The entry of the start-up fast paths as the executable (hmsdr.cts) runs them: bundled by the build
// into one CommonJS file, dist/src/cli/fast-path.bundle.cjs (scripts/bundle-fast-paths.ts), with the
// Node version check main.ts makes. undefined sends the command to main.js: not a fast path, or a
// bundle older than the modules (a plain tsc after the build), whose answers could be out of date.
import { builtAfter } from './built-after.js';
import { fastPath } from './fast-path.js';
import { isSupportedNode, unsupportedNodeMessage } from './node-version.js';
import { writeText } from '../util/std-text.js';

export async function launch(argv: readonly string[]): Promise<number | undefined> {
  if (!isSupportedNode(process.version)) {
    writeText(2, unsupportedNodeMessage(process.version));
    return 4;
  }
  if (!builtAfter(new URL(import.meta.url), new URL('./fast-launch.js', import.meta.url))) return undefined;
  return fastPath(argv);
}
