// Judgements of S2 (no access control or encryption in OVMS itself; isolate it, or put a TLS
// proxy with authorization in front): what is published where, what answers in plaintext, the
// CORS answer, and in proxy mode the proxy's TLS, authentication and that it cannot be bypassed.
import type { Evidence, Judgement } from '../checks/verdict.js';
import { error, pass, skip, violated } from '../checks/verdict.js';
import type { Attempt } from '../probes/auth-attempts.js';
import type { Handshake } from '../probes/tls-probe.js';

const ALL = new Set(['', '0.0.0.0', '::']);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

// exposure.bind-scope --------------------------------------------------------------------------

export interface Published { containerPort: number; hostIp: string; hostPort: string; role: string }
export interface BindScopeObs { networkMode: string; published: Published[]; grpcBind: string; restBind: string; serverPorts: { grpc: number | null; rest: number | null } }

export function judgeBindScope(o: BindScopeObs): Judgement {
  const host = o.networkMode === 'host';
  const items = [
    `network mode ${o.networkMode || 'default'}`,
    `server binds: gRPC ${o.serverPorts.grpc ?? '-'} on ${o.grpcBind}, REST ${o.serverPorts.rest ?? '-'} on ${o.restBind} (${host ? 'the host\'s own interfaces: --network host' : 'inside the container; only published ports reach it'})`,
    ...o.published.map((p) => `published ${p.containerPort}/tcp (${p.role}) on ${p.hostIp || '0.0.0.0'}:${p.hostPort}${ALL.has(p.hostIp) ? ' = all interfaces of the host' : ''}`),
    'judged from inspect and the server\'s flags: no traffic is sent to the host\'s other interfaces',
  ];
  const open = host
    ? [['gRPC', o.grpcBind, o.serverPorts.grpc], ['REST', o.restBind, o.serverPorts.rest]].filter(([, b, port]) => port !== null && String(b).split(',').some((a) => !LOOPBACK.test(a))).map(([r, b, port]) => `${r} ${port} bound to ${b} on the host network`)
    : [...new Set(o.published.filter((p) => p.role !== 'other' && ALL.has(p.hostIp)).map((p) => p.containerPort))].sort((a, b) => b - a)
      .map((port) => {
        const on = o.published.filter((p) => p.containerPort === port && ALL.has(p.hostIp));
        return `${on[0]!.role} port ${port} published on all interfaces (${on.map((p) => `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp || '0.0.0.0'}:${p.hostPort}`).join(', ')})`;
      });
  const evidence: Evidence = { items, observed: { networkMode: o.networkMode, published: o.published.map((p) => `${p.containerPort}->${p.hostIp || '0.0.0.0'}:${p.hostPort}`), open }, expected: { open: [], publishedOn: '127.0.0.1 (or a proxy in front)' } };
  if (!host && o.published.length === 0) return pass('no port is published: the server is reachable only from its own network', evidence);
  if (open.length > 0) return violated(`plaintext server ports reachable from every network of the host: ${open.join('; ')}`, evidence);
  return pass(`the server's ports are ${host ? 'bound to loopback' : 'published on specific addresses only'}: ${host ? `${o.grpcBind} / ${o.restBind}` : o.published.map((p) => `${p.hostIp}:${p.hostPort}`).join(', ')}`, evidence);
}

// exposure.plaintext ---------------------------------------------------------------------------

export interface PlaintextAnswer { protocol: 'REST' | 'gRPC'; address: string; request: string; answered: boolean; answer: string }

export function judgePlaintext(answers: PlaintextAnswer[]): Judgement {
  if (answers.length === 0) return skip('the deployment has no endpoint to ask');
  const items = answers.map((a) => `${a.protocol} ${a.request} to ${a.address} in plaintext, no credential: ${a.answer}${a.answered ? ' (answered)' : ' (not answered)'}`);
  const open = answers.filter((a) => a.answered);
  const evidence: Evidence = { items, observed: Object.fromEntries(answers.map((a) => [`${a.protocol} ${a.address}`, a.answered ? 'answered' : 'refused'])), expected: 'refused, or TLS only' };
  if (open.length > 0) return violated(`${open.map((a) => a.protocol).join(' and ')} answer${open.length === 1 ? 's' : ''} in plaintext without credentials (OVMS has no access control or encryption: put a TLS proxy with authorization in front)`, evidence);
  return pass('no endpoint answers a plaintext request without credentials', evidence);
}

// exposure.cors --------------------------------------------------------------------------------

