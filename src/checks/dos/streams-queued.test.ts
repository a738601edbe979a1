// dos.streams-queued: calls seen in the server in waves of at most the limit; inconclusive when none
// was seen; the thread cap named when it refused.
import { describe, expect, it } from 'vitest';
import { UNLIMITED_STREAMS } from '../../probes/stream-settings.js';
import { usableStreamLimit } from './common.js';
import { judgeStreamsQueued } from './streams-queued.js';

describe('dos.streams-queued', () => {
  const ok = (n: number) => Array.from({ length: n }, (_, i) => ({ ok: true, ms: 500 * (Math.floor(i / 3) + 1), status: 'OK' }));
  it('passes only on calls seen in the server, in waves of at most the limit', () => {
    expect(judgeStreamsQueued({ limit: 3, calls: ok(9), peakInServer: 3, samples: 50 }).verdict).toBe('pass');
  });
  it('is inconclusive (warn), not pass, when no call was seen in the server', () => {
    const j = judgeStreamsQueued({ limit: 3, calls: ok(9), peakInServer: 0, samples: 50 });
    expect(j.verdict).toBe('warn');
    expect(j.verdict === 'warn' && j.summary).toContain('inconclusive');
  });
  it('names the thread cap when it refused the calls, and the stream limit otherwise', () => {
    const capped = [...ok(2), { ok: false, ms: 5, status: 'RESOURCE_EXHAUSTED Server Threadpool Exhausted' }];
    const j = judgeStreamsQueued({ limit: 2, calls: capped, peakInServer: 1, samples: 10 });
    expect(j.verdict === 'violated' && j.summary).toContain('refused by the thread cap (--grpc_max_threads');
    expect(judgeStreamsQueued({ limit: 2, calls: ok(6), peakInServer: 5, samples: 10 }).verdict).toBe('violated');
  });
  it('skips naming dos.channel-args with no limit or a limit of 0', () => {
    for (const limit of [0, UNLIMITED_STREAMS]) {
      const j = judgeStreamsQueued({ limit, calls: [], peakInServer: null, samples: 0 });
      expect(j.verdict === 'skip' && j.reason).toContain('see dos.channel-args');
    }
    expect(usableStreamLimit(2)).toBeNull();
  });
});
