import { afterEach, describe, expect, it } from 'vitest';
import { clearSecretsForTests, redact, redactDeep, registerSecret } from './secrets.js';

afterEach(() => clearSecretsForTests());

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

describe('redact: registered secrets in the forms a peer echoes', () => {
  const password = 'S3cr3t/Pa55+w?rd &x';

  it('raw, base64, base64url, URL-encoded (%20 and +, either hex case) and JSON-escaped', () => {
    registerSecret(password);
    const forms = [
      password,
      b64(password),
      b64url(password),
      encodeURIComponent(password),
      encodeURIComponent(password).replaceAll('%20', '+'),
      encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    ];
    for (const form of forms) expect(redact(`before ${form} after`), form).toBe('before *** after');
    expect(redact(JSON.stringify({ note: `pw "${password}"` }))).not.toContain('Pa55');
  });

  it('the password inside base64(user:password) whatever its offset, and the whole pair once registered', () => {
    registerSecret(password);
    for (const user of ['a', 'ab', 'abc', 'hive-admin']) {
      const encoded = b64(`${user}:${password}`);
      const out = redact(`token=${encoded}.`);
      // Only characters that also encode the user or the colon may remain around the ***.
      expect(out, user).toContain('***');
      expect(out.length, user).toBeLessThan(`token=${encoded}.`.length - 20);
      expect(out).not.toContain(b64(password).slice(4, 20));
    }
    registerSecret(`hive-admin:${password}`);
    expect(redact(`x ${b64(`hive-admin:${password}`)} y`)).toBe('x *** y');
    expect(redact(`x ${b64url(`hive-admin:${password}`)} y`)).toBe('x *** y');
  });

  it('redactDeep scrubs every string and keeps the value valid', () => {
    registerSecret(password);
    const value = { a: [`x${password}`, 1, null], b: { c: `"Cookie: a=1\\"; ${b64(password)}` }, when: new Date(0) };
    const out = redactDeep(value);
    expect(JSON.stringify(out)).not.toContain('Pa55');
    expect(out.a).toEqual(['x***', 1, null]);
    expect(out.when).toBe('1970-01-01T00:00:00.000Z'); // as JSON has it
  });

  it('short values (under 4 characters) are not registered', () => {
    registerSecret('abc');
    expect(redact('abc abcabc')).toBe('abc abcabc');
  });
});

describe('redact: credential header values, whatever they hold', () => {
  it('Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key and token headers, as lines, JSON or HTML', () => {
    const page = [
      'GET /api/v1/clusters HTTP/1.1',
      'Authorization: Basic dXNlcjpub3QtcmVnaXN0ZXJlZA==',
      'proxy-authorization: Bearer eyJhbGciOi.abc.def',
      'Cookie: AMBARISESSIONID=node0abc123; other=1',
      'Set-Cookie: JSESSIONID=xyz789; Path=/',
      'X-Api-Key: k-123456',
      'X-Auth-Token: t0ken',
      '{"authorization":"Basic Zm9vOmJhcg==","accept":"application/json"}',
      '<tr><td>Authorization</td><td>Basic Zm9vOmJhcjEyMw==</td></tr>',
      'X-Requested-By: ambari',
    ].join('\n');
    const out = redact(page);
    for (const leaked of ['dXNlcjpub3Qt', 'eyJhbGciOi', 'node0abc123', 'xyz789', 'k-123456', 't0ken', 'Zm9vOmJhcg', 'Zm9vOmJhcjEyMw'])
      expect(out).not.toContain(leaked);
    expect(out).toContain('Authorization: ***');
    expect(out).toContain('Set-Cookie: ***');
    expect(out).toContain('"authorization":"***","accept":"application/json"');
    expect(out).toContain('X-Requested-By: ambari');
    expect(out).toContain('GET /api/v1/clusters HTTP/1.1');
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'Ambari uses basic authentication; Basic Authentication failed; the cookie jar is empty';
    expect(redact(prose)).toBe(prose);
  });

  it('a JSON line stays valid JSON', () => {
    const line = JSON.stringify({ event: 'step-fail', message: 'gateway said: Authorization: Basic Zm9vOmJhcg==\nCookie: a="b"' });
    expect(() => JSON.parse(redact(line))).not.toThrow();
    expect(redact(line)).not.toContain('Zm9vOmJhcg');
  });
});
