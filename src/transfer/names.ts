// Names and markers of the databases a run creates on the DR server. The database comment is the
// proof of what a database holds: which run restored it, from which dump.
export const stagingDatabase = (db: string, runId: string): string => `${db}_hmsdr_${runId}`;
export const previousDatabase = (db: string, runId: string): string => `${db}_hmsdr_prev_${runId}`;
export const previousPrefix = (db: string): string => `${db}_hmsdr_prev_`;

export const restoredComment = (runId: string, sha256: string): string => `hmsdr run=${runId} sha256=${sha256}`;

export function parseRestoredComment(comment: string | null | undefined): { runId: string; sha256: string } | undefined {
  const m = /^hmsdr run=(\S+) sha256=([0-9a-f]{64})$/.exec(comment ?? '');
  return m ? { runId: m[1]!, sha256: m[2]! } : undefined;
}
