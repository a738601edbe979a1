import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare-reports.js';
import { runCompare } from '../../src/compare/compare-command.js';
import type { CheckResult, Report } from '../../src/report/schema.js';
import { writeJson } from '../../src/report/write-json.js';
import { sampleReport } from '../support/sample-report.js';

const flood = (rate: number, p99: number, peak: number): CheckResult => ({
  id: 'dos.thread-cap', title: 't', area: 'dos', clause: 'S3', requirement: 'required', remediation: 'r', durationMs: 1, verdict: 'pass', summary: 'refused fast',
  evidence: { items: [], observed: { achieved: { count: 100, durationMs: 1000, rate, okRate: rate / 2 }, latencyMs: { all: { population: 'all calls', n: 100, min: 1, mean: 5, p50: 4, p90: 8, p99, p999: p99, max: p99 } }, memoryPeakBytes: peak, statusCodes: { OK: 50 } }, expected: {} },
});

function withChecks(r: Report, edit: (checks: CheckResult[]) => CheckResult[]): Report {
  const checks = edit(structuredClone(r.checks));
  return { ...r, checks };
}

describe('compareReports', () => {
  const old = withChecks(sampleReport(), (c) => [...c, flood(400, 50, 100 * 1048576)]);

  it('a verdict that got worse is a regression, one that got better an improvement', () => {
    const now = withChecks(old, (cs) => cs.map((c) => (c.id === 'hardening.image-user' ? { ...c, verdict: 'fail', summary: 'runs as root' } as CheckResult : c.id === 'hardening.default-uid' ? { ...c, verdict: 'pass' } as CheckResult : c)));
    const c = compareReports(old, now, 25);
    expect(c.verdicts).toEqual([
      { id: 'hardening.image-user', from: 'pass', to: 'fail', kind: 'regression', now: 'runs as root' },
      { id: 'hardening.default-uid', from: 'fail', to: 'pass', kind: 'improvement', now: 'runs as root <&> "quoted"' },
    ]);
    expect(c.regressions).toBe(1);
  });

  it('pass to warn is a regression; a check newly failing where it was skipped or absent is one; so is one that was judged and no longer runs', () => {
    const now = withChecks(old, (cs) => [
      ...cs.filter((c) => c.id !== 'dos.thread-cap').map((c) => (c.id === 'hardening.image-user' ? { ...c, verdict: 'warn' } as CheckResult : c.id === 'hardening.starts-read-only' ? { ...c, verdict: 'fail', summary: 'x', evidence: { items: [], observed: null, expected: null } } as CheckResult : c)),
    ]);
    const c = compareReports(old, now, 25);
    expect(c.verdicts.map((v) => [v.id, v.kind])).toEqual([
      ['hardening.image-user', 'regression'], ['hardening.starts-read-only', 'regression'], ['dos.thread-cap', 'regression'],
    ]);
    // judged -> skipped is a regression; skipped -> skipped for another reason, or skip -> pass, is not.
    const skipped = withChecks(old, (cs) => cs.map((c) => (c.id === 'dos.thread-cap' ? { ...c, verdict: 'skip', reason: 'left out by --only/--exclude' } as CheckResult : c)));
    expect(compareReports(old, skipped, 25).verdicts.map((v) => [v.id, v.kind])).toEqual([['dos.thread-cap', 'regression']]);
    expect(compareReports(skipped, old, 25).verdicts.map((v) => [v.id, v.kind])).toEqual([['dos.thread-cap', 'changed']]);
  });

  it('a new run that did not complete or judged nothing is a regression, even when no verdict changed', () => {
    const interrupted: Report = { ...old, endReason: 'interrupted', endDetail: 'ended by SIGTERM before the checks were done', checks: [] };
    const c = compareReports(old, interrupted, 25);
    expect(c.runRegressions).toEqual(['the new run did not complete (interrupted: ended by SIGTERM before the checks were done)']);
    expect(c.regressions).toBeGreaterThan(c.verdicts.filter((v) => v.kind === 'regression').length);
    const notReady: Report = { ...old, target: { ...old.target, ready: false, startupError: 'exited 1' }, decision: { status: 'not-ready', line: 'NOT READY: the server never became ready (exited 1)', exitCode: 1 } };
    expect(compareReports(old, notReady, 25).runRegressions).toEqual(['the new run judged too little: NOT READY: the server never became ready (exited 1)']);
  });

  it('lists the checks that fail in both runs as still failing, not as regressions', () => {
    const c = compareReports(old, old, 25);
    expect(c.stillFailing).toEqual([
      { id: 'hardening.default-uid', verdict: 'fail', now: 'runs as root <&> "quoted"' },
      { id: 'hardening.tmp-writable', verdict: 'error', now: 'no outcome: its suite did not run' },
    ]);
    expect(c.regressions).toBe(0);
  });

  it('a figure that moved the worse way beyond the tolerance and its noise floor is a regression', () => {
    const slower = withChecks(old, (cs) => [...cs.slice(0, -1), flood(200, 62, 300 * 1048576)]);
    const c = compareReports(old, slower, 25);
    expect(c.figures.map((f) => [f.path, f.from, f.to, f.changePct, f.kind])).toEqual([
      ['achieved.rate', 400, 200, -50, 'regression'],
      ['achieved.okRate', 200, 100, -50, 'regression'],
      ['memoryPeakBytes', 100 * 1048576, 300 * 1048576, 200, 'regression'],
    ]);
    // p99 50 -> 62 ms is +24%: within the tolerance. With 10% it counts.
    expect(compareReports(old, slower, 10).figures.map((f) => f.path)).toContain('latencyMs.all.p99');
    expect(c.regressions).toBe(3);
    const faster = compareReports(slower, old, 25);
    expect(faster.figures.every((f) => f.kind === 'improvement')).toBe(true);
    expect(faster.regressions).toBe(0);
    // 1 ms -> 5 ms is +400% but under the 10 ms noise floor.
    expect(compareReports(withChecks(old, (cs) => [...cs.slice(0, -1), flood(400, 1, 1)]), withChecks(old, (cs) => [...cs.slice(0, -1), flood(400, 5, 1)]), 25).figures).toEqual([]);
  });

  it('a worse figure that rests on too few samples is noise, unless --strict-figures', () => {
    const few = (rate: number, p99: number): CheckResult => {
      const f = flood(rate, p99, 1);
      const o = f.evidence!.observed as { achieved: { count: number }; latencyMs: { all: { n: number } } };
      o.achieved.count = 5; o.latencyMs.all.n = 5;
      return f;
    };
    const a = withChecks(old, (cs) => [...cs.slice(0, -1), few(400, 50)]);
    const b = withChecks(old, (cs) => [...cs.slice(0, -1), few(100, 500)]);
    const c = compareReports(a, b, 25);
    expect(c.figures.length).toBeGreaterThan(0);
    expect(c.figures.every((f) => f.kind === 'noise')).toBe(true);
    expect(c.figures[0]!.samples).toBe('5 -> 5 sample(s)');
    expect(c.regressions).toBe(0);
    const strict = compareReports(a, b, 25, true);
    expect(strict.figures.every((f) => f.kind === 'regression')).toBe(true);
    expect(strict.regressions).toBe(strict.figures.length);
  });

  it('runs of different profiles or targets are not like for like; a check the new profile does not run is no regression', () => {
    const quick: Report = withChecks({ ...old, profile: 'nightly' }, (cs) => cs.map((c) => (c.id === 'dos.thread-cap' ? { ...c, verdict: 'skip', reason: 'runs in profile nightly; this run is quick' } as CheckResult : c)));
    const c = compareReports(old, quick, 25);
    expect(c.incomparable).toEqual([`they ran different profiles (${old.profile} -> nightly): checks of one profile only are not compared as regressions`]);
    expect(c.verdicts.map((v) => [v.id, v.kind])).toEqual([['dos.thread-cap', 'changed']]);
    expect(c.regressions).toBe(0);
    const elsewhere: Report = { ...old, target: { ...old.target, kind: 'remote', imageId: null, repoDigests: [], restUrl: 'http://10.0.0.5:8000' } };
    expect(compareReports(old, elsewhere, 25).incomparable[0]).toMatch(/^they judge different targets \(.* -> remote http:\/\/10\.0\.0\.5:8000\)/);
    expect(compareReports(old, old, 25).incomparable).toEqual([]);
  });

  it('says when the runs judged different images or one was the stand-in', () => {
    const other = { ...old, target: { ...old.target, standIn: false, imageId: 'sha256:2' } };
    expect(compareReports(old, other, 25).notes).toEqual([
      'one run validated the stand-in and the other did not: the verdicts judge different servers',
      'the image differs: sha256:1 -> sha256:2',
    ]);
  });
});

