// The rewriter's per-row WebAssembly functions, over the rows the SIMD functions found
// (simd-kernels.ts). A fresh process runs JavaScript in V8's interpreter until its hot functions
// are compiled: in `hmsdr rewrite` of a 97 MB dump the first 5 of 21 SDS chunks took 26 ms more
// than warm ones in the rewriter and 9 ms in the inspector, of 0.165 s in all. These run compiled
// from the first row.
// - sweep: the bulk path of dump-rewriter.ts for a COPY block's rows holding a `://`, while each
//   is the simple case; JavaScript does the others.
// - classify: dump-inspector.ts's count of each rule's `scheme://host` and its port, but for near
//   misses, whose spellings JavaScript records.
import {
  AUTHORITY_TABLE,
  COUNTS,
  LIMITS,
  NEEDLES,
  NEEDLE_RECORD,
  PATH_TABLE,
  PATTERNS,
  PATTERN_RECORD,
  ROLES,
  SCHEME_TABLE,
  SWEEP_COLUMNS,
  SWEPT,
  TRIGGERS,
} from './kernel-memory.js';
import { I32, op, type WasmFunction } from './wasm-asm.js';

/** locate's index in the module (simd-kernels.ts): sweep calls it. */
export const LOCATE = 2;

export const SWEEP_DONE = 0;
export const SWEEP_DEFER = 1;
export const SWEEP_FULL = 2;

// sweep's parameters and locals.
const [K, N, AT, END, EMIT, O, OEND, BASE] = [0, 1, 2, 3, 4, 5, 6, 7];
const [T, RS, FI, FS, FE, RE, P, PC, S, E, I, B, M, ST, ROWS, LAST, SL, RL, AL, X, WANT] = [
  8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
];
const get = op.get;
const set = op.set;
const c = op.const;
/**
 * The head of a loop over the triggers k… of TRIGGERS: out of the loop (br 1) at index n, else
 * t = TRIGGERS[k] + base; the caller's `skipBelow` then steps over a trigger before its bound.
 */
const nextTrigger = (k: number, n: number, base: number, t: number): number[][] => [
  [...get(k), ...get(n), ...op.geU, ...op.brIf(1)],
  [...get(k), ...c(2), ...op.shl, ...op.load(TRIGGERS), ...get(base), ...op.add, ...set(t)],
];
/** A trigger t before `bound` is not this call's: k + 1, on with the loop. */
const skipBelow = (t: number, bound: number, k: number): number[] => [
  ...get(t),
  ...get(bound),
  ...op.ltU,
  ...op.if,
  ...get(k),
  ...c(1),
  ...op.add,
  ...set(k),
  ...op.br(1),
  ...op.end,
];
/** The byte on the stack, ASCII upper case lowered: b | ((b − 'A' <u 26) << 5). */
const lowered = (byteAt: number[]): number[] => [
  ...byteAt,
  ...set(B),
  ...get(B),
  ...get(B),
  ...c(0x41),
  ...op.sub,
  ...c(26),
  ...op.ltU,
  ...c(5),
  ...op.shl,
  ...op.or,
];
/** Compare bytes i in [from, to) of the input at `at` + i with the pattern's bytes at `patternAt` + i; br `depth` on a difference. */
const compareLoop = (input: number[], pattern: number[], from: number[], to: number, caseless: boolean, depth: number): number[][] => [
  [...from, ...set(I)],
  op.block,
  op.loop,
  [...get(I), ...get(to), ...op.geU, ...op.brIf(1)],
  caseless ? lowered([...input, ...get(I), ...op.add, ...op.load8()]) : [...input, ...get(I), ...op.add, ...op.load8()],
  [...pattern, ...get(I), ...op.add, ...op.load8(), ...op.ne, ...op.brIf(depth + 2)],
  [...get(I), ...c(1), ...op.add, ...set(I), ...op.br(0)],
  op.end,
  op.end,
];

