// Output helpers shared by the stand-in commands: stdout/stderr lines and log4j-style log lines.

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /**
   * Print a long output (a listing of millions of lines) at the reader's pace: the process's stdout
   * pulls the next line only while its pipe is not full. Without it, `printLines` prints at once.
   */
  paced?(lines: Iterator<string, number>): Promise<number>;
}

/** Print what `lines` yields through `io` (paced when it can); returns the generator's result, an exit code. */
export function printLines(lines: Iterator<string, number>, io: Io): number | Promise<number> {
  if (io.paced) return io.paced(lines);
  for (;;) {
    const next = lines.next();
    if (next.done) return next.value;
    io.out(next.value);
  }
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm` in local time, as `ls` and `lsSnapshottableDir` print. */
let lastStamp: [number, string] | undefined;

export function minuteStamp(ms: number): string {
  if (lastStamp?.[0] === ms) return lastStamp[1];
  const stamp = formatMinute(ms);
  lastStamp = [ms, stamp];
  return stamp;
}

function formatMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Hadoop 3 log4j console line: `%d{ISO8601} %p %c{2}: %m%n`. */
export function logLine(level: 'INFO' | 'WARN' | 'ERROR', logger: string, message: string, now = new Date()): string {
  const d = now;
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
  return `${stamp} ${level} ${logger}: ${message}\n`;
}

/** `rwxr-xr-x` from a mode. */
export function permissionString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let text = '';
  for (let i = 0; i < 9; i++) text += mode & (1 << (8 - i)) ? bits[i] : '-';
  return text;
}

/** StringUtils.TraditionalBinaryPrefix.long2String(n, "", 1): `1 M`, `1.5 K`, plain below 1024. */
export function humanBytes(n: number): string {
  const prefixes = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  if (n < 1024) return String(n);
  let i = 0;
  let value = n;
  while (value >= 1024 && i < prefixes.length - 1) {
    value /= 1024;
    i++;
  }
  const rounded = Math.round(value * 10) / 10;
  const text = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
  return `${text} ${prefixes[i]}`;
}
