// npm run bench:self: runs the self-tests as `npm run test:self` does and prints the wall time of
// the whole run and of each test file, slowest first, so a slow file is visible. A measurement,
// not a test: it exits with the tests' own status. BENCH_SELF_PROJECT=integration (or unit) runs
// one tier only.
import { performance } from 'node:perf_hooks';
import { startVitest, type Reporter, type TestModule } from 'vitest/node';

interface FileTime { file: string; project: string; ms: number; tests: number; state: string }

const files: FileTime[] = [];
const timings: Reporter = {
  onTestModuleEnd(m: TestModule) {
    const d = m.diagnostic();
    files.push({ file: m.relativeModuleId, project: m.project.name, ms: Math.round(d.duration), tests: [...m.children.allTests()].length, state: m.state() });
  },
};

const project = process.env['BENCH_SELF_PROJECT'];
const t0 = performance.now();
const vitest = await startVitest('test', [], { config: 'vitest.config.ts', watch: false, reporters: ['dot', timings], ...(project ? { project } : {}) });
const wall = performance.now() - t0;
const failed = vitest ? vitest.state.getCountOfFailedTests() : 1;
await vitest?.close();

const fmt = (ms: number): string => (ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);
const rows = files.sort((a, b) => b.ms - a.ms);
const width = Math.max(...rows.map((r) => r.file.length));
process.stdout.write(`\nbench:self: wall time ${fmt(wall)} for ${rows.reduce((n, r) => n + r.tests, 0)} tests in ${rows.length} files (2 files at a time)\n`);
for (const project of ['integration', 'unit']) {
  const mine = rows.filter((r) => r.project === project);
  if (mine.length === 0) continue;
  process.stdout.write(`\n${project}: ${fmt(mine.reduce((n, r) => n + r.ms, 0))} of file time in ${mine.length} files\n`);
  for (const r of mine) process.stdout.write(`  ${r.file.padEnd(width)}  ${fmt(r.ms).padStart(8)}  ${String(r.tests).padStart(3)} tests${r.state === 'failed' ? '  FAILED' : ''}\n`);
}
process.exit(failed > 0 ? 1 : 0);
