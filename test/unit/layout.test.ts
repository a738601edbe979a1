// The layout keeps one direction of dependence: no import cycle between the folders of src/ (or its
// top-level files), checked on the imports the code has today. A cycle is shown with the file-level
// import behind each of its edges.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, unitGraph } from '../support/import-graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('layout', () => {
  const graph = importGraph(ROOT);
  const units = unitGraph(graph);

  it('reads the imports of every source file (static, type-only and dynamic)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli.ts')).toContain('src/run/run.ts');
    expect(graph.get('src/check-kit/context.ts')).toContain('src/targets/access.ts');
    expect(graph.get('src/stores/emulators.ts')).toContain('src/stores/model-repository.ts');
  });

  it('finds a cycle when there is one (the checker can fail)', () => {
    const g = new Map([['src/a', new Map([['src/b', 'src/a/x.ts -> src/b/y.ts']])], ['src/b', new Map([['src/a', 'src/b/y.ts -> src/a/z.ts']])], ['src/c', new Map()]]);
    expect(cycles(g)).toEqual([['src/a', 'src/b']]);
  });

  it('has no import cycle between the folders of src/', () => {
    const found = cycles(units).map((scc) => scc.map((u) => [...(units.get(u) ?? new Map()).entries()].filter(([to]) => scc.includes(to)).map(([, why]) => why)).flat());
    expect(found).toEqual([]);
  });
});
