// The NameNode URI rewriter's public API (see docs/rewrite.md).
export {
  createRewriter,
  createTableRewriter,
  type CopyTable,
  type LeftAlone,
  type LengthViolation,
  type RewriteReport,
  type RewriteStream,
} from './rewriter.js';
export { parseMapArgument, rewriteOptionsFromConfig, type RewriteRule, type RewriterOptions } from './rules.js';
export { rewriteValue, rewriteValueDetailed } from './matcher.js';
export { formatRewriteSummary } from './summary.js';
export {
  archiveFormat,
  createDumpInspector,
  judgeInput,
  type DumpInspection,
  type DumpInspector,
  type InputJudgement,
} from './dump-inspector.js';
export { rewriteFd, type FdEnds, type FdRewrite } from './rewrite-fd.js';
export { ioError } from '../util/io-error.js';