describe('ovms-validate compare', () => {
  const root = mkdtempSync(join(tmpdir(), 'compare-'));
  const folder = (name: string, r: Report): string => { const d = join(root, name); mkdirSync(d, { recursive: true }); writeFileSync(join(d, 'report.json'), writeJson(r)); return d; };
  const io = () => { const out: string[] = []; const progress: string[] = []; return { out, progress, io: { out: (t: string) => out.push(t), progress: (l: string) => progress.push(l), env: {} as NodeJS.ProcessEnv } }; };
  const clean = sampleReport();
  const worse = withChecks(clean, (cs) => cs.map((c) => (c.id === 'hardening.image-user' ? { ...c, verdict: 'fail', summary: 'runs as root' } as CheckResult : c)));

  it('exits 1 naming the regressed check, in the terminal and in Markdown', () => {
    const t = io();
    const md = join(root, 'compare.md');
    expect(runCompare([folder('old', clean), folder('new', worse), '--markdown', md], t.io)).toBe(1);
    expect(t.out.join('')).toContain('WORSE  hardening.image-user');
    expect(readFileSync(md, 'utf8')).toContain('| `hardening.image-user` | pass | fail | **regression** | runs as root |');
    const same = io();
    expect(runCompare([folder('a', clean), join(folder('b', clean), 'report.json')], same.io)).toBe(0);
    expect(same.out.join('')).toContain('no regression; 2 check(s) still failing');
    expect(same.out.join('')).toContain('STILL  hardening.default-uid');
  });

  it('says NOT LIKE FOR LIKE in the lead and Markdown; lists what still fails when both runs fail', () => {
    const t = io();
    const md = join(root, 'compare-profiles.md');
    expect(runCompare([folder('night', clean), folder('quick', { ...clean, profile: 'nightly' }), '--markdown', md], t.io)).toBe(0);
    expect(t.out.join('')).toContain('NOT LIKE FOR LIKE: they ran different profiles');
    expect(readFileSync(md, 'utf8')).toContain('- **not like for like**: they ran different profiles');
    expect(readFileSync(md, 'utf8')).toContain('hardening.default-uid');
  });

  it('refuses the same report twice and a --markdown that is a folder', () => {
    const t = io().io;
    const a = folder('self', clean);
    expect(() => runCompare([a, join(a, 'report.json')], t)).toThrow(/^compare: OLD and NEW are the same report/);
    expect(() => runCompare([folder('a', clean), folder('b', clean), '--markdown', root], t)).toThrow(/^compare --markdown: '.*' is a folder; pass a file name/);
  });

  it('appends the Markdown to $GITHUB_STEP_SUMMARY when it is set', () => {
    const t = io();
    const summary = join(root, 'step-summary');
    runCompare([folder('old', clean), folder('new', worse)], { ...t.io, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, 'utf8')).toContain('# ovms-validate compare: 1 regression(s)');
  });

  it('refuses what is not two reports of this version, in one line', () => {
    const t = io().io;
    expect(() => runCompare([join(root, 'none')], t)).toThrow(/^compare takes two report folders, OLD and NEW \(got 1\)/);
    expect(() => runCompare([join(root, 'none'), folder('b', clean)], t)).toThrow(/^compare: OLD '.*none' has no report.json; pass a report folder/);
    const bad = join(root, 'bad'); mkdirSync(bad); writeFileSync(join(bad, 'report.json'), '{"x"');
    expect(() => runCompare([bad, folder('b', clean)], t)).toThrow(/^compare: OLD '.*report.json' is not JSON/);
    const old = join(root, 'v2'); mkdirSync(old); writeFileSync(join(old, 'report.json'), JSON.stringify({ ...clean, schemaVersion: 2 }));
    expect(() => runCompare([old, folder('b', clean)], t)).toThrow(/has report schema version 2, this ovms-validate reads 4/);
    const other = join(root, 'other'); mkdirSync(other); writeFileSync(join(other, 'report.json'), JSON.stringify({ ...clean, checks: 'x' }));
    expect(() => runCompare([folder('a', clean), other], t)).toThrow(/^compare: NEW '.*' is not an ovms-validate report \(checks: /);
    expect(() => runCompare([folder('a', clean), folder('b', clean), '--tolerance', 'ten'], t)).toThrow(/must be a percentage/);
  });
});
