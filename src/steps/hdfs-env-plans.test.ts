// Environment for the Hadoop tools is secret unless declared public: plans (`plan --offline`)
// print NAME=***, action events and remote command lines never carry the value.
import { afterEach, describe, expect, it } from 'vitest';
import { formatCommand, toShellLine } from '../actions/command.js';
import { parseConfigText } from '../config/load.js';
import type { Action } from '../actions/action.js';
import { clearSecretsForTests, redact } from '../util/secrets.js';
import { createCopyDataStep } from './copy-data.js';
import { snapshotSource } from './snapshot-source.js';

afterEach(() => clearSecretsForTests());

const CREDSTORE = 'credstore-s3cret-value';
const config = () =>
  parseConfigText(
    `version: 1
source:
  name: prod
  nameNode: hdfs://nn1.prod:8020
  metastore: { host: db.prod, database: hive, user: hive }
  hdfs:
    env: { HADOOP_CONF_DIR: /etc/hadoop/conf, HADOOP_CREDSTORE_PASSWORD: ${CREDSTORE}, MY_OPTS: -Dshown=yes }
    publicEnv: [MY_OPTS]
dr:
  name: dr
  nameNode: hdfs://drns
  stagingDir: /var/lib/hmsdr
  metastore: { host: db.dr, database: hive, user: hive }
  serviceControl: { type: none }
  hdfs:
    env: { HADOOP_CREDSTORE_PASSWORD: ${CREDSTORE}-dr, JAVA_HOME: /usr/lib/jvm/java-8 }
data:
  paths: [{ source: /warehouse/managed }]
`,
    '/etc/hmsdr/hmsdr.yaml',
    {},
  );
const run = { id: '20260101t000000', dir: '/runs/x', startedAt: '' };
const commands = (actions: Action[]) => actions.flatMap((a) => (a.kind === 'exec' ? [a.command] : []));

describe('hdfs.env in plans and events', () => {
  it('secret by default: NAME=*** in the printed command; the always-public and declared-public names shown', () => {
    const resolved = config();
    const snapshot = commands(snapshotSource.plan(resolved, run));
    const copy = commands(createCopyDataStep().plan(resolved, run));
    expect(snapshot.length).toBeGreaterThan(0);
    expect(copy.length).toBeGreaterThan(0);
    for (const command of snapshot) {
      const line = formatCommand(command);
      expect(line).toContain('HADOOP_CREDSTORE_PASSWORD=***');
      expect(line).toContain('HADOOP_CONF_DIR=/etc/hadoop/conf');
      expect(line).toContain('MY_OPTS=-Dshown=yes');
      expect(toShellLine(command)).not.toContain(CREDSTORE); // over SSH the value goes on stdin
    }
    for (const command of copy) {
      expect(formatCommand(command)).toMatch(/HADOOP_CREDSTORE_PASSWORD=\*\*\* JAVA_HOME=\/usr\/lib\/jvm\/java-8 /);
      expect(formatCommand(command)).not.toContain(CREDSTORE);
    }
  });

  it('the values are registered with the redactor on load: an action event (the command as JSON) does not carry them', () => {
    const resolved = config();
    const action = createCopyDataStep()
      .plan(resolved, run)
      .find((a) => a.kind === 'exec')!;
    const event = redact(JSON.stringify(action));
    expect(JSON.stringify(action)).toContain(CREDSTORE); // the command itself holds the value, to run with
    expect(event).not.toContain(CREDSTORE);
    expect(event).toContain('/usr/lib/jvm/java-8');
    expect(redact('-Dshown=yes /etc/hadoop/conf')).toBe('-Dshown=yes /etc/hadoop/conf');
  });
});
