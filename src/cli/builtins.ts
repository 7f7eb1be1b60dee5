// Node's built-ins for the start-up path (main, the fast paths), taken without an ES import: an
// `import … from 'node:fs'` builds the module's namespace, which reads every export, and
// `fs.promises` alone loads ~30 internal modules (streams, readline). The bundled fast paths get the
// same from scripts/bundle-fast-paths.ts (figures in docs/performance.md).

export const fs = process.getBuiltinModule('node:fs');
export const nodeModule = process.getBuiltinModule('node:module');
export const url = process.getBuiltinModule('node:url');
