// Text written to the descriptors without Node's streams: all of it, a reader that went away ends it
// quietly, and only a terminal counts as one.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal } from './std-text.js';

const built = new URL('../../dist/src/util/std-text.js', import.meta.url).href;
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-std-text-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeScript = (bytes: number) =>
  `const { writeText } = await import(${JSON.stringify(built)}); writeText(1, 'x'.repeat(${bytes})); writeText(2, 'done\\n');`;

describe('writeText', () => {
  it('writes all of a text larger than a pipe holds', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', writeScript(3_000_000)], { maxBuffer: 8 << 20 });
    expect(out.length).toBe(3_000_000);
  });

  it('ends quietly when the reader goes away (| head)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" --input-type=module -e "$0" | head -c 10`, writeScript(3_000_000)], {
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('x'.repeat(10));
    expect(r.stderr).toBe('done\n'); // it went on after the closed pipe, and threw nothing
    expect(r.status).toBe(0);
  });
});

describe('isTerminal', () => {
  it('is false for a file, /dev/null (a character device) and a closed descriptor', () => {
    const file = openSync(join(dir, 'f'), 'w');
    const devNull = openSync('/dev/null', 'r');
    try {
      expect(isTerminal(file)).toBe(false);
      expect(isTerminal(devNull)).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
    expect(isTerminal(devNull)).toBe(false);
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('');
  });
});
