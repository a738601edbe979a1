// The S2 judgements on recorded observations: Docker's port bindings, plaintext answers, CORS
// headers, TLS handshakes and the answers nginx gives each kind of client (deployment facts 3).
import { describe, expect, it } from 'vitest';
import { judgeBindScope, judgeCors, judgePlaintext, judgeProxyAuth, judgeProxyBypass, judgeProxyTls } from '../../src/judge/exposure.js';
import type { Handshake } from '../../src/probes/tls-probe.js';

const hs = (o: Partial<Handshake>): Handshake => ({ offered: 'TLSv1.2..TLSv1.3', accepted: true, protocol: 'TLSv1.3', alpn: 'h2', error: null, chain: 'chains to the given CA', name: 'names localhost', subject: 'CN=localhost', altNames: 'DNS:localhost', ...o });
const refused = (offered: string): Handshake => hs({ offered, accepted: false, protocol: null, alpn: null, error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', chain: null, name: null });

describe('exposure.bind-scope', () => {
  const base = { networkMode: 'bridge', grpcBind: '0.0.0.0 (default)', restBind: '0.0.0.0 (default)', serverPorts: { grpc: 9178, rest: 8000 } };
  it.each([
    ['loopback only', [{ containerPort: 9178, hostIp: '127.0.0.1', hostPort: '40000', role: 'gRPC' }], 'pass'],
    ['all interfaces (IPv4 and IPv6)', [{ containerPort: 9178, hostIp: '0.0.0.0', hostPort: '9178', role: 'gRPC' }, { containerPort: 9178, hostIp: '::', hostPort: '9178', role: 'gRPC' }], 'violated'],
    ['a specific address', [{ containerPort: 8000, hostIp: '10.0.0.5', hostPort: '8000', role: 'REST' }], 'pass'],
    ['nothing published', [], 'pass'],
  ] as const)('%s', (_n, published, verdict) => {
    expect(judgeBindScope({ ...base, published: [...published] }).verdict).toBe(verdict);
  });
  it('--network host judges the server\'s own bind flags', () => {
    expect(judgeBindScope({ ...base, networkMode: 'host', published: [] }).verdict).toBe('violated');
    expect(judgeBindScope({ ...base, networkMode: 'host', grpcBind: '127.0.0.1', restBind: '127.0.0.1,::1', published: [] }).verdict).toBe('pass');
  });
});

describe('exposure.plaintext and exposure.cors', () => {
  it('a plaintext answer is a finding; the nginx "plain HTTP request was sent to HTTPS port" 400 is not', () => {
    expect(judgePlaintext([{ protocol: 'REST', address: 'a', request: 'GET', answered: true, answer: 'HTTP 200' }]).verdict).toBe('violated');
    expect(judgePlaintext([{ protocol: 'REST', address: 'a', request: 'GET', answered: false, answer: 'HTTP 400 "The plain HTTP request was sent to HTTPS port"' }, { protocol: 'gRPC', address: 'b', request: 'ServerLive', answered: false, answer: 'gRPC UNAVAILABLE' }]).verdict).toBe('pass');
  });
  const cors = (allowOrigin: string | null, allowCredentials: string | null = null) => judgeCors({ origin: 'https://x.invalid', configured: null, answers: [{ request: 'preflight', status: 200, allowOrigin, allowCredentials, allowMethods: null }] });
  it.each([['*', 'violated'], ['https://x.invalid', 'violated'], [null, 'pass'], ['https://app.example', 'pass']] as const)('Allow-Origin %s -> %s', (o, v) => {
    expect(cors(o).verdict).toBe(v);
  });
});

describe('proxy mode', () => {
  const ok = { protocol: 'REST' as const, address: 'https://127.0.0.1:8443', old: [refused('TLSv1'), refused('TLSv1.1')], modern: hs({ alpn: null }) };
  it('TLS: old versions refused, a verified certificate that names the host', () => {
    expect(judgeProxyTls([ok]).verdict).toBe('pass');
    expect(judgeProxyTls([{ ...ok, old: [hs({ offered: 'TLSv1', protocol: 'TLSv1' }), refused('TLSv1.1')] }]).verdict).toBe('violated');
    expect(judgeProxyTls([{ ...ok, modern: hs({ name: 'does not name 127.0.0.1: IP: 127.0.0.1 is not in the cert\'s list' }) }]).verdict).toBe('violated');
    expect(judgeProxyTls([{ ...ok, modern: hs({ chain: 'does not verify: UNABLE_TO_VERIFY_LEAF_SIGNATURE' }) }]).verdict).toBe('violated');
    expect(judgeProxyTls([{ ...ok, protocol: 'gRPC', modern: hs({ alpn: null }) }]).verdict).toBe('violated');
    expect(judgeProxyTls([]).verdict).toBe('skip');
  });
  it('auth: only the valid credential is served, on each protocol', () => {
    const a = (protocol: 'REST' | 'gRPC', variant: 'none' | 'wrong' | 'valid', served: boolean) => ({ protocol, variant, how: variant, answer: served ? 'OK' : 'HTTP 400', served });
    expect(judgeProxyAuth(true, [a('REST', 'none', false), a('REST', 'wrong', false), a('REST', 'valid', true), a('gRPC', 'none', false), a('gRPC', 'valid', true)]).verdict).toBe('pass');
    const open = judgeProxyAuth(true, [a('REST', 'none', false), a('REST', 'valid', true), a('gRPC', 'none', true), a('gRPC', 'valid', true)]);
    expect(open.verdict === 'violated' && open.summary).toBe('gRPC serves a request with none');
    expect(judgeProxyAuth(true, [a('REST', 'valid', false)]).verdict).toBe('violated');
    expect(judgeProxyAuth(false, []).verdict).toBe('skip');
  });
  it('bypass: any answer from the server\'s own port is a finding; a refused connection is not', () => {
    expect(judgeProxyBypass(true, [{ protocol: 'REST', address: '127.0.0.1:8000', reachable: false, answer: 'no HTTP answer (ECONNREFUSED)' }]).verdict).toBe('pass');
    expect(judgeProxyBypass(true, [{ protocol: 'gRPC', address: '127.0.0.1:9178', reachable: true, answer: 'gRPC OK live=true' }]).verdict).toBe('violated');
    expect(judgeProxyBypass(true, []).verdict).toBe('skip');
  });
});
