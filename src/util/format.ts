// Human figures for progress lines and reports.
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatRate(bytes: number, ms: number): string {
  return ms <= 0 ? '–' : `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1)} MiB/s`;
}

/**
 * The one duration wording of hmsdr (progress, plan, history, reports). Rounded to the precision of
 * the unit it is shown in first, then split, so a carry moves up: 59 960 ms is "1 min 0 s", never
 * "60.0 s"; 119 600 ms is "2 min 0 s", never "1 min 60 s". Unknown (null, NaN) is "—"; negative is 0.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const v = Math.max(0, ms);
  if (Math.round(v) < 1000) return `${Math.round(v)} ms`;
  const tenths = Math.round(v / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(v / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(v / 60_000);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(v / 3_600_000);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A progress callback that reports at most every `everyMs` (streams call it per chunk). */
export function throttledProgress(report: (bytes: number, elapsedMs: number) => void, everyMs = 500): (bytes: number) => void {
  const started = Date.now();
  let last = 0;
  return (bytes) => {
    const now = Date.now();
    if (now - last >= everyMs) {
      last = now;
      report(bytes, now - started);
    }
  };
}
