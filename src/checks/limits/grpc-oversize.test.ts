// limits.grpc-oversize on gRPC core's answers at the limit (grpc-core-behaviour section 1).
import { describe, expect, it } from 'vitest';
import type { GrpcSendResult } from '../../probes/oversize-grpc.js';
import { dead, GiB, grpc, live } from '../../../test/support/s3-fixtures.js';
import { judgeGrpcOversize } from './grpc-oversize.js';

describe('limits.grpc-oversize', () => {
  const judge = (sent: GrpcSendResult, alive = live) => judgeGrpcOversize({ limit: GiB, describe: 'req', sent, alive });
  it("passes gRPC core's answer at 1 GiB + 1 (facts section 1)", () => {
    expect(judge(grpc({ grpcStatus: 8, grpcMessage: 'Received message larger than max (1073741825 vs. 1073741824)' })).verdict).toBe('pass');
  });
  it.each([
    ['the gRPC default 4 MiB instead of 1 GiB', grpc({ grpcStatus: 8, grpcMessage: 'Received message larger than max (1073741825 vs. 4194304)' }), "the server's limit is 4194304"],
    ['a model validation error: the message reached the handler', grpc({ grpcStatus: 3, grpcMessage: 'Invalid input shape' }), 'was not refused for its size'],
    ['OK', grpc({ grpcStatus: 0 }), 'was not refused for its size'],
    ['a truncated-message error, not a size rejection', grpc({ grpcStatus: 13, grpcMessage: "Couldn't initialize byte buffer reader" }), 'was not refused'],
  ])('fails %s', (_n, sent, text) => {
    const j = judge(sent);
    expect(j.verdict).toBe('violated');
    expect(j.verdict === 'violated' && j.summary).toContain(text);
  });
  it('fails a server that died on the message', () => {
    expect(judge(grpc({ error: 'ECONNRESET' }), dead).verdict).toBe('violated');
  });
});
