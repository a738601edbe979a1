// S3 denial-of-service limits under real floods, judged by what gRPC core really does
// (shared/facts/grpc-core-behaviour.md): SETTINGS_MAX_CONCURRENT_STREAMS with client-side queuing,
// the thread cap's fast "Server Threadpool Exhausted", the memory quota's ENHANCE_YOUR_CALM resets,
// nireq / NUM_STREAMS bounds from the metrics, a REST flood, and recovery afterwards.
import autocannon from 'autocannon';
import { describe } from 'vitest';
import { defineCheck, stopSkip, type CheckContext } from '../src/checks/define-check.js';
import {
  judgeChannelArgs, judgeMaxStreams, judgeMemoryQuota, judgeParallelism, judgeRecovery, judgeRestFlood, judgeStreamsQueued,
  judgeThreadCap, MAX_STREAMS_KEY, quotaProbe, usableStreamLimit, type QueuedCall,
} from '../src/judge/dos.js';
import { authHeaders, hostPort, tlsOptions } from '../src/protocol/connect.js';
import { liveAfterProbe, stateAfterProbe } from '../src/probes/after-probe.js';
import { flood, grpcFrame } from '../src/probes/flood.js';
import { assertFloodTarget } from '../src/probes/loopback.js';
import { family, MetricsSampler, readMetrics } from '../src/probes/metrics.js';
import { sendGrpcMessage } from '../src/probes/oversize-grpc.js';
import { sizedInferRequest } from '../src/probes/payload.js';
import { zeroInferRequest } from '../src/probes/infer-request.js';
import { servedInterface } from '../src/probes/served-model.js';
import { inferZeros } from '../src/probes/zero-inference.js';
import { advertisedStreamLimit, readServerSettings } from '../src/probes/stream-settings.js';
import { encodeModelInferRequest } from '../src/protocol/codec.js';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../src/protocol/grpc-client.js';
import { askReadyAt } from '../src/targets/ready-wait.js';
import { containerCores, serverSettings } from '../src/ovms/server-settings.js';

const MODEL_INFER = '/inference.GRPCInferenceService/ModelInfer';

/** What the command line configures, and the CPU count OVMS sees in the container. */
async function context(ctx: CheckContext) {
  const args = ctx.run.target.command?.serverArgs ?? [];
  const settings = serverSettings(args);
  const { cores, how } = containerCores(await ctx.target.container().inspect(), ctx.run.engineCpus ?? undefined);
  return { args, settings, cores, coresHow: how, mcs: settings.channelArguments?.find((a) => a.key === MAX_STREAMS_KEY) };
}

async function streamLimit(ctx: CheckContext): Promise<number> {
  const limit = await advertisedStreamLimit(ctx.target.grpcEndpoint());
  const why = usableStreamLimit(limit);
  return why ? stopSkip(why) : limit;
}

async function inferBody(ctx: CheckContext): Promise<Buffer> {
  const input = (await servedInterface(ctx.target, ctx.run.options.modelName)).input;
  return grpcFrame(encodeModelInferRequest(zeroInferRequest(ctx.run.options.modelName, input)));
}

