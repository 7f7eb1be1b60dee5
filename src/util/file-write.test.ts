import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWrite } from './file-write.js';

const dir = mkdtempSync(join(tmpdir(), 'hmsdr-file-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileWrite', () => {
  it('writes a new or a regular file through a temporary name renamed over it', () => {
    const fresh = join(dir, 'new.sql');
    expect(fileWrite(fresh, '.part')).toEqual({ path: `${fresh}.part`, renameTo: fresh });
    const existing = join(dir, 'old.sql');
    writeFileSync(existing, 'x');
    expect(fileWrite(existing, '.part')).toEqual({ path: `${existing}.part`, renameTo: existing });
  });

  it('follows a symbolic link, so the link stays and the file it points to is replaced', () => {
    const real = join(dir, 'real.sql');
    writeFileSync(real, 'x');
    const link = join(dir, 'link.sql');
    symlinkSync(real, link);
    expect(fileWrite(link, '.tmp')).toEqual({ path: `${real}.tmp`, renameTo: real });
  });

  it('writes a device, a named pipe or /dev/stdout in place: renaming over them would replace them', () => {
    expect(fileWrite('/dev/null', '.part')).toEqual({ path: '/dev/null', renameTo: undefined });
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(fileWrite(fifo, '.part')).toEqual({ path: fifo, renameTo: undefined });
    expect(fileWrite('/dev/stdout', '.part').renameTo).toBeUndefined();
  });
});
