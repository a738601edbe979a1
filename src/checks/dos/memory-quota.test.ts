// dos.memory-quota: the probe's sizing and RST_STREAM 11 cutting 1 of 3 or 3 of 3 (grpc-core-behaviour
// section 3).
import { describe, expect, it } from 'vitest';
import { GiB, grpc, live, MiB, running } from '../../../test/support/s3-fixtures.js';
import { judgeMemoryQuota, quotaProbe, quotaSource, QUOTA_MIN_REQUEST } from './memory-quota.js';
import { said, shown } from '../../../test/support/judgement.js';

describe('dos.memory-quota', () => {
  it('sizes each request at 32 MiB or more and the total at 2.25 x the quota or more', () => {
    for (const [quota, limit] of [[2 * GiB, GiB], [64 * MiB, 48 * MiB], [16 * MiB, GiB], [256 * MiB, GiB]] as const) {
      const p = quotaProbe(quota, limit);
      expect('per' in p).toBe(true);
      if ('per' in p) {
        expect(p.per).toBeGreaterThanOrEqual(QUOTA_MIN_REQUEST);
        expect(p.per).toBeLessThan(limit);
        expect(p.per * p.count).toBeGreaterThanOrEqual(2.25 * quota);
      }
    }
    expect(quotaProbe(64 * MiB, 8 * MiB)).toHaveProperty('unsizable');
  });
  const res = (cut: number, of: number) => Array.from({ length: of }, (_, i) => (i < cut
    ? grpc({ announced: 768 * MiB, bytesSent: 500 * MiB, rstCode: 11, grpcStatus: null, error: 'ERR_HTTP2_STREAM_ERROR' })
    : grpc({ announced: 768 * MiB, bytesSent: 768 * MiB, grpcStatus: 3, grpcMessage: 'Invalid input' })));
  it.each([[1, 3, 'pass'], [3, 3, 'pass'], [0, 3, 'violated']])('%i of %i cut -> %s', (cut, of, verdict) => {
    expect(judgeMemoryQuota({ source: { kind: 'default' }, quota: 2 * GiB, per: 768 * MiB, results: res(cut, of), mem: null, after: running, alive: live }).verdict).toBe(verdict);
  });
  it('fails an unset quota (0) from the command line, without a request, and says "unset (0)"', () => {
    const j = judgeMemoryQuota({ source: quotaSource(0, true), quota: 0, per: 0, results: [], mem: null, after: running, alive: live });
    expect(j.verdict).toBe('violated');
    expect(shown(j)).toContain('grpc_memory_quota unset (0)');
    expect(shown(j)).not.toContain('default 2 GiB');
  });
  it('with the quota unknown (no command line), nothing cut is inconclusive, a cut passes', () => {
    const unknown = { source: quotaSource(null, false), quota: 2 * GiB, per: 768 * MiB, mem: null, after: running, alive: live };
    expect(judgeMemoryQuota({ ...unknown, results: res(0, 6) }).verdict).toBe('warn');
    expect(judgeMemoryQuota({ ...unknown, results: res(1, 6) }).verdict).toBe('pass');
    expect(quotaSource(null, true)).toEqual({ kind: 'default' });
  });
  it('labels a memory peak from one or two stats samples as a reading, not a measurement', () => {
    const mem = (samples: number) => ({ samples, memoryBaselineBytes: 100 * MiB, memoryPeakBytes: 900 * MiB, cpuPeakPercent: null, memorySeries: [] });
    const one = judgeMemoryQuota({ source: { kind: 'default' }, quota: 2 * GiB, per: 768 * MiB, results: res(1, 3), mem: mem(1), after: running, alive: live });
    expect(said(one)).toContain('a single reading, not a measured peak');
    expect(one.evidence?.observed).toMatchObject({ memoryReadingBytes: 900 * MiB });
    const many = judgeMemoryQuota({ source: { kind: 'default' }, quota: 2 * GiB, per: 768 * MiB, results: res(1, 3), mem: mem(12), after: running, alive: live });
    expect(said(many)).toContain('peak 900 MiB over 12 Docker stats samples');
    expect(many.evidence?.observed).toMatchObject({ memoryPeakBytes: 900 * MiB });
  });
});
