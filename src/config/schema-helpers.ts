// Building blocks of the config schema: descriptions (docs/configuration.md is generated from
// them), durations as operators write them, and secret references. The schema is built with
// zod/mini: a `check` whose config is not remembered loads and builds it, and classic zod's
// schemas cost several times more to load and build (docs/performance.md). Same core, same checks,
// same English messages (set here, as the schema modules load).
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';
import { DURATION_FORMS, parseDuration } from '../util/duration.js';

z.config(en());

/** The description of a key (docs, the JSON Schema), kept where classic zod's `.describe()` kept it. */
export function describe<T extends z.ZodMiniType>(schema: T, text: string): T {
  const registered = z.globalRegistry.get(schema)?.description;
  // One schema reused under two descriptions needs a copy of its own, as `.describe()` made.
  const target = registered === undefined || registered === text ? schema : z.clone(schema);
  z.globalRegistry.add(target, { description: text });
  return target;
}

/** The description `describe` registered, if any. */
export const descriptionOf = (schema: z.core.$ZodType): string | undefined => z.globalRegistry.get(schema)?.description;

/** A non-empty string. */
export const text = () => z.string().check(z.minLength(1));

/** A boolean with its default. */
export const flag = (fallback: boolean) => z._default(z.boolean(), fallback);

/** An integer in [min, max]. */
export const integer = (min?: number, max?: number) =>
  z.number().check(z.int(), ...(min === undefined ? [] : [z.minimum(min)]), ...(max === undefined ? [] : [z.maximum(max)]));

/** Milliseconds, written as a number of ms or as operators write durations (`30s`, `15m`, `2h`). */
export const durationMs = (min: number, fallback: number) =>
  z._default(
    z.pipe(
      z.union([integer(), z.string()]),
      z.transform((value: number | string, ctx) => {
        const ms = typeof value === 'number' ? value : parseDuration(value);
        if (ms === undefined)
          ctx.issues.push({
            code: 'custom',
            message: `expected milliseconds or a duration such as ${DURATION_FORMS}, got "${value}"`,
            input: value,
          });
        else if (ms < min) ctx.issues.push({ code: 'custom', message: `must be at least ${min} ms`, input: value });
        return ms ?? 0;
      }),
    ),
    fallback,
  );

/** A secret comes from an environment variable or a file, never from the config itself. */
export const secretRef = {
  passwordEnv: describe(z.optional(text()), 'Name of the environment variable that holds the password.'),
  passwordFile: describe(z.optional(text()), 'Path of a file whose first line is the password (mode 0600 recommended).'),
};
