// Weakened deployments of the stand-in: each missing hardening flag trips its own check, and a
// server that never becomes ready is one failure, not a cascade.
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cleanExpectation, runCli, standIn, verdicts } from '../support/cli.js';

const standInUser = standIn('--user', '1000:1000');
const TIMEOUT = 120_000;

describe('weakened deployments', { timeout: TIMEOUT }, () => {
  const hardeningOnly = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith('hardening.')));
  const cleanHardening = hardeningOnly(cleanExpectation());

  it('each hardening flag left out trips its own check (read-only, tmpfs, read-only models, no-new-privileges)', async () => {
    const run = await runCli([...standInUser, '--only', 'hardening', '--no-read-only', '--no-tmpfs', '--no-models-read-only', '--no-block-new-privileges']);
    expect(run.code).toBe(1);
    expect(hardeningOnly(verdicts(run.report))).toEqual({
      ...cleanHardening, 'hardening.read-only-rootfs': 'fail', 'hardening.tmp-writable': 'fail', 'hardening.models-read-only': 'warn',
      'hardening.no-new-privileges': 'warn', 'hardening.starts-read-only': 'skip',
    });
    const skip = run.report!.checks.find((c) => c.id === 'hardening.starts-read-only')!;
    expect(skip.verdict === 'skip' && skip.reason).toContain('not started with --read-only (see hardening.read-only-rootfs); not started with --tmpfs /tmp (see hardening.tmp-writable)');
    const removed = run.report!.target.deviations.filter((d) => d.change === 'removed').map((d) => d.what);
    expect(removed).toEqual(expect.arrayContaining(['--read-only', '--tmpfs /tmp']));
  });

  it.runIf(process.getuid?.() === 0)('under root the default --user is 0:0: override-uid fails saying so, and without --cap-drop ALL the server holds capabilities', async () => {
    const run = await runCli([...standIn(), '--only', 'hardening', '--no-cap-drop-all']);
    const v = hardeningOnly(verdicts(run.report));
    expect(v).toEqual({ ...cleanHardening, 'hardening.override-uid': 'fail', 'hardening.no-capabilities': 'warn', 'hardening.starts-read-only': 'skip' });
    const c = run.report!.checks.find((x) => x.id === 'hardening.override-uid')!;
    expect(c.verdict === 'fail' && c.summary).toContain("--user defaulted to the invoking user's uid:gid, and this run is under root");
  });

  it('a server that never becomes ready fails hardening.starts-read-only once; live-server checks skip naming it', async () => {
    const run = await runCli([...standInUser, '--model-path', '/models/does-not-exist/', '--startup-timeout', '30']);
    expect(run.code).toBe(1);
    const v = verdicts(run.report);
    expect(v['hardening.starts-read-only']).toBe('fail');
    expect(v['hardening.image-user']).toBe('pass');
    for (const id of ['hardening.default-uid', 'hardening.override-uid', 'hardening.read-only-rootfs', 'hardening.tmp-writable']) {
      expect(v[id]).toBe('skip');
      const c = run.report!.checks.find((x) => x.id === id)!;
      expect(c.verdict === 'skip' && c.reason).toContain('see hardening.starts-read-only');
    }
    const c = run.report!.checks.find((x) => x.id === 'hardening.starts-read-only')!;
    expect(c.evidence!.items.join('\n')).toContain("Couldn't start model manager");
  });
});

describe('command line and environment', { timeout: TIMEOUT }, () => {
  it('--help teaches the options, their environment variables and the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const s of ['--target KIND', 'OVMS_USER', '--stand-in-faults', 'Exit codes']) expect(run.stdout).toContain(s);
  });

  it('an image that is absent and cannot be pulled exits 3 and names --target stand-in', async () => {
    const run = await runCli(['--image', 'ovms-validate-test/absent:never', '--models-dir', 'fixtures/models', '--model-name', 'dummy', '--user', '1000:1000']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot be pulled');
    expect(run.stderr).toContain('--target stand-in');
    // A run that ends without verdicts leaves a report.json that says so, and no verdict files.
    expect(run.report).toMatchObject({ endReason: 'environment', checks: [] });
    expect(run.report!.endDetail).toContain('cannot be pulled');
  });

  it('a container run fills models/ first; --offline with an empty cache stops there with exit 3', async () => {
    const { existsSync } = await import('node:fs');
    const cached = existsSync(new URL('../../models/resnet/1/resnet50-binary-0001.bin', import.meta.url));
    const run = await runCli(['--user', '1000:1000', '--offline']);
    if (cached) return; // a developer machine with a filled cache goes on to the image
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('resnet50-binary-0001.xml: models/resnet/1/resnet50-binary-0001.xml is not in the cache and --offline forbids downloading');
    expect(run.report).toMatchObject({ endReason: 'environment', checks: [] });
  });

  it('a later run removes containers left over by a run that died', async () => {
    const image = execFileSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', 'ovms-validate-stand-in']).toString().split('\n')[0]!;
    const id = execFileSync('docker', ['create', '--label', 'io.ovms-validate.managed=true', '--label', `io.ovms-validate.owner=${hostname()}:999999999`, image, '--version']).toString().trim();
    const run = await runCli([...standInUser, '--only', 'hardening.image-user']);
    expect(run.code).toBe(0);
    // Another test file's run may have removed it first (files run in parallel); either way it must be gone.
    expect(execFileSync('docker', ['ps', '-aq', '--filter', `id=${id}`]).toString().trim()).toBe('');
  });
});
