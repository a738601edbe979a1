// limits.rest-oversize and its refusal rule: 413, closed before the body was complete, a reset after
// the last byte; a body taken or a timeout is not a refusal.
import { describe, expect, it } from 'vitest';
import { restRefusal } from '../../probes/oversize-rest.js';
import { GiB, live, MiB, rest } from '../../../test/support/s3-fixtures.js';
import { judgeRestOversize } from './rest-oversize.js';

describe('limits.rest-oversize', () => {
  it.each([
    ['413', rest({ status: 413 }), true],
    ['closed before the body was complete', rest({ closedBeforeBodyDone: true, connectionError: 'EPIPE', bytesSent: 8 * MiB }), true],
    ['reset with no answer after every byte went to the socket', rest({ connectionError: 'ECONNRESET', bytesSent: GiB + 1 }), true],
    ['400: the body was taken', rest({ status: 400, bytesSent: GiB + 1 }), false],
    ['a timeout', rest({ connectionError: 'no answer within 600 s' }), false],
  ])('%s', (_n, r, refused) => {
    expect(restRefusal(r).refused).toBe(refused);
    const j = judgeRestOversize({ limit: GiB, headerProbe: false, sent: r, alive: live });
    expect(j.verdict).toBe(refused ? 'pass' : 'violated');
    expect(j.verdict !== 'skip' && j.verdict !== 'error' && (j.evidence.observed as { refused: boolean }).refused).toBe(refused);
  });
});
