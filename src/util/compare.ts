// String order without ICU: `localeCompare`'s first call builds a collator (8-13 ms of a one-shot
// CLI's start-up, measured on Node 22), and its order changes with the machine's locale.

/** UTF-16 code units (JavaScript's `<`): a total order on strings, the same on every machine. */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
