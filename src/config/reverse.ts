// `hmsdr init --reverse`: the failback configuration from the normal one, as YAML text. The sites
// swap (DR becomes the source, the old production the DR target), every rewrite rule is inverted,
// the data paths run target → source, and the runs go to their own directory. What the normal
// configuration cannot know is left for the operator, named in the header: the old source's service
// control (none until set), a staging directory on it, and a metastore role there that may create
// databases (the normal config's source role only reads).
import { parse, stringify } from 'yaml';
import { ConfigError } from '../errors/errors.js';

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ReverseOptions {
  /** Staging directory on the old source (its SSH host, or this machine). */
  stagingDir?: string | undefined;
}

export interface ReversedConfig {
  text: string;
  /** What the operator must check or fill in before `hmsdr failback`. */
  decisions: string[];
}

/** The failback configuration of the normal configuration's YAML text. */
export function reverseConfigText(text: string, options: ReverseOptions = {}): ReversedConfig {
  const raw = parse(text) as unknown;
  if (!isObject(raw) || !isObject(raw.source) || !isObject(raw.dr))
    throw new ConfigError('the configuration to reverse has no source and dr sections', []);
  const { stagingDir: _staging, serviceControl, ...drSite } = raw.dr;
  const source = raw.source;
  const rewrite = isObject(raw.rewrite) ? raw.rewrite : {};
  const rules = Array.isArray(rewrite.rules) ? (rewrite.rules as Raw[]) : [];
  const data = isObject(raw.data) ? raw.data : undefined;
  const paths = data && Array.isArray(data.paths) ? (data.paths as Raw[]) : [];
  const decisions = [
    `dr.metastore: ${String(source.name)}'s metastore role must be able to create, rename and drop databases (the normal config's source role only reads)`,
    `dr.serviceControl: how Hive is stopped and started on ${String(source.name)} (Ambari, Cloudera Manager or commands); left as none`,
    ...(options.stagingDir
      ? []
      : [`dr.stagingDir: a directory on ${String(source.name)}'s host for the staged dump (placeholder written)`]),
  ];
  const reversed: Raw = {
    ...raw,
    runsDir: `${typeof raw.runsDir === 'string' ? raw.runsDir : './runs'}-failback`,
    source: drSite,
    dr: { ...source, stagingDir: options.stagingDir ?? '/var/tmp/hmsdr-failback-staging', serviceControl: { type: 'none' } },
    ...(rules.length > 0
      ? { rewrite: { ...rewrite, rules: rules.map((r) => ({ ...r, from: r.to, to: r.from, matchDefaultPort: false })) } }
      : {}),
    ...(data ? { data: { ...data, paths: paths.map((p) => ({ ...p, source: p.target ?? p.source, target: p.source })) } } : {}),
  };
  void serviceControl; // the DR side's service control has no place in the reverse direction
  const header = [
    '# hmsdr failback configuration, written by `hmsdr init --reverse`: the sites swapped (DR is the source),',
    '# the rewrite rules inverted, the data paths reversed. Check before using it:',
    ...decisions.map((d) => `#   - ${d}`),
    '',
  ].join('\n');
  return { text: header + stringify(reversed), decisions };
}
