// plan prints each section as soon as it is known; the sections together are the whole plan text.
import { expect, it } from 'vitest';
import { adapterDoubles } from '../../../test/harness/adapter-doubles.js';
import { parseConfigText } from '../../config/load.js';
import { minimalConfigYaml } from '../../../test/harness/config.js';
import { dryRun, formatDryRun } from './dry-run.js';

it('hands out each section in order as it completes, and they add up to formatDryRun', async () => {
  const config = parseConfigText(
    minimalConfigYaml({ runsDir: '/nonexistent-hmsdr-runs' }),
    '/tmp/hmsdr-plan-test.yaml',
    {},
    { checkSecrets: false },
  );
  const sections: string[] = [];
  const seenWhenRewriteStarts: number[] = [];
  const adapters = adapterDoubles({
    source: new Proxy({} as never, {
      get: () => async () => {
        seenWhenRewriteStarts.push(sections.length);
        throw new Error('source unreachable (double)');
      },
    }),
    serviceControl: { describe: () => 'double', getState: async () => Promise.reject(new Error('no Ambari (double)')) } as never,
  });
  const report = await dryRun(
    config,
    [],
    adapters,
    () => undefined,
    (text) => sections.push(text),
  );
  expect(sections).toHaveLength(5);
  expect(sections[0]).toMatch(/^Plan for \/tmp\/hmsdr-plan-test.yaml \(nothing was changed\)\n\nPreflight:/);
  expect(Math.max(...seenWhenRewriteStarts)).toBeGreaterThanOrEqual(1); // the preflight was out before the dump was streamed
  expect(sections.join('\n')).toBe(formatDryRun(report));
});
