// The fault matrix of the hardening suite against the stand-in: the clean stand-in passes every
// check, and each fault (a stand-in fault or a weakened deployment) trips exactly its check.
import { describe, expect, it } from 'vitest';
import { cleanExpectation, runCli, standIn, verdicts } from '../support/cli.js';

const standInUser = standIn('--user', '1000:1000');
const TIMEOUT = 120_000;

describe('hardening on the stand-in', { timeout: TIMEOUT }, () => {
  it('the clean stand-in passes every hardening check and exits 0', async () => {
    const run = await runCli(standInUser);
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual(cleanExpectation());
    expect(run.report!.target).toMatchObject({ kind: 'stand-in', standIn: true, user: '1000:1000' });
    expect(run.stdout.split('\n')[0]).toContain('STAND-IN');
    const uid = run.report!.checks.find((c) => c.id === 'hardening.default-uid')!;
    expect(uid.verdict === 'pass' && uid.evidence.items.join('\n')).toContain('Uid: 5000 (real 5000, effective 5000, saved 5000, fs 5000)');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${run.reportDir}/server.log`, 'utf8')).toContain('Started REST server');
  });

  it.each([
    ['image-root-user', { 'hardening.image-user': 'fail', 'hardening.default-uid': 'fail' }],
    ['writes-rootfs-at-start', { 'hardening.starts-read-only': 'fail' }],
    ['tmp-not-writable', { 'hardening.tmp-writable': 'fail' }],
  ])('fault %s trips exactly its checks', async (fault, expected) => {
    const run = await runCli([...standInUser, '--stand-in-faults', fault]);
    expect(run.code, run.stderr).toBe(1);
    expect(verdicts(run.report)).toEqual(cleanExpectation(expected));
    expect(run.report!.target.standInFaults).toEqual([fault]);
  });
});

describe('interruption', { timeout: TIMEOUT }, () => {
  it('Ctrl-C removes the run\'s containers, exits 130 and leaves only a report.json saying so', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const { mkdtempSync, readdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const reportDir = mkdtempSync(join(tmpdir(), 'ovms-validate-int-'));
    // An earlier run's verdict files must not survive an interrupted run.
    writeFileSync(join(reportDir, 'junit.xml'), '<testsuites/>');
    writeFileSync(join(reportDir, 'summary.md'), '# an earlier PASS');
    const proc = spawn(process.execPath, ['scripts/ovms-validate.mjs', ...standInUser, '--report-dir', reportDir], { cwd: new URL('../../', import.meta.url) });
    let stderr = '';
    await new Promise<void>((resolve) => {
      proc.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('server ready in')) resolve();
      });
    });
    const runLabel = execFileSync('docker', ['ps', '-q', '--filter', `label=io.ovms-validate.owner=${(await import('node:os')).hostname()}:${proc.pid}`]).toString().trim();
    expect(runLabel).not.toBe('');
    proc.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(130);
    expect(execFileSync('docker', ['ps', '-aq', '--filter', `label=io.ovms-validate.owner=${(await import('node:os')).hostname()}:${proc.pid}`]).toString().trim()).toBe('');
    expect(readdirSync(reportDir)).toEqual(['report.json']);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'));
    expect(report.endReason).toBe('interrupted');
    expect(report.endDetail).toContain('SIGINT');
    expect(report.checks).toEqual([]);
  });
});
