import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integerAtLeast, resolveConfigPath } from './options.js';

describe('config lookup: --config, $HMSDR_CONFIG, ./hmsdr.yaml, /etc/hmsdr/hmsdr.yaml', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'hmsdr-options-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('takes --config first, then $HMSDR_CONFIG', () => {
    writeFileSync(join(cwd, 'hmsdr.yaml'), 'version: 1\n');
    expect(resolveConfigPath('given.yaml', { HMSDR_CONFIG: '/env.yaml' }, cwd)).toBe('given.yaml');
    expect(resolveConfigPath(undefined, { HMSDR_CONFIG: '/env.yaml' }, cwd)).toBe('/env.yaml');
  });
  it('then ./hmsdr.yaml when it exists', () => {
    expect(resolveConfigPath(undefined, {}, cwd)).toBe(join(cwd, 'hmsdr.yaml'));
  });
  it('else a clear config error (exit 3) naming every place looked at', () => {
    rmSync(join(cwd, 'hmsdr.yaml'));
    let caught: unknown;
    try {
      resolveConfigPath(undefined, {}, cwd);
    } catch (error) {
      caught = error;
    }
    // /etc/hmsdr/hmsdr.yaml may exist on a machine where hmsdr is installed: then it is the answer.
    if (caught === undefined) expect(resolveConfigPath(undefined, {}, cwd)).toBe('/etc/hmsdr/hmsdr.yaml');
    else
      expect(caught).toMatchObject({
        exitCode: 3,
        message: expect.stringContaining('--config, $HMSDR_CONFIG, ./hmsdr.yaml and /etc/hmsdr/hmsdr.yaml'),
      });
  });
});

describe('integerAtLeast', () => {
  const limit = integerAtLeast('limit', 1);
  it('accepts whole numbers', () => expect(limit('20')).toBe(20));
  it.each(['abc', '', '0', '1.5', '-3'])('refuses %j as a usage error', (value) =>
    expect(() => limit(value)).toThrow(/--limit .*expected a whole number ≥ 1/),
  );
});
