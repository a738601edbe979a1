// limits.grpc-at-limit: a ModelInferRequest of exactly the limit is not refused for its size.
import { clip } from '../../clip.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import type { GrpcSendResult } from '../../probes/oversize-grpc.js';
import type { Liveness } from '../../protocol/liveness.js';
import { PROBE_TIMEOUT_MS, RESOURCE_EXHAUSTED, grpcLines, grpcMessageProbe } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { grpcProbeChart } from '../../check-kit/charts.js';

export interface GrpcAtLimitObs { limit: number; describe: string; sent: GrpcSendResult; alive: Liveness }

export function judgeGrpcAtLimit(o: GrpcAtLimitObs): Judgement {
  const { limit, sent: r } = o;
  const items = [`probe: ${o.describe}, serialized size exactly the limit (${limit}), the largest size the limit allows`, ...grpcLines(r), `afterwards: ${o.alive.items.join('; ')}`];
  const evidence: Evidence = { items, observed: { bytesSent: r.bytesSent, grpcStatus: r.grpcStatus, grpcMessage: r.grpcMessage, liveAfterwards: o.alive.live }, expected: { grpcStatus: 'anything but RESOURCE_EXHAUSTED (a content error is fine)', liveAfterwards: true }, charts: [grpcProbeChart(r, 'gRPC message at the limit: bytes sent, then the answer')] };
  if (r.grpcStatus === RESOURCE_EXHAUSTED) return violated(`a message of exactly ${limit} bytes was refused: "${r.grpcMessage}"`, evidence);
  if (r.grpcStatus === null) return violated(`no gRPC answer to a ${limit}-byte message (${r.error ?? 'stream closed'})`, evidence);
  if (!o.alive.live) return violated(`the server is not live after a ${limit}-byte message`, evidence);
  return pass(`a ${limit}-byte message was not refused for its size (grpc-status ${r.grpcStatus} "${clip(r.grpcMessage, 160)}")`, evidence);
}

export default defineCheck({
  id: 'limits.grpc-at-limit',
  title: 'a gRPC message just under the limit is not rejected for its size',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'check for a proxy or server limit lower than 1 GiB',
  impact: 'none',
  needs: ['grpc'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
  observe: (ctx) => grpcMessageProbe(ctx, ctx.run.options.messageLimit),
  judge: judgeGrpcAtLimit,
});
