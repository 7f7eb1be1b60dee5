// The few pg_dump plain-format SQL lines the rewriter understands: `COPY t (cols) FROM stdin;`
// headers and the column types of `CREATE TABLE` bodies (for varchar(n) limits).

/** A parsed `COPY schema.table (c1, c2) FROM stdin;` line. */
export interface CopyHeader {
  schema: string | undefined;
  table: string;
  columns: string[];
}

/** Read one SQL identifier (quoted with "" escapes, or bare) at `i`; returns it and the next index. */
function readIdent(line: string, i: number): [string, number] | undefined {
  if (line[i] === '"') {
    let out = '';
    let j = i + 1;
    while (j < line.length) {
      if (line[j] === '"') {
        if (line[j + 1] === '"') {
          out += '"';
          j += 2;
          continue;
        }
        return [out, j + 1];
      }
      out += line[j];
      j++;
    }
    return undefined;
  }
  const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(line.slice(i));
  return m ? [m[0], i + m[0].length] : undefined;
}

/** `schema.table` or `table` at `i`. */
function readQualified(line: string, i: number): [string | undefined, string, number] | undefined {
  const first = readIdent(line, i);
  if (!first) return undefined;
  if (line[first[1]] === '.') {
    const second = readIdent(line, first[1] + 1);
    if (!second) return undefined;
    return [first[0], second[0], second[1]];
  }
  return [undefined, first[0], first[1]];
}

/** Parse a COPY header line (without its newline); undefined when it is not one. */
export function parseCopyHeader(line: string): CopyHeader | undefined {
  if (!line.startsWith('COPY ') || !/FROM stdin;\s*$/.test(line)) return undefined;
  const name = readQualified(line, 5);
  if (!name) return undefined;
  const [schema, table] = name;
  let i = name[2];
  const columns: string[] = [];
  while (line[i] === ' ') i++;
  if (line[i] === '(') {
    i++;
    for (;;) {
      while (line[i] === ' ') i++;
      const col = readIdent(line, i);
      if (!col) return undefined;
      columns.push(col[0]);
      i = col[1];
      while (line[i] === ' ') i++;
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === ')') break;
      return undefined;
    }
  }
  return { schema, table, columns };
}

/** `CREATE TABLE schema.table (` → the table; undefined otherwise. */
export function parseCreateTable(line: string): { schema: string | undefined; table: string } | undefined {
  const m = /^CREATE (?:UNLOGGED )?TABLE /.exec(line);
  if (!m) return undefined;
  const name = readQualified(line, m[0].length);
  if (!name || !/^\s*\(\s*$/.test(line.slice(name[2]))) return undefined;
  return { schema: name[0], table: name[1] };
}

/**
 * A column line inside a CREATE TABLE body: its name and length limit in characters
 * (`character varying(n)` → n; text and other types → null: no limit we enforce).
 */
export function parseColumnLine(line: string): { column: string; limit: number | null } | undefined {
  const indent = /^\s+/.exec(line);
  if (!indent) return undefined;
  const col = readIdent(line, indent[0].length);
  if (!col || col[0] === 'CONSTRAINT') return undefined;
  const type = line.slice(col[1]).trimStart();
  const varchar = /^(?:character varying|varchar)\((\d+)\)/i.exec(type);
  return { column: col[0], limit: varchar ? Number(varchar[1]) : null };
}

/** Name used in reports: `TABLE` for public (or unqualified), else `schema.TABLE`. */
export function displayTable(schema: string | undefined, table: string): string {
  return schema === undefined || schema === 'public' ? table : `${schema}.${table}`;
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The `COPY schema.table (columns) FROM stdin;` line pg_dump writes before a table's data. */
export function copyHeaderLine(schema: string | undefined, table: string, columns: readonly string[]): string {
  const name = schema === undefined ? quoteIdentifier(table) : `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  return `COPY ${name} (${columns.map(quoteIdentifier).join(', ')}) FROM stdin;`;
}
