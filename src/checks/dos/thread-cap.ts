// dos.thread-cap: a flood above grpc_max_threads gets fast RESOURCE_EXHAUSTED "Server Threadpool
// Exhausted", at most threads - workers calls in handlers, no crash, live afterwards.
import type { EndState, StatsSummary } from '../../docker/container-stats.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { type FloodReport, flood } from '../../probes/flood.js';
import type { Liveness } from '../../protocol/liveness.js';
import { MODEL_INFER } from '../../protocol/codec.js';
import { mib } from './common.js';
import { MetricsSampler } from '../../probes/metrics.js';
import { THREADPOOL_EXHAUSTED, context, floodLines, floodObserved, inferBody, streamLimit } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { floodRateChart, latencyChart, memoryChart } from '../../check-kit/charts.js';
import { stateAfterProbe } from '../../probes/after-probe.js';

export interface ThreadCapObs {
  threads: number; threadsConfigured: boolean; workers: number; cores: number; connections: number; inFlight: number;
  flood: FloodReport; peakInHandlers: number | null; samples: number; mem: StatsSummary | null; after: EndState; alive: Liveness;
}

export function judgeThreadCap(o: ThreadCapObs): Judgement {
  const r = o.flood;
  const cap = o.threads === 0 ? Infinity : o.threads - o.workers;
  const exhausted = r.errors[`RESOURCE_EXHAUSTED: ${THREADPOOL_EXHAUSTED}`]?.count ?? 0;
  const rejectedP50 = r.latencyMs.byStatus['RESOURCE_EXHAUSTED']?.p50 ?? null;
  const okP90 = r.latencyMs.byStatus['OK']?.p90 ?? null;
  const a = o.after;
  const items = [
    `grpc_max_threads ${o.threads} (${o.threadsConfigured ? 'configured' : `default 8 x ${o.cores} cores`}), grpc_workers ${o.workers}: at most ${cap} calls in handlers`,
    ...floodLines(r),
    `ovms_current_requests peak ${o.peakInHandlers ?? 'not observed'} (${o.samples} samples)`,
    o.mem ? `container: peak memory ${mib(o.mem.memoryPeakBytes)}, peak CPU ${o.mem.cpuPeakPercent ?? '-'}% (${o.mem.samples} stats samples)` : 'container memory not sampled (no container access)',
    `afterwards ${a.status}, restarts ${a.restartCount}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}`,
    `recovery: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { ...floodObserved(r), threadpoolExhausted: exhausted, peakInHandlers: o.peakInHandlers, memoryPeakBytes: o.mem?.memoryPeakBytes ?? null, restarts: a.restartCount, running: a.running, liveAfterwards: o.alive.live },
    expected: { threadpoolExhaustedAtLeast: 1, peakInHandlersAtMost: Number.isFinite(cap) ? cap : 'no cap', restarts: 0, liveAfterwards: true },
    charts: [floodRateChart(r), latencyChart(r), ...(o.mem ? [memoryChart(o.mem, 'container memory during the flood')] : [])],
  };
  if (!a.running || a.restartCount > 0) return violated(`the server ${a.running ? 'restarted' : `stopped (exit code ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''})`} under the flood instead of refusing it`, evidence);
  if (exhausted === 0) return violated(`no call was refused with "${THREADPOOL_EXHAUSTED}" while ${o.connections * o.inFlight} were in flight: the flood was absorbed`, evidence);
  if (o.peakInHandlers !== null && o.peakInHandlers > cap) return violated(`${o.peakInHandlers} calls were in handlers at once, above grpc_max_threads - grpc_workers = ${cap}`, evidence);
  // "Fast" as gRPC core refuses: before the served calls, not after queueing like them.
  if (rejectedP50 !== null && okP90 !== null && rejectedP50 > okP90) return violated(`refusals were not fast: p50 ${rejectedP50} ms, slower than 90% of served calls (p90 ${okP90} ms)`, evidence);
  if (!o.alive.live) return violated('the server is not live after the flood', evidence);
  return pass(`${exhausted} calls refused fast with "${THREADPOOL_EXHAUSTED}" (p50 ${rejectedP50} ms), at most ${o.peakInHandlers ?? '?'} in handlers (cap ${cap}), live afterwards`, evidence);
}

export default defineCheck({
  id: 'dos.thread-cap',
  title: 'a flood above grpc_max_threads is refused fast instead of absorbed',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'keep --grpc_max_threads set (default 8 x cores); never 0 in production',
  impact: 'clients see RESOURCE_EXHAUSTED under load and must retry with backoff',
  needs: ['grpc', 'command', 'container', 'metrics'], timeoutMs: 180_000,
  async observe(ctx) {
    const { settings, cores } = await context(ctx);
    const threads = settings.grpcMaxThreads ?? 8 * cores;
    const limit = Math.min(64, await streamLimit(ctx));
    const connections = Math.min(64, Math.ceil(Math.max(threads, 16) / limit) + 1);
    const inFlight = limit * 2;
    const sampler = new MetricsSampler(ctx.target.rest(), ['ovms_current_requests'], ctx.run.options.modelName, 20);
    const stats = ctx.target.container().sampler();
    await stats.start();
    sampler.start();
    const report = await flood({ endpoint: ctx.target.grpcEndpoint(), method: MODEL_INFER, body: await inferBody(ctx), connections, inFlightPerConnection: inFlight, maxCalls: Math.max(300, connections * inFlight * 4), maxDurationMs: 20_000, allowRemote: ctx.run.options.allowRemoteFlood, progress: ctx.progress });
    await sampler.stop();
    const mem = stats.stop();
    const { after, alive } = await stateAfterProbe(ctx.target);
    return {
      threads, threadsConfigured: settings.grpcMaxThreads !== null, workers: settings.grpcWorkers, cores, connections, inFlight, flood: report,
      peakInHandlers: sampler.peaks.get('ovms_current_requests') ?? null, samples: sampler.samples, mem, after, alive,
    };
  },
  judge: judgeThreadCap,
});
