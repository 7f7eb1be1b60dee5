// The canonical DR flow of DESIGN.md, in order. Each step lives in src/steps/<id>.ts.
import type { ResolvedConfig } from '../config/load.js';
import type { Step } from './step.js';

export function canonicalRunbook(_config: ResolvedConfig): Step[] {
  return [];
}
