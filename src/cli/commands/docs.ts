// `hmsdr docs [topic]`: the operator guide that ships with the package, readable wherever hmsdr
// was installed (help texts point here instead of at repository paths).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { UsageError } from '../../errors/errors.js';

/** `docs/` of the installed package (dist/src/cli/commands/ → four levels up; src/… when run from source). */
export function docsDir(): string {
  for (const up of ['../../../../docs', '../../../docs']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new UsageError('the docs folder is not installed next to hmsdr');
}

/** Topic names (file names without `.md`) and each one's title line. */
export function docTopics(dir = docsDir()): { topic: string; title: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ topic: f.slice(0, -3), title: (readFileSync(`${dir}/${f}`, 'utf8').split('\n')[0] ?? '').replace(/^#\s*/, '') }));
}

export const docsCommand: CommandModule<object, { topic?: string }> = {
  ...HEADINGS.docs,
  builder: (y) => y.positional('topic', { type: 'string', describe: 'e.g. runbook, configuration, troubleshooting, exit-codes' }) as never,
  handler: (args) => {
    const dir = docsDir();
    const topics = docTopics(dir);
    if (args.topic === undefined) {
      const width = Math.max(...topics.map((t) => t.topic.length));
      process.stdout.write(
        `${topics.map((t) => `${t.topic.padEnd(width)}  ${t.title}`).join('\n')}\n\nhmsdr docs <topic> prints one (docs are in ${dir}).\n`,
      );
      return;
    }
    const topic = args.topic.replace(/\.md$/, '');
    if (!topics.some((t) => t.topic === topic)) {
      throw new UsageError(`no docs page "${args.topic}"`, { hint: `one of: ${topics.map((t) => t.topic).join(', ')}` });
    }
    process.stdout.write(readFileSync(`${dir}/${topic}.md`, 'utf8'));
  },
};
