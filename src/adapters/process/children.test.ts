// The children registry against real processes: recorded from start to exit, ended by the next
// attempt when a killed hmsdr left them running, and never a process that merely reuses a pid.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endLeftoverChildren, recordChildrenIn, startTicks, type ChildRecord } from './children.js';
import { runCommand, streamCommand } from './run-command.js';

let dir: string;
let file: string;
const recorded = (): ChildRecord[] => JSON.parse(readFileSync(file, 'utf8')) as ChildRecord[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-children-'));
  file = join(dir, 'children.json');
  recordChildrenIn(file);
});
afterEach(() => {
  recordChildrenIn(undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('children of a run', () => {
  it('a child is recorded while it runs and forgotten when it exits', async () => {
    const child = streamCommand({ file: 'sleep', args: ['0.3'] });
    expect(recorded().map((c) => c.program)).toEqual(['sleep']);
    expect(recorded()[0]!.startTicks).toBe(startTicks(recorded()[0]!.pid));
    await child.done;
    await runCommand({ file: 'true', args: [] });
    expect(recorded()).toEqual([]);
  });

  it('a later attempt ends what an earlier one left running (SIGTERM), and clears the record', async () => {
    const left = streamCommand({ file: 'sleep', args: ['30'] });
    const [record] = recorded();
    recordChildrenIn(undefined); // the attempt "dies": nothing more is recorded by it
    const ended = await endLeftoverChildren(file, 2_000);
    expect(ended.map((c) => ['pid' in c ? c.pid : undefined, c.program])).toEqual([[record!.pid, 'sleep']]);
    await expect(left.done).rejects.toMatchObject({ signalName: 'SIGTERM' });
    expect(startTicks(record!.pid)).toBeNull();
    expect(recorded()).toEqual([]);
  });

  it('a record whose pid now belongs to another process (other start time) is left alone', async () => {
    const other = streamCommand({ file: 'sleep', args: ['30'] });
    const [record] = recorded();
    recordChildrenIn(undefined);
    writeFileSync(file, JSON.stringify([{ ...record, startTicks: '1' }]));
    try {
      expect(await endLeftoverChildren(file, 500)).toEqual([]);
      expect(startTicks(record!.pid)).not.toBeNull();
    } finally {
      process.kill(record!.pid, 'SIGKILL');
      await other.done.catch(() => undefined);
    }
  });

  it('a record file cut off by the kill is ignored', async () => {
    recordChildrenIn(undefined);
    writeFileSync(file, '[{"pid": 12');
    expect(await endLeftoverChildren(file)).toEqual([]);
  });
});
