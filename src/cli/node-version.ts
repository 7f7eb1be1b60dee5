// The Node.js versions hmsdr runs on (package.json `engines`). Checked before anything is loaded:
// on an older Node a dependency fails at import with an internal error that names no cause.
export const SUPPORTED_NODE = '^22.13 || >=24';

export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return (major === 22 && minor >= 13) || major >= 24;
}

/** The message for an unsupported Node, in hmsdr's error format (exit 4: a precondition). */
export function unsupportedNodeMessage(version: string): string {
  return (
    `✖ hmsdr needs Node.js ${SUPPORTED_NODE}; this is Node.js ${version} (E_NODE_VERSION, exit 4)\n` +
    '  What to do: install Node.js 22 (22.13 or later) or 24, or use the single-file binary (docs/packaging.md)\n'
  );
}
