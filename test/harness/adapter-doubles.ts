// Test doubles for the ports steps see: a complete Adapters whose members a test does not hand in
// fail loudly when used, so a step reaching for an adapter its test did not expect says which one.
import type { Adapters } from '../../src/adapters/index.js';

/** A port whose every method throws "<name>.<method>() was not expected in this test". */
export function unexpectedPort<T extends object>(name: string): T {
  const handler: ProxyHandler<T> = {
    get(_target, property) {
      // Promise resolution and vitest's pretty-printer probe these; they must not look callable.
      if (typeof property === 'symbol' || property === 'then' || property === 'toJSON' || property === 'asymmetricMatch') return undefined;
      return () => {
        throw new Error(`adapter double: ${name}.${property}() was not expected in this test`);
      };
    },
  };
  return new Proxy({} as T, handler);
}

/** Every port of `Adapters`: the ones given, and unexpected-port doubles for the rest; close() does nothing. */
export function adapterDoubles(given: Partial<Adapters> = {}): Adapters {
  return {
    local: unexpectedPort('local'),
    source: unexpectedPort('source'),
    dr: unexpectedPort('dr'),
    serviceControl: unexpectedPort('serviceControl'),
    drSessions: unexpectedPort('drSessions'),
    hdfs: { source: unexpectedPort('hdfs.source'), dr: unexpectedPort('hdfs.dr') },
    close: async () => undefined,
    ...given,
  };
}
