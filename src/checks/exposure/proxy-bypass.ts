// exposure.proxy-bypass: in proxy mode, the server's own endpoints do not answer from where the proxy
// is reached.
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { askPlain, proxyMode } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';

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

export default defineCheck({
  id: 'exposure.proxy-bypass',
  title: "in proxy mode, the server's own ports are not reachable from outside the proxy",
  clause: 'S2',
  requirement: 'required',
  profile: 'quick',
  remediation: 'bind OVMS to 127.0.0.1 behind the proxy (--grpc_bind_address/--rest_bind_address)',
  impact: 'only the proxy (on the same host or network) can reach the server',
  needs: [],
  live: true,
  async observe(ctx) {
    const o = ctx.run.options;
    const given = [
      ...(o.serverRestUrl ? [{ protocol: 'REST' as const, address: new URL(o.serverRestUrl).host }] : []),
      ...(o.serverGrpcAddress ? [{ protocol: 'gRPC' as const, address: o.serverGrpcAddress }] : []),
    ];
    const attempts: BypassAttempt[] = [];
    if (proxyMode(ctx)) {
      for (const g of given) {
        const a = await askPlain(g.protocol, g.address);
        // Any answer means the port is reachable; only a failed connection means it is not.
        const reachable = a.answered || /^HTTP \d/.test(a.answer) || (a.answer.startsWith('gRPC') && !/UNAVAILABLE|DEADLINE_EXCEEDED/.test(a.answer));
        attempts.push({ protocol: g.protocol, address: g.address, reachable, answer: a.answer });
      }
    }
    return { proxyMode: proxyMode(ctx), attempts };
  },
  judge: (o) => judgeProxyBypass(o.proxyMode, o.attempts),
});
