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

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
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
