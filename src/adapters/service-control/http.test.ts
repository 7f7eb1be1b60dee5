import { afterEach, describe, expect, it } from 'vitest';
import { clearSecretsForTests, registerSecret } from '../../util/secrets.js';
import { bodyExcerpt, createHttpClient, errorMessageOf } from './http.js';

afterEach(() => clearSecretsForTests());

describe('HTTP error bodies in messages', () => {
  it('a gateway 502 page echoing the request headers shows neither the password nor the Authorization value', async () => {
    const password = 'Amb4ri-Passw0rd!';
    registerSecret(password); // as the config loader does
    const client = createHttpClient({ baseUrl: 'http://127.0.0.1:1', user: 'admin', password, system: 'Ambari' });
    await client.close();
    const basic = Buffer.from(`admin:${password}`).toString('base64');
    const page =
      `<html><body><h1>502 Bad Gateway</h1><pre>GET /api/v1/clusters/dr HTTP/1.1\r\nHost: ambari\r\nauthorization: Basic ${basic}\r\n</pre>` +
      `<p>upstream: ${basic} (${encodeURIComponent(password)})</p></body></html>`;
    const message = errorMessageOf(page);
    expect(message).not.toContain(password);
    expect(message).not.toContain(basic.slice(0, 12));
    expect(message).not.toContain(encodeURIComponent(password));
    expect(message).toContain('502 Bad Gateway');
  });

  it('truncated to 500 characters, saying how much was cut', () => {
    const message = errorMessageOf('x'.repeat(2000));
    expect(message).toBe(`${'x'.repeat(500)}… (1500 more characters)`);
  });

  it('control characters and terminal escapes stripped, whitespace collapsed', () => {
    const hostile = 'bad\u001b[2J\u001b[31mred\u001b[0m\r\nline\u0007two\u0000\ttab\u202eevil\u009b';
    const excerpt = bodyExcerpt(hostile);
    expect(excerpt).toBe('badred line two tab evil');
    expect(excerpt).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });

  it('a JSON error body: its message, sanitised the same way', () => {
    expect(
      errorMessageOf(JSON.stringify({ status: 403, message: 'Unable to sign in.\u001b[1m Invalid username/password combination.' })),
    ).toBe('Unable to sign in. Invalid username/password combination.');
    expect(errorMessageOf('   ')).toBe('(empty body)');
  });
});
