import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { EXIT_CODE_TABLE } from '../../src/errors/exit-codes.js';

it('docs/exit-codes.md has a row for every exit code of the table, with its name', () => {
  const markdown = readFileSync(new URL('../../docs/exit-codes.md', import.meta.url), 'utf8');
  for (const [code, name] of EXIT_CODE_TABLE) expect(markdown).toMatch(new RegExp(`^\\| ${code} \\| ${name} \\|`, 'm'));
});
