// `hmsdr lab reverse`: the lab's failback configuration, `hmsdr init --reverse` of the lab's own
// config with the decisions it leaves to the operator taken for the lab: production's metastore
// is administered by a role that may create databases (`hmsdr_admin` on the source server, made
// here with a fresh password), the dump is staged in `<dir>/prod-staging`, and Hive on production
// is stopped and started through production's own Ambari emulator (cluster `prodcluster`; started
// here if `lab disaster` stopped it and `lab recover-source` did not bring it back).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { quoteLiteral } from '../adapters/postgres/sql-text.js';
import { loadConfig } from '../config/load.js';
import { reverseConfigText } from '../config/reverse.js';
import { PreconditionError } from '../errors/errors.js';
import { ensureProdAmbari } from './lab-daemons.js';
import { stdoutLog } from './lab-processes.js';
import { readLabState } from './lab-state.js';
import { LAB_DR_ADMIN, LAB_OWNER, labMetastoreConfig, withClient } from './metastore/sites.js';

export const FAILBACK_CONFIG = 'hmsdr-failback.yaml';

/** Writes `<dir>/hmsdr-failback.yaml` (0600) and checks that hmsdr accepts it; returns its path. */
export async function labFailbackConfig(options: { dir: string; log?: (line: string) => void }): Promise<string> {
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  const state = readLabState(dir);
  if (state?.status !== 'up' || !state.source || !state.dr || !state.configFile)
    throw new PreconditionError(`no lab is up in ${dir}`, { hint: 'create one with: hmsdr lab up --dir <dir>' });
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'secrets', 'prod-admin.password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  // CREATE ROLE cannot take a bind parameter: the literal is quoted; the password never leaves this process but in the SQL text.
  await withClient(`postgres://postgres@127.0.0.1:${state.source.port}/postgres`, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [LAB_DR_ADMIN]);
    const verb = rowCount ? 'ALTER' : 'CREATE';
    await client.query(`${verb} ROLE ${LAB_DR_ADMIN} LOGIN CREATEDB PASSWORD ${quoteLiteral(password)}`);
    if (!rowCount) await client.query(`GRANT ${LAB_OWNER} TO ${LAB_DR_ADMIN}`);
  });
  const prodAmbari = await ensureProdAmbari(state, log);
  const stagingDir = join(dir, 'prod-staging');
  mkdirSync(stagingDir, { recursive: true });
  const normal = readFileSync(state.configFile, 'utf8');
  const ambariServiceControl = (parse(normal) as { dr: { serviceControl: Record<string, unknown> } }).dr.serviceControl;
  const { text } = reverseConfigText(normal, { stagingDir });
  const config = parse(text) as Record<string, Record<string, unknown>>;
  config.dr = {
    ...config.dr,
    metastore: labMetastoreConfig('dr', state.source, { passwordFile }, 'local'),
    serviceControl: {
      ...(config.source as { serviceControl?: Record<string, unknown> }).serviceControl,
      ...ambariServiceControl,
      url: prodAmbari.url,
      cluster: prodAmbari.cluster,
    },
  };
  const verify = config.verify as { smokeCommand?: string } | undefined;
  if (verify?.smokeCommand) verify.smokeCommand = verify.smokeCommand.replace(` -p ${state.dr.port} `, ` -p ${state.source.port} `);
  const file = join(dir, FAILBACK_CONFIG);
  const header = [
    '# hmsdr lab failback configuration, written by `hmsdr lab reverse`: `hmsdr init --reverse` of the lab',
    `# config with its decisions taken for the lab: production's metastore administered by ${LAB_DR_ADMIN} (CREATEDB),`,
    `# the dump staged in prod-staging/, Hive on production controlled by its own Ambari emulator (${prodAmbari.url}).`,
    '',
  ].join('\n');
  writeFileSync(file, header + stringify(config), { mode: 0o600 });
  loadConfig(file);
  log(`wrote ${file}`);
  log(`play the failback: hmsdr failback --yes --config ${file}`);
  return file;
}
