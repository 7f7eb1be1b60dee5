// One line for the first few problems zod found in a file hmsdr reads back (state.json, step outputs).
import type { z } from 'zod';

/** `path: message; …`, the first `limit` issues and how many more there are. */
export function describeIssues(error: z.ZodError, limit = 5): string {
  const issues = error.issues.slice(0, limit).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`);
  return issues.join('; ') + (error.issues.length > limit ? `; … ${error.issues.length - limit} more` : '');
}
