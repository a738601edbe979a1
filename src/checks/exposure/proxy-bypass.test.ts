// exposure.proxy-bypass: any answer from the server's own port is a finding; a refused connection is not.
import { describe, expect, it } from 'vitest';
import { judgeProxyBypass } from './proxy-bypass.js';

describe('exposure.proxy-bypass', () => {
  it("bypass: any answer from the server's own port is a finding; a refused connection is not", () => {
    expect(judgeProxyBypass(true, [{ protocol: 'REST', address: '127.0.0.1:8000', reachable: false, answer: 'no HTTP answer (ECONNREFUSED)' }]).verdict).toBe('pass');
    expect(judgeProxyBypass(true, [{ protocol: 'gRPC', address: '127.0.0.1:9178', reachable: true, answer: 'gRPC OK live=true' }]).verdict).toBe('violated');
    expect(judgeProxyBypass(true, []).verdict).toBe('skip');
  });
});
