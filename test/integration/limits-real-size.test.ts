// Once per self-test run, the real thing: 1 GiB + 1 and exactly 1 GiB on gRPC and REST.
import { describe, expect, it } from 'vitest';
import { runCli, verdicts } from '../support/cli.js';

const GiB = 1073741824;
const byIdOf = (run: Awaited<ReturnType<typeof runCli>>) => Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));

describe('limits at the real 1 GiB', { timeout: 600_000 }, () => {
  it('nightly limits pass against the stand-in with its real 1 GiB limit', async () => {
    const run = await runCli(['--target', 'stand-in', '--user', '1000:1000', '--profile', 'nightly', '--only', 'limits']);
    expect(run.code, run.stderr).toBe(0);
    const v = verdicts(run.report);
    for (const id of ['limits.grpc-oversize', 'limits.rest-oversize', 'limits.grpc-at-limit', 'limits.rest-at-limit']) expect(v[id]).toBe('pass');
    // gRPC core (and the stand-in) buffer the whole 1 GiB before refusing: a warn with the figure.
    expect(v['limits.grpc-buffering']).toBe('warn');
    expect((byIdOf(run)['limits.grpc-buffering']!.evidence!.observed as { growthBytes: number }).growthBytes).toBeGreaterThan(GiB / 2);
    const byId = Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));
    expect(byId['limits.grpc-oversize']!.evidence!.observed).toMatchObject({ bytesSent: GiB + 1, grpcStatus: 8, reportedSize: GiB + 1, reportedLimit: GiB });
    expect(byId['limits.grpc-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: GiB });
    expect(byId['limits.rest-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: GiB, status: 400 });
  });
});
