// The pretty-printers Ambari and Cloudera Manager answer with, so the emulators' bytes match:
// Jackson (`"key" : value`; Ambari puts array items on their own lines, CM keeps `[ {` inline)
// and Gson (`"key": value`, Ambari's servlet/security-layer errors).

export interface JacksonStyle {
  /** Ambari (Lf2SpacesIndenter for arrays) = true; Cloudera Manager (Jackson default) = false. */
  readonly arraysOnNewLines: boolean;
}

export function jacksonPretty(value: unknown, style: JacksonStyle, level = 0): string {
  const pad = (n: number): string => '  '.repeat(n);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    if (style.arraysOnNewLines) {
      return `[\n${value.map((v) => pad(level + 1) + jacksonPretty(v, style, level + 1)).join(',\n')}\n${pad(level)}]`;
    }
    return `[ ${value.map((v) => jacksonPretty(v, style, level)).join(', ')} ]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{ }';
    const body = entries.map(([k, v]) => `${pad(level + 1)}${JSON.stringify(k)} : ${jacksonPretty(v, style, level + 1)}`).join(',\n');
    return `{\n${body}\n${pad(level)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Gson's pretty printer: `"key": value`, 2-space indent. */
export function gsonPretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
