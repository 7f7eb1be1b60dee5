// One line for the first few problems zod found in a file hmsdr reads back (state.json, step outputs).

/** `path: message; …`, the first `limit` issues and how many more there are. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, limit = 5): string {
  const issues = error.issues
    .slice(0, limit)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`);
  return issues.join('; ') + (error.issues.length > limit ? `; … ${error.issues.length - limit} more` : '');
}
