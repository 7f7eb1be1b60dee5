// The adapters of a failover: the source is gone, so every source port refuses to be used. A step
// that reached for the source would fail loudly here instead of waiting on a dead host.
import { PreconditionError } from '../errors/errors.js';
import type { HdfsPort } from './hdfs/hdfs.js';
import type { Adapters } from './index.js';
import type { SitePort } from './site.js';

/** A port whose every member throws (close and promise probing excepted). */
function refusing<T extends object>(what: string, why: string): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      if (prop === 'then' || prop === 'toJSON' || typeof prop === 'symbol') return undefined;
      if (prop === 'close') return async () => undefined;
      throw new PreconditionError(`${why}: ${what}.${String(prop)} was used`, {
        hint: 'this is a bug in hmsdr: report it with the run directory',
      });
    },
  });
}

/** `adapters` with the source site and the source HDFS replaced by ports that refuse every use. */
export function withoutSource(adapters: Adapters, why = 'a failover never contacts the source'): Adapters {
  return {
    ...adapters,
    source: refusing<SitePort>('source', why),
    hdfs: { source: refusing<HdfsPort>('hdfs.source', why), dr: adapters.hdfs.dr },
  };
}
