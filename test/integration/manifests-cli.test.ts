// `ovms-validate manifests` as a release engineer runs it: files, folders and standard input (as
// from helm template); its exit codes (1 a required check fails, 2 a manifest that does not parse,
// with its file and line, 3 nothing of OVMS); the report files beside each other, nothing written
// on bad input.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, verdicts } from '../support/cli.js';

const fixture = (n: string): string => `fixtures/manifests/${n}`;

describe('ovms-validate manifests', { timeout: 60_000 }, () => {
  it('a hardened Deployment: exit 0, READY, every file written, every verdict marked static', async () => {
    const run = await runCli(['manifests', fixture('deployment-hardened.yaml')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^READY: \d+ pass.* \| ovms-validate report - target manifests: 1 OVMS container\(s\) in fixtures\/manifests\/deployment-hardened\.yaml/);
    expect(readdirSync(run.reportDir).sort()).toEqual(['.ovms-validate-report.json', 'SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.sarif', 'summary.md']);
    expect(run.report!.checks.filter((c) => c.verdict !== 'skip').every((c) => c.basis === 'static')).toBe(true);
  });

  it('standard input (helm template ... | ovms-validate manifests -): a runtime without a securityContext fails, located at its lines', async () => {
    const run = await runCli(['manifests', '-'], {}, readFileSync(fixture('runtime-no-security-context.yaml'), 'utf8'));
    expect(run.code).toBe(1);
    expect(verdicts(run.report)['hardening.read-only-rootfs']).toBe('fail');
    expect(readFileSync(join(run.reportDir, 'summary.md'), 'utf8')).toMatch(/\| `\(standard input\):\d+` \| `hardening\.read-only-rootfs` \| fail \|/);
  });

  it('a folder is read whole: the KServe pair and the Deployment together', async () => {
    const run = await runCli(['manifests', 'fixtures/manifests']);
    expect(run.report!.target.identity.statement).toMatch(/^3 OVMS container\(s\) in fixtures\/manifests\/deployment-hardened\.yaml, fixtures\/manifests\/kserve-hardened\.yaml, fixtures\/manifests\/runtime-no-security-context\.yaml/);
  });

  it('a manifest that does not parse: exit 2 naming its file and line, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovms-validate-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'kind: Deployment\nspec:\n  template: [\n');
    const run = await runCli(['manifests', join(dir, 'bad.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml:\d+:\d+: not valid YAML or JSON/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(run.reportDir)).toEqual([]);
  });

  it('nothing of OVMS: exit 3 naming what was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovms-validate-none-'));
    writeFileSync(join(dir, 'web.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n');
    const run = await runCli(['manifests', dir]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no OVMS container in');
    expect(run.stderr).toContain('1 objects: Service');
  });

  it('bad usage: no path, an unknown edition', async () => {
    expect((await runCli(['manifests'])).code).toBe(2);
    const e = await runCli(['manifests', fixture('deployment-hardened.yaml'), '--page-edition', 'E9']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("'E9' is not an edition of the page");
    expect(existsSync(join(e.reportDir, 'report.json'))).toBe(false);
  });
});
