// `hmsdr bundle <run-id>`: one .tar.gz with what support needs to understand a run — the run
// directory (state, events, stderr captures, reports), the config with its secrets removed, the
// versions of every tool and server the run saw, the snapshot lists, the Ambari/CM request and
// command records — after a second redaction pass over every member, with an index giving each
// member's size and sha256.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { redact, redactDeep, registerSecret } from '../util/secrets.js';
import { tarGz, type TarMember } from '../util/tar.js';

/** Members larger than this are listed in the index as left out (a run directory holds no dumps). */
const MAX_MEMBER_BYTES = 64 * 1024 * 1024;
const SECRET_KEY = /(password|passphrase|secret|token)$/i;
const SECRET_SOURCE = /(password|passphrase|secret|token)(Env|File)$/i;
/** user:password@ in URLs (postgres://u:pw@host, https://u:pw@ambari). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi;

export interface BundleInput {
  runId: string;
  runDir: string;
  /** The config file's text and path (the text is sanitised before it goes in). */
  configText: string;
  configFile: string;
  env?: NodeJS.ProcessEnv;
  /** hmsdr's own version, for the index. */
  hmsdrVersion?: string;
  now?: Date;
}

export interface BundleIndex {
  runId: string;
  createdAt: string;
  hmsdr: string | null;
  node: string;
  configFile: string;
  members: Array<{ name: string; bytes: number; sha256: string }>;
  leftOut: Array<{ name: string; bytes: number; why: string }>;
}

/** Register every secret the config names (passwordEnv, passwordFile, keyPassphraseEnv …) so redact() hides it. */
export function registerConfigSecrets(raw: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && SECRET_SOURCE.test(key)) {
        if (key.endsWith('Env')) registerSecret(env[v]);
        else {
          try {
            registerSecret(readFileSync(v, 'utf8').trim());
          } catch {
            // unreadable here: nothing to hide that this process could know
          }
        }
      } else if (typeof v === 'string' && SECRET_KEY.test(key)) registerSecret(v);
      else walk(v);
    }
  };
  walk(raw);
}

/** The config without secret values (keys naming where a secret is — passwordEnv, passwordFile — stay). */
export function sanitiseConfig(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(sanitiseConfig);
  if (raw === null || typeof raw !== 'object') return raw;
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, SECRET_KEY.test(k) && !SECRET_SOURCE.test(k) ? '(removed)' : sanitiseConfig(v)]),
  );
}

/** The second pass over a member's text: registered secrets, credential headers, URL credentials. */
export const scrub = (text: string): string => redact(text).replace(URL_CREDENTIALS, '$1***@');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Every string or number under a key that names a version, by its dotted path in the step outputs. */
function versionsIn(value: unknown, path: string, out: Record<string, string | number>): void {
  if (Array.isArray(value)) return value.forEach((v, i) => versionsIn(v, `${path}[${i}]`, out));
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (/version/i.test(k) && (typeof v === 'string' || typeof v === 'number')) out[at] = v;
    else versionsIn(v, at, out);
  }
}

type Outputs = Record<string, { output?: Record<string, unknown> } | undefined>;

/** Snapshot names per path: taken, previous, safety, pruned (from snapshot-source and copy-data). */
function snapshotLists(steps: Outputs): unknown {
  const pick = (id: string): unknown[] => ((steps[id]?.output?.['paths'] as unknown[] | undefined) ?? []) as unknown[];
  const fields = ['source', 'target', 'mode', 'snapshot', 'previous', 'takenAt', 'safetySnapshot', 'pruned', 'snapshots'];
  const only = (p: unknown): unknown =>
    Object.fromEntries(Object.entries((p ?? {}) as Record<string, unknown>).filter(([k]) => fields.includes(k)));
  return { 'snapshot-source': pick('snapshot-source').map(only), 'copy-data': pick('copy-data').map(only) };
}

/** The Ambari / Cloudera Manager requests and commands of the service steps, as they recorded them. */
function serviceRecords(steps: Outputs): unknown {
  return Object.fromEntries(
    Object.entries(steps)
      .filter(([, record]) => record?.output && ('controller' in record.output || 'actions' in record.output))
      .map(([id, record]) => [id, record?.output]),
  );
}

/** Build the bundle (gzip'd tar) and its index. */
export function buildBundle(input: BundleInput): { archive: Buffer; index: BundleIndex } {
  const now = input.now ?? new Date();
  const raw: unknown = parse(input.configText);
  registerConfigSecrets(raw, input.env);
  const root = `hmsdr-bundle-${input.runId}`;
  const texts: Array<{ name: string; text: string }> = [];
  const leftOut: BundleIndex['leftOut'] = [];
  for (const file of filesUnder(input.runDir).sort()) {
    const name = `run/${relative(input.runDir, file).split(sep).join('/')}`;
    const bytes = statSync(file).size;
    if (bytes > MAX_MEMBER_BYTES) {
      leftOut.push({ name, bytes, why: `larger than ${MAX_MEMBER_BYTES} bytes` });
      continue;
    }
    texts.push({ name, text: readFileSync(file, 'utf8') });
  }
  texts.push({ name: 'config/hmsdr.yaml', text: `# ${input.configFile}, secret values removed\n${stringify(sanitiseConfig(raw))}` });
  let steps: Outputs = {};
  try {
    steps = (JSON.parse(readFileSync(join(input.runDir, 'state.json'), 'utf8')) as { steps?: Outputs }).steps ?? {};
  } catch {
    leftOut.push({ name: 'versions.json', bytes: 0, why: 'state.json is missing or unreadable' });
  }
  const versions: Record<string, string | number> = { node: process.versions.node };
  if (input.hmsdrVersion) versions['hmsdr'] = input.hmsdrVersion;
  for (const [id, record] of Object.entries(steps)) versionsIn(record?.output, id, versions);
  const json = (value: unknown): string => `${JSON.stringify(redactDeep(value), null, 2)}\n`;
  texts.push({ name: 'versions.json', text: json(versions) });
  texts.push({ name: 'snapshots.json', text: json(snapshotLists(steps)) });
  texts.push({ name: 'service-control.json', text: json(serviceRecords(steps)) });

  const members: TarMember[] = [];
  const index: BundleIndex = {
    runId: input.runId,
    createdAt: now.toISOString(),
    hmsdr: input.hmsdrVersion ?? null,
    node: process.versions.node,
    configFile: input.configFile,
    members: [],
    leftOut,
  };
  for (const { name, text } of texts) {
    const data = Buffer.from(scrub(text), 'utf8'); // the second pass, over every member
    members.push({ name: `${root}/${name}`, data, mtime: now });
    index.members.push({ name, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }
  const indexData = Buffer.from(scrub(`${JSON.stringify(index, null, 2)}\n`), 'utf8');
  return { archive: tarGz([{ name: `${root}/index.json`, data: indexData, mtime: now }, ...members]), index };
}
