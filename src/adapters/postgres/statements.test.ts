import { describe, expect, it } from 'vitest';
import { planned } from './metastore-admin.js';
import { listSessionsStatement, renameAtomicallyStatements, renderStatement } from './statements.js';

describe('statement builders', () => {
  it('renders bind parameters as literals for the plan text', () => {
    expect(renderStatement(listSessionsStatement("o'hive", { clientsOnly: true }))).toBe(
      "SELECT pid, usename, application_name, client_addr::text AS client_addr, state, backend_start FROM pg_stat_activity WHERE datname = 'o''hive' AND pid <> pg_backend_pid() AND usesysid IS NOT NULL AND application_name <> 'hmsdr' ORDER BY backend_start, pid",
    );
  });

  it('puts a set of renames in one transaction', () => {
    expect(
      renameAtomicallyStatements([
        { from: 'hive', to: 'hive_prev' },
        { from: 'hive_new', to: 'hive' },
      ]).map((s) => s.text),
    ).toEqual(['BEGIN', 'ALTER DATABASE "hive" RENAME TO "hive_prev"', 'ALTER DATABASE "hive_new" RENAME TO "hive"', 'COMMIT']);
    expect(planned.renameAtomically([{ from: 'a', to: 'b' }])).toEqual(['BEGIN', 'ALTER DATABASE "a" RENAME TO "b"', 'COMMIT']);
  });
});
