// limits.grpc-at-limit: a content error at exactly the limit is fine, a size refusal is not.
import { describe, expect, it } from 'vitest';
import { GiB, grpc, live } from '../../../test/support/s3-fixtures.js';
import { judgeGrpcAtLimit } from './grpc-at-limit.js';

describe('limits.grpc-at-limit', () => {
  it('a content error at exactly the limit is fine, a size refusal is not', () => {
    expect(judgeGrpcAtLimit({ limit: GiB, describe: 'r', sent: grpc({ grpcStatus: 3, grpcMessage: 'Invalid input' }), alive: live }).verdict).toBe('pass');
    expect(judgeGrpcAtLimit({ limit: GiB, describe: 'r', sent: grpc({ grpcStatus: 8, grpcMessage: 'Received message larger than max (1073741824 vs. 536870912)' }), alive: live }).verdict).toBe('violated');
  });
});
