// limits.rest-at-limit: a REST body of exactly the limit is not refused for its size.
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import type { Liveness } from '../../protocol/liveness.js';
import { PROBE_TIMEOUT_MS, binaryHeader, inferPath, restLines, served } from './common.js';
import { type RestSendResult, sendRestBody } from '../../probes/oversize-rest.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { liveAfterProbe } from '../../probes/after-probe.js';
import { restProbeChart } from '../../check-kit/charts.js';

export interface RestAtLimitObs { limit: number; headLength: number; sent: RestSendResult; alive: Liveness }

export function judgeRestAtLimit(o: RestAtLimitObs): Judgement {
  const { limit, sent: r } = o;
  const items = [`probe: POST, Content-Length exactly the limit (${limit}): a ${o.headLength}-byte KServe binary-extension JSON header, then zero bytes`, ...restLines(r), `afterwards: ${o.alive.items.join('; ')}`];
  const evidence: Evidence = { items, observed: { status: r.status, bytesSent: r.bytesSent, liveAfterwards: o.alive.live }, expected: { status: 'anything but 413, with the whole body accepted', liveAfterwards: true }, charts: [restProbeChart(r, 'REST body at the limit: bytes sent, then the answer')] };
  if (r.status === 413) return violated(`a body of exactly ${limit} bytes got 413`, evidence);
  if (r.status === null) return violated(`no answer to a ${limit}-byte body (${r.connectionError ?? 'closed'} after ${r.bytesSent} bytes)`, evidence);
  if (!o.alive.live) return violated(`the server is not live after a ${limit}-byte body`, evidence);
  return pass(`a ${limit}-byte body was not refused for its size (HTTP ${r.status})`, evidence);
}

export default defineCheck({
  id: 'limits.rest-at-limit',
  title: 'a REST body just under the limit is not rejected for its size',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'check for a proxy or server limit lower than 1 GiB',
  impact: 'none',
  needs: ['rest'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
  async observe(ctx) {
    const limit = ctx.run.options.messageLimit;
    const head = binaryHeader(await served(ctx), limit);
    const sent = await sendRestBody({
      endpoint: ctx.target.restEndpoint(), path: inferPath(ctx), declared: limit, head,
      headers: { 'inference-header-content-length': String(head.length) }, timeoutMs: PROBE_TIMEOUT_MS,
    });
    return { limit, headLength: head.length, sent, alive: await liveAfterProbe(ctx.target) };
  },
  judge: judgeRestAtLimit,
});
