// The fault matrix of the hardening suite against the stand-in: each fault trips exactly its
// checks (the clean run is in clean-profiles.test.ts); signals remove the run's containers.
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/report/write-json.js';
import { cleanExpectation, inAreas, runCli, runCompareCli, standIn, verdicts } from '../support/cli.js';
import { sampleReport } from '../support/sample-report.js';

const standInUser = standIn('--user', '1000:1000');
/** The image and start-up faults reach what looks at the image and the container: hardening, the page's command, exposure. */
const AREAS = ['hardening', 'page', 'exposure'];
const TIMEOUT = 120_000;

describe('hardening on the stand-in', { timeout: TIMEOUT }, () => {
  it.each([
    ['image-root-user', { 'hardening.image-user': 'fail', 'hardening.default-uid': 'fail' }],
    ['writes-rootfs-at-start', { 'hardening.starts-read-only': 'fail' }],
    ['tmp-not-writable', { 'hardening.tmp-writable': 'fail' }],
  ])('fault %s trips exactly its checks', async (fault, expected) => {
    const run = await runCli([...standInUser, '--only', AREAS.join(','), '--stand-in-faults', fault]);
    expect(run.code, run.stderr).toBe(1);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(inAreas(cleanExpectation(expected), AREAS));
    expect(run.report!.target.standInFaults).toEqual([fault]);
  });
});

describe('interruption', { timeout: TIMEOUT }, () => {
  it.each([
    ['SIGINT', 130, 'suites'], ['SIGTERM', 143, 'ready'], ['SIGHUP', 129, 'ready'],
  ] as const)('%s removes the run\'s containers, exits %i and leaves only a report.json saying so', async (signal, exitCode, when) => {
    const { spawn, execFileSync } = await import('node:child_process');
    const { mkdtempSync, readdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const { hostname, tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const reportDir = mkdtempSync(join(tmpdir(), 'ovms-validate-int-'));
    // An earlier run's verdict files must not survive an interrupted run.
    writeFileSync(join(reportDir, 'report.json'), JSON.stringify({ tool: { name: 'ovms-validate' }, decision: { line: 'READY: an earlier run' } }));
    writeFileSync(join(reportDir, 'junit.xml'), '<testsuites/>');
    writeFileSync(join(reportDir, 'summary.md'), '# an earlier PASS');
    const proc = spawn(process.execPath, ['scripts/ovms-validate.mjs', ...standInUser, '--report-dir', reportDir], { cwd: new URL('../../', import.meta.url) });
    let stderr = '';
    // SIGINT while the checks run (the suites process gets it too), the others once the server is ready.
    const marker = when === 'ready' ? 'server ready in' : 'PASS  hardening.image-user';
    await new Promise<void>((resolve) => {
      proc.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes(marker)) resolve();
      });
    });
    const owned = (): string => execFileSync('docker', ['ps', '-aq', '--filter', `label=io.ovms-validate.owner=${hostname()}:${proc.pid}`]).toString().trim();
    expect(owned()).not.toBe('');
    proc.kill(signal);
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(exitCode);
    expect(owned()).toBe('');
    expect(readdirSync(reportDir).sort()).toEqual(['.ovms-validate-report.json', 'report.json']);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'));
    expect(report.endReason).toBe('interrupted');
    expect(report.endDetail).toContain(signal);
    expect(report.checks).toEqual([]);
    // compare sees the dead night: a clean report against this interrupted one is a regression.
    const clean = mkdtempSync(join(tmpdir(), 'ovms-validate-clean-'));
    writeFileSync(join(clean, 'report.json'), writeJson(sampleReport()));
    const c = await runCompareCli([clean, reportDir]);
    expect(c.code, c.stderr).toBe(1);
    expect(c.stdout).toContain(`WORSE  the new run: the new run did not complete (interrupted: ended by ${signal}`);
  });
});
