import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema } from '../../src/report/schema.js';
import { renderReport } from '../../src/report/write-report-files.js';
import { writeTerminal } from '../../src/report/write-terminal.js';
import { ovmsTarget, sampleReport } from '../support/sample-report.js';

const schemaFile = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'));

describe('report model', () => {
  const report = sampleReport();

  it('lists every planned check once, in catalog order, and a missing outcome is an error', () => {
    expect(report.checks.map((c) => c.id)).toEqual([
      'hardening.image-user', 'hardening.default-uid', 'hardening.tmp-writable', 'hardening.starts-read-only', 'hardening.models-read-only',
    ]);
    const missing = report.checks.find((c) => c.id === 'hardening.tmp-writable')!;
    expect(missing.verdict).toBe('error');
    expect(report.summary).toEqual({ pass: 1, fail: 1, warn: 1, skip: 1, error: 1 });
  });

  it('keeps the published JSON Schema in step with the code', () => {
    expect(schemaFile).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });
});

describe('writers', () => {
  const report = sampleReport();
  const files = renderReport(report);

  it('every file names the target and the stand-in on its first line', () => {
    for (const text of Object.values(files)) {
      const first = text.split('\n')[0]!;
      expect(first).toContain('target stand-in');
      expect(first).toContain('NOT OpenVINO Model Server');
    }
    expect(writeTerminal(report, 'R').split('\n')[0]).toContain('STAND-IN');
  });

  it('a real-target report says OpenVINO Model Server without the stand-in warning', () => {
    const real = renderReport(sampleReport(ovmsTarget));
    expect(real['summary.md']!.split('\n')[0]).toBe('# ovms-validate report - target container: OpenVINO Model Server 2026.3.0 (reported by the server; image 0123456789ab); image openvino/model_server:latest');
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
    expect(cases.find((c) => c.name === 'hardening.starts-read-only')!.skipped!.message).toBe('not exercised');
    expect(cases.find((c) => c.name === 'hardening.default-uid')!.failure!.message).toBe('runs as root <&> "quoted"');
    expect(xml).not.toContain('\u0001');
  });

  it('summary.md has a row per check and the remediation of what failed', () => {
    const md = files['summary.md']!;
    expect(md).toContain('| `hardening.default-uid` | **FAIL** |');
    expect(md).toContain('Remediation: use an image whose default user is ovms');
    expect(md).toContain('This run validated the ovms-validate stand-in');
  });
});
