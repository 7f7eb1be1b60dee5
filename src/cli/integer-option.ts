// A numeric-option check without the config loader (zod, yaml): commands that read no config,
// like `hmsdr rewrite --map`, start without loading them.
import { UsageError } from '../errors/errors.js';

/** A yargs `coerce` for whole numbers ≥ min: `--limit abc` is a usage error (exit 2), not a default. */
export const integerAtLeast =
  (name: string, min: number) =>
  (value: unknown): number => {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (String(value).trim() === '' || !Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} ${String(value)}: expected a whole number ≥ ${min}`);
    return n;
  };
