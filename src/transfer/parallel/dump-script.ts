// Parse the plain-format SQL that `pg_dump --section=pre-data|post-data --no-owner --no-privileges`
// prints into its TOC entries, so they can be replayed over libpq (in parallel where safe).
// A small SQL lexer finds the structure: a header or meta-command inside a string, a quoted
// identifier, a dollar-quoted function body or a block comment is text, never structure.

export interface DumpEntry {
  /** The header's `Name:` (pg_dump's tag, e.g. `T T_pkey`; printed unquoted). */
  name: string;
  /** The header's `Type:` (CONSTRAINT, FK CONSTRAINT, INDEX, TABLE, ...). */
  type: string;
  /** The header's `Schema:`; null for `-`. */
  schema: string | null;
  /** The entry's statements (one or more, each ending with `;`), one per line group. */
  sql: string;
  /** Relations the entry locks, in a normalised quoted form (`public."T"`); only compared for equality. */
  tables: string[];
}

export interface DumpScript {
  /** Session settings printed before the first entry; run them on every connection first. */
  preamble: string[];
  entries: DumpEntry[];
}

type TokenKind = 'word' | 'ident' | 'string' | 'dollar' | 'number' | 'punct' | 'comment' | 'meta';

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/** Lexer options that statements of the script itself change (`SET standard_conforming_strings`). */
interface LexState {
  standardStrings: boolean;
}

const isIdentStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

/** End (exclusive) of a '...' literal opening at `open`; backslashes escape when `backslash`. */
function scanString(text: string, open: number, backslash: boolean): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslash && c === '\\') i += 2;
    else if (c === "'" && text[i + 1] === "'") i += 2;
    else if (c === "'") return i + 1;
    else i += 1;
  }
  return text.length;
}

/** End of a "..." identifier opening at `open` (`""` is an escaped quote). */
function scanQuoted(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === '"' && text[i + 1] === '"') i += 2;
    else if (text[i] === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}

/** End of a nested /* ... *\/ comment opening at `open`. */
function scanBlockComment(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return text.length;
}

/** The `$tag$` opening at `i`, or undefined when `$` starts no dollar quote (e.g. `$1`). */
function dollarTag(text: string, i: number): string | undefined {
  const match = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 200));
  return match?.[0];
}

const lineEnd = (text: string, i: number): number => {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
};

/** SQL tokens (whitespace dropped), plus `--` comments and psql meta-command lines. */
function* tokenize(text: string, lex: LexState): Generator<Token> {
  let i = 0;
  const token = (kind: TokenKind, end: number): Token => {
    const t = { kind, text: text.slice(i, end), start: i, end };
    i = end;
    return t;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '\\' && (i === 0 || text[i - 1] === '\n')) {
      yield token('meta', lineEnd(text, i));
    } else if (text.startsWith('--', i)) {
      yield token('comment', lineEnd(text, i));
    } else if (text.startsWith('/*', i)) {
      i = scanBlockComment(text, i);
    } else if (c === "'") {
      yield token('string', scanString(text, i, !lex.standardStrings));
    } else if (c === '"') {
      yield token('ident', scanQuoted(text, i));
    } else if (c === '$' && dollarTag(text, i) !== undefined) {
      const tag = dollarTag(text, i) as string;
      const close = text.indexOf(tag, i + tag.length);
      yield token('dollar', close < 0 ? text.length : close + tag.length);
    } else if (isIdentStart(c)) {
      let end = i + 1;
      while (end < text.length && isIdentChar(text[end] as string)) end += 1;
      // E'...' strings take backslash escapes whatever standard_conforming_strings says.
      if (end === i + 1 && (c === 'E' || c === 'e') && text[end] === "'") yield token('string', scanString(text, end, true));
      else yield token('word', end);
    } else if (/[0-9]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[0-9.]/.test(text[end] as string)) end += 1;
      yield token('number', end);
    } else {
      yield token('punct', i + 1);
    }
  }
}

const HEADER = /^-- (?:Data for )?Name: (.*?); Type: (.*?); Schema: (.*?); Owner: (.*?)(?:; Tablespace: (.*))?$/;

/** Session settings pg_dump changes between entries (printed just before an entry's header). */
const SESSION_SET = /^SET\s+(default_tablespace|default_table_access_method)\s*=\s*([\s\S]*?)\s*;$/i;

const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'word' && t.text.toUpperCase() === word;
const isPunct = (t: Token | undefined, c: string): boolean => t?.kind === 'punct' && t.text === c;

/** An identifier's real name: unquoted words fold to lower case, quoted ones are unescaped. */
function identName(t: Token): string | undefined {
  if (t.kind === 'word') return t.text.toLowerCase();
  if (t.kind === 'ident') return t.text.slice(1, -1).replaceAll('""', '"');
  return undefined;
}

