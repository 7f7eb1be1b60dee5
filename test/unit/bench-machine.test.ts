// The bench's check for other busy processes: a process spinning on a core is named, a sleeping
// one is not.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { busyProcesses, formatBusy } from '../../scripts/bench-machine.js';

const spinning = spawn(process.execPath, ['-e', 'for (;;) {}']);
const sleeping = spawn('sleep', ['60']);
afterAll(() => {
  spinning.kill('SIGKILL');
  sleeping.kill('SIGKILL');
});

describe('busyProcesses', () => {
  it('names a process spinning on a core, with its share, and leaves out a sleeping one', async () => {
    const busy = await busyProcesses(700);
    const spinner = busy.find((b) => b.pid === spinning.pid);
    expect(spinner?.cpuPercent).toBeGreaterThan(30);
    expect(spinner?.command).toContain('for (;;) {}');
    expect(busy.some((b) => b.pid === sleeping.pid)).toBe(false);
    expect(busy.some((b) => b.pid === process.pid)).toBe(false);
    expect(formatBusy(busy, 'now')).toMatch(new RegExp(`^WARNING: other processes busy now: .*\\(pid ${spinning.pid}\\) \\d+ %`));
    expect(formatBusy([], 'now')).toBe('other processes now: none above 20 % of a CPU');
  });
});
