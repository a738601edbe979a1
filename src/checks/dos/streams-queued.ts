// dos.streams-queued: more calls than the stream limit on one standard client connection all
// complete, never more than the limit in the server at once.
import { type Evidence, type Judgement, error, pass, skip, violated, warn } from '../../check-kit/verdict.js';
import { MetricsSampler } from '../../probes/metrics.js';
import { THREADPOOL_EXHAUSTED, usableStreamLimit } from './common.js';
import { advertisedStreamLimit } from '../../probes/stream-settings.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../../protocol/grpc-client.js';
import { servedInterface } from '../../probes/served-model.js';
import { zeroInferRequest } from '../../probes/infer-request.js';

export interface QueuedCall { ok: boolean; ms: number; status: string }
export interface StreamsQueuedObs { limit: number; calls: QueuedCall[]; peakInServer: number | null; samples: number }

export function judgeStreamsQueued(o: StreamsQueuedObs): Judgement {
  const noLimit = usableStreamLimit(o.limit);
  if (noLimit) return skip(noLimit);
  const n = o.calls.length;
  const failed = o.calls.filter((c) => !c.ok);
  const done = o.calls.map((c) => c.ms).sort((a, b) => a - b);
  const items = [
    `${n} concurrent ModelInfer calls on one grpc-js channel (one HTTP/2 connection); server stream limit ${o.limit}`,
    `completion times ms: ${done.join(', ')}`,
    `statuses: ${n - failed.length} OK${failed.length ? `, ${failed.length} failed (${[...new Set(failed.map((f) => f.status))].join('; ')})` : ''}`,
    `ovms_current_requests peak ${o.peakInServer ?? 'not observed'} over ${o.samples} /metrics samples every 10 ms`,
  ];
  const evidence: Evidence = { items, observed: { calls: n, ok: n - failed.length, peakInServer: o.peakInServer, completionMs: done }, expected: { ok: n, peakInServerAtMost: o.limit } };
  if (failed.length > 0) {
    const byThreads = failed.filter((f) => f.status.includes(THREADPOOL_EXHAUSTED)).length;
    const who = byThreads === failed.length
      ? `refused by the thread cap (--grpc_max_threads: "${THREADPOOL_EXHAUSTED}"), though within what the stream limit ${o.limit} lets queue`
      : 'failed instead of queueing';
    return violated(`${failed.length} of ${n} calls were ${who}: ${failed[0]!.status}`, evidence);
  }
  if (o.peakInServer === null) return error('ovms_current_requests could not be sampled from /metrics (start the server with --metrics_enable)', evidence);
  if (o.peakInServer === 0) return warn(`inconclusive: all ${n} calls completed OK, but /metrics never showed a call in the server (${o.samples} samples), so the queueing was not observed`, evidence);
  if (o.peakInServer > o.limit) return violated(`${o.peakInServer} calls were in the server at once on one connection, above the stream limit ${o.limit}`, evidence);
  return pass(`${n} calls over a limit of ${o.limit} all completed OK, at most ${o.peakInServer} in the server at once`, evidence);
}

export default defineCheck({
  id: 'dos.streams-queued',
  title: 'calls beyond the stream limit on one connection are queued, not failed',
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'use a gRPC client that honours SETTINGS_MAX_CONCURRENT_STREAMS',
  impact: 'calls beyond the limit wait on the client',
  needs: ['grpc', 'metrics'],
  async observe(ctx) {
    const limit = await advertisedStreamLimit(ctx.target.grpcEndpoint());
    if (usableStreamLimit(limit)) return { limit, calls: [], peakInServer: null, samples: 0 };
    const n = Math.min(64, Math.max(limit + 2, limit * 3));
    const client = kserveGrpcClientFor(ctx.target.grpcEndpoint(), { ownConnection: true });
    const sampler = new MetricsSampler(ctx.target.rest(), ['ovms_current_requests'], ctx.run.options.modelName, 10);
    const req = zeroInferRequest(ctx.run.options.modelName, (await servedInterface(ctx.target, ctx.run.options.modelName)).input);
    sampler.start();
    const t0 = performance.now();
    const calls = await Promise.all(Array.from({ length: n }, async (): Promise<QueuedCall> => {
      try {
        await rpc.modelInfer(client, req, 60_000);
        return { ok: true, ms: Math.round(performance.now() - t0), status: 'OK' };
      } catch (e) {
        const f = grpcFailure(e);
        return { ok: false, ms: Math.round(performance.now() - t0), status: `${f.codeName} ${f.details}` };
      }
    }));
    await sampler.stop();
    client.close();
    return { limit, calls, peakInServer: sampler.peaks.get('ovms_current_requests') ?? null, samples: sampler.samples };
  },
  judge: judgeStreamsQueued,
});
