// The configured data paths as source → target pairs (target defaults to the source path): what
// the copy engines copy and the data verification compares.
import type { ResolvedConfig } from './load.js';

export interface PathPair {
  source: string;
  target: string;
}

export function dataPairs(config: Pick<ResolvedConfig, 'data'>): PathPair[] {
  return config.data.paths.map((p) => ({ source: p.source, target: p.target ?? p.source }));
}
