// limits.grpc-oversize: a ModelInferRequest of exactly limit+1 serialized bytes gets RESOURCE_EXHAUSTED
// naming both numbers, and the server stays live.
import { clip } from '../../clip.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { type GrpcSendResult, parseLargerThanMax } from '../../probes/oversize-grpc.js';
import type { Liveness } from '../../protocol/liveness.js';
import { PROBE_TIMEOUT_MS, RESOURCE_EXHAUSTED, grpcLines, grpcMessageProbe, mib } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { grpcProbeChart } from '../../check-kit/charts.js';

export interface GrpcOversizeObs { limit: number; describe: string; sent: GrpcSendResult; alive: Liveness }

export function judgeGrpcOversize(o: GrpcOversizeObs): Judgement {
  const { limit, sent: r } = o;
  const parsed = parseLargerThanMax(r.grpcMessage);
  const items = [
    `probe: ${o.describe}, serialized size ${limit + 1} = limit ${limit} + 1, over raw HTTP/2 from a reused 1 MiB buffer`,
    'the whole message is sent in every profile: gRPC core answers only once the announced message has fully arrived, so a prefix-only probe proves nothing (grpc-core-behaviour section 1)',
    ...grpcLines(r),
    parsed ? `server reports size ${parsed.size} vs. limit ${parsed.limit}` : 'no "Received message larger than max (N vs. L)" in the answer',
    `afterwards: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { bytesSent: r.bytesSent, grpcStatus: r.grpcStatus, grpcMessage: r.grpcMessage, reportedSize: parsed?.size ?? null, reportedLimit: parsed?.limit ?? null, answerAfterLastByteMs: r.answerAfterLastByteMs, liveAfterwards: o.alive.live },
    expected: { grpcStatus: RESOURCE_EXHAUSTED, reportedSize: limit + 1, reportedLimit: limit, liveAfterwards: true },
    charts: [grpcProbeChart(r, 'limit+1 gRPC message: bytes sent, then the refusal')],
  };
  if (r.grpcStatus === null && !o.alive.live) return violated(`the server died on a ${limit + 1}-byte message: no gRPC answer (${r.error ?? 'stream closed'}) and not live afterwards`, evidence);
  if (r.grpcStatus !== RESOURCE_EXHAUSTED || !parsed) {
    return violated(`a ${limit + 1}-byte message was not refused for its size: ${r.grpcStatus === null ? `no gRPC status (${r.error ?? 'stream closed'})` : `grpc-status ${r.grpcStatus} "${clip(r.grpcMessage, 160)}"`}`, evidence);
  }
  if (parsed.limit !== limit) return violated(`the server's limit is ${parsed.limit} bytes, not the expected ${limit}`, evidence);
  if (parsed.size !== limit + 1) return violated(`the server counted ${parsed.size} bytes, not the ${limit + 1} sent`, evidence);
  if (!o.alive.live) return violated('refused with RESOURCE_EXHAUSTED, but the server is not live afterwards', evidence);
  return pass(`RESOURCE_EXHAUSTED "Received message larger than max (${parsed.size} vs. ${parsed.limit})" after ${mib(r.bytesSent)}; live afterwards`, evidence);
}

export default defineCheck({
  id: 'limits.grpc-oversize',
  title: 'a gRPC message over the limit is rejected with RESOURCE_EXHAUSTED and the server stays live',
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'keep the 1 GiB gRPC limit (do not rebuild OVMS with a larger SetMaxReceiveMessageSize)',
  impact: 'none: requests over 1 GiB are refused, as the page says',
  needs: ['grpc'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
  observe: (ctx) => grpcMessageProbe(ctx, ctx.run.options.messageLimit + 1),
  judge: judgeGrpcOversize,
});