export interface CorsAnswer { request: string; status: number | null; allowOrigin: string | null; allowCredentials: string | null; allowMethods: string | null }
export interface CorsObs { origin: string; configured: string | null; answers: CorsAnswer[] }

export function judgeCors(o: CorsObs): Judgement {
  const items = [
    `--allowed_origins ${o.configured === null ? 'not given (OVMS default: *, ovms-facts 9)' : o.configured}`,
    ...o.answers.map((a) => `${a.request} with Origin ${o.origin} -> ${a.status ?? 'no answer'}; Access-Control-Allow-Origin: ${a.allowOrigin ?? '(none)'}${a.allowCredentials ? `, Allow-Credentials: ${a.allowCredentials}` : ''}${a.allowMethods ? `, Allow-Methods: ${a.allowMethods}` : ''}`),
  ];
  const evidence: Evidence = { items, observed: Object.fromEntries(o.answers.map((a) => [a.request, a.allowOrigin])), expected: { allowOrigin: 'absent, or the origins that need access' } };
  if (o.answers.every((a) => a.status === null)) return error('the REST endpoint gave no answer to the CORS requests', evidence);
  const wildcard = o.answers.filter((a) => a.allowOrigin === '*');
  const reflected = o.answers.filter((a) => a.allowOrigin === o.origin);
  if (wildcard.length > 0) return violated('Access-Control-Allow-Origin: * lets any web page call the server from a browser; set --allowed_origins', evidence);
  if (reflected.length > 0) return violated(`any origin is reflected (${o.origin} was allowed${reflected.some((a) => a.allowCredentials === 'true') ? ', with credentials' : ''}); set --allowed_origins`, evidence);
  return pass(`an unknown origin is not allowed (Access-Control-Allow-Origin: ${o.answers.map((a) => a.allowOrigin ?? 'none').join(', ')})`, evidence);
}

// exposure.proxy-tls ---------------------------------------------------------------------------

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

// exposure.proxy-auth --------------------------------------------------------------------------

export function judgeProxyAuth(proxyMode: boolean, attempts: Attempt[]): Judgement {
  if (!proxyMode) return skip('not in proxy mode: no endpoint is reached over TLS or with a credential');
  const items = attempts.map((a) => `${a.protocol} with ${a.how} -> ${a.answer}${a.served ? ' (served)' : ' (refused)'}`);
  const bad = [
    ...attempts.filter((a) => a.variant !== 'valid' && a.served).map((a) => `${a.protocol} serves a request with ${a.how}`),
    ...attempts.filter((a) => a.variant === 'valid' && !a.served).map((a) => `${a.protocol} refuses the valid credential (${a.answer})`),
  ];
  const evidence: Evidence = { items, observed: Object.fromEntries(attempts.map((a) => [`${a.protocol} ${a.variant}`, a.served ? 'served' : 'refused'])), expected: { none: 'refused', wrong: 'refused', valid: 'served' } };
  if (bad.length > 0) return violated(bad.join('; '), evidence);
  return pass(`${[...new Set(attempts.map((a) => a.protocol))].join(' and ')}: requests without or with a wrong credential are refused, the valid one is served`, evidence);
}

// exposure.proxy-bypass ------------------------------------------------------------------------

export interface BypassAttempt { protocol: 'REST' | 'gRPC'; address: string; reachable: boolean; answer: string }

export function judgeProxyBypass(proxyMode: boolean, attempts: BypassAttempt[]): Judgement {
  if (!proxyMode) return skip('not in proxy mode: no endpoint is reached over TLS or with a credential');
  if (attempts.length === 0) return skip("the server's own endpoints behind the proxy were not given (--server-rest-url, --server-grpc-address)");
  const items = attempts.map((a) => `${a.protocol} server endpoint ${a.address} from the harness: ${a.answer}${a.reachable ? ' (REACHABLE)' : ' (not reachable)'}`);
  const open = attempts.filter((a) => a.reachable);
  const evidence: Evidence = { items, observed: Object.fromEntries(attempts.map((a) => [`${a.protocol} ${a.address}`, a.reachable ? 'reachable' : 'not reachable'])), expected: 'not reachable' };
  if (open.length > 0) return violated(`the server can be reached without the proxy: ${open.map((a) => `${a.protocol} ${a.address} answered ${a.answer}`).join('; ')}`, evidence);
  return pass(`the server's own ports (${attempts.map((a) => a.address).join(', ')}) are not reachable from where the proxy is`, evidence);
}
