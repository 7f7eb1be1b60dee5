// The pipeline bench's CPU split: which processes count for which group, from a /proc written by
// the test (stat files whose CPU ticks it sets between samples), then once against the real /proc.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CpuSplitSampler, formatCpuSplit, parseStat } from '../../scripts/bench-cpu-split.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fake /proc: `set` writes a process's stat line (fields as Linux prints them), `end` removes it. */
function fakeProc() {
  const proc = mkdtempSync(join(tmpdir(), 'hmsdr-fake-proc-'));
  dirs.push(proc);
  return {
    proc,
    set(pid: number, ppid: number, comm: string, ticks: number, startTime = pid * 10): void {
      mkdirSync(join(proc, String(pid)), { recursive: true });
      // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime … starttime (field 22)
      const rest = ['S', ppid, 1, 1, 0, -1, 0, 0, 0, 0, 0, ticks - 1, 1, 0, 0, 20, 0, 1, 0, startTime, 0, 0];
      writeFileSync(join(proc, String(pid), 'stat'), `${pid} (${comm}) ${rest.join(' ')}\n`);
    },
    end(pid: number): void {
      rmSync(join(proc, String(pid)), { recursive: true, force: true });
    },
  };
}

describe('parseStat', () => {
  it('reads a command name holding spaces and parentheses', () => {
    const stat = parseStat(42, '42 (a (b) c) R 7 1 1 0 -1 0 0 0 0 0 150 50 0 0 20 0 1 0 9999 0 0\n');
    expect(stat).toEqual({ pid: 42, ppid: 7, comm: 'a (b) c', startTime: 9999, ticks: 200 });
  });
});

describe('CpuSplitSampler', () => {
  it('counts a server with its backends, a root by its children commands, and nothing else', () => {
    const p = fakeProc();
    p.set(100, 1, 'postgres', 500); // the DR postmaster
    p.set(101, 100, 'postgres', 1000); // a backend running before the start: counted from here
    p.set(200, 1, 'node', 9000); // the benchmark itself: not counted
    p.set(300, 1, 'stress', 100); // not ours
    const sampler = new CpuSplitSampler(
      [
        { pid: 100, group: 'DR server', children: 'same' },
        { pid: 200, children: 'by-command' },
      ],
      { proc: p.proc, ticksPerSecond: 100 },
    );
    sampler.sample();
    p.set(101, 100, 'postgres', 1300); // +3 s
    p.set(102, 100, 'postgres', 250); // a new backend: all of its 2.5 s
    p.set(201, 200, 'node', 400); // hmsdr, registered once spawned
    sampler.addRoot({ pid: 201, group: 'hmsdr', children: 'by-command' });
    p.set(202, 201, 'pg_dump', 80); // hmsdr's child: under its command
    p.set(203, 202, 'sh', 30); // and a grandchild: under its own
    p.set(200, 1, 'node', 9900); // the benchmark's own CPU
    p.set(300, 1, 'stress', 5000);
    p.set(301, 300, 'stress', 5000); // a child of what is not ours
    sampler.sample();
    p.set(102, 100, 'postgres', 350); // +1 s, then it exits: what it used until the last sample stays
    sampler.sample();
    p.end(102);
    p.set(202, 201, 'pg_dump', 120);
    const split = sampler.stop();
    expect(split.cpuSeconds).toEqual({ 'DR server': 6.5, hmsdr: 4, pg_dump: 1.2, sh: 0.3 });
    expect(Object.keys(split.cpuSeconds)).toEqual(['DR server', 'hmsdr', 'pg_dump', 'sh']); // largest first
  });

  it('tells a process from a later one with the same pid', () => {
    const p = fakeProc();
    p.set(100, 1, 'postgres', 0);
    p.set(101, 100, 'postgres', 200, 1000);
    const sampler = new CpuSplitSampler([{ pid: 100, group: 'server', children: 'same' }], { proc: p.proc, ticksPerSecond: 100 });
    sampler.sample();
    p.set(101, 100, 'postgres', 300, 1000); // +1 s
    sampler.sample();
    p.set(101, 100, 'postgres', 50, 2000); // a new backend on the same pid: its 0.5 s
    expect(sampler.stop().cpuSeconds).toEqual({ server: 1.5 });
  });

  it('finds a child whose parent appeared in the same sample, whichever is listed first', () => {
    const p = fakeProc();
    p.set(500, 1, 'sshd', 0);
    const sampler = new CpuSplitSampler([{ pid: 500, children: 'by-command' }], { proc: p.proc, ticksPerSecond: 100 });
    sampler.sample();
    p.set(510, 520, 'tee', 90); // listed before its parent (a pid that wrapped around)
    p.set(520, 500, 'sshd', 40);
    expect(sampler.stop().cpuSeconds).toEqual({ tee: 0.9, sshd: 0.4 });
  });

  it('counts a shell that execs its program under the program, all of it', () => {
    const p = fakeProc();
    p.set(500, 1, 'sshd', 0);
    const sampler = new CpuSplitSampler([{ pid: 500, children: 'by-command' }], { proc: p.proc, ticksPerSecond: 100 });
    sampler.sample();
    p.set(530, 500, 'bash', 1); // sshd's session shell, reading the password
    sampler.sample();
    p.set(530, 500, 'psql', 121); // the same process after `exec psql`
    p.set(540, 500, 'sh', 3); // a shell that runs its commands as children
    p.set(541, 540, 'tee', 90);
    sampler.sample();
    p.set(540, 500, 'sh', 5);
    expect(sampler.stop().cpuSeconds).toEqual({ psql: 1.21, tee: 0.9, sh: 0.05 });
  });

  it('says the total, its share of the cores and the groups of 0.05 CPU-s or more', () => {
    const line = formatCpuSplit({ wallMs: 10_000, cpuSeconds: { 'DR server': 13.3, hmsdr: 3.4, sshd: 0.7, sh: 0.02, cat: 0.04 } }, 2);
    expect(line).toBe('17.5 CPU-s in 10.0 s (87 % of 2 cores): DR server 13.3, hmsdr 3.4, sshd 0.7, others 0.1');
  });

  it('sees a real child spinning on a core', async () => {
    // It uses 0.6 s of CPU, says so and waits: the last sample finds it alive, with all of it.
    const code = 'while (process.cpuUsage().user < 600_000) {} process.stdout.write("spun"); setTimeout(() => {}, 60_000);';
    const spinner = spawn(process.execPath, ['-e', code]);
    const sampler = new CpuSplitSampler([{ pid: process.pid, children: 'by-command' }]).start(50);
    sampler.addRoot({ pid: spinner.pid as number, group: 'spinner', children: 'by-command' });
    try {
      await new Promise((done) => spinner.stdout.once('data', done));
      const split = sampler.stop();
      expect(split.cpuSeconds.spinner).toBeGreaterThanOrEqual(0.55); // /proc counts in 10 ms ticks
      expect(split.cpuSeconds.spinner).toBeLessThanOrEqual(split.wallMs / 1000 + 0.02);
      expect(split.cpuSeconds.node).toBeUndefined(); // this process is the root: not counted
    } finally {
      spinner.kill('SIGKILL');
    }
  });
});
