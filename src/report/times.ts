// ISO times as the run directory records them, to epoch milliseconds and differences.

/** Epoch milliseconds of an ISO time; null when absent or unreadable. */
export function epochMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** later − earlier in milliseconds; null when either is unknown. */
export function msBetween(later: string | null | undefined, earlier: string | null | undefined): number | null {
  const a = epochMs(later);
  const b = epochMs(earlier);
  return a === null || b === null ? null : a - b;
}
