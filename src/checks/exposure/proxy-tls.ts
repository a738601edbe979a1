// exposure.proxy-tls: in proxy mode, TLS 1.0/1.1 refused, 1.2+ accepted, the certificate chains to
// the CA and names the host.
import { readFileSync } from 'node:fs';
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { type Handshake, handshake } from '../../probes/tls-probe.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { endpointsOf } from './common.js';
import { hostPort } from '../../protocol/connect.js';

export interface ProxyTlsEndpoint { protocol: 'REST' | 'gRPC'; address: string; old: Handshake[]; modern: Handshake }

export function judgeProxyTls(endpoints: ProxyTlsEndpoint[]): Judgement {
  if (endpoints.length === 0) return skip('not in proxy mode: no endpoint is reached over TLS (give --rest-url https://... or --tls)');
  const items: string[] = [];
  const problems: string[] = [];
  for (const e of endpoints) {
    for (const h of e.old) {
      items.push(`${e.protocol} ${e.address}: ${h.offered} ${h.accepted ? `ACCEPTED (${h.protocol})` : `refused (${h.error})`}`);
      if (h.accepted) problems.push(`${e.protocol} accepts ${h.protocol}`);
    }
    const m = e.modern;
    items.push(`${e.protocol} ${e.address}: ${m.offered} ${m.accepted ? `accepted, ${m.protocol}${m.alpn ? `, ALPN ${m.alpn}` : ''}; certificate ${m.subject ?? '?'} (SAN ${m.altNames ?? 'none'}) ${m.chain}; it ${m.name}` : `refused (${m.error})`}`);
    if (!m.accepted) problems.push(`${e.protocol} refuses TLS 1.2 and 1.3 (${m.error})`);
    else {
      if (!m.chain?.startsWith('chains')) problems.push(`${e.protocol} certificate ${m.chain}`);
      if (!m.name?.startsWith('names')) problems.push(`${e.protocol} certificate ${m.name}`);
      if (e.protocol === 'gRPC' && m.alpn !== 'h2') problems.push(`gRPC endpoint did not negotiate ALPN h2 (${m.alpn ?? 'none'})`);
    }
  }
  const evidence: Evidence = { items, observed: Object.fromEntries(endpoints.map((e) => [e.protocol, { tls10: e.old[0]?.accepted ?? null, tls11: e.old[1]?.accepted ?? null, negotiated: e.modern.protocol, chain: e.modern.chain, name: e.modern.name }])), expected: { tls10: false, tls11: false, negotiated: 'TLSv1.2 or TLSv1.3', chain: 'chains to the given CA', name: 'names the host' } };
  if (problems.length > 0) return violated(problems.join('; '), evidence);
  return pass(`TLS 1.0 and 1.1 refused; ${endpoints.map((e) => `${e.protocol} ${e.modern.protocol}`).join(', ')} with a certificate that chains to the CA and names the host`, evidence);
}

export default defineCheck({
  id: 'exposure.proxy-tls',
  title: 'in proxy mode, TLS >= 1.2 is enforced and the certificate chains to the configured CA',
  clause: 'S2',
  requirement: 'required',
  profile: 'quick',
  remediation: 'set ssl_protocols TLSv1.2 TLSv1.3 and serve the CA-signed certificate',
  impact: 'clients older than TLS 1.2 can no longer connect',
  needs: [],
  live: true,
  async observe(ctx) {
    const out: ProxyTlsEndpoint[] = [];
    for (const { protocol, e } of endpointsOf(ctx)) {
      if (e.transport.kind !== 'tls') continue;
      const { host, port } = hostPort(e);
      const base = { host, port, ...(e.transport.servername ? { servername: e.transport.servername } : {}) };
      const ca = e.transport.caFile ? readFileSync(e.transport.caFile) : undefined;
      const old = [await handshake({ ...base, min: 'TLSv1', max: 'TLSv1' }), await handshake({ ...base, min: 'TLSv1.1', max: 'TLSv1.1' })];
      const modern = await handshake({ ...base, min: 'TLSv1.2', max: 'TLSv1.3', ...(ca ? { ca } : {}), ...(protocol === 'gRPC' ? { alpn: ['h2'] } : {}) });
      out.push({ protocol, address: e.address, old, modern });
    }
    return out;
  },
  judge: judgeProxyTls,
});
