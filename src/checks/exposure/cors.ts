// exposure.cors: the CORS answer to a cross-origin preflight and simple request.
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { flagValue } from '../../docker/container-spec.js';

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

export default defineCheck({
  id: 'exposure.cors',
  title: 'CORS policy',
  clause: 'S2',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'set --allowed_origins to the origins that need access',
  impact: 'browser clients on origins not listed can no longer call the server',
  needs: ['rest'],
  async observe(ctx) {
    const origin = 'https://ovms-validate.invalid';
    const rest = ctx.target.rest();
    const path = `/v2/models/${encodeURIComponent(ctx.run.options.modelName)}/infer`;
    const answer = async (method: 'OPTIONS' | 'GET', p: string, headers: Record<string, string>, request: string) => {
      try {
        const a = await rest.send(method, p, undefined, { origin, ...headers });
        const h = (k: string): string | null => { const v = a.headers[k]; return v === undefined ? null : String(v); };
        return { request, status: a.status, allowOrigin: h('access-control-allow-origin'), allowCredentials: h('access-control-allow-credentials'), allowMethods: h('access-control-allow-methods') };
      } catch {
        return { request, status: null, allowOrigin: null, allowCredentials: null, allowMethods: null };
      }
    };
    const configured = ctx.run.target.command ? (flagValue(ctx.run.target.command.serverArgs, '--allowed_origins') ?? null) : null;
    return {
      origin, configured,
      answers: [
        await answer('OPTIONS', path, { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }, `preflight OPTIONS ${path}`),
        await answer('GET', '/v2/health/live', {}, 'simple GET /v2/health/live'),
      ],
    };
  },
  judge: judgeCors,
});
