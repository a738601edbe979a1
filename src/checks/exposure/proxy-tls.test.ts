// exposure.proxy-tls on recorded handshakes: old versions refused, a verified certificate naming the host,
// ALPN h2 for gRPC.
import { describe, expect, it } from 'vitest';
import { hs, refused } from '../../../test/support/handshakes.js';
import { judgeProxyTls } from './proxy-tls.js';

describe('exposure.proxy-tls', () => {
  const ok = { protocol: 'REST' as const, address: 'https://127.0.0.1:8443', old: [refused('TLSv1'), refused('TLSv1.1')], modern: hs({ alpn: null }) };
  it('TLS: old versions refused, a verified certificate that names the host', () => {
    expect(judgeProxyTls([ok]).verdict).toBe('pass');
    expect(judgeProxyTls([{ ...ok, old: [hs({ offered: 'TLSv1', protocol: 'TLSv1' }), refused('TLSv1.1')] }]).verdict).toBe('violated');
    expect(judgeProxyTls([{ ...ok, modern: hs({ name: "does not name 127.0.0.1: IP: 127.0.0.1 is not in the cert's list" }) }]).verdict).toBe('violated');
    expect(judgeProxyTls([{ ...ok, modern: hs({ chain: 'does not verify: UNABLE_TO_VERIFY_LEAF_SIGNATURE' }) }]).verdict).toBe('violated');
    expect(judgeProxyTls([{ ...ok, protocol: 'gRPC', modern: hs({ alpn: null }) }]).verdict).toBe('violated');
    expect(judgeProxyTls([]).verdict).toBe('skip');
  });
});
