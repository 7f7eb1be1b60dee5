import { describe, expect, it } from 'vitest';
import { LockedError } from '../errors/errors.js';
import { takeDrLock } from './dr-lock-hook.js';

describe('taking the DR lock for a run', () => {
  it('held by another run: undoes the file lock, then refuses with LockedError', async () => {
    let undone = 0;
    const hook = async () => {
      throw new LockedError('locked by run 20261202t010101', undefined);
    };
    await expect(takeDrLock(hook, 'r1', () => undone++)).rejects.toBeInstanceOf(LockedError);
    expect(undone).toBe(1);
  });

  it('DR server refusing the login: the run goes on without it and says why (preflight then names the cause)', async () => {
    let undone = 0;
    const hook = async () => {
      throw new Error('password authentication failed for user "hmsdr_admin"');
    };
    expect(await takeDrLock(hook, 'r1', () => undone++)).toEqual({ unavailable: 'password authentication failed for user "hmsdr_admin"' });
    expect(undone).toBe(0);
  });

  it('taken: handed back; no hook: nothing', async () => {
    const held = { lost: () => undefined, release: async () => undefined };
    expect(
      await takeDrLock(
        async () => held,
        'r1',
        () => undefined,
      ),
    ).toEqual({ held });
    expect(await takeDrLock(undefined, 'r1', () => undefined)).toEqual({});
  });
});
