import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderJsonSchema, withGeneratedReference } from '../../scripts/gen-config-docs.js';
import { configKeyRows } from '../../src/config/docs.js';

it('docs/configuration.md documents every key of the schema (regenerate with npm run docs:config)', () => {
  const markdown = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  expect(markdown).toBe(withGeneratedReference(markdown));
  for (const row of configKeyRows()) {
    expect(markdown).toContain(`| \`${row.key}\` |`);
    expect(row.description, `${row.key} needs a description in src/config/schema.ts`).not.toBe('');
  }
});

it('hmsdr.schema.json is the JSON Schema of the config (regenerate with npm run docs:config)', () => {
  const published = readFileSync(new URL('../../hmsdr.schema.json', import.meta.url), 'utf8');
  expect(published).toBe(renderJsonSchema());
  const schema = JSON.parse(published);
  expect(schema.required).toEqual(expect.arrayContaining(['version', 'source', 'dr']));
  // A duration may be written as milliseconds or as `30s`.
  expect(schema.properties.source.properties.metastore.properties.connectTimeoutMs.anyOf.map((s: { type: string }) => s.type)).toEqual([
    'integer',
    'string',
  ]);
});
