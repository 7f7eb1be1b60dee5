import { describe, expect, it } from 'vitest';
import { isSupportedNode, unsupportedNodeMessage } from './node-version.js';

describe('the Node.js versions hmsdr runs on', () => {
  it.each([
    ['v22.13.0', true],
    ['v22.23.5', true],
    ['v24.0.0', true],
    ['v25.1.0', true],
    ['v22.12.9', false],
    ['v23.11.0', false],
    ['v20.20.2', false],
    ['v18.0.0', false],
  ])('%s → %s', (version, supported) => {
    expect(isSupportedNode(version)).toBe(supported);
  });

  it('says which Node it found and what to do', () => {
    expect(unsupportedNodeMessage('v20.20.2')).toMatch(
      /needs Node\.js \^22\.13 \|\| >=24; this is Node\.js v20\.20\.2 \(E_NODE_VERSION, exit 4\)\n {2}What to do: install Node\.js 22/,
    );
  });
});
