// limits.rest-oversize: a POST declaring limit+1 bytes is refused (413, or closed before the body is
// accepted), and the server stays live.
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import type { Liveness } from '../../protocol/liveness.js';
import { PROBE_TIMEOUT_MS, inferPath, restLines } from './common.js';
import { type RestSendResult, restRefusal, sendRestBody } from '../../probes/oversize-rest.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { liveAfterProbe } from '../../probes/after-probe.js';
import { restProbeChart } from '../../check-kit/charts.js';

export interface RestOversizeObs { limit: number; headerProbe: boolean; sent: RestSendResult; alive: Liveness }

export function judgeRestOversize(o: RestOversizeObs): Judgement {
  const { limit, sent: r } = o;
  const refusal = restRefusal(r);
  const items = [
    o.headerProbe
      ? `quick: header-first probe, POST with Content-Length ${limit + 1} and Expect: 100-continue; the body is sent only if the server asks for it`
      : `nightly: POST with Content-Length ${limit + 1}, the full body streamed from a reused 1 MiB buffer`,
    ...restLines(r),
    `refusal rule (413, or closed before the body was complete, or reset unanswered after the last byte): ${refusal.refused ? `refused: ${refusal.how}` : `not refused: ${refusal.how}`}`,
    `afterwards: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { status: r.status, bytesSent: r.bytesSent, closedBeforeBodyDone: r.closedBeforeBodyDone, continueReceived: r.continueReceived, connectionError: r.connectionError, refused: refusal.refused, refusedHow: refusal.how, liveAfterwards: o.alive.live },
    expected: { status: '413, or the connection closed before the body is accepted', liveAfterwards: true },
    charts: [restProbeChart(r, 'limit+1 REST body: bytes sent, then the refusal')],
  };
  if (!refusal.refused) return violated(`a body of ${limit + 1} bytes was not refused: ${refusal.how} after ${r.bytesSent} body bytes`, evidence);
  if (!o.alive.live) return violated('the oversized body was refused, but the server is not live afterwards', evidence);
  return pass(`${refusal.how === 'HTTP 413' ? 'HTTP 413' : refusal.how} after ${r.bytesSent} of ${limit + 1} body bytes; live afterwards`, evidence);
}

export default defineCheck({
  id: 'limits.rest-oversize',
  title: 'a REST body over the limit is rejected, and the server stays live',
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'keep the 1 GiB REST body limit; put a proxy with client_max_body_size in front',
  impact: 'none: bodies over 1 GiB are refused, as the page says',
  needs: ['rest'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
  async observe(ctx) {
    const limit = ctx.run.options.messageLimit;
    const headerProbe = ctx.run.options.profile === 'quick';
    const sent = await sendRestBody({ endpoint: ctx.target.restEndpoint(), path: inferPath(ctx), declared: limit + 1, expectContinue: headerProbe, timeoutMs: PROBE_TIMEOUT_MS });
    return { limit, headerProbe, sent, alive: await liveAfterProbe(ctx.target) };
  },
  judge: judgeRestOversize,
});
