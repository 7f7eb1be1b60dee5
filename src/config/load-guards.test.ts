// Config files that are broken, hostile or not files at all: clear ConfigErrors (exit 3), with lines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { loadConfig, MAX_CONFIG_BYTES, parseConfigText } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'hmsdr-config-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ConfigError `load` throws (fails the test when it throws anything else, or nothing). */
function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.CONFIG);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
const parse = (text: string) => () => parseConfigText(text, '/etc/hmsdr/hmsdr.yaml', {});

describe('config guards', () => {
  it('YAML syntax errors carry their line', () => {
    const error = configErrorOf(parse('version: 1\nsource:\n  name: prod\n  nameNode: [unclosed\ndr: {}\n'));
    expect(error.issues[0]).toMatchObject({ path: '(yaml)', line: expect.any(Number) });
    expect(error.issues[0]!.line).toBeGreaterThanOrEqual(4);
    expect(configErrorOf(parse('version: 1\nsource:\n\t- tab\n')).issues[0]).toMatchObject({ path: '(yaml)', line: 3 });
  });

  it('a duplicate key is an error at the line of the repeated key', () => {
    const error = configErrorOf(parse('version: 1\nrunsDir: ./a\nsource: {}\nrunsDir: ./b\n'));
    expect(error.issues).toEqual([{ path: '(yaml)', message: 'Map keys must be unique', line: 4 }]);
  });

  it('a "billion laughs" alias bomb is refused before it expands', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      lines.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    const error = configErrorOf(parse(lines.join('\n')));
    expect(error.issues).toEqual([
      { path: '(yaml)', message: expect.stringMatching(/^too many alias expansions \(more than 100\): refused as a resource exhaustion/) },
    ]);
  });

  it('a config over 1 MiB is refused unparsed, as text and as a file', () => {
    const huge = `version: 1\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    expect(configErrorOf(parse(huge)).message).toMatch(/is \d+ bytes, more than the 1048576 a config may have/);
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, huge);
    expect(configErrorOf(() => loadConfig(file)).message).toBe(
      `config file ${file} is ${huge.length} bytes, more than the 1048576 a config may have`,
    );
  });

  it('a config path that is a directory, or missing: a clear error, not a stack trace', () => {
    const error = configErrorOf(() => loadConfig(dir));
    expect(error.message).toBe(`config path ${dir} is a directory, not a file`);
    expect(error.hint).toMatch(/--config/);
    expect(configErrorOf(() => loadConfig(join(dir, 'missing.yaml'))).message).toBe(
      `cannot read config file ${join(dir, 'missing.yaml')}: ENOENT`,
    );
  });
});
