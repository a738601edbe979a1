// limits.grpc-buffering: a warn with the figure when the server holds about the whole message
// (grpc-core-behaviour section 1: RSS 1.1 GiB for 1 GiB + 1).
import { describe, expect, it } from 'vitest';
import { GiB, grpc, MiB } from '../../../test/support/s3-fixtures.js';
import { judgeGrpcBuffering } from './grpc-buffering.js';

describe('limits.grpc-buffering', () => {
  it('warns with the figure when the server held about the message (facts: RSS 1.1 GiB for 1 GiB + 1)', () => {
    const mem = { samples: 12, memoryBaselineBytes: 15 * MiB, memoryPeakBytes: 1126 * MiB, cpuPeakPercent: 90, memorySeries: [[0, 15 * MiB], [2.5, 1126 * MiB]] as [number, number][] };
    expect(judgeGrpcBuffering({ limit: GiB, sent: grpc({ grpcStatus: 8 }), mem }).verdict).toBe('warn');
    expect(judgeGrpcBuffering({ limit: GiB, sent: grpc({ grpcStatus: 8 }), mem: { ...mem, memoryPeakBytes: 20 * MiB } }).verdict).toBe('pass');
    expect(judgeGrpcBuffering({ limit: GiB, sent: grpc({}), mem: { ...mem, samples: 1 } }).verdict).toBe('error');
  });
});
