// An interactive session through a real pseudo-terminal (util-linux `script`): the prompts are
// answered with keystrokes and the expected steps run or are skipped.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { repoRoot } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-pty-'));
  writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ENTER = '\r';
const DOWN = '\u001b[B';
const ANSI = /\u001b\[[0-9;?]*[a-zA-Z]/g;

it('asks run / skip / abort before each step and obeys the answers typed on a real TTY', async () => {
  const which = await execa('sh', ['-c', 'command -v script'], { reject: false });
  expect(which.exitCode, 'the `script` program is missing: apt-get install util-linux').toBe(0);
  const world = join(dir, 'world');
  // A fresh pty has no size; without one every character would wrap onto its own line.
  const command = `stty cols 120 rows 40; node ${join(repoRoot, 'test/fixtures/engine-cli.mjs')} run --config ${join(dir, 'hmsdr.yaml')}`;
  const child = execa('script', ['-qfec', command, '/dev/null'], {
    env: { ENGINE_WORLD: world, PATH: process.env.PATH ?? '', TERM: 'xterm', COLUMNS: '120', LINES: '40' },
    cwd: dir,
    stdin: 'pipe',
    reject: false,
  });
  let screen = '';
  // Answers by step: s1 run, s2 skip, s3 run, s4 run. The renderer redraws a pending prompt on
  // every spinner tick, so each step is answered once, when its prompt first appears.
  const answers: Record<string, string> = { s1: ENTER, s2: DOWN + ENTER, s3: ENTER, s4: ENTER };
  const answered = new Set<string>();
  // Where the screen stood 2 s after each answer was typed: a prompt of the same step drawn after
  // that means the keystrokes were lost (typed before the prompt listened, on a busy machine).
  const settledAt = new Map<string, number>();
  const type = (step: string): void => {
    setTimeout(() => {
      child.stdin?.write(answers[step]!);
      setTimeout(() => settledAt.set(step, screen.replace(ANSI, '').length), 2000);
    }, 150);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    // Colours (a terminal that says it has them) put escape codes between "?" and the title.
    const plain = screen.replace(ANSI, '');
    for (const m of plain.matchAll(/\? Test step (s\d)\s[\s\S]*?Run this step\?/g)) {
      const step = m[1]!;
      if (answers[step] === undefined) continue;
      if (!answered.has(step)) {
        answered.add(step);
        type(step);
      } else if (settledAt.has(step) && m.index > settledAt.get(step)!) {
        settledAt.delete(step); // typed again once; re-armed 2 s later
        type(step);
      }
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const result = await child;
  clearTimeout(timer);
  expect(result.exitCode, screen.slice(-2000)).toBe(0);
  expect([...answered]).toEqual(['s1', 's2', 's3', 's4']);
  expect(screen).toContain('PGPASSWORD=*** touch'); // the plan shown before the step
  expect(screen).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/); // no log timestamps on a terminal
  const runId = readdirSync(join(dir, 'runs')).find((n) => !n.startsWith('.'))!;
  const state = JSON.parse(readFileSync(join(dir, 'runs', runId, 'state.json'), 'utf8'));
  expect(state.steps.s1.status).toBe('done');
  expect(state.steps.s2).toMatchObject({ status: 'skipped', via: 'operator' });
  expect(state.steps.s3.status).toBe('done');
  expect(state.steps.s4.status).toBe('done');
  expect(existsSync(join(world, 's2.started'))).toBe(false);
  expect(existsSync(join(world, 's3.done'))).toBe(true);
});
