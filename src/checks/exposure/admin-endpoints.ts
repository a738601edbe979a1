// exposure.admin-endpoints: the configuration status and reload, the model list and /metrics
// answer anyone who reaches the REST port (ovms-page-editions: endpoints no edition mentions).
// Nothing sent can change the server's state: the status, the list and the metrics are read with
// GET; the reload route is never called, only asked with OPTIONS (a CORS preflight, which the
// server answers before any handler runs), and judged exposed where /v1/config answers beside it.
import type { CheckContext } from '../../check-kit/context.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, violated, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import { bodyLine } from '../../probes/auth-attempts.js';
import type { Endpoint } from '../../protocol/endpoint.js';
import { KServeRestClient } from '../../protocol/rest-client.js';
import { proxyMode } from './common.js';

export interface AdminAnswer { request: string; what: string; status: number | null; detail: string }
export interface AdminObs { proxy: boolean; address: string; answers: AdminAnswer[] }

export const ADMIN_PROBES = [
  { method: 'GET', path: '/v1/config', what: 'the status of every servable' },
  { method: 'GET', path: '/v3/models', what: 'the list of served models' },
  { method: 'GET', path: '/metrics', what: 'the Prometheus metrics' },
  { method: 'OPTIONS', path: '/v1/config/reload', what: 'the configuration reload (preflight only; never called)' },
] as const;

const answered = (a: AdminAnswer): boolean => a.status !== null && a.status >= 200 && a.status < 300;

export function judgeAdminEndpoints(o: AdminObs): Judgement {
  const byPath = new Map(o.answers.map((a) => [a.request, a]));
  const config = byPath.get('GET /v1/config');
  // Directly, a preflight is answered for any path: the reload route counts as open where its sibling /v1/config answers.
  const open = o.answers.filter((a) => (a.request.startsWith('OPTIONS') ? answered(a) && (o.proxy || (config !== undefined && answered(config))) : answered(a)));
  const items = [
    `${o.proxy ? 'through the proxy' : 'directly'} at ${o.address}, without any credential or client certificate:`,
    ...o.answers.map((a) => `${a.request} (${a.what}) -> ${a.status ?? 'no answer'}${a.detail ? ` ${a.detail}` : ''}`),
    'no request can change state: GETs of status, list and metrics; OPTIONS only for the reload route',
  ];
  const evidence: Evidence = { items, observed: Object.fromEntries(o.answers.map((a) => [a.request, a.status])), expected: o.proxy ? { anonymous: 'refused by the proxy' } : { anonymous: 'not answered (or a proxy in front)' } };
  const names = open.map((a) => a.request.replace(/^OPTIONS /, 'POST ')).join(', ');
  if (open.length === 0) return pass(`none of ${o.answers.map((a) => a.request.split(' ')[1]).join(', ')} answers an anonymous client${o.proxy ? ' through the proxy' : ''}`, evidence);
  if (o.proxy) return violated(`the proxy lets anonymous clients reach ${names}: block or authenticate them`, evidence);
  return warn(`${names} answer anyone who reaches the REST port (OVMS has no access control on them)`, evidence);
}

/** The REST endpoint as an anonymous client sees it: the same address and CA, no certificate, no credential. */
function anonymous(e: Endpoint): Endpoint {
  return { ...e, transport: e.transport.kind === 'tls' ? { ...e.transport, clientCert: null } : e.transport, credential: null };
}

export default defineCheck({
  id: 'exposure.admin-endpoints',
  title: 'configuration reload and status, the model list and /metrics are not open to anonymous clients',
  clause: 'S2',
  requirement: 'required',
  profile: 'quick',
  remediation: 'in the proxy, block /v1/config, /v1/config/reload, /v3/models and /metrics for clients (or authenticate them); without a proxy, publish the REST port on 127.0.0.1 only',
  impact: 'operators reach the status and metrics from inside the trusted network or with credentials',
  needs: ['rest'],
  async observe(ctx: CheckContext) {
    const e = anonymous(ctx.target.restEndpoint());
    const client = KServeRestClient.for(e, 5000);
    const answers: AdminAnswer[] = [];
    try {
      for (const p of ADMIN_PROBES) {
        const request = `${p.method} ${p.path}`;
        try {
          const headers: Record<string, string> = p.method === 'OPTIONS' ? { origin: 'https://ovms-validate.invalid', 'access-control-request-method': 'POST' } : {};
          const a = await client.send(p.method, p.path, undefined, headers);
          answers.push({ request, what: p.what, status: a.status, detail: a.status < 300 ? `(${a.text.length} bytes)` : bodyLine(a.text) });
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause;
          answers.push({ request, what: p.what, status: null, detail: `(${cause?.code ?? (err as Error).message})` });
        }
      }
    } finally {
      await client.close();
    }
    return { proxy: proxyMode(ctx), address: e.address, answers };
  },
  judge: judgeAdminEndpoints,
});
