// dos.memory-headroom: a limit against quota + largest message + model; none warns; quantities read.
import { describe, expect, it } from 'vitest';
import { headroomOf, judgeHeadroom, quantityBytes } from './memory-headroom.js';
import { said } from '../../../test/support/judgement.js';

const Gi = 1024 ** 3;
describe('dos.memory-headroom', () => {
  it.each([
    ['4Gi limit, default quota, 100 MiB model: pass', headroomOf([], '4Gi', 100 * 1024 ** 2), 'pass', /leaves room/],
    ['a limit equal to the quota: fail', headroomOf([], '2Gi', null), 'violated', /below the quota \+ the largest message/],
    ['a smaller quota fits a smaller limit', headroomOf(['--grpc_memory_quota', String(512 * 1024 ** 2)], '2Gi', 0), 'pass', /leaves room/],
    ['no limit: warn', headroomOf([], null, null), 'warn', /no memory limit/],
    ['quota 0: fail', headroomOf(['--grpc_memory_quota', '0'], '64Gi', null), 'violated', /no gRPC memory quota/],
    ['an unreadable quantity: inconclusive', headroomOf([], 'lots', null), 'warn', /inconclusive/],
    ['a live limit in bytes', headroomOf([], null, null, 8 * Gi), 'pass', /8192 MiB/],
  ] as const)('%s', (_n, o, verdict, text) => {
    const j = judgeHeadroom(o);
    expect(j.verdict).toBe(verdict);
    expect(said(j)).toMatch(text);
  });
  it.each([['512Mi', 512 * 1024 ** 2], ['2G', 2e9], ['1e9', 1e9], ['2147483648', 2 * Gi], ['1.5Gi', 1.5 * Gi], ['x', null]] as const)('reads %s', (q, bytes) => {
    expect(quantityBytes(q)).toBe(bytes);
  });
});
