// Building blocks of the config schema: descriptions (docs/configuration.md is generated from
// them), durations as operators write them, and secret references.
import { z } from 'zod';
import { DURATION_FORMS, parseDuration } from '../util/duration.js';

export const describe = <T extends z.ZodType>(schema: T, text: string): T => schema.describe(text);

/** Milliseconds, written as a number of ms or as operators write durations (`30s`, `15m`, `2h`). */
export const durationMs = (min: number, fallback: number) =>
  z
    .union([z.number().int(), z.string()])
    .transform((value, ctx) => {
      const ms = typeof value === 'number' ? value : parseDuration(value);
      if (ms === undefined)
        ctx.addIssue({ code: 'custom', message: `expected milliseconds or a duration such as ${DURATION_FORMS}, got "${value}"` });
      else if (ms < min) ctx.addIssue({ code: 'custom', message: `must be at least ${min} ms` });
      return ms ?? 0;
    })
    .default(fallback);

/** A secret comes from an environment variable or a file, never from the config itself. */
export const secretRef = {
  passwordEnv: describe(z.string().min(1).optional(), 'Name of the environment variable that holds the password.'),
  passwordFile: describe(z.string().min(1).optional(), 'Path of a file whose first line is the password (mode 0600 recommended).'),
};
