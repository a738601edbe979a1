// The import graph of src/, read from the source text: every static import and export-from (type-only
// ones included: they are dependencies of the design too) and every dynamic import of a relative
// path, resolved as NodeNext resolves our `.js` specifiers to `.ts` files. dependency-cruiser and
// madge parse TypeScript with the `typescript` package's JavaScript API, which TypeScript 7 (the
// project's compiler) no longer has; the project's imports are plain enough to read exactly here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Comments removed (line and block), so an import named in a comment is not read as one. */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** file -> the files of the tree it imports (paths relative to `root`, with `/`). */
export function importGraph(root: string, dir = 'src'): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const rel = (p: string): string => relative(root, p).split(sep).join('/');
  for (const file of sourceFiles(resolve(root, dir))) {
    const deps: string[] = [];
    for (const m of code(readFileSync(file, 'utf8')).matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (!spec.startsWith('.')) continue;
      deps.push(rel(resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    }
    graph.set(rel(file), [...new Set(deps)]);
  }
  return graph;
}

/** The unit a file belongs to: its top-level folder under `dir` (src/checks/dos/x.ts -> src/checks), or the file itself. */
export const unitOf = (file: string, dir = 'src'): string => {
  const parts = file.slice(dir.length + 1).split('/');
  return parts.length > 1 ? `${dir}/${parts[0]}` : file;
};

/** The graph collapsed to units, each edge with one file-level import that makes it. */
export function unitGraph(graph: Map<string, string[]>): Map<string, Map<string, string>> {
  const units = new Map<string, Map<string, string>>();
  for (const [file, deps] of graph) {
    const from = unitOf(file);
    const out = units.get(from) ?? new Map<string, string>();
    units.set(from, out);
    for (const d of deps) {
      const to = unitOf(d);
      if (to !== from && !out.has(to)) out.set(to, `${file} -> ${d}`);
    }
  }
  return units;
}

/** Strongly connected components of more than one unit (Tarjan): each is an import cycle. */
export function cycles(g: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of g.get(v)?.keys() ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}
