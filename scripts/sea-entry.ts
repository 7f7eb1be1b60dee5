// Entry point of the single-file executable (scripts/build-sea.ts bundles it into one CommonJS file
// for Node SEA). Same CLI as src/cli/main.ts, minus what needs files the binary does not carry.
import { isSea } from 'node:sea';
import { hideBin } from 'yargs/helpers';
import { runCli } from '../src/cli/cli.js';
import { ExitCode } from '../src/errors/exit-codes.js';

/** Commands that need files next to the package (stand-in scripts, docs/): not in the binary. */
const NEEDS_PACKAGE: Record<string, string> = {
  lab: 'the lab runs stand-in scripts with node from the npm package',
  docs: 'the docs/ folder ships with the npm package, not with the binary',
};

async function main(): Promise<number> {
  const argv = hideBin(process.argv);
  const command = argv.find((a) => !a.startsWith('-'));
  const why = command === undefined ? undefined : NEEDS_PACKAGE[command];
  if (isSea() && why !== undefined) {
    process.stderr.write(
      `hmsdr: \`${command}\` is not available in the single-file binary: ${why}.\n` +
        '  hint: install the npm package (npm install -g hmsdr) on a machine with Node.js ^22.13 || >=24 to use it\n',
    );
    return ExitCode.PRECONDITION;
  }
  return runCli(argv, async () => (await import('../src/cli/default-deps.js')).defaultDeps);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hmsdr: internal error: ${String(error)}\n`);
    process.exitCode = ExitCode.INTERNAL;
  },
);