describe('dos', () => {
  defineCheck('dos.channel-args', {
    needs: ['command', 'container'],
    async observe(ctx) {
      const { args, settings, cores } = await context(ctx);
      return { serverArgs: args, channelArguments: settings.channelArguments, cores };
    },
    judge: judgeChannelArgs,
  });

  defineCheck('dos.max-concurrent-streams', {
    needs: ['grpc', 'command', 'container'],
    async observe(ctx) {
      const { mcs, cores, coresHow } = await context(ctx);
      return { configured: mcs, cores, coresHow, settings: await readServerSettings(ctx.target.grpcEndpoint()), address: ctx.target.grpcEndpoint().address };
    },
    judge: judgeMaxStreams,
  });

  defineCheck('dos.streams-queued', {
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

  defineCheck('dos.thread-cap', {
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

  defineCheck('dos.memory-quota', {
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

  defineCheck('dos.inference-parallelism', {
    needs: ['grpc', 'command', 'container', 'metrics'], timeoutMs: 120_000,
    async observe(ctx) {
      const { settings, cores } = await context(ctx);
      const model = ctx.run.options.modelName;
      const before = await readMetrics(ctx.target.rest());
      if (!before) return stopSkip('/metrics does not answer; the server needs --metrics_enable with ovms_streams and ovms_infer_req_active');
      const queueSize = family(before, 'ovms_infer_req_queue_size', model)[0] ?? null;
      const nireq = settings.nireq ?? queueSize;
      const threads = settings.grpcMaxThreads ?? 8 * cores;
      const total = Math.max(2, Math.min(threads - settings.grpcWorkers - 1, (nireq ?? 2) * 3));
      const limit = Math.min(64, await streamLimit(ctx));
      const connections = Math.ceil(total / limit);
      const sampler = new MetricsSampler(ctx.target.rest(), ['ovms_streams', 'ovms_infer_req_active'], model, 10);
      sampler.start();
      const report = await flood({ endpoint: ctx.target.grpcEndpoint(), method: MODEL_INFER, body: await inferBody(ctx), connections, inFlightPerConnection: Math.ceil(total / connections), maxCalls: 60, maxDurationMs: 10_000, allowRemote: ctx.run.options.allowRemoteFlood, progress: ctx.progress });
      await sampler.stop();
      return {
        numStreams: settings.numStreams, nireqConfigured: settings.nireq, queueSize, flood: report,
        streams: sampler.peaks.get('ovms_streams') ?? family(before, 'ovms_streams', model)[0] ?? null,
        activePeak: sampler.peaks.get('ovms_infer_req_active') ?? null, samples: sampler.samples,
      };
    },
    judge: judgeParallelism,
  });

  defineCheck('dos.rest-flood', {
    needs: ['rest', 'command', 'container'], timeoutMs: 60_000,
    async observe(ctx) {
      const { settings, cores } = await context(ctx);
      const workers = settings.restWorkers ?? Math.max(2, cores);
      const e = ctx.target.restEndpoint();
      await assertFloodTarget(hostPort(e).host, ctx.run.options.allowRemoteFlood);
      const connections = workers * 4;
      const path = `/v2/models/${encodeURIComponent(ctx.run.options.modelName)}`;
      const tls = tlsOptions(e);
      // Bounded by a request count (100 per connection); autocannon's per-request timeout bounds a hung server.
      const timeline: { endMs: number; status: string }[] = [];
      const t0 = performance.now();
      const r = await new Promise<autocannon.Result>((resolve, reject) => {
        const flood = autocannon({ url: `${e.address}${path}`, connections, amount: connections * 100, timeout: 5, pipelining: 1, headers: authHeaders(e), ...(tls ? { tlsOptions: tls } : {}) } as autocannon.Options, (err, res) => (err ? reject(err) : resolve(res)));
        flood.on('response', (_c, status) => { timeline.push({ endMs: performance.now() - t0, status: `HTTP ${status}` }); });
        flood.on('reqError', (err) => { timeline.push({ endMs: performance.now() - t0, status: (err as NodeJS.ErrnoException).code ?? 'error' }); });
      });
      const { after, alive } = await stateAfterProbe(ctx.target);
      const ready = after.running ? await ctx.target.rest().ready().then((a) => a.status, () => 0) : 0;
      const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]));
      return {
        workers, connections, amount: connections * 100, path, after, alive, readyAfter: ready, timeline,
        result: { total: r.requests.total, average: r.requests.average, statusCodes, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
      };
    },
    judge: judgeRestFlood,
  });

  defineCheck('dos.recovery', {
    needs: ['grpc'], runsAfterCasualty: true,
    async observe(ctx) {
      const { after } = ctx.run.target.container ? { after: await ctx.target.container().endState() } : { after: { running: true, restartCount: 0, exitCode: null, oomKilled: false, status: 'no container access' } };
      if (!after.running) return { after, alive: null, readyAfter: null, inference: null };
      const alive = await liveAfterProbe(ctx.target);
      const seen = await askReadyAt(ctx.run.target.endpoints, 5000);
      const { input, output } = await servedInterface(ctx.target, ctx.run.options.modelName);
      const r = await inferZeros(ctx.target.grpc(), ctx.run.options.modelName, input, output);
      const inference = { ok: r.ok, line: r.failure ? `ModelInfer (zeros) -> ${r.failure}` : `ModelInfer (zeros) -> OK, output ${r.output ?? 'none'} [${r.shape.join(',')}], ${r.values} finite values: ${r.ok}` };
      return { after, alive, readyAfter: seen.ready ? 200 : Number(/\d{3}/.exec(seen.detail)?.[0] ?? 0), inference };
    },
    judge: judgeRecovery,
  });
});
