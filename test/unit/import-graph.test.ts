// The layering of docs/architecture.md, enforced: no import cycle among the files of src/, and no
// layer importing one it must not (type-only imports count: they tie the layers together too).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What a folder of src/ may not import (prefixes relative to the repository). Keep docs/architecture.md in step. */
const RULES: ReadonlyArray<{ from: string; mayNot: readonly string[] }> = [
  {
    from: 'src/runbook/',
    mayNot: [
      'src/steps/',
      'src/adapters/',
      'src/cli/',
      'src/report/',
      'src/lab/',
      'src/transfer/',
      'src/copy/',
      'src/verify/',
      'src/rewrite/',
    ],
  },
  { from: 'src/adapters/', mayNot: ['src/steps/', 'src/cli/', 'src/runbook/', 'src/report/', 'src/lab/', 'src/transfer/', 'src/copy/'] },
  ...['src/rewrite/', 'src/verify/'].map((from) => ({
    from,
    mayNot: ['src/steps/', 'src/runbook/', 'src/cli/', 'src/report/', 'src/lab/', 'src/transfer/', 'src/copy/'],
  })),
  { from: 'src/transfer/', mayNot: ['src/steps/', 'src/cli/', 'src/report/', 'src/lab/'] },
  { from: 'src/copy/', mayNot: ['src/steps/', 'src/cli/', 'src/report/', 'src/lab/'] },
  { from: 'src/steps/', mayNot: ['src/cli/', 'src/lab/'] },
  { from: 'src/report/', mayNot: ['src/cli/', 'src/lab/'] },
  // The bottom: anyone may import these, so they import nothing above them.
  ...['src/actions/', 'src/util/', 'src/errors/', 'src/config/', 'src/names/'].map((from) => ({
    from,
    mayNot: [
      'src/adapters/',
      'src/runbook/',
      'src/steps/',
      'src/transfer/',
      'src/copy/',
      'src/report/',
      'src/cli/',
      'src/lab/',
      'src/verify/',
      'src/rewrite/',
    ],
  })),
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// Static `import … from` / `export … from` / `import '…'` statements (at the start of a line, so
// prose in comments does not count) and dynamic `import('…')` anywhere.
const STATIC = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importSpecifiers(text: string): string[] {
  return [STATIC, BARE, DYNAMIC].flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

/** The repository-relative .ts file a relative specifier names, or undefined (packages, node:). */
function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
  return found === undefined ? undefined : relative(ROOT, found).replaceAll('\\', '/');
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const targets = importSpecifiers(readFileSync(file, 'utf8')).flatMap((s) => resolveImport(file, s) ?? []);
    graph.set(relative(ROOT, file).replaceAll('\\', '/'), [...new Set(targets)]);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file, or a file importing itself. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('is read from the sources (static, re-export, type-only and dynamic imports)', () => {
    expect(graph.get('src/steps/index.ts')).toContain('src/steps/dump-metastore.ts');
    expect(
      importSpecifiers(
        "import type {\n  A,\n  B,\n} from './a.js';\nexport * from './b.js';\nconst c = await import('./c.js');\n// import x from './comment.js'",
      ),
    ).toEqual(['./a.js', './b.js', './c.js']);
  });

  it('finds a cycle when there is one', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
  });

  it('has no import cycle', () => {
    const found = cycles(graph).map((component) => component.join(' ⇄ '));
    expect(found, `import cycles:\n${found.join('\n')}`).toEqual([]);
  });

  it('has no import a layer may not make', () => {
    const violations = [...graph].flatMap(([file, targets]) =>
      RULES.filter((rule) => file.startsWith(rule.from)).flatMap((rule) =>
        targets.filter((to) => rule.mayNot.some((prefix) => to.startsWith(prefix))).map((to) => `${file} → ${to}`),
      ),
    );
    expect(violations, `upward imports:\n${violations.join('\n')}`).toEqual([]);
  });
});
