#!/usr/bin/env node
// hmsdr's executable: the real runbook and adapters (loaded only by the commands that need them),
// then the exit code.

// Node ≥ 22: keep compiled code on disk, so a command started every minute (check) starts at once.
// Before any other import: static imports would be compiled before this line ran. Not an ES import
// of node:module (builtins.ts says why); a Node without getBuiltinModule is refused just below.
process.getBuiltinModule?.('node:module').enableCompileCache?.();

const { isSupportedNode, unsupportedNodeMessage } = await import('./node-version.js');
if (!isSupportedNode(process.version)) {
  process.stderr.write(unsupportedNodeMessage(process.version));
  process.exit(4);
}

const argv = process.argv.slice(2);
// `--version`, `--help`, `check` (a monitoring agent's every minute) and `rewrite --map` skip yargs;
// all else is parsed in full.
const fast = await (await import('./fast-path.js')).fastPath(argv);
if (fast !== undefined) process.exitCode = fast;
else {
  const { runCli } = await import('./cli.js');
  process.exitCode = await runCli(argv, async () => (await import('./default-deps.js')).defaultDeps);
}
