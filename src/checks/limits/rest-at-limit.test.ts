// limits.rest-at-limit: a content error at exactly the limit is fine, 413 is not.
import { describe, expect, it } from 'vitest';
import { GiB, live, rest } from '../../../test/support/s3-fixtures.js';
import { judgeRestAtLimit } from './rest-at-limit.js';

describe('limits.rest-at-limit', () => {
  it('a content error at exactly the limit is fine, a size refusal is not', () => {
    expect(judgeRestAtLimit({ limit: GiB, headLength: 90, sent: rest({ status: 413 }), alive: live }).verdict).toBe('violated');
    expect(judgeRestAtLimit({ limit: GiB, headLength: 90, sent: rest({ status: 400, bytesSent: GiB }), alive: live }).verdict).toBe('pass');
  });
});
