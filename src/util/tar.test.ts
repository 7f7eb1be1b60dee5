// The ustar writer against the system's tar: names (long ones split into prefix/name), sizes, content.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tarGz } from './tar.js';

it('tar lists and extracts what tarGz wrote, byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-tar-'));
  try {
    const long = `b/${'d'.repeat(80)}/${'e'.repeat(60)}/file.log`;
    const members = [
      { name: 'b/index.json', data: Buffer.from('{"a":1}\n') },
      { name: 'b/empty', data: Buffer.alloc(0) },
      { name: 'b/block', data: Buffer.alloc(512, 0x41) },
      { name: long, data: Buffer.from('é unicode\n'.repeat(100)) },
    ];
    writeFileSync(join(dir, 'x.tar.gz'), tarGz(members));
    const listed = spawnSync('tar', ['-tzf', join(dir, 'x.tar.gz')], { encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toEqual(members.map((m) => m.name));
    const extracted = spawnSync('tar', ['-xzf', join(dir, 'x.tar.gz'), '-C', dir], { encoding: 'utf8' });
    expect(extracted.status, extracted.stderr).toBe(0);
    for (const m of members) expect(readFileSync(join(dir, m.name)).equals(m.data)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
