// The dos checks against the stand-in (nightly, 48 MiB messages, 64 MiB memory quota): each fault
// trips exactly its checks among those it can reach (dos, and inference after it), and a crash is
// one failure plus dos.recovery, not a cascade. The clean nightly run (clean-profiles) covers the rest.
import { describe, expect, it } from 'vitest';
import { cleanExpectation, inAreas, NIGHTLY_DOS, NIGHTLY_PASS, runCli, standIn, verdicts } from '../support/cli.js';

const nightly = standIn('--user', '1000:1000', ...NIGHTLY_DOS);
/** The dos faults reach the dos checks and, when the server dies, the inference checks after them. */
const AREAS = ['dos', 'inference'];
const expectFor = (o: Record<string, string>) => cleanExpectation({ ...NIGHTLY_PASS, ...o });

describe('dos on the stand-in', { timeout: 240_000 }, () => {
  it.each([
    ['wrong-max-streams', [], { 'dos.max-concurrent-streams': 'fail' }],
    ['no-thread-cap', [], { 'dos.thread-cap': 'fail' }],
    ['no-memory-quota', [], { 'dos.memory-quota': 'fail' }],
    ['streams-metric-wrong', ['--server-arg=--plugin_config', '--server-arg={"NUM_STREAMS":"1"}'], { 'dos.inference-parallelism': 'fail' }],
    // No stream limit: every check that divides by it skips, naming dos.channel-args.
    ['channel-args-nonnumeric', [], { 'dos.channel-args': 'fail', 'dos.max-concurrent-streams': 'skip', 'dos.streams-queued': 'skip', 'dos.thread-cap': 'skip', 'dos.inference-parallelism': 'skip' }],
    ['rest-flood-crash', [], { 'dos.rest-flood': 'fail', 'dos.recovery': 'fail', 'inference.health': 'skip', 'inference.model-metadata': 'skip', 'inference.bad-requests': 'skip' }],
    ['crash-under-flood', [], {
      'dos.thread-cap': 'fail', 'dos.recovery': 'fail',
      'dos.memory-quota': 'skip', 'dos.inference-parallelism': 'skip', 'dos.rest-flood': 'skip',
      'inference.health': 'skip', 'inference.model-metadata': 'skip', 'inference.bad-requests': 'skip',
    }],
  ])('fault %s trips exactly its checks', async (fault, extra, expected) => {
    const run = await runCli([...nightly, ...extra, '--only', AREAS.join(','), '--stand-in-faults', fault]);
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(inAreas(expectFor(expected), AREAS));
    // The exit code is read once the process has stopped: read while it is dying, it shows 0.
    const crashed = { 'crash-under-flood': 'dos.thread-cap', 'rest-flood-crash': 'dos.rest-flood' }[fault as string];
    if (fault === 'channel-args-nonnumeric') {
      for (const id of ['dos.max-concurrent-streams', 'dos.streams-queued', 'dos.thread-cap', 'dos.inference-parallelism']) {
        const c = run.report!.checks.find((x) => x.id === id)!;
        expect(c.verdict === 'skip' && c.reason, id).toContain('dos.channel-args');
      }
    }
    if (crashed) {
      const c = run.report!.checks.find((x) => x.id === crashed)!;
      expect(c.verdict === 'fail' && c.summary).toMatch(/exit (code )?134/);
    }
  });

  it('a thread cap below the stream limit makes calls fail instead of queueing: dos.streams-queued fails', async () => {
    const run = await runCli(standIn('--user', '1000:1000', '--server-arg=--grpc_max_threads', '--server-arg=2', '--only', 'dos.streams-queued'));
    const c = run.report!.checks.find((x) => x.id === 'dos.streams-queued')!;
    expect(c.verdict).toBe('fail');
    expect(c.verdict === 'fail' && c.summary).toContain('Server Threadpool Exhausted');
  });
});
