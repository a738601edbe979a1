// The limits checks against the stand-in with its limit lowered to 8 MiB: each fault trips exactly its
// check among those it can reach (limits and everything after), a server with another limit is caught.
import { describe, expect, it } from 'vitest';
import { cleanExpectation, FAST_LIMIT, inAreas, runCli, standIn, verdicts } from '../support/cli.js';

const user = ['--user', '1000:1000'];
/** The limits faults reach the limits checks and, when the server dies, every check after them. */
const AREAS = ['limits', 'dos', 'inference'];

describe('limits on the stand-in (8 MiB limit)', { timeout: 180_000 }, () => {
  it.each([
    ['grpc-no-size-limit', { 'limits.grpc-oversize': 'fail' }],
    ['rest-no-size-limit', { 'limits.rest-oversize': 'fail' }],
    ['oversize-crash', {
      'limits.grpc-oversize': 'fail', 'limits.rest-oversize': 'skip',
      // dos.channel-args needs only the command line: it judges a server that is gone.
      'dos.max-concurrent-streams': 'skip', 'dos.streams-queued': 'skip',
      'inference.health': 'skip', 'inference.model-metadata': 'skip', 'inference.bad-requests': 'skip',
    }],
  ])('fault %s trips exactly its check', async (fault, expected) => {
    const run = await runCli(standIn(...user, '--only', AREAS.join(','), '--stand-in-faults', fault));
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(inAreas(cleanExpectation(expected), AREAS));
    // Skipped by design, whatever the server does: by profile, or the proxy checks outside proxy mode.
    const byProfile = (id: string) => id.startsWith('exposure.proxy-') || id === 'hardening.cloud-storage-tmp' || id === 'inference.classify-sample' || id.endsWith('at-limit') || id === 'limits.grpc-buffering' || ['dos.thread-cap', 'dos.memory-quota', 'dos.inference-parallelism', 'dos.rest-flood', 'dos.recovery'].includes(id);
    for (const c of run.report!.checks.filter((x) => x.verdict === 'skip' && !byProfile(x.id) && AREAS.includes(x.area))) {
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

  it('a server whose limit is below the expected one fails the at-limit checks and limits.grpc-oversize, naming both limits', async () => {
    const run = await runCli(['--target', 'stand-in', ...user, '--profile', 'nightly', '--message-limit', String(FAST_LIMIT), '--stand-in-message-limit', String(FAST_LIMIT / 2), '--only', 'limits.grpc-oversize,limits.grpc-at-limit,limits.rest-at-limit']);
    const v = verdicts(run.report);
    expect([v['limits.grpc-oversize'], v['limits.grpc-at-limit'], v['limits.rest-at-limit']]).toEqual(['fail', 'fail', 'fail']);
    const g = run.report!.checks.find((x) => x.id === 'limits.grpc-at-limit')!;
    expect(g.verdict === 'fail' && g.summary).toContain(`Received message larger than max (${FAST_LIMIT} vs. ${FAST_LIMIT / 2})`);
    const c = run.report!.checks.find((x) => x.id === 'limits.grpc-oversize')!;
    expect(c.verdict === 'fail' && c.summary).toBe(`the server's limit is ${FAST_LIMIT / 2} bytes, not the expected ${FAST_LIMIT}`);
  });
});
