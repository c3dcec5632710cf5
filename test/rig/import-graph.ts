import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

/**
 * The static import graph of a source tree: one edge per `import … from`, `export … from` or bare
 * `import '…'` of a relative path, type-only imports included (they shape the code as much as value
 * imports). `require()` calls are left out on purpose: the codebase uses them only for lazy loading
 * (a node definition requiring its implementation, a command table requiring a command), which
 * cannot create a load-order cycle.
 */
export type ImportGraph = Map<string, Set<string>>;

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/gm;

/** Every `.ts` file under `dirs` (paths relative to `root`), with the files it imports. */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const dir of dirs) {
    for (const file of tsFiles(path.join(root, dir))) {
      const imports = new Set<string>();
      for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
        const target = resolveImport(file, match[1]);
        if (target !== undefined) imports.add(path.relative(root, target));
      }
      graph.set(path.relative(root, file), imports);
    }
  }
  return graph;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && isFile(candidate)) return candidate;
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The same graph with each file replaced by its group (`group(file)`), self-edges dropped. */
export function groupGraph(graph: ImportGraph, group: (file: string) => string): ImportGraph {
  const grouped: ImportGraph = new Map();
  for (const [file, imports] of graph) {
    const from = group(file);
    const targets = grouped.get(from) ?? new Set<string>();
    for (const target of imports) if (group(target) !== from) targets.add(group(target));
    grouped.set(from, targets);
  }
  return grouped;
}

/** Strongly connected components of two or more members (Tarjan), each sorted, in a stable order. */
export function cycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}
