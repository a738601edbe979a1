// dos.memory-quota: the probe's sizing and RST_STREAM 11 cutting 1 of 3 or 3 of 3 (grpc-core-behaviour
// section 3).
import { describe, expect, it } from 'vitest';
import { GiB, grpc, live, MiB, running } from '../../../test/support/s3-fixtures.js';
import { judgeMemoryQuota, quotaProbe, QUOTA_MIN_REQUEST } from './memory-quota.js';

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
    expect(judgeMemoryQuota({ quota: 2 * GiB, quotaConfigured: false, per: 768 * MiB, results: res(cut, of), mem: null, after: running, alive: live }).verdict).toBe(verdict);
  });
});
