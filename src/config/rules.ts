// Cross-field rules: what the schema alone cannot say.
import type { ConfigIssue } from '../errors/errors.js';
import type { ParsedConfig } from './schema.js';
import { cmEngineRules } from './schema-cm-engine.js';

export function crossFieldRules(config: ParsedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const checkSecret = (path: string, ref: { passwordEnv?: string | undefined; passwordFile?: string | undefined }): void => {
    if (ref.passwordEnv && ref.passwordFile) {
      issues.push({ path: `${path}.passwordEnv`, message: 'set passwordEnv or passwordFile, not both' });
    }
  };
  for (const side of ['source', 'dr'] as const) {
    const site = config[side];
    checkSecret(`${side}.metastore`, site.metastore);
    if (site.ssh) {
      checkSecret(`${side}.ssh`, site.ssh);
      if (site.ssh.jump) checkSecret(`${side}.ssh.jump`, site.ssh.jump);
    }
    if (site.metastore.via === 'ssh' && !site.ssh) {
      issues.push({ path: `${side}.metastore.via`, message: `is "ssh" but ${side}.ssh is not configured` });
    }
    if (site.hdfs.via === 'ssh' && !site.ssh) {
      issues.push({ path: `${side}.hdfs.via`, message: `is "ssh" but ${side}.ssh is not configured` });
    }
  }
  const control = config.dr.serviceControl;
  if (control.type === 'ambari' || control.type === 'cloudera-manager') checkSecret('dr.serviceControl', control);
  if (control.type === 'command' && !config.dr.ssh) {
    issues.push({
      path: 'dr.serviceControl.type',
      message: 'is "command" but dr.ssh is not configured (the commands run on the DR SSH host)',
    });
  }
  if (
    config.source.metastore.host === config.dr.metastore.host &&
    config.source.metastore.port === config.dr.metastore.port &&
    config.source.metastore.database === config.dr.metastore.database
  ) {
    issues.push({ path: 'dr.metastore.database', message: 'source and DR name the same database on the same server' });
  }
  if (!config.data.preserve.includes('b')) {
    issues.push({ path: 'data.preserve', message: 'must keep "b" (block size), or checksums of source and target cannot be compared' });
  }
  issues.push(...cmEngineRules(config));
  config.rewrite.rules.forEach((rule, index) => {
    if (rule.from.toLowerCase() === rule.to.toLowerCase()) {
      issues.push({ path: `rewrite.rules.${index}.to`, message: 'is the same as from' });
    }
  });
  config.data.paths.forEach((path, index) => {
    config.data.paths.forEach((other, j) => {
      if (j > index && (other.source.startsWith(`${path.source}/`) || path.source.startsWith(`${other.source}/`))) {
        issues.push({
          path: `data.paths.${j}.source`,
          message: `nests with data.paths.${index}.source (${path.source}); snapshots cannot nest`,
        });
      }
    });
  });
  return issues;
}