/** One canonical spelling per name: bare when it needs no quotes, else quoted (like pg_dump's fmtId). */
export function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The qualified name starting at tokens[i] in canonical form (an unqualified one is put in `schema`), or undefined. */
function qualifiedName(tokens: Token[], i: number, schema: string | null): string | undefined {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const t = tokens[j];
    const name = t === undefined ? undefined : identName(t);
    if (name === undefined) break;
    parts.push(name);
    if (!isPunct(tokens[j + 1], '.')) break;
    j += 2;
  }
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && schema !== null) parts.unshift(schema);
  return parts.map(quoteName).join('.');
}

/** Index of the first `word` token at or after `from`, or -1. */
const findWord = (tokens: Token[], word: string, from: number): number => tokens.findIndex((t, k) => k >= from && isWord(t, word));

/** Skip the optional `IF [NOT] EXISTS` and `ONLY` before a relation name. */
function skipNoise(tokens: Token[], i: number): number {
  let j = i;
  for (;;) {
    if (isWord(tokens[j], 'IF') && isWord(tokens[j + 1], 'EXISTS')) j += 2;
    else if (isWord(tokens[j], 'IF') && isWord(tokens[j + 1], 'NOT') && isWord(tokens[j + 2], 'EXISTS')) j += 3;
    else if (isWord(tokens[j], 'ONLY')) j += 1;
    else return j;
  }
}

/** Skip words from `words` (CREATE's OR REPLACE / UNIQUE / CONSTRAINT). */
function skipWords(tokens: Token[], i: number, words: string[]): number {
  let j = i;
  while (words.some((w) => isWord(tokens[j], w))) j += 1;
  return j;
}

/** Tables one statement locks (see DumpEntry.tables); comments are not in `tokens`. */
function statementTables(tokens: Token[], schema: string | null): string[] {
  const found: (string | undefined)[] = [];
  const nameAfter = (i: number): string | undefined => qualifiedName(tokens, skipNoise(tokens, i), schema);
  const [first, second] = [tokens[0], tokens[1]];
  if (isWord(first, 'ALTER') && isWord(second, 'TABLE')) {
    found.push(nameAfter(2));
    for (const keyword of ['REFERENCES', 'PARTITION']) {
      for (let k = findWord(tokens, keyword, 3); k >= 0; k = findWord(tokens, keyword, k + 1)) found.push(nameAfter(k + 1));
    }
  } else if (isWord(first, 'CREATE')) {
    const kind = skipWords(tokens, 1, ['OR', 'REPLACE', 'UNIQUE', 'CONSTRAINT']);
    const on = findWord(tokens, 'ON', kind);
    if (isWord(tokens[kind], 'INDEX') || isWord(tokens[kind], 'POLICY')) {
      if (on >= 0) found.push(nameAfter(on + 1));
    } else if (isWord(tokens[kind], 'TRIGGER') && on >= 0) {
      found.push(nameAfter(on + 1));
      const from = findWord(tokens, 'FROM', on + 1); // a constraint trigger's referenced table
      const execute = findWord(tokens, 'EXECUTE', on + 1);
      if (from >= 0 && (execute < 0 || from < execute)) found.push(nameAfter(from + 1));
    } else if (isWord(tokens[kind], 'RULE') && on >= 0) {
      const to = findWord(tokens, 'TO', on + 1);
      if (to >= 0) found.push(nameAfter(to + 1));
    }
  }
  return found.filter((t): t is string => t !== undefined);
}

interface RawEntry {
  name: string;
  type: string;
  schema: string | null;
  statements: Token[][];
  /** Session settings in effect for this entry (setting → value as printed). */
  session: Map<string, string>;
}

const statementText = (text: string, tokens: Token[]): string => {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return first === undefined || last === undefined ? '' : text.slice(first.start, last.end);
};

/** Turn a header line into a new entry; null schema for `-`. */
function headerEntry(match: RegExpExecArray, session: Map<string, string>): RawEntry {
  const schema = match[3] ?? '-';
  return { name: match[1] ?? '', type: match[2] ?? '', schema: schema === '-' ? null : schema, statements: [], session: new Map(session) };
}

