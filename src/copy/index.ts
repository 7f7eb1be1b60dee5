// Picks the data-copy engine a config names (`data.engine`). A new engine is one more case here
// and one more folder beside distcp/ (docs/hdfs.md, "Adding a copy engine").
import type { ResolvedConfig } from '../config/load.js';
import { createClouderaManagerEngine } from './cloudera-manager/engine.js';
import { createDistcpEngine } from './distcp/engine.js';
import type { CopyEngineId, DataCopyEngine } from './engine.js';

export type {
  CopyEngineId,
  CopyEstimate,
  CopyEstimateContext,
  CopyMode,
  CopyPass,
  CopyResult,
  DataCopyEngine,
  PathCopyResult,
} from './engine.js';

const engines: Record<CopyEngineId, () => DataCopyEngine> = {
  distcp: createDistcpEngine,
  'cloudera-manager': createClouderaManagerEngine,
};

export function copyEngineFor(config: Pick<ResolvedConfig, 'data'>): DataCopyEngine {
  return engines[config.data.engine]();
}

/** The engine of a config that does not name one. */
export const defaultCopyEngine = (): DataCopyEngine => createDistcpEngine();