/**
 * (sweep k n at end emit o oEnd base) → a status. The bulk path of dump-rewriter.ts for the rows
 * of one COPY block holding a `://`, for as long as each is the simple case: one `://` in the row,
 * in a column to rewrite, matched (or not) by a pattern exactly as matcher.ts's `matchAt` would,
 * without a backslash before it, and no longer than the column's limit once rewritten. Walks the
 * trigger positions k… of TRIGGERS (+ base: addresses) up to n or `end`, each row located by
 * `locate` from `at`, and writes the input from `emit` with each match replaced to `o`, stopping
 * before `oEnd`. Stores at SWEPT: the next trigger's index, the next row's start (`at`), `emit`,
 * `o`, the rows walked, the last one's start and, when full, where its kept bytes end. Returns
 * SWEEP_DONE (n or `end` reached), SWEEP_DEFER (trigger k is not the simple case: JavaScript does
 * that row) or SWEEP_FULL (the output area is full).
 */
export const sweep = (): WasmFunction => ({
  name: 'sweep',
  params: [I32, I32, I32, I32, I32, I32, I32, I32],
  locals: Array<number>(21).fill(I32),
  results: [I32],
  body: [
    [...c(-1), ...set(LAST), ...c(-1), ...set(WANT)],
    op.block, // exit
    op.loop, // rows
    ...nextTrigger(K, N, BASE, T),
    [...get(T), ...get(END), ...op.geU, ...op.brIf(1)],
    skipBelow(T, AT, K),
    [...get(T), ...get(AT), ...get(END), ...op.call(LOCATE), ...set(RS)],
    [...c(0), ...op.load(0), ...set(FI), ...c(0), ...op.load(4), ...set(FS)],
    [...c(0), ...op.load(8), ...set(FE), ...c(0), ...op.load(12), ...set(RE)],
    // No row end before `end`, another `://` in the row, or not a column to rewrite: JavaScript's.
    [...get(RE), ...c(0), ...op.ltS, ...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(2), ...op.end],
    [...get(FE), ...c(0), ...op.ltS, ...op.if, ...get(RE), ...set(FE), ...op.end],
    [...get(K), ...c(1), ...op.add, ...c(2), ...op.shl, ...op.load(TRIGGERS), ...get(RE), ...get(BASE), ...op.sub, ...op.leS],
    [...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(2), ...op.end],
    [...get(FI), ...c(SWEEP_COLUMNS), ...op.geU, ...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(2), ...op.end],
    [...get(FI), ...op.load8(ROLES), ...c(1), ...op.ne, ...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(2), ...op.end],
    // The first pattern matching around t (M: its record, 0 for none).
    [...c(0), ...set(M), ...c(PATTERNS), ...op.load(), ...set(PC), ...c(PATTERNS + 4), ...set(P)],
    op.block, // matched
    op.loop, // patterns
    [...get(PC), ...op.eqz, ...op.brIf(1)],
    op.block, // next pattern
    [...get(P), ...op.load(0), ...set(SL), ...get(P), ...op.load(4), ...set(RL), ...get(P), ...op.load(8), ...set(AL)],
    [...get(T), ...get(SL), ...op.sub, ...set(S), ...get(T), ...c(3), ...op.add, ...get(RL), ...op.add, ...set(E)],
    [...get(S), ...get(FS), ...op.ltS, ...op.brIf(0), ...get(E), ...get(FE), ...op.gtS, ...op.brIf(0)],
    ...compareLoop(get(S), [...get(P), ...op.load(24)], c(0), SL, true, 0),
    ...compareLoop([...get(T), ...c(3), ...op.add], [...get(P), ...op.load(28)], c(0), AL, true, 0),
    ...compareLoop([...get(T), ...c(3), ...op.add], [...get(P), ...op.load(28)], get(AL), RL, false, 0),
    // What follows the match must end the authority (or the path segment), as in matchAt.
    [...get(E), ...get(FE), ...op.ltS, ...op.if],
    [...get(E), ...op.load8(), ...set(B), ...get(B), ...c(0x2f), ...op.ne, ...op.if],
    [...get(P), ...op.load(12), ...op.if, ...get(B), ...op.load8(PATH_TABLE), ...set(X), ...op.else],
    [...get(B), ...op.load8(AUTHORITY_TABLE), ...set(X), ...op.end, ...get(X), ...op.brIf(2)],
    [...op.end, ...op.end],
    // And what precedes it must not continue a scheme; a backslash before it (an escape): JavaScript's.
    [...get(S), ...get(FS), ...op.gtS, ...op.if],
    [...get(S), ...c(1), ...op.sub, ...op.load8(), ...set(B)],
    [...get(B), ...c(0x5c), ...op.eq, ...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(6), ...op.end],
    [...get(B), ...op.load8(SCHEME_TABLE), ...op.if],
    [...get(S), ...c(1), ...op.sub, ...get(FS), ...op.gtS, ...op.if],
    [...get(S), ...c(2), ...op.sub, ...op.load8(), ...c(0x5c), ...op.eq, ...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(8), ...op.end],
    [...op.end, ...op.br(2), ...op.end],
    op.end,
    [...get(P), ...set(M), ...op.br(2)],
    op.end, // next pattern
    [...get(P), ...c(PATTERN_RECORD), ...op.add, ...set(P), ...get(PC), ...c(1), ...op.sub, ...set(PC), ...op.br(0)],
    op.end, // patterns
    op.end, // matched
    [...get(M), ...op.if],
    [...get(M), ...op.load(16), ...set(X), ...get(X), ...get(E), ...get(S), ...op.sub, ...op.sub, ...set(B)],
    // Longer than the column may take: JavaScript checks the unescaped length.
    [...get(B), ...c(0), ...op.gtS, ...op.if],
    [...get(FE), ...get(FS), ...op.sub, ...get(B), ...op.add, ...get(FI), ...c(2), ...op.shl, ...op.load(LIMITS), ...op.gtS],
    [...op.if, ...c(SWEEP_DEFER), ...set(ST), ...op.br(4), ...op.end],
    op.end,
    [...get(S), ...get(EMIT), ...op.sub, ...get(X), ...op.add, ...get(OEND), ...get(O), ...op.sub, ...op.gtS],
    [...op.if, ...c(SWEEP_FULL), ...set(ST), ...get(S), ...set(WANT), ...op.br(3), ...op.end],
    [
      ...get(O),
      ...get(EMIT),
      ...get(S),
      ...get(EMIT),
      ...op.sub,
      ...op.copy,
      ...get(O),
      ...get(S),
      ...get(EMIT),
      ...op.sub,
      ...op.add,
      ...set(O),
    ],
    [...get(O), ...get(M), ...op.load(20), ...get(X), ...op.copy, ...get(O), ...get(X), ...op.add, ...set(O), ...get(E), ...set(EMIT)],
    [...get(FI), ...c(2), ...op.shl, ...get(FI), ...c(2), ...op.shl, ...op.load(COUNTS), ...c(1), ...op.add, ...op.store(COUNTS)],
    op.end,
    [...get(RE), ...c(1), ...op.add, ...set(AT), ...get(ROWS), ...c(1), ...op.add, ...set(ROWS), ...get(RS), ...set(LAST)],
    [...get(K), ...c(1), ...op.add, ...set(K), ...op.br(0)],
    op.end, // rows
    op.end, // exit
    [...c(0), ...get(K), ...op.store(SWEPT), ...c(0), ...get(AT), ...op.store(SWEPT + 4), ...c(0), ...get(EMIT), ...op.store(SWEPT + 8)],
    [
      ...c(0),
      ...get(O),
      ...op.store(SWEPT + 12),
      ...c(0),
      ...get(ROWS),
      ...op.store(SWEPT + 16),
      ...c(0),
      ...get(LAST),
      ...op.store(SWEPT + 20),
    ],
    [...c(0), ...get(WANT), ...op.store(SWEPT + 24)],
    get(ST),
  ],
});

