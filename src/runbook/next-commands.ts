// The commands hmsdr tells the operator to type next: one builder each, used by the engine's
// messages, `hmsdr status` and the run reports, so they never disagree.
const withConfig = (configFile: string | null | undefined): string => (configFile ? ` --config ${configFile}` : '');

export const resumeCommand = (runId: string, configFile: string | null | undefined): string => `hmsdr resume ${runId}${withConfig(configFile)}`;

export const rollbackCommand = (runId: string, configFile: string | null | undefined): string => `hmsdr rollback ${runId}${withConfig(configFile)}`;
