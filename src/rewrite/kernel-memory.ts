// The memory of the rewriter's WebAssembly functions (simd-kernels.ts, row-kernels.ts), laid out
// once for all of them: their results and inputs first, then the buffer they look at.
// [0, 16) locate's results, [SWEPT, TABLES) sweep's, then sweep's inputs (byte classes,
// the COPY block's target columns and their limits, its rewrite counts, the patterns, a batch of
// trigger positions), [MARKS, OUT) the marks found by one call, [OUT, BUFFER) sweep's output, then
// the buffer, then SLACK bytes that the 16-byte loads may read past its end (their bits are masked off).
export const SWEPT = 16;
/** Three 256-byte tables: scheme bytes, authority bytes, path bytes (matcher.ts). */
export const TABLES = 64;
export const SCHEME_TABLE = TABLES;
export const AUTHORITY_TABLE = TABLES + 256;
export const PATH_TABLE = TABLES + 512;
/** Per column of the COPY block (at most SWEEP_COLUMNS): 1 for a column to rewrite. */
export const ROLES = TABLES + 768;
export const SWEEP_COLUMNS = 256;
/** Per column, i32: the longest value it takes (escaped bytes), past which sweep leaves the row to JavaScript. */
export const LIMITS = ROLES + SWEEP_COLUMNS;
/** Per column, i32: values rewritten by sweep. */
export const COUNTS = LIMITS + SWEEP_COLUMNS * 4;
/** i32 count, then PATTERN_RECORD bytes per pattern, then their bytes, below TRIGGERS. */
export const PATTERNS = COUNTS + SWEEP_COLUMNS * 4;
export const PATTERN_RECORD = 32;
/** i32 count, then NEEDLE_RECORD bytes per rule's `scheme://host` (dump-inspector.ts), then their bytes. */
export const NEEDLES = 8192;
export const NEEDLE_RECORD = 32;
/** i32 positions of `://` (relative to the buffer), then the one after them (or 2^31 − 1). */
export const TRIGGERS = 12288;
export const TRIGGER_BATCH = 16383;
export const MARKS = TRIGGERS + (TRIGGER_BATCH + 1) * 4;
export const MARKS_ROOM = 1 << 16;
export const OUT = MARKS + MARKS_ROOM * 4;
/**
 * 2.5 MiB: the file loop's output of one round (up to 2 MiB read, plus what rewriting adds) is
 * written here in place (ChunkOutput); the stream form copies each sweep's output out of it.
 */
export const OUT_ROOM = 5 << 19;
export const BUFFER = OUT + OUT_ROOM;
export const SLACK = 64;
/** At most one mark starts in 3 bytes (`://` and newline + `\.` share no byte): 6 per 16 bytes. */
export const MARKS_SPAN = Math.floor(MARKS_ROOM / 6) * 16;

/** Where marks stores how many terminators it found (the triggers' count is its result). */
export const TERMINATOR_COUNT = 48;
/** 6 MiB: the areas above, the file loop's two 1 MiB chunks and its carry (pages are touched only when used). */
export const INITIAL_PAGES = 96;
