// Build step (bundle-fast-paths.ts): run one export of a bundle as a command would, then keep V8's
// code cache of everything compiled so far beside the bundle (src/cli/code-cache.ts). A process of
// its own, so that what the run prints (rewrite's summary) is not the build's output.
//   node dist/scripts/keep-code-cache.js BUNDLE EXPORT '[ARGS AS JSON]'
import { writeFileSync } from 'node:fs';
import { codeCacheFile, runCommonJs } from '../src/cli/code-cache.js';

const [bundle, name, args] = process.argv.slice(2);
if (bundle === undefined || name === undefined) throw new Error('usage: keep-code-cache.js BUNDLE EXPORT [ARGS_JSON]');
const { exports, script } = runCommonJs(bundle);
const result = await (exports as Record<string, (...a: unknown[]) => unknown>)[name]!(...(JSON.parse(args ?? '[]') as unknown[]));
// A command's exit code: a failed run would leave the code of its error path, not of the work.
if (typeof result === 'number' && result !== 0) throw new Error(`${name} in ${bundle} returned ${result}`);
writeFileSync(codeCacheFile(bundle), script.createCachedData());
