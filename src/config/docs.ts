// Generates the key reference of docs/configuration.md from the zod schema, so the two cannot drift
// (a test compares them; `npm run docs:config` rewrites the file).
import * as z from 'zod/mini';
import { configSchema } from './schema.js';
import { descriptionOf } from './schema-helpers.js';

interface Row {
  key: string;
  type: string;
  required: boolean;
  defaultValue: string;
  description: string;
}

// zod 4 keeps its definition under `.def`; only the parts we read are typed here.
interface Def {
  type: string;
  innerType?: Schema;
  defaultValue?: unknown;
  shape?: Record<string, Schema>;
  element?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  valueType?: Schema;
  format?: string;
}
type Schema = z.ZodMiniType & { def: Def; shape?: Record<string, Schema> };

function unwrap(schema: Schema): { inner: Schema; optional: boolean; defaultValue?: unknown; description?: string } {
  let inner = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = descriptionOf(schema);
  for (;;) {
    const def = inner.def;
    if (def.type === 'optional') optional = true;
    else if (def.type === 'default') defaultValue = def.defaultValue;
    else break;
    inner = def.innerType as Schema;
    description ??= descriptionOf(inner);
  }
  return { inner, optional, defaultValue, description };
}

function typeName(schema: Schema): string {
  const def = schema.def;
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries ?? {})
        .map((v) => `\`${v}\``)
        .join(' \\| ');
    case 'literal':
      return (def.values ?? []).map((v) => `\`${String(v)}\``).join(' \\| ');
    case 'array':
      return `list of ${typeName(unwrap(def.element as Schema).inner)}`;
    case 'record':
      return 'map of string';
    case 'object':
      return 'object';
    case 'string':
      return def.format === 'url' ? 'URL' : 'string';
    case 'pipe':
      return 'duration'; // durationMs: milliseconds or `30s` / `15m` / `2h`
    default:
      return def.type;
  }
}

function formatDefault(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'object') return `\`${JSON.stringify(value)}\``.replaceAll('|', '\\|');
  return `\`${String(value)}\``;
}

function walk(schema: Schema, path: string, rows: Row[], required: boolean): void {
  const { inner, optional, defaultValue, description } = unwrap(schema);
  const def = inner.def;
  if (path) {
    rows.push({
      key: path,
      type: typeName(inner),
      required: required && !optional && defaultValue === undefined,
      defaultValue: def.type === 'object' ? '' : formatDefault(defaultValue),
      description: description ?? '',
    });
  }
  if (def.type === 'object') {
    // "required" is relative to the parent: a required key of an optional block is needed when the block is there.
    walkChildren(inner, path, rows);
  } else if (def.type === 'array') {
    const element = unwrap(def.element as Schema).inner;
    if (element.def.type === 'object') walkChildren(element, `${path}[]`, rows);
  } else if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const shape = option.shape ?? option.def.shape ?? {};
      const tag = shape.type ? unwrap(shape.type).inner.def.values?.[0] : undefined;
      for (const [key, child] of Object.entries(shape)) {
        if (key === 'type') continue;
        walk(child, `${path}.${key}`, rows, true);
        const last = rows.at(-1);
        if (last) last.description = `(type: ${String(tag)}) ${last.description}`;
      }
    }
  }
}

function walkChildren(schema: Schema, path: string, rows: Row[]): void {
  for (const [key, child] of Object.entries(schema.shape ?? schema.def.shape ?? {})) walk(child, path ? `${path}.${key}` : key, rows, true);
}

export function configKeyRows(): Row[] {
  const rows: Row[] = [];
  walk(configSchema as unknown as Schema, '', rows, true);
  return rows;
}

export function renderConfigReference(): string {
  const lines = ['| key | type | required | default | description |', '|---|---|---|---|---|'];
  for (const row of configKeyRows()) {
    lines.push(
      `| \`${row.key}\` | ${row.type} | ${row.required ? 'yes' : ''} | ${row.defaultValue} | ${row.description.replaceAll('|', '\\|')} |`,
    );
  }
  return lines.join('\n');
}

/** The config's JSON Schema (published as hmsdr.schema.json): editors validate and complete with it. */
export function configJsonSchema(): Record<string, unknown> {
  // io 'input': what a person writes (a duration may be a number or `30s`), not what the loader returns.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'hmsdr configuration' };
}
