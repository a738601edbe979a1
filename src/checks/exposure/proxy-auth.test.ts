// exposure.proxy-auth: only the valid credential is served, on each protocol.
import { describe, expect, it } from 'vitest';
import { judgeProxyAuth } from './proxy-auth.js';

describe('exposure.proxy-auth', () => {
  it('auth: only the valid credential is served, on each protocol', () => {
    const a = (protocol: 'REST' | 'gRPC', variant: 'none' | 'wrong' | 'valid', served: boolean) => ({ protocol, variant, how: variant, answer: served ? 'OK' : 'HTTP 400', served });
    expect(judgeProxyAuth(true, [a('REST', 'none', false), a('REST', 'wrong', false), a('REST', 'valid', true), a('gRPC', 'none', false), a('gRPC', 'valid', true)]).verdict).toBe('pass');
    const open = judgeProxyAuth(true, [a('REST', 'none', false), a('REST', 'valid', true), a('gRPC', 'none', true), a('gRPC', 'valid', true)]);
    expect(open.verdict === 'violated' && open.summary).toBe('gRPC serves a request with none');
    expect(judgeProxyAuth(true, [a('REST', 'valid', false)]).verdict).toBe('violated');
    expect(judgeProxyAuth(false, []).verdict).toBe('skip');
  });
});
