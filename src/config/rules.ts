// Cross-field rules: what the schema alone cannot say.
import type { ConfigIssue } from '../errors/errors.js';
import type { ParsedConfig } from './schema.js';
import { cmEngineRules } from './schema-cm-engine.js';
import { copyOptionProblems, resolveCopyOptions } from './schema-copy.js';

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
  issues.push(...copyOptionProblems(resolveCopyOptions(config.data), 'data'));
  config.data.paths.forEach((path, index) => {
    const at = `data.paths.${index}`;
    const own = copyOptionProblems(resolveCopyOptions(config.data, path), at).filter(
      // A problem the global keys already have is reported once, at data.
      (issue) => !issues.some((g) => g.message === issue.message && g.path.replace(/^data\./, '') === issue.path.replace(`${at}.`, '')),
    );
    issues.push(...own);
    const excludes = (config.data.exclude?.length ?? 0) > 0 || (path.exclude?.length ?? 0) > 0;
    if (excludes && config.data.filtersFile) {
      issues.push({
        path: `${at}.exclude`,
        message:
          'exclude and data.filtersFile cannot both apply to a path: hmsdr writes its own -filters file from exclude (move the filtersFile patterns into exclude)',
      });
    }
  });
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
