// zod compiles a fast path for each object schema (`new Function`) on its first parse: worth it for
// a schema parsed thousands of times, not for the one config or state file a command reads once.
// Measured: 5 ms of the 102 ms of CPU of a `check` that has to load its config (docs/performance.md).

/** Parse options for a schema parsed once per process. */
export const ONE_SHOT = { jitless: true } as const;
