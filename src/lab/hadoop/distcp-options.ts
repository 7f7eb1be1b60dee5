// `hadoop distcp` options of the stand-in: parsed and validated like OptionsParser and
// DistCpOptions.Builder.validate (same messages, same order), the usage text, the options line it logs.
export interface DistcpOptions {
  update: boolean;
  overwrite: boolean;
  deleteMissing: boolean;
  append: boolean;
  atomic: boolean;
  skipCrc: boolean;
  ignoreFailures: boolean;
  diff?: [string, string];
  rdiff?: [string, string];
  preserve: string;
  bandwidthMB?: number;
  maps: number;
  filters?: string;
  tmp?: string;
  /** -log <dir>: where the map output (SKIP:/FAIL: lines) is kept. */
  log?: string;
  verbose: boolean;
  /** -strategy as given (DistCp only looks it up when the job is created; unknown names fall back to uniformsize). */
  strategy: string;
  sources: string[];
  target: string;
}

export const VALUE_OPTIONS = new Set([
  '-bandwidth',
  '-m',
  '-filters',
  '-strategy',
  '-numListstatusThreads',
  '-log',
  '-tmp',
  '-mapredSslConf',
  '-blocksperchunk',
  '-copybuffersize',
  '-xtrack',
  '-f',
]);

export const FLAG_OPTIONS = new Set([
  '-update',
  '-overwrite',
  '-delete',
  '-i',
  '-skipcrccheck',
  '-atomic',
  '-append',
  '-v',
  '-async',
  '-direct',
  '-useiterator',
  '-updateRoot',
]);

export class InvalidArguments extends Error {}

/** Parse and validate like OptionsParser + DistCpOptions.Builder.validate (same messages, same order). */
export function parseDistcpArgs(args: string[]): DistcpOptions {
  const o: DistcpOptions = {
    update: false,
    overwrite: false,
    deleteMissing: false,
    append: false,
    atomic: false,
    skipCrc: false,
    ignoreFailures: false,
    preserve: '',
    maps: 20,
    verbose: false,
    strategy: 'uniformsize',
    sources: [],
    target: '',
  };
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-diff' || arg === '-rdiff') {
      const a = args[i + 1];
      const b = args[i + 2];
      if (a === undefined || b === undefined)
        throw new InvalidArguments('Must provide both the starting and ending snapshot names for -diff/-rdiff');
      o[arg === '-diff' ? 'diff' : 'rdiff'] = [a, b];
      i += 2;
    } else if (/^-p[a-zA-Z]*$/.test(arg)) {
      const letters = arg === '-p' ? 'rbugpct' : arg.slice(2);
      for (const c of letters) if (!'rbugpcaxte'.includes(c.toLowerCase())) throw new InvalidArguments(`No attribute for ${c}`);
      o.preserve = letters.toLowerCase();
    } else if (VALUE_OPTIONS.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new InvalidArguments(`Missing argument for option: ${arg.slice(1)}`);
      values.set(arg, value.trim());
      if (arg === '-filters') o.filters = value.trim();
      if (arg === '-tmp') o.tmp = value.trim();
      if (arg === '-log') o.log = value.trim();
      if (arg === '-strategy') o.strategy = value.trim();
    } else if (FLAG_OPTIONS.has(arg)) {
      if (arg === '-update') o.update = true;
      if (arg === '-overwrite') o.overwrite = true;
      if (arg === '-delete') o.deleteMissing = true;
      if (arg === '-append') o.append = true;
      if (arg === '-atomic') o.atomic = true;
      if (arg === '-skipcrccheck') o.skipCrc = true;
      if (arg === '-i') o.ignoreFailures = true;
      if (arg === '-v') o.verbose = true;
    } else if (arg.startsWith('-') && arg.length > 1) {
      throw new InvalidArguments(`Unrecognized option: ${arg}`);
    } else positional.push(arg);
  }
  // OptionsParser.parse: paths first, then -tmp, bandwidth, maps (as parseBandwidth / parseMaxMaps).
  if (positional.length === 0) throw new InvalidArguments('Target path not specified');
  if (positional.length === 1) throw new InvalidArguments('Neither source file listing nor source paths present');
  if (values.has('-tmp') && !o.atomic) throw new InvalidArguments('-tmp work-path can only be specified along with -atomic');
  const bandwidth = values.get('-bandwidth');
  if (bandwidth !== undefined) {
    const mb = javaFloat(bandwidth);
    if (mb === undefined) throw new InvalidArguments(`Bandwidth specified is invalid: ${bandwidth}`);
    if (mb <= 0) throw new InvalidArguments(`Bandwidth specified is not positive: ${javaFloatText(mb)}`);
    o.bandwidthMB = mb;
  }
  const maps = values.get('-m');
  if (maps !== undefined) {
    if (!/^[+-]?\d+$/.test(maps)) throw new InvalidArguments(`Number of maps is invalid: ${maps}`);
    o.maps = Math.max(1, Number(maps));
  }
  const useDiff = o.diff !== undefined;
  const useRdiff = o.rdiff !== undefined;
  if ((useDiff || useRdiff) && o.deleteMissing)
    throw new InvalidArguments('-delete and -diff/-rdiff are mutually exclusive. The -delete option will be ignored.');
  if ((o.update || o.overwrite) && o.atomic)
    throw new InvalidArguments("Atomic commit can't be used with sync folder or overwrite options");
  if (o.deleteMissing && !(o.overwrite || o.update))
    throw new InvalidArguments('Delete missing is applicable only with update or overwrite options');
  if (o.overwrite && o.update) throw new InvalidArguments('Overwrite and update options are mutually exclusive');
  if (!o.update && o.append) throw new InvalidArguments('Append is valid only with update options');
  if (!o.update && o.skipCrc) throw new InvalidArguments('Skip CRC is valid only with update options');
  if (o.skipCrc && o.append) throw new InvalidArguments('Append is disallowed when skipping CRC');
  if (!o.update && (useDiff || useRdiff)) throw new InvalidArguments('-diff/-rdiff is valid only with -update option');
  if (useDiff && useRdiff) throw new InvalidArguments('-diff and -rdiff are mutually exclusive');
  if (o.verbose && o.log === undefined) throw new InvalidArguments('-v is valid only with -log option');
  o.target = positional.pop()!;
  o.sources = positional;
  return o;
}

