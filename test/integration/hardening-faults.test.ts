// The fault matrix of the hardening suite against the stand-in: the clean stand-in passes every
// check, and each fault (a stand-in fault or a weakened deployment) trips exactly its check.
import { describe, expect, it } from 'vitest';
import { hardeningExpectation, runCli, verdicts } from '../support/cli.js';

const standIn = ['--target', 'stand-in', '--user', '1000:1000'];
const TIMEOUT = 120_000;

describe('hardening on the stand-in', { timeout: TIMEOUT }, () => {
  it('the clean stand-in passes every hardening check and exits 0', async () => {
    const run = await runCli(standIn);
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual(hardeningExpectation());
    expect(run.report!.target).toMatchObject({ kind: 'stand-in', standIn: true, user: '1000:1000' });
    expect(run.stdout.split('\n')[0]).toContain('STAND-IN');
    const uid = run.report!.checks.find((c) => c.id === 'hardening.default-uid')!;
    expect(uid.verdict === 'pass' && uid.evidence.items.join('\n')).toContain('Uid: 5000 (real 5000, effective 5000, saved 5000, fs 5000)');
  });

  it.each([
    ['image-root-user', { 'hardening.image-user': 'fail', 'hardening.default-uid': 'fail' }],
    ['writes-rootfs-at-start', { 'hardening.starts-read-only': 'fail' }],
    ['tmp-not-writable', { 'hardening.tmp-writable': 'fail' }],
  ])('fault %s trips exactly its checks', async (fault, expected) => {
    const run = await runCli([...standIn, '--stand-in-faults', fault]);
    expect(run.code, run.stderr).toBe(1);
    expect(verdicts(run.report)).toEqual(hardeningExpectation(expected));
    expect(run.report!.target.standInFaults).toEqual([fault]);
  });
});
