// The limits suite against the stand-in with its limit lowered to 8 MiB: clean passes (quick and
// nightly), each fault trips exactly its check, a server with another limit is caught.
import { describe, expect, it } from 'vitest';
import { cleanExpectation, FAST_LIMIT, NIGHTLY_DOS, NIGHTLY_LIMIT, NIGHTLY_PASS, NOT_BUFFERING, runCli, standIn, verdicts } from '../support/cli.js';

const user = ['--user', '1000:1000'];

describe('limits on the stand-in (8 MiB limit)', { timeout: 180_000 }, () => {
  it('nightly: all four limits checks pass with the sizes in the evidence (48 MiB limit)', async () => {
    const run = await runCli(standIn(...user, ...NIGHTLY_DOS, '--exclude', NOT_BUFFERING));
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual(cleanExpectation(NIGHTLY_PASS));
    const byId = Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));
    expect(byId['limits.grpc-oversize']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT + 1, grpcStatus: 8, reportedSize: NIGHTLY_LIMIT + 1, reportedLimit: NIGHTLY_LIMIT, liveAfterwards: true });
    expect(byId['limits.grpc-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT, grpcStatus: 3 });
    expect(byId['limits.rest-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT, status: 400 });
    // Streaming the full body, the client may see the connection closed (EPIPE) before it reads the
    // 413, or a reset after all bytes went into socket buffers: the check's own refusal rule
    // (src/probes/oversize-rest.ts restRefusal, unit-tested) decides, and the evidence records it.
    const rest = byId['limits.rest-oversize']!.evidence!.observed as { refused: boolean; bytesSent: number; status: number | null };
    expect(rest.refused).toBe(true);
    expect(rest.bytesSent).toBeLessThanOrEqual(NIGHTLY_LIMIT + 1);
    if (rest.status !== null) expect(rest.status).toBe(413);
  });

  it('quick: the REST probe is header-first and sends no body byte', async () => {
    const run = await runCli(standIn(...user, '--only', 'limits.rest-oversize'));
    const c = run.report!.checks.find((x) => x.id === 'limits.rest-oversize')!;
    expect(c.verdict).toBe('pass');
    expect(c.evidence!.observed).toMatchObject({ status: 413, bytesSent: 0, continueReceived: false });
  });

  it.each([
    ['grpc-no-size-limit', { 'limits.grpc-oversize': 'fail' }],
    ['rest-no-size-limit', { 'limits.rest-oversize': 'fail' }],
    ['oversize-crash', {
      'limits.grpc-oversize': 'fail', 'limits.rest-oversize': 'skip',
      'dos.max-concurrent-streams': 'skip', 'dos.streams-queued': 'skip', 'dos.channel-args': 'skip',
      'inference.health': 'skip', 'inference.model-metadata': 'skip', 'inference.bad-requests': 'skip',
    }],
  ])('fault %s trips exactly its check', async (fault, expected) => {
    const run = await runCli(standIn(...user, '--stand-in-faults', fault));
    expect(run.code).toBe(1);
    expect(verdicts(run.report)).toEqual(cleanExpectation(expected));
    const byProfile = (id: string) => id === 'inference.classify-sample' || id.endsWith('at-limit') || id === 'limits.grpc-buffering' || ['dos.thread-cap', 'dos.memory-quota', 'dos.inference-parallelism', 'dos.rest-flood', 'dos.recovery'].includes(id);
    for (const c of run.report!.checks.filter((x) => x.verdict === 'skip' && !byProfile(x.id))) {
      expect(c.verdict === 'skip' && c.reason).toContain('the server stopped during limits.grpc-oversize (state exited, exit code 137)');
    }
  });

  it('limits.grpc-buffering warns on a buffering server and passes on one that refuses from the prefix', async () => {
    const buffering = await runCli(standIn(...user, '--profile', 'nightly', '--only', 'limits.grpc-buffering'));
    const early = await runCli(standIn(...user, '--profile', 'nightly', '--only', 'limits.grpc-buffering,limits.grpc-oversize', '--stand-in-faults', 'oversize-early-reject'));
    const b = buffering.report!.checks.find((x) => x.id === 'limits.grpc-buffering')!;
    const e = early.report!.checks.find((x) => x.id === 'limits.grpc-buffering')!;
    expect(b.verdict).toBe('warn');
    expect((b.evidence!.observed as { growthBytes: number }).growthBytes).toBeGreaterThan(FAST_LIMIT * 0.1);
    expect(e.verdict).toBe('pass');
    expect(verdicts(early.report)['limits.grpc-oversize']).toBe('pass');
  });

  it('a server whose limit is below the expected one fails both at-limit checks', async () => {
    const run = await runCli(['--target', 'stand-in', ...user, '--profile', 'nightly', '--message-limit', String(FAST_LIMIT), '--stand-in-message-limit', String(FAST_LIMIT / 2), '--only', 'limits.grpc-at-limit,limits.rest-at-limit']);
    const v = verdicts(run.report);
    expect(v['limits.grpc-at-limit']).toBe('fail');
    expect(v['limits.rest-at-limit']).toBe('fail');
    const g = run.report!.checks.find((x) => x.id === 'limits.grpc-at-limit')!;
    expect(g.verdict === 'fail' && g.summary).toContain(`Received message larger than max (${FAST_LIMIT} vs. ${FAST_LIMIT / 2})`);
  });

  it('a server whose limit differs from the expected one fails limits.grpc-oversize, naming both', async () => {
    const run = await runCli(['--target', 'stand-in', ...user, '--message-limit', String(FAST_LIMIT), '--stand-in-message-limit', String(FAST_LIMIT / 2), '--only', 'limits.grpc-oversize']);
    const c = run.report!.checks.find((x) => x.id === 'limits.grpc-oversize')!;
    expect(c.verdict).toBe('fail');
    expect(c.verdict === 'fail' && c.summary).toBe(`the server's limit is ${FAST_LIMIT / 2} bytes, not the expected ${FAST_LIMIT}`);
  });
});