/** Float.parseFloat: a decimal (or exponent) number, else undefined (NumberFormatException). */
function javaFloat(text: string): number | undefined {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(text) ? Number.parseFloat(text) : undefined;
}

/** Java's Float.toString for the values the messages print (`-1.0`, `0.0`, `2.5`). */
function javaFloatText(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

export const USAGE = `usage: distcp OPTIONS [source_path...] <target_path>
              OPTIONS
 -append                       Reuse existing data in target files and append new data to them if possible
 -bandwidth <arg>              Specify bandwidth per map in MB, accepts bandwidth as a fraction.
 -delete                       Delete from target, files missing in source. Delete is applicable only with update or overwrite options
 -diff <arg>                   Use snapshot diff report to identify the difference between source and target
 -filters <arg>                The path to a file containing a list of strings for paths to be excluded from the copy.
 -i                            Ignore failures during copy
 -log <arg>                    Folder on DFS where distcp execution logs are saved
 -m <arg>                      Max number of concurrent maps to use for copy
 -overwrite                    Choose to overwrite target files unconditionally, even if they exist.
 -p <arg>                      preserve status (rbugpcaxt)(replication, block-size, user, group, permission, checksum-type, ACL, XATTR, timestamps).
 -rdiff <arg>                  Use target snapshot diff report to identify changes made on target
 -skipcrccheck                 Whether to skip CRC checks between source and target paths.
 -strategy <arg>               Copy strategy to use. Default is dividing work based on file sizes
 -update                       Update target, copying only missing files or directories
 -v                            Log additional info (path, size) in the SKIP/COPY log
`;

export const ATTRIBUTES: Record<string, string> = {
  r: 'REPLICATION',
  b: 'BLOCKSIZE',
  u: 'USER',
  g: 'GROUP',
  p: 'PERMISSION',
  c: 'CHECKSUMTYPE',
  a: 'ACL',
  x: 'XATTR',
  t: 'TIMES',
  e: 'ERASURECODINGPOLICY',
};

export function describeOptions(o: DistcpOptions, sourcePaths: string[]): string {
  const from = o.diff?.[0] ?? o.rdiff?.[0] ?? null;
  const to = o.diff?.[1] ?? o.rdiff?.[1] ?? null;
  const preserve = [...o.preserve].map((c) => ATTRIBUTES[c]).join(', ');
  return `DistCpOptions{atomicCommit=${o.atomic}, syncFolder=${o.update}, deleteMissing=${o.deleteMissing}, ignoreFailures=${o.ignoreFailures}, overwrite=${o.overwrite}, append=${o.append}, useDiff=${o.diff !== undefined}, useRdiff=${o.rdiff !== undefined}, fromSnapshot=${from}, toSnapshot=${to}, skipCRC=${o.skipCrc}, blocking=true, numListstatusThreads=0, maxMaps=${o.maps}, mapBandwidth=${(o.bandwidthMB ?? 0).toFixed(1)}, copyStrategy='${o.strategy}', preserveStatus=[${preserve}], atomicWorkPath=null, logPath=${o.log ?? 'null'}, sourceFileListing=null, sourcePaths=[${o.sources.join(', ')}], targetPath=${o.target}, filtersFile='${o.filters ?? 'null'}', blocksPerChunk=0, copyBufferSize=8192, verboseLog=${o.verbose}, directWrite=false}, sourcePaths=[${sourcePaths.join(', ')}], targetPathExists=true, preserveRawXattrs=false`;
}