export const CLASSIFY_DONE = 0;
export const CLASSIFY_STOP = 1;
export const CLASSIFY_DEFER = 2;

// classify's parameters and locals.
const [CK, CN, CBASE, CLO, CHI, CFINAL, CSCHEME, CREACH] = [0, 1, 2, 3, 4, 5, 6, 7];
const [CT, CQ, CNC, CAT, CLEN, CI, CB, CPS, COUT, CMASK, CANY, CLAST, CW, CWL] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
/** A needle's index from its record's address and back: records are 2^RECORD_SHIFT bytes. */
const RECORD_SHIFT = Math.log2(NEEDLE_RECORD);
/** The byte at the address on the stack, or 0 past `hi` (JavaScript's `undefined` past the chunk). */
const byteBefore = (address: number[], hi: number): number[] => [
  ...address,
  ...set(CB),
  ...get(CB),
  ...get(hi),
  ...op.ltU,
  ...op.if,
  ...get(CB),
  ...op.load8(),
  ...set(CB),
  ...op.else,
  ...c(0),
  ...set(CB),
  ...op.end,
  ...get(CB),
];
/** b continues a host name (dump-inspector.ts `continuesHost`): 0-9 A-Z a-z - . _ */
const continuesHost = (b: number[]): number[] => [
  ...b,
  ...set(CB),
  ...[...get(CB), ...c(0x30), ...op.sub, ...c(10), ...op.ltU],
  ...[...get(CB), ...c(0x20), ...op.or, ...c(0x61), ...op.sub, ...c(26), ...op.ltU, ...op.or],
  ...[...get(CB), ...c(0x2d), ...op.eq, ...op.or, ...get(CB), ...c(0x2e), ...op.eq, ...op.or, ...get(CB), ...c(0x5f), ...op.eq, ...op.or],
];
const isDigit = (b: number[]): number[] => [...b, ...c(0x30), ...op.sub, ...c(10), ...op.ltU];

