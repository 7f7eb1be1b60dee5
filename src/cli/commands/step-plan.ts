// `--plan` of a whole-runbook command (failover, failback): each step and the exact commands its
// plan builder gives, the same builders that run it; nothing is contacted.
import { formatActions } from '../../actions/action.js';
import type { ResolvedConfig } from '../../config/load.js';
import { runDirectory } from '../../names/run-names.js';
import type { Step } from '../../steps/step.js';

export function printStepPlan(config: ResolvedConfig, steps: readonly Step[], json: boolean, changes: string): void {
  const run = { id: '<run-id>', dir: runDirectory(config.runsDirAbs, '<run-id>'), startedAt: new Date().toISOString() };
  const listed = steps.map((s) => ({ id: s.id, title: s.title, destructive: s.destructive, actions: s.plan(config, run) }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ config: config.file, steps: listed }, null, 2)}\n`);
    return;
  }
  for (const [i, s] of listed.entries())
    process.stdout.write(`${i + 1}. ${s.id} — ${s.title}${s.destructive ? `  [${changes}]` : ''}\n${formatActions(s.actions)}\n`);
}
