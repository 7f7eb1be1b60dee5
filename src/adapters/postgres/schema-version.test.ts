import { describe, expect, it } from 'vitest';
import { schemaFamily } from './schema-version.js';

describe('schemaFamily', () => {
  it('knows the Apache and vendor versions', () => {
    expect(schemaFamily('2.3.0')).toBe('2');
    expect(schemaFamily('3.1.0')).toBe('3');
    expect(schemaFamily('3.1.3000')).toBe('3');
    expect(schemaFamily('4.0.0-beta-1')).toBe('4');
    expect(schemaFamily('4.2.0')).toBe('4');
  });
  it('refuses what it does not know', () => {
    expect(schemaFamily('1.2.0')).toBeUndefined();
    expect(schemaFamily('5.0.0')).toBeUndefined();
    expect(schemaFamily('9.9.9-custom')).toBeUndefined();
  });
});
