// Rewrites the generated key reference inside docs/configuration.md and hmsdr.schema.json from the
// config schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema, renderConfigReference } from '../src/config/docs.js';

export const renderJsonSchema = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

export const BEGIN = '<!-- BEGIN GENERATED: config keys (npm run docs:config) -->';
export const END = '<!-- END GENERATED -->';

export function withGeneratedReference(markdown: string): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/configuration.md lacks the generated-section markers');
  return `${markdown.slice(0, start + BEGIN.length)}\n${renderConfigReference()}\n${markdown.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = new URL('../../docs/configuration.md', import.meta.url);
  writeFileSync(path, withGeneratedReference(readFileSync(path, 'utf8')));
  writeFileSync(new URL('../../hmsdr.schema.json', import.meta.url), renderJsonSchema());
}
