// exposure.proxy-auth: in proxy mode, for REST and gRPC separately, no credential and a wrong one
// are refused and the valid one served.
import { type Attempt, type Variant, attempt, variantOf, wrongMaterial } from '../../probes/auth-attempts.js';
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { endpointsOf, proxyMode } from './common.js';

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

export default defineCheck({
  id: 'exposure.proxy-auth',
  title: 'in proxy mode, requests without valid credentials are rejected on REST and gRPC, valid ones served',
  clause: 'S2',
  requirement: 'required',
  profile: 'quick',
  remediation: 'enable client authentication (ssl_verify_client on, or an auth layer) for both ports',
  impact: 'every client needs a certificate or a token',
  needs: [],
  live: true,
  async observe(ctx) {
    const attempts: Attempt[] = [];
    if (!proxyMode(ctx)) return { proxyMode: false, attempts };
    const wrong = await wrongMaterial(ctx.run.stateDir);
    for (const { protocol, e } of endpointsOf(ctx)) {
      for (const v of ['none', 'wrong', 'valid'] as Variant[]) {
        const reach = variantOf(e, v, wrong);
        if (reach) attempts.push(await attempt(protocol, reach.endpoint, v, reach.how));
      }
    }
    return { proxyMode: true, attempts };
  },
  judge: (o) => judgeProxyAuth(o.proxyMode, o.attempts),
});
