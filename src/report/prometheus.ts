// The Prometheus text exposition format (version 0.0.4), for the textfile collector and
// `hmsdr check --format prometheus`: HELP and TYPE lines, then the samples of each family.

export interface Sample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Sample[];
}

const escapeHelp = (text: string): string => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const escapeLabel = (text: string): string => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function formatSample(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels ?? {});
  const set = labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
  return `${name}${set} ${formatValue(sample.value)}`;
}

/** Families with no sample keep their HELP and TYPE (a value not known yet, e.g. no success so far). */
export function renderExposition(families: readonly MetricFamily[]): string {
  return (
    families
      .map((f) =>
        [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...f.samples.map((s) => formatSample(f.name, s))].join(
          '\n',
        ),
      )
      .join('\n') + '\n'
  );
}

/** One gauge with a single unlabelled sample, or none when the value is unknown. */
export const gauge = (name: string, help: string, value: number | null | undefined): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples: value === null || value === undefined ? [] : [{ value }],
});

/** Seconds since the epoch of an ISO time, or null. */
export function epochSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}
