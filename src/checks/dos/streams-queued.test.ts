// dos.streams-queued: calls seen in the server (gauge, or completion waves without /metrics) at most
// the limit at once; inconclusive when neither shows it; the thread cap named when it refused.
import { describe, expect, it } from 'vitest';
import { UNLIMITED_STREAMS } from '../../protocol/stream-settings.js';
import { completionWaves, usableStreamLimit } from './common.js';
import { judgeStreamsQueued } from './streams-queued.js';
import { said } from '../../../test/support/judgement.js';

describe('dos.streams-queued', () => {
  const ok = (n: number, per = 3, serviceMs = 500) => Array.from({ length: n }, (_, i) => ({ ok: true, ms: serviceMs * (Math.floor(i / per) + 1) + (i % per), status: 'OK' }));
  const sampled = (peak: number | null) => ({ peaks: (peak === null ? {} : { ovms_current_requests: peak }) as Record<string, number>, samples: 50, everyMs: 10, absent: null });
  const absent = { peaks: {}, samples: 0, everyMs: 10, absent: '/metrics did not answer 200 (40 tries)' };
  it('passes on calls seen in the server at most the limit at once', () => {
    expect(judgeStreamsQueued({ limit: 3, calls: ok(9), gauges: sampled(3) }).verdict).toBe('pass');
  });
  it('without /metrics, passes on completion waves of at most the limit and names what was missing', () => {
    const j = judgeStreamsQueued({ limit: 3, calls: ok(9), gauges: absent });
    expect(j.verdict).toBe('pass');
    expect(said(j)).toContain('3 waves of at most 3 (/metrics did not answer 200');
  });
  it('is inconclusive (warn), never pass, when neither /metrics nor the waves show the queueing', () => {
    // Too fast for waves, and no gauge.
    expect(judgeStreamsQueued({ limit: 3, calls: ok(9, 3, 2), gauges: absent }).verdict).toBe('warn');
    // The gauge never saw a call, and the waves are larger than the limit.
    const j = judgeStreamsQueued({ limit: 3, calls: ok(9, 6), gauges: sampled(0) });
    expect(j.verdict).toBe('warn');
    expect(said(j)).toContain('inconclusive');
    // All in one wave.
    expect(judgeStreamsQueued({ limit: 3, calls: ok(9, 9), gauges: absent }).verdict).toBe('warn');
  });
  it('names the thread cap when it refused the calls, and fails a gauge above the limit', () => {
    const capped = [...ok(2), { ok: false, ms: 5, status: 'RESOURCE_EXHAUSTED Server Threadpool Exhausted' }];
    const j = judgeStreamsQueued({ limit: 2, calls: capped, gauges: sampled(1) });
    expect(j.verdict === 'violated' && j.summary).toContain('refused by the thread cap (--grpc_max_threads');
    expect(judgeStreamsQueued({ limit: 2, calls: ok(6, 2), gauges: sampled(5) }).verdict).toBe('violated');
    expect(judgeStreamsQueued({ limit: 2, calls: ok(6, 2), gauges: absent }).verdict).toBe('pass');
    expect(judgeStreamsQueued({ limit: 2, calls: [...ok(5, 2), { ok: false, ms: 9, status: 'UNAVAILABLE reset' }], gauges: absent }).verdict).toBe('violated');
  });
  it('skips naming dos.channel-args with no limit or a limit of 0', () => {
    for (const limit of [0, UNLIMITED_STREAMS]) {
      const j = judgeStreamsQueued({ limit, calls: [], gauges: absent });
      expect(j.verdict === 'skip' && j.reason).toContain('see dos.channel-args');
    }
    expect(usableStreamLimit(2)).toBeNull();
  });
  it('splits completion times into waves at gaps over half the first completion', () => {
    expect(completionWaves([100, 101, 205, 206, 310])).toEqual([2, 2, 1]);
    expect(completionWaves([3, 4, 7])).toBeNull();
    expect(completionWaves([])).toBeNull();
  });
});
