// Engine-neutral helpers every copy engine and the data steps share: the configured path pairs,
// where a site's Hadoop commands run, and the HDFS ports of a step context.
import type { HdfsPorts } from '../adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../config/load.js';
import { InternalError } from '../errors/errors.js';
import type { StepContext } from './engine.js';

export interface PathPair {
  source: string;
  target: string;
}

/** The configured pairs with defaults applied (target defaults to the source path). */
export function dataPairs(config: ResolvedConfig): PathPair[] {
  return config.data.paths.map((p) => ({ source: p.source, target: p.target ?? p.source }));
}

// Where a site's Hadoop commands run: the one rule of config/where.ts.
export { hdfsWhere } from '../config/where.js';

export function requireHdfs(ctx: Pick<StepContext, 'adapters'>): HdfsPorts {
  if (!ctx.adapters.hdfs) throw new InternalError('the hdfs adapters are not wired into the step context (createAdapters → createHdfsPorts)');
  return ctx.adapters.hdfs;
}
