// Skips, re-runs and Ctrl-C through a real pseudo-terminal (util-linux `script`) with the engine
// fixture: a skip a later step needs is warned, `resume --rerun` gets the run out, and after
// Ctrl-C the exact command `status` prints completes the run.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { repoRoot, runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const fixture = join(repoRoot, 'test/fixtures/engine-cli.mjs');
const ENTER = '\r';
const DOWN = '\u001b[B';
const CTRL_C = '\u0003';
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
/** The run / skip / abort prompt of one step (the renderer redraws it: match its step, not a count). */
const promptOf = (id: string): RegExp => new RegExp(`Test step ${id}\\S*\\r?\\n +\\[local\\][^]*?Run this step\\?`);

let dir: string;
let world: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-pty-skip-'));
  world = join(dir, 'world');
  env = { ENGINE_WORLD: world, ENGINE_NEEDS: 's3:s2', PATH: process.env.PATH ?? '', TERM: 'xterm', COLUMNS: '120', LINES: '40' };
  writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Keys to type once `after` appears on the screen (after the previous answer's match). */
type Answer = { after: string | RegExp; keys: string /** and only once this file exists */; waitFile?: string };

/** `hmsdr <args>` (the fixture) on a pty; answers are typed in order as their prompt appears. */
async function onPty(args: string[], answers: Answer[]): Promise<{ exitCode: number; screen: string; answered: number }> {
  const which = await execa('sh', ['-c', 'command -v script'], { reject: false });
  expect(which.exitCode, 'the `script` program is missing: apt-get install util-linux').toBe(0);
  const command = `stty cols 120 rows 40; node ${fixture} ${args.join(' ')}`;
  const child = execa('script', ['-qfec', command, '/dev/null'], { env, cwd: dir, stdin: 'pipe', reject: false });
  let screen = '';
  let from = 0;
  let answered = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    while (answered < answers.length) {
      const { after, keys } = answers[answered]!;
      const rest = screen.slice(from);
      const match =
        typeof after === 'string'
          ? { index: rest.indexOf(after), length: after.length }
          : ((m) => ({ index: m?.index ?? -1, length: m?.[0].length ?? 0 }))(rest.match(after));
      if (match.index < 0) break;
      from += match.index + match.length;
      answered += 1;
      const waitFile = answers[answered - 1]!.waitFile;
      const type = (): void => {
        if (waitFile && !existsSync(waitFile)) setTimeout(type, 50);
        else setTimeout(() => child.stdin?.write(keys), 150);
      };
      type();
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const result = await child;
  clearTimeout(timer);
  return { exitCode: result.exitCode ?? -1, screen, answered };
}

const onlyRun = () => readdirSync(join(dir, 'runs')).filter((n) => !n.startsWith('.'))[0]!;
const state = (runId: string) => JSON.parse(readFileSync(join(dir, 'runs', runId, 'state.json'), 'utf8'));
const config = () => join(dir, 'hmsdr.yaml');
/** The `next:` command `hmsdr status` prints, as argv for the fixture (it stands in for `hmsdr`). */
async function statusNext(): Promise<{ line: string; argv: string[] }> {
  const status = await runHmsdr(['status', '--config', config()], { script: fixture, env, cwd: dir });
  expect(status.exitCode, status.stdout + status.stderr).toBe(7);
  const line = status.stdout
    .split('\n')
    .find((l) => l.startsWith('next: '))!
    .slice('next: '.length);
  expect(line.startsWith('hmsdr ')).toBe(true);
  return { line, argv: line.split(' ').slice(1) };
}

it('warns before a skip a later step needs; the dependent stops with the way out; resume --rerun completes', async () => {
  const first = await onPty(
    ['run', '--config', config()],
    [
      { after: promptOf('s1'), keys: ENTER }, // s1: run
      { after: promptOf('s2'), keys: DOWN + ENTER }, // s2: skip …
      { after: 'Skip s2 anyway?', keys: `y${ENTER}` }, // … warned: s3 needs it; confirmed
    ],
  );
  expect(first.answered, first.screen.slice(-2000)).toBe(3);
  expect(first.screen).toContain('s3 need s2');
  expect(first.exitCode, first.screen.slice(-2000)).toBe(4);
  const runId = onlyRun();
  expect(first.screen).toContain('s3 needs s2, which was skipped');
  expect(first.screen).toContain(`hmsdr resume ${runId} --rerun s2`);
  const plain = stripAnsi(first.screen);
  expect(plain.slice(-1500)).not.toMatch(/✔ Test step s2/);
  expect(plain).toMatch(/↓ Test step s2 — skipped by the operator/);
  expect(plain).toContain('result of s1: s1 done'); // each step's result stays under it
  let s = state(runId);
  expect(s.steps.s2).toMatchObject({ status: 'skipped', via: 'operator' });
  expect(s.steps.s3.status).toBe('pending');
  expect(existsSync(join(world, 's3.started'))).toBe(false);

  const next = await statusNext();
  expect(next.line).toBe(`hmsdr resume ${runId} --rerun s2 --config ${config()}`);

  const second = await onPty(next.argv, [
    { after: promptOf('s2'), keys: ENTER }, // s2
    { after: promptOf('s3'), keys: ENTER }, // s3
    { after: promptOf('s4'), keys: ENTER }, // s4
  ]);
  expect(second.exitCode, second.screen.slice(-2000)).toBe(0);
  s = state(runId);
  expect(['s1', 's2', 's3', 's4'].map((id) => s.steps[id].status)).toEqual(['done', 'done', 'done', 'done']);
  expect(s.steps.s1.attempts).toBe(1); // not re-run
});

it('declining the warning asks again, and a skip nobody needs is not warned', async () => {
  const result = await onPty(
    ['run', '--config', config()],
    [
      { after: promptOf('s1'), keys: DOWN + ENTER }, // s1: skip, nobody needs it
      { after: promptOf('s2'), keys: DOWN + ENTER }, // s2: skip …
      { after: 'Skip s2 anyway?', keys: ENTER }, // … no (the default)
      { after: promptOf('s2'), keys: ENTER }, // asked again: run
      { after: promptOf('s3'), keys: ENTER }, // s3
      { after: promptOf('s4'), keys: ENTER }, // s4
    ],
  );
  expect(result.exitCode, result.screen.slice(-2000)).toBe(0);
  expect(result.answered).toBe(6);
  expect(result.screen).not.toContain('Skip s1 anyway?');
  const s = state(onlyRun());
  expect(['s1', 's2', 's3', 's4'].map((id) => s.steps[id].status)).toEqual(['skipped', 'done', 'done', 'done']);
});

it.each([
  ['while a step runs', true],
  ['at a prompt', false],
])(
  'after Ctrl-C %s, the exact command `status` prints completes the run',
  async (_when, whileRunning) => {
    await runHmsdr(['plan', '--offline', '--config', config()], { script: fixture, env, cwd: dir }); // creates the world
    if (whileRunning) writeFileSync(join(world, 'hang-s2'), '');
    const first = await onPty(
      ['run', '--config', config()],
      [
        { after: promptOf('s1'), keys: ENTER }, // s1
        whileRunning
          ? { after: promptOf('s2'), keys: ENTER } // s2 runs and hangs …
          : { after: promptOf('s2'), keys: CTRL_C }, // Ctrl-C at s2's prompt
        ...(whileRunning ? [{ after: 'Test step s2', keys: CTRL_C, waitFile: join(world, 's2.started') }] : []), // … Ctrl-C
      ],
    );
    expect(first.exitCode, first.screen.slice(-2000)).toBe(130);
    const runId = onlyRun();
    expect(state(runId).steps.s2.status).toBe('interrupted');
    rmSync(join(world, 'hang-s2'), { force: true });

    const next = await statusNext();
    expect(next.line).toBe(`hmsdr resume ${runId} --config ${config()}`);
    const second = await onPty(next.argv, [
      { after: promptOf('s2'), keys: ENTER }, // s2
      { after: promptOf('s3'), keys: ENTER }, // s3
      { after: promptOf('s4'), keys: ENTER }, // s4
    ]);
    expect(second.exitCode, second.screen.slice(-2000)).toBe(0);
    const s = state(runId);
    expect(['s1', 's2', 's3', 's4'].map((id) => s.steps[id].status)).toEqual(['done', 'done', 'done', 'done']);
  },
  120_000,
);
