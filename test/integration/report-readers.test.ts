// The report files read the way their readers read them: report.html in Chromium at a desktop and a
// phone width and printed to PDF, junit.xml by a JUnit library (Python's junitparser, as CI
// plugins parse it), report.sarif by Microsoft's SARIF validator; and a waiver file end to end.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { layoutAt, printToPdf } from '../support/browser.js';
import { runCli, standIn, verdicts, type CliRun } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'reports', 'self-test');
const FAULT = 'tmp-not-writable';
const ONLY = ['--only', 'hardening,exposure'];
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface JunitCase { name: string; result: { kind: string; message: string | null }[] }

/** junit.xml as junitparser (the library CI plugins in Python use) reads it: every case and its result elements. */
function readJunit(file: string): JunitCase[] {
  const script = [
    'import json, sys',
    'from junitparser import JUnitXml',
    'xml = JUnitXml.fromfile(sys.argv[1])',
    'out = [{"name": c.name, "result": [{"kind": type(r).__name__, "message": r.message} for r in c.result]} for s in xml for c in s]',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' })) as JunitCase[];
}

interface SarifFinding { level: string; ruleId: string; text: string }

/** Microsoft's SARIF multitool `validate`: what it finds in the file, as its own SARIF log. */
function validateSarif(file: string): SarifFinding[] {
  const tool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  // npm may skip the package's postinstall that marks the binary executable.
  try { accessSync(tool, constants.X_OK); } catch { chmodSync(tool, 0o755); }
  const out = join(mkdtempSync(join(tmpdir(), 'sarif-validate-')), 'validation.sarif');
  execFileSync(tool, ['validate', file, '--output', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { level?: string; ruleId: string; message: { text?: string; id?: string; arguments?: string[] } }[] }[] };
  return (log.runs[0]!.results ?? []).map((r) => ({ level: r.level ?? 'warning', ruleId: r.ruleId, text: r.message.text ?? `${r.message.id} ${(r.message.arguments ?? []).join(' ')}` }));
}

function waiverFile(expires: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'waivers-')), 'waivers.yaml');
  writeFileSync(file, [
    'waivers:',
    '  - check: hardening.tmp-writable',
    '    target: stand-in',
    '    reason: scratch space moves to an emptyDir in the next release (SEC-42)',
    '    owner: release-team@example.com',
    `    expires: ${expires}`,
    '',
  ].join('\n'));
  return file;
}

describe('report files in their readers', { timeout: 240_000 }, () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await runCli([...standIn('--user', '1000:1000'), ...ONLY, '--stand-in-faults', FAULT]);
  }, 180_000);

  it('the faulty run fails on its one required check', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(verdicts(run.report)['hardening.tmp-writable']).toBe('fail');
  });

  it('report.html: the verdict on the first screen, nothing spilling sideways, the differences table whole at 1400 px and at 400 px', async () => {
    mkdirSync(OUT, { recursive: true });
    const html = join(OUT, 'readers-report.html');
    copyFileSync(join(run.reportDir, 'report.html'), html);
    for (const width of [1400, 400]) {
      const l = await layoutAt(html, width, 900, join(OUT, `readers-first-screen-${width}.png`));
      expect(l.verdict, `${width} px`).not.toBeNull();
      expect(l.verdict!.text, `${width} px`).toMatch(/^NOT READY/);
      expect(l.verdict!.firstScreen, `${width} px: the verdict at ${l.verdict!.top} px`).toBe(true);
      expect(l.pageScrollsSideways, `${width} px`).toBe(false);
      expect(l.overflowing, `${width} px`).toEqual([]);
      expect(l.deviations, `${width} px`).not.toBeNull();
      expect(l.deviations!.withinViewport, `${width} px`).toBe(true);
      expect(l.deviations!.rows, `${width} px`).toBeGreaterThanOrEqual(2);
    }
  });

  it('report.html printed: the run id on every page, the failing check and its finding in the text', async () => {
    const pages = await printToPdf(join(run.reportDir, 'report.html'), join(OUT, 'readers-report.pdf'));
    expect(pages.length).toBeGreaterThan(1);
    const runId = run.report!.runId;
    pages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain(runId));
    const text = pages.join('\n').replace(/\s+/g, ' ');
    const failed = run.report!.checks.find((c) => c.id === 'hardening.tmp-writable')!;
    expect(text).toContain('NOT READY');
    expect(text).toContain('hardening.tmp-writable');
    expect(failed.verdict === 'fail' && text.includes(failed.summary.replace(/\s+/g, ' ').slice(0, 40))).toBe(true);
  });

  it('junit.xml in junitparser: a fail is a Failure, a warn is Skipped with "WARN:", a skip Skipped with "SKIP:", a pass has no result', () => {
    const cases = new Map(readJunit(join(run.reportDir, 'junit.xml')).map((c) => [c.name, c]));
    expect(cases.size).toBe(run.report!.checks.length);
    for (const c of run.report!.checks) {
      const got = cases.get(c.id)!;
      expect(got, c.id).toBeDefined();
      const kinds = got.result.map((r) => r.kind);
      if (c.verdict === 'pass') expect(kinds, c.id).toEqual([]);
      if (c.verdict === 'fail') expect(kinds, c.id).toEqual(['Failure']);
      if (c.verdict === 'warn') { expect(kinds, c.id).toEqual(['Skipped']); expect(got.result[0]!.message, c.id).toMatch(/^WARN: /); }
      if (c.verdict === 'skip') { expect(kinds, c.id).toEqual(['Skipped']); expect(got.result[0]!.message, c.id).toMatch(/^SKIP: /); }
    }
    expect(run.report!.checks.some((c) => c.verdict === 'warn')).toBe(true);
  });

  it('report.sarif passes Microsoft\'s SARIF validator with no error, and every location is a file of the repository', () => {
    const file = join(run.reportDir, 'report.sarif');
    const findings = validateSarif(file);
    expect(findings.filter((f) => f.level === 'error'), JSON.stringify(findings)).toEqual([]);
    const sarif = JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: { ruleId: string; level: string; locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[] };
    const results = sarif.runs[0]!.results;
    expect(results.find((r) => r.ruleId === 'hardening.tmp-writable')?.level).toBe('error');
    for (const r of results) {
      expect(r.locations?.length, r.ruleId).toBeGreaterThan(0);
      for (const l of r.locations!) {
        const uri = l.physicalLocation.artifactLocation.uri;
        expect(uri, r.ruleId).not.toMatch(/^(\/|[a-z]+:)/);
        expect(existsSync(resolve(ROOT, uri)), `${r.ruleId}: ${uri}`).toBe(true);
      }
    }
  });
});