/**
 * (classify k n base lo hi final longestScheme reach) → a status. dump-inspector.ts's scan over
 * the triggers k… of TRIGGERS (+ base) for the chunk [lo, hi): each rule's `scheme://host` found
 * there (the needles at NEEDLES) counted as a match at its record's offset 28 when its port is the
 * rule's, as `classify` does. Stops at n (CLASSIFY_DONE), at a trigger too near the end of a
 * chunk that is not the last (CLASSIFY_STOP), or at one with a near miss, whose spelling
 * JavaScript records (CLASSIFY_DEFER). Stores the trigger's index at SWEPT and the last one
 * classified (+ base, or −1) at SWEPT + 4.
 */
export const classify = (): WasmFunction => ({
  name: 'classify',
  params: [I32, I32, I32, I32, I32, I32, I32, I32],
  locals: Array<number>(14).fill(I32),
  results: [I32],
  body: [
    [...c(-1), ...set(CLAST)],
    op.block, // exit
    op.loop, // triggers
    ...nextTrigger(CK, CN, CBASE, CT),
    skipBelow(CT, CLO, CK),
    [...get(CFINAL), ...op.eqz, ...get(CT), ...get(CSCHEME), ...op.sub, ...get(CREACH), ...op.add, ...get(CHI), ...op.gtS, ...op.and],
    [...op.if, ...c(CLASSIFY_STOP), ...set(CQ), ...op.br(2), ...op.end],
    // Each needle's outcome: a match (its bit in CMASK) or a near miss (CANY: then JavaScript does
    // this trigger, and nothing is counted here).
    [...c(0), ...set(CANY), ...c(0), ...set(CMASK)],
    [...c(NEEDLES), ...op.load(), ...set(CNC), ...c(NEEDLES + 4), ...set(CW)],
    op.block, // needles
    op.loop,
    [...get(CNC), ...op.eqz, ...op.brIf(1)],
    op.block, // next needle
    [...get(CT), ...get(CW), ...op.load(4), ...op.sub, ...set(CAT), ...get(CW), ...op.load(0), ...set(CLEN)],
    // The needle's bytes at `at`, wholly inside the chunk.
    [...get(CAT), ...get(CLO), ...op.ltS, ...op.brIf(0), ...get(CAT), ...get(CLEN), ...op.add, ...get(CHI), ...op.gtS, ...op.brIf(0)],
    [...c(0), ...set(CI)],
    op.block,
    op.loop,
    [...get(CI), ...get(CLEN), ...op.geU, ...op.brIf(1)],
    [
      ...get(CAT),
      ...get(CI),
      ...op.add,
      ...op.load8(),
      ...get(CW),
      ...op.load(24),
      ...get(CI),
      ...op.add,
      ...op.load8(),
      ...op.ne,
      ...op.brIf(2),
    ],
    [...get(CI), ...c(1), ...op.add, ...set(CI), ...op.br(0)],
    op.end,
    op.end,
    // What follows: another host (no count), a port, or nothing.
    [...get(CAT), ...get(CLEN), ...op.add, ...set(CI)],
    [...continuesHost(byteBefore(get(CI), CHI)), ...op.brIf(0)],
    [...c(-1), ...set(CPS)],
    [...byteBefore(get(CI), CHI), ...c(0x3a), ...op.eq, ...isDigit(byteBefore([...get(CI), ...c(1), ...op.add], CHI)), ...op.and],
    op.if,
    [...get(CI), ...c(1), ...op.add, ...set(CI), ...get(CI), ...set(CPS)],
    op.block,
    op.loop,
    [...isDigit(byteBefore(get(CI), CHI)), ...op.eqz, ...op.brIf(1), ...get(CI), ...c(1), ...op.add, ...set(CI), ...op.br(0)],
    op.end,
    op.end,
    op.end,
    // COUT: 1 when the port is the rule's (or both have none, or the default port the rule allows).
    [...get(CPS), ...c(0), ...op.ltS],
    op.if,
    [...get(CW), ...op.load(8), ...c(0), ...op.ltS, ...set(COUT)],
    op.else,
    [...get(CW), ...op.load(8), ...c(0), ...op.ltS],
    op.if,
    [...get(CW), ...op.load(16), ...set(CWL), ...get(CW), ...op.load(20), ...set(CB)],
    op.else,
    [...get(CW), ...op.load(8), ...set(CWL), ...get(CW), ...op.load(12), ...set(CB)],
    op.end,
    // The port's digits [CPS, CI) equal CWL bytes at CB (CWL 0: no port may match).
    [...get(CWL), ...get(CI), ...get(CPS), ...op.sub, ...op.eq, ...get(CWL), ...c(0), ...op.gtS, ...op.and, ...set(COUT)],
    [...get(COUT), ...op.if, ...c(0), ...set(CLEN)],
    op.block,
    op.loop,
    [...get(CLEN), ...get(CWL), ...op.geU, ...op.brIf(1)],
    [...get(CPS), ...get(CLEN), ...op.add, ...op.load8(), ...get(CB), ...get(CLEN), ...op.add, ...op.load8(), ...op.ne],
    [...op.if, ...c(0), ...set(COUT), ...op.br(2), ...op.end],
    [...get(CLEN), ...c(1), ...op.add, ...set(CLEN), ...op.br(0)],
    op.end,
    op.end,
    op.end,
    op.end,
    [...get(COUT), ...op.eqz, ...op.if, ...c(1), ...set(CANY), ...op.end],
    [...get(COUT), ...op.if, ...get(CMASK), ...c(1), ...get(CW), ...c(NEEDLES + 4), ...op.sub, ...c(RECORD_SHIFT), ...op.shrU, ...op.shl],
    [...op.or, ...set(CMASK), ...op.end],
    op.end, // next needle
    [...get(CW), ...c(NEEDLE_RECORD), ...op.add, ...set(CW), ...get(CNC), ...c(1), ...op.sub, ...set(CNC), ...op.br(0)],
    op.end,
    op.end, // needles
    [...get(CANY), ...op.if, ...c(CLASSIFY_DEFER), ...set(CQ), ...op.br(2), ...op.end],
    // The matches counted, in each needle's record.
    op.block,
    op.loop,
    [...get(CMASK), ...op.eqz, ...op.brIf(1)],
    [...get(CMASK), ...op.ctz, ...c(RECORD_SHIFT), ...op.shl, ...c(NEEDLES + 4), ...op.add, ...set(CW)],
    [...get(CW), ...get(CW), ...op.load(28), ...c(1), ...op.add, ...op.store(28)],
    [...get(CMASK), ...get(CMASK), ...c(1), ...op.sub, ...op.and, ...set(CMASK), ...op.br(0)],
    op.end,
    op.end,
    [...get(CT), ...set(CLAST), ...get(CK), ...c(1), ...op.add, ...set(CK), ...op.br(0)],
    op.end, // triggers
    op.end, // exit
    [...c(0), ...get(CK), ...op.store(SWEPT), ...c(0), ...get(CLAST), ...op.store(SWEPT + 4)],
    get(CQ),
  ],
});
