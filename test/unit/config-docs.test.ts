import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { withGeneratedReference } from '../../scripts/gen-config-docs.js';
import { configKeyRows } from '../../src/config/docs.js';

it('docs/configuration.md documents every key of the schema (regenerate with npm run docs:config)', () => {
  const markdown = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  expect(markdown).toBe(withGeneratedReference(markdown));
  for (const row of configKeyRows()) {
    expect(markdown).toContain(`| \`${row.key}\` |`);
    expect(row.description, `${row.key} needs a description in src/config/schema.ts`).not.toBe('');
  }
});
