// What the reports say under the data table for a path: engine detail, newer than T1, why copied in
// full, the files a copy went on past.
import { describe, expect, it } from 'vitest';
import { pathFacts } from './format.js';
import type { CopyPathSummary } from './model.js';

const path = (extra: Partial<CopyPathSummary>): CopyPathSummary => ({
  source: '/w',
  target: '/w',
  snapshot: 's',
  previous: null,
  plannedMode: 'bootstrap',
  mode: 'bootstrap',
  takenAt: null,
  filesCopied: 1,
  bytesCopied: 1,
  bytesSkipped: 0,
  durationMs: 1,
  passes: 1,
  safetySnapshot: null,
  pruned: { source: [], target: [] },
  ...extra,
});

describe('pathFacts', () => {
  it('nothing beyond the table for a plain copy', () => {
    expect(pathFacts(path({}))).toEqual([]);
  });

  it('says when the figures are those of an earlier attempt of the run (a resumed copy)', () => {
    expect(pathFacts(path({ earlierAttempt: true }))).toEqual(['copied by an earlier attempt of this run (these are its figures)']);
  });

  it('names why a path was copied in full and every failed file, the first 20 then a count', () => {
    const failed = Array.from({ length: 22 }, (_, i) => `/w/f${i}`);
    expect(pathFacts(path({ fullCopyReason: 'copy policy changed', failedFiles: failed }))).toEqual([
      'copied in full: copy policy changed',
      `22 file(s) failed to copy: ${failed.slice(0, 20).join(', ')} and 2 more`,
    ]);
    expect(pathFacts(path({ failedFiles: ['/w/a b'], newerThanT1: 3 }))).toEqual([
      '3 file(s) newer than T1 on DR',
      '1 file(s) failed to copy: /w/a b',
    ]);
  });
});
