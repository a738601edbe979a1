// limits.grpc-buffering: container memory while a limit+1 gRPC message arrives; gRPC core buffers it
// whole before it refuses it, so only the memory quota bounds that.
import { type Evidence, type Judgement, error, pass, warn } from '../../check-kit/verdict.js';
import { type GrpcSendResult, sendGrpcMessage } from '../../probes/oversize-grpc.js';
import { MODEL_INFER } from '../../protocol/codec.js';
import { PROBE_TIMEOUT_MS, grpcLines, mib, served } from './common.js';
import type { StatsSummary } from '../../docker/container-stats.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { grpcProbeChart, memoryChart } from '../../check-kit/charts.js';
import { sizedInferRequest } from '../../probes/payload.js';

export interface GrpcBufferingObs { limit: number; sent: GrpcSendResult; mem: StatsSummary }

export function judgeGrpcBuffering(o: GrpcBufferingObs): Judgement {
  const size = o.limit + 1;
  const growth = o.mem.memoryPeakBytes !== null && o.mem.memoryBaselineBytes !== null ? o.mem.memoryPeakBytes - o.mem.memoryBaselineBytes : null;
  const items = [
    `probe: ${size}-byte message (limit + 1), the last byte held until the stats had seen the rest`,
    ...grpcLines(o.sent),
    `container memory (working set, Docker stats, ${o.mem.samples} samples): ${mib(o.mem.memoryBaselineBytes ?? 0)} before, peak ${mib(o.mem.memoryPeakBytes ?? 0)}, growth ${growth === null ? '-' : mib(growth)} for a ${mib(size)} message`,
    'gRPC core buffers the whole announced message before its size check (grpc-core-behaviour section 1); only --grpc_memory_quota bounds how much several such messages hold',
  ];
  const evidence: Evidence = {
    items, observed: { growthBytes: growth, peakBytes: o.mem.memoryPeakBytes, samples: o.mem.samples, bytesSent: o.sent.bytesSent, grpcStatus: o.sent.grpcStatus }, expected: { growthBytes: 'well under the message size' },
    charts: [memoryChart(o.mem, 'container memory while the limit+1 message arrives', o.mem.memoryBaselineBytes === null ? [] : [{ name: 'warn above: before + 10% of the message', value: o.mem.memoryBaselineBytes + 0.1 * size }]), grpcProbeChart(o.sent, 'limit+1 gRPC message: bytes sent, then the answer')],
  };
  if (growth === null || o.mem.samples < 2) return error(`container memory could not be sampled (${o.mem.samples} samples)`, evidence);
  if (growth >= 0.1 * size) return warn(`the server held ${mib(growth)} while receiving a ${mib(size)} message it then refused: it buffers oversized messages`, evidence);
  return pass(`the server's memory grew by ${mib(growth)} while receiving a ${mib(size)} message`, evidence);
}

export default defineCheck({
  id: 'limits.grpc-buffering',
  title: 'how much memory one oversized gRPC message makes the server hold before it answers',
  clause: 'S3',
  requirement: 'recommended',
  profile: 'nightly',
  remediation: 'bound server memory with --grpc_memory_quota and a container memory limit',
  impact: 'a memory limit too tight for the model kills the server (OOM) instead',
  needs: ['grpc', 'container'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
  async observe(ctx) {
    const limit = ctx.run.options.messageLimit;
    const msg = sizedInferRequest(limit + 1, ctx.run.options.modelName, await served(ctx));
    const stats = ctx.target.container().sampler();
    await stats.start();
    await stats.firstSample();
    // Docker samples stats about once a second: hold the last byte until two samples have seen the
    // server with the whole message but one byte (at most 10 s), so a fast transfer is measured too.
    const hold = async (): Promise<void> => {
      const until = Date.now() + 10_000;
      const seen = stats.sampleCount();
      while (stats.sampleCount() < seen + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    };
    const sent = await sendGrpcMessage(ctx.target.grpcEndpoint(), MODEL_INFER, msg, PROBE_TIMEOUT_MS, hold);
    return { limit, sent, mem: stats.stop() };
  },
  judge: judgeGrpcBuffering,
});
