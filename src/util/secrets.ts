// Every secret value hmsdr reads is registered here, so logs, state files, reports and error
// messages can be scrubbed in one place whatever path the value took.
const registered = new Set<string>();

export const REDACTED = '***';

/** Remember a secret so that `redact` hides it from anything written or printed. */
export function registerSecret(value: string | undefined): void {
  // Very short values would scrub ordinary words; config rules reject them as passwords anyway.
  if (value !== undefined && value.length >= 4) registered.add(value);
}

/** Replace every registered secret inside `text` by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep-redact a JSON-serialisable value (strings only are touched). */
export function redactDeep<T>(value: T): T {
  if (registered.size === 0) return value;
  return JSON.parse(redact(JSON.stringify(value))) as T;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTests(): void {
  registered.clear();
}