export function parseDumpScript(text: string): DumpScript {
  const lex: LexState = { standardStrings: true };
  const preamble: string[] = [];
  const raw: RawEntry[] = [];
  const session = new Map<string, string>(); // settings as of the current point of the script
  const changed = new Set<string>(); // settings changed after the preamble
  let current: Token[] = [];

  const finishStatement = (): void => {
    const tokens = current.filter((t) => t.kind !== 'comment');
    current = [];
    if (tokens.length === 0 || (tokens.length === 1 && isPunct(tokens[0], ';'))) return; // nothing, or an empty statement
    const sql = statementText(text, tokens);
    const entry = raw[raw.length - 1];
    const set = SESSION_SET.exec(sql);
    if (/^SET\s+standard_conforming_strings\s*=\s*'?off'?\s*;$/i.test(sql)) lex.standardStrings = false;
    if (/^SET\s+standard_conforming_strings\s*=\s*'?on'?\s*;$/i.test(sql)) lex.standardStrings = true;
    if (/^COPY\b[\s\S]*\bFROM\s+stdin\b/i.test(sql)) {
      throw new Error('pg_dump script holds COPY ... FROM stdin data: only the pre-data and post-data sections can be parsed');
    }
    if (set && entry !== undefined) {
      // Printed before the next entry's header: it applies to the entries that follow.
      const key = (set[1] as string).toLowerCase();
      if (session.get(key) !== set[2]) changed.add(key);
      session.set(key, set[2] as string);
    } else if (entry === undefined) {
      if (set) session.set((set[1] as string).toLowerCase(), set[2] as string);
      preamble.push(sql);
    } else {
      entry.statements.push(tokens);
    }
  };

  for (const token of tokenize(text, lex)) {
    if (token.kind === 'meta') continue; // psql meta-command (\restrict, \connect): nothing to run over libpq
    const header = token.kind === 'comment' && (token.start === 0 || text[token.start - 1] === '\n') ? HEADER.exec(token.text) : null;
    if (header && current.every((t) => t.kind === 'comment')) {
      current = [];
      raw.push(headerEntry(header, session));
      continue;
    }
    current.push(token);
    if (isPunct(token, ';')) finishStatement();
  }
  finishStatement(); // a last statement without `;`

  const entries = raw.map((e) => toEntry(text, e, changed));
  return { preamble, entries };
}

/** Final entry: statements as printed, preceded by the session settings it needs when the script changes them. */
function toEntry(text: string, e: RawEntry, changed: Set<string>): DumpEntry {
  const settings = [...changed].map((key) => `SET ${key} = ${e.session.get(key) ?? 'DEFAULT'};`);
  const statements = e.statements.map((tokens) => statementText(text, tokens));
  const tables = [...new Set(e.statements.flatMap((tokens) => statementTables(tokens, e.schema)))];
  return { name: e.name, type: e.type, schema: e.schema, sql: [...settings, ...statements].join('\n'), tables };
}

/** A foreign key replayed in two statements (see foreignKeyInTwoSteps). */
export interface TwoStepForeignKey {
  /** The entry's settings and its `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …` with `NOT VALID`: no scan. */
  add: string;
  /** `ALTER TABLE [ONLY] <table> VALIDATE CONSTRAINT <name>`: the scan of every row. */
  validate: string;
  /** The referencing table as printed (`public."PARTITIONS"`: valid `regclass` input). */
  table: string;
  /** The constraint's name (unquoted). */
  constraint: string;
}

/**
 * A foreign key entry as `ADD … NOT VALID` then `VALIDATE CONSTRAINT`, run as two transactions.
 * ADD takes SHARE ROW EXCLUSIVE on both tables for the whole scan; VALIDATE only SHARE UPDATE
 * EXCLUSIVE on its own table and ROW SHARE on the referenced one, so keys of different tables that
 * reference one table (every `PARTITIONS` child) are checked side by side. The catalog ends the
 * same: the constraint is marked valid once every row has been checked. Undefined for anything but
 * one plain `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` that is not already NOT VALID.
 */
export function foreignKeyInTwoSteps(entry: DumpEntry): TwoStepForeignKey | undefined {
  if (entry.type !== 'FK CONSTRAINT') return undefined;
  const tokens = [...tokenize(entry.sql, { standardStrings: true })].filter((t) => t.kind !== 'comment' && t.kind !== 'meta');
  const statements: Token[][] = [[]];
  for (const t of tokens) {
    (statements[statements.length - 1] as Token[]).push(t);
    if (isPunct(t, ';')) statements.push([]);
  }
  const complete = statements.filter((s) => s.length > 0);
  const key = complete[complete.length - 1];
  if (key === undefined) return undefined;
  if (complete.slice(0, -1).some((s) => !isWord(s[0], 'SET'))) return undefined; // only the entry's settings may come first
  if (!isWord(key[0], 'ALTER') || !isWord(key[1], 'TABLE') || !isPunct(key[key.length - 1], ';')) return undefined;
  const nameAt = skipNoise(key, 2);
  const add = key.findIndex((t, k) => k > nameAt && isWord(t, 'ADD') && isWord(key[k + 1], 'CONSTRAINT'));
  if (add < 0 || !isWord(key[add + 3], 'FOREIGN') || !isWord(key[add + 4], 'KEY')) return undefined;
  const constraint = key[add + 2];
  const constraintName = constraint === undefined ? undefined : identName(constraint);
  if (constraint === undefined || constraintName === undefined) return undefined;
  if (key.some((t, k) => isWord(t, 'NOT') && isWord(key[k + 1], 'VALID'))) return undefined;
  const only = key.slice(2, nameAt).some((t) => isWord(t, 'ONLY'));
  const end = key[key.length - 1] as Token;
  const table = entry.sql.slice((key[nameAt] as Token).start, (key[add - 1] as Token).end);
  return {
    add: `${entry.sql.slice(0, end.start).trimEnd()} NOT VALID;`,
    validate: `ALTER TABLE ${only ? 'ONLY ' : ''}${table} VALIDATE CONSTRAINT ${constraint.text};`,
    table,
    constraint: constraintName,
  };
}
