// `hmsdr lab demo`: a fresh lab, an unattended rehearsal on it, and where its report is.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labDown } from './lab-down.js';
import { stdoutLog } from './lab-processes.js';
import { labUp, type LabUpOptions, type LabUpResult } from './lab.js';

export interface LabDemoOptions extends Omit<LabUpOptions, 'force'> {
  /** Runs `hmsdr rehearse --yes --config <file>` and returns its exit code. */
  rehearse(configFile: string): Promise<number>;
}

export interface LabDemoResult {
  up: LabUpResult;
  exitCode: number;
  runDir: string | undefined;
  elapsedMs: number;
}

/** The newest run directory under `runsDir` (run ids sort by time). */
export function latestRunDir(runsDir: string): string | undefined {
  if (!existsSync(runsDir)) return undefined;
  const runs = readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(runsDir, e.name));
  runs.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b));
  return runs.at(-1);
}

export async function labDemo(options: LabDemoOptions): Promise<LabDemoResult> {
  const started = Date.now();
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  if (existsSync(dir)) {
    log(`removing the previous demo lab in ${dir}`);
    await labDown({ dir, log: (line) => log(`  ${line}`) });
  }
  const up = await labUp({ ...options, force: true });
  log('');
  log(`rehearsal: hmsdr rehearse --yes --config ${up.configFile}`);
  log('');
  const exitCode = await options.rehearse(up.configFile);
  const runDir = latestRunDir(join(dir, 'runs'));
  const elapsedMs = Date.now() - started;
  log('');
  log(`demo finished in ${(elapsedMs / 1000).toFixed(1)} s; the rehearsal exited with ${exitCode}${exitCode === 0 ? ' (ok)' : ''}`);
  if (runDir) {
    for (const name of ['report.html', 'report.md', 'summary.json']) {
      const file = join(runDir, name);
      log(`  ${name.padEnd(12)} ${existsSync(file) ? file : `${file} (not written)`}`);
    }
    log(`  run directory ${runDir}`);
  } else {
    log(`  no run directory under ${join(dir, 'runs')}`);
  }
  log('');
  log('the lab keeps running so you can explore it (docs/lab.md):');
  log(`  hmsdr status --config ${up.configFile}`);
  log(`  hmsdr lab down --dir ${options.dir}`);
  return { up, exitCode, runDir, elapsedMs };
}
