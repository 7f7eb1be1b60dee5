// What changed in the config since a run started, and whether resuming with it is safe. A run
// stores its normalised config (no secrets: only where they come from), so `resume` can name the
// keys that changed. Connection details, where secrets come from, and timeouts are safe to change
// mid-run (fix the config, then resume); anything else (rewrite rules, data paths, databases,
// strategies) would mix two plans in one run.
import type { ResolvedConfig } from './load.js';

export interface ConfigChange {
  /** Dotted path, e.g. `dr.metastore.port`, `data.paths.1.source`. */
  key: string;
  safe: boolean;
}

/** The normalised config a run stores: the parsed values without the file path, hash or absolute runs directory. */
export function configValues(config: ResolvedConfig): Record<string, unknown> {
  const { file: _file, hash: _hash, runsDirAbs: _runsDirAbs, ...values } = config;
  return JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
}

/** Leaf keys that only say how to reach a system or how long to wait: safe to change in a run. */
const SAFE_LEAVES = new Set([
  'host',
  'port',
  'user',
  'url',
  'passwordEnv',
  'passwordFile',
  'keyFile',
  'keyPassphraseEnv',
  'knownHostsFile',
  'hostKeyFingerprint',
  'acceptNewHostKey',
  'sslmode',
  'sslRootCert',
  'binDir',
  'caFile',
]);
const SAFE_PATTERN = /(timeout|Timeout|IntervalMs)(Ms|Seconds)?$/;
/** Parents whose whole subtree is connection detail (an SSH jump host). */
const SAFE_PARENTS = new Set(['jump']);

export function isSafeToChange(key: string): boolean {
  const parts = key.split('.');
  const leaf = parts.at(-1) ?? '';
  // `database` at any level (the live DR name, the source database) is never a connection detail.
  if (leaf === 'database') return false;
  return SAFE_LEAVES.has(leaf) || SAFE_PATTERN.test(leaf) || parts.slice(0, -1).some((p) => SAFE_PARENTS.has(p));
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.set(prefix, JSON.stringify(value));
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value));
}

/** The keys whose value differs between the stored and the current config, each classified. */
export function diffConfig(before: Record<string, unknown>, after: Record<string, unknown>): ConfigChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, '', a);
  flatten(after, '', b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
  return keys.map((key) => ({ key, safe: isSafeToChange(key) }));
}
