// Engine-neutral helpers every copy engine and the data steps share: the configured path pairs,
// where a site's Hadoop commands run, and the HDFS ports of a step context.
import type { HdfsPorts } from '../adapters/hdfs/hdfs.js';
import { InternalError } from '../errors/errors.js';
import type { StepContext } from './engine.js';

// The configured pairs: one rule in src/config/data-paths.ts.
export { dataPairs, type PathPair } from '../config/data-paths.js';

// Where a site's Hadoop commands run: the one rule of config/where.ts.
export { hdfsWhere } from '../config/where.js';

export function requireHdfs(ctx: Pick<StepContext, 'adapters'>): HdfsPorts {
  if (!ctx.adapters.hdfs)
    throw new InternalError('the hdfs adapters are not wired into the step context (createAdapters → createHdfsPorts)');
  return ctx.adapters.hdfs;
}