describe('--waivers end to end', { timeout: 240_000 }, () => {
  it('a waiver for the failing check makes the run pass, and every format says WAIVED with its owner and expiry', async () => {
    const w = await runCli([...standIn('--user', '1000:1000'), '--only', 'hardening', '--stand-in-faults', FAULT, '--waivers', waiverFile('2099-12-31')]);
    expect(w.code, w.stderr).toBe(0);
    const c = w.report!.checks.find((x) => x.id === 'hardening.tmp-writable')!;
    expect(c.verdict).toBe('fail');
    expect(c.waiver).toMatchObject({ owner: 'release-team@example.com', expires: '2099-12-31' });
    expect(w.report!.summary.waived).toBe(1);
    expect(w.report!.decision.line).toMatch(/^READY.*1 waived/);
    const read = (f: string): string => readFileSync(join(w.reportDir, f), 'utf8');
    expect(read('summary.md')).toContain('| `hardening.tmp-writable` | WAIVED |');
    expect(read('report.html')).toContain('WAIVED</span>hardening.tmp-writable');
    const junit = readJunit(join(w.reportDir, 'junit.xml')).find((x) => x.name === 'hardening.tmp-writable')!;
    expect(junit.result.map((r) => r.kind)).toEqual(['Skipped']);
    expect(junit.result[0]!.message).toMatch(/^WAIVED: waived until 2099-12-31 by release-team@example.com/);
    const sarif = JSON.parse(read('report.sarif')) as { runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[] };
    const s = sarif.runs[0]!.results.find((r) => r.ruleId === 'hardening.tmp-writable')!;
    expect(s.suppressions?.[0]).toMatchObject({ kind: 'external' });
    expect(s.suppressions![0]!.justification).toContain('SEC-42');
    expect(w.stdout + w.stderr).toContain('WAIVED');
  });

  it('an expired waiver fails the run and the decision names it', async () => {
    const w = await runCli([...standIn('--user', '1000:1000'), '--only', 'hardening', '--stand-in-faults', FAULT, '--waivers', waiverFile('2020-01-31')]);
    expect(w.code, w.stderr).toBe(1);
    expect(w.report!.summary.waived).toBe(0);
    expect(w.report!.decision.line).toContain('the waiver of hardening.tmp-writable expired');
  });

  it('a broken waiver file stops the run before anything starts, naming the file and line (exit 2)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'waivers-')), 'waivers.yaml');
    writeFileSync(file, 'waivers:\n  - check: hardening.tmp-writable\n    owner: me\n    expires: 2099-01-01\n');
    const w = await runCli([...standIn('--user', '1000:1000'), '--waivers', file]);
    expect(w.code).toBe(2);
    expect(w.stderr.trim().split('\n').at(-1)).toMatch(/--waivers: .*waivers\.yaml:2: the waiver of hardening\.tmp-writable has no reason/);
    expect(w.report).toBeNull();
  });
});
