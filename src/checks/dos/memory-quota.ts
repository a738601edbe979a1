// dos.memory-quota: concurrent large requests whose total exceeds the gRPC memory quota are cut
// (RST_STREAM ENHANCE_YOUR_CALM), the server survives, no OOM kill.
import type { EndState, StatsSummary } from '../../docker/container-stats.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { type GrpcSendResult, sendGrpcMessage } from '../../probes/oversize-grpc.js';
import type { Liveness } from '../../protocol/liveness.js';
import { MODEL_INFER } from '../../protocol/codec.js';
import { mib } from './common.js';
import { assertFloodTarget } from '../../probes/loopback.js';
import { context } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { hostPort } from '../../protocol/connect.js';
import { memoryChart } from '../../check-kit/charts.js';
import { servedInterface } from '../../probes/served-model.js';
import { sizedInferRequest } from '../../probes/payload.js';
import { stateAfterProbe } from '../../probes/after-probe.js';
import { stopSkip } from '../../check-kit/context.js';

/** Each request at least 32 MiB and the total at least 2.25 x the quota (grpc-core-behaviour section 3). */
export const QUOTA_MIN_REQUEST = 32 * 1048576;
export const QUOTA_TOTAL_FACTOR = 2.25;

/** The probe's shape for a quota under a message limit, or why it cannot be sized. */
export function quotaProbe(quota: number, messageLimit: number): { per: number; count: number } | { unsizable: string } {
  const maxPer = messageLimit - 4096;
  if (maxPer < QUOTA_MIN_REQUEST) return { unsizable: `the message limit ${mib(messageLimit)} is below the ${mib(QUOTA_MIN_REQUEST)} a request needs to pile up in the transport (below that gRPC core often cuts nothing, grpc-core-behaviour section 3)` };
  const per = Math.min(maxPer, Math.max(QUOTA_MIN_REQUEST, Math.ceil((quota * QUOTA_TOTAL_FACTOR) / 3)));
  return { per, count: Math.max(3, Math.ceil((quota * QUOTA_TOTAL_FACTOR) / per)) };
}

export interface MemoryQuotaObs { quota: number; quotaConfigured: boolean; per: number; results: GrpcSendResult[]; mem: StatsSummary | null; after: EndState; alive: Liveness }

export function isQuotaCut(r: GrpcSendResult): boolean {
  return r.rstCode === 11 || /Bandwidth exhausted|memory limit/.test(r.grpcMessage);
}

export function judgeMemoryQuota(o: MemoryQuotaObs): Judgement {
  const count = o.results.length;
  const cut = o.results.filter(isQuotaCut);
  const a = o.after;
  const items = [
    `grpc_memory_quota ${o.quota} (${o.quotaConfigured ? 'configured' : 'default 2 GiB'}); ${count} concurrent ModelInferRequests of ${o.per} bytes, one connection each, ${count * o.per} bytes in all (${((count * o.per) / o.quota).toFixed(2)} x the quota), each holding its last byte until all others have sent theirs`,
    ...o.results.map((r, i) => `request ${i + 1}: sent ${r.bytesSent} of ${r.announced} bytes in ${r.durationMs} ms; ${r.rstCode === 11 ? 'RST_STREAM ENHANCE_YOUR_CALM (11)' : r.grpcStatus !== null ? `grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 100)}"` : `closed (${r.error ?? `RST ${r.rstCode}`})`}`),
    o.mem ? `container: memory ${mib(o.mem.memoryBaselineBytes)} -> peak ${mib(o.mem.memoryPeakBytes)} (${o.mem.samples} stats samples)` : 'container memory not sampled (no container access)',
    `afterwards ${a.status}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}, restarts ${a.restartCount}; ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items, observed: { requests: count, bytesEach: o.per, cutByQuota: cut.length, memoryPeakBytes: o.mem?.memoryPeakBytes ?? null, oomKilled: a.oomKilled, liveAfterwards: o.alive.live }, expected: { cutByQuotaAtLeast: 1, oomKilled: false, liveAfterwards: true },
    charts: [
      ...(o.mem ? [memoryChart(o.mem, 'container memory while the large requests are in flight')] : []),
      { kind: 'bars', title: 'bytes each request got through before its answer (MiB)', y: 'MiB', categories: o.results.map((r, i) => `request ${i + 1}${isQuotaCut(r) ? ' (cut)' : ''}`), series: [{ name: 'sent', values: o.results.map((r) => Math.round((r.bytesSent / 1048576) * 10) / 10) }] },
    ],
  };
  if (!a.running) return violated(`the server died (exit ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''}) under ${count} x ${mib(o.per)}`, evidence);
  if (cut.length === 0) return violated(`all ${count} requests (${mib(count * o.per)} in all, ${((count * o.per) / o.quota).toFixed(2)} x the ${mib(o.quota)} quota) passed the transport: no memory quota acts`, evidence);
  if (!o.alive.live) return violated('the server is not live afterwards', evidence);
  return pass(`${cut.length} of ${count} requests were cut by the memory quota (ENHANCE_YOUR_CALM)${o.mem ? `; peak memory ${mib(o.mem.memoryPeakBytes)}` : ''}; live afterwards`, evidence);
}

export default defineCheck({
  id: 'dos.memory-quota',
  title: 'concurrent large requests whose total exceeds grpc_memory_quota are cut off, the server survives',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'keep --grpc_memory_quota set (default 2 GiB); never 0 in production',
  impact: 'large concurrent requests beyond the quota are reset and must be retried',
  needs: ['grpc', 'command', 'container'], timeoutMs: 600_000,
  async observe(ctx) {
    const { settings } = await context(ctx);
    const quota = settings.grpcMemoryQuota === null || settings.grpcMemoryQuota === 0 ? 2147483648 : settings.grpcMemoryQuota;
    const shape = quotaProbe(quota, ctx.run.options.messageLimit);
    if ('unsizable' in shape) return stopSkip(`inconclusive by construction: ${shape.unsizable}; raise --message-limit or test with the default quota`);
    await assertFloodTarget(hostPort(ctx.target.grpcEndpoint()).host, ctx.run.options.allowRemoteFlood);
    const stats = ctx.target.container().sampler();
    await stats.start();
    await stats.firstSample();
    // All requests hold their last byte until every one has sent the rest: then all are in flight
    // together, which is what the quota is about, whatever the transfer speed.
    let arrived = 0;
    let release!: () => void;
    const allThere = new Promise<void>((r) => { release = r; });
    const barrier = async (): Promise<void> => { if (++arrived === shape.count) release(); await allThere; };
    const input = (await servedInterface(ctx.target, ctx.run.options.modelName)).input;
    const results = await Promise.all(Array.from({ length: shape.count }, () =>
      sendGrpcMessage(ctx.target.grpcEndpoint(), MODEL_INFER, sizedInferRequest(shape.per, ctx.run.options.modelName, input), 300_000, barrier)));
    const mem = stats.stop();
    const { after, alive } = await stateAfterProbe(ctx.target);
    return { quota, quotaConfigured: settings.grpcMemoryQuota !== null && settings.grpcMemoryQuota !== 0, per: shape.per, results, mem, after, alive };
  },
  judge: judgeMemoryQuota,
});
