// S3 denial-of-service limits under real floods, judged by what gRPC core really does
// (shared/facts/grpc-core-behaviour.md): SETTINGS_MAX_CONCURRENT_STREAMS with client-side queuing,
// the thread cap's fast "Server Threadpool Exhausted", the memory quota's ENHANCE_YOUR_CALM resets,
// nireq / NUM_STREAMS bounds from the metrics, a REST flood, and recovery afterwards.
import autocannon from 'autocannon';
import { describe } from 'vitest';
import { defineCheck } from '../src/checks/define-check.js';
import { checkProgress } from '../src/checks/progress.js';
import { suiteClients } from '../src/checks/suite-clients.js';
import { error, fail, pass, skip, warn } from '../src/checks/verdict.js';
import { liveAfterProbe, stateAfterProbe } from '../src/probes/after-probe.js';
import { ContainerSampler, endState } from '../src/probes/container-stats.js';
import { flood, grpcFrame, type FloodReport } from '../src/probes/flood.js';
import { zeroInferRequest } from '../src/probes/infer-request.js';
import { servedInterface } from '../src/probes/served-model.js';
import { MetricsSampler, readMetrics, family } from '../src/probes/metrics.js';
import { sendGrpcMessage } from '../src/probes/oversize-grpc.js';
import { sizedInferRequest } from '../src/probes/payload.js';
import { readServerSettings, UNLIMITED_STREAMS } from '../src/probes/stream-settings.js';
import { encodeModelInferRequest } from '../src/protocol/codec.js';
import { grpcFailure, kserveGrpcClient, rpc } from '../src/protocol/grpc-client.js';
import { rawToFp32 } from '../src/protocol/tensor.js';
import type { RunContext } from '../src/run-context.js';
import { inspectContainer } from '../src/target/docker.js';
import { containerCores, serverSettings } from '../src/target/server-settings.js';

const MODEL_INFER = '/inference.GRPCInferenceService/ModelInfer';
const MAX_STREAMS_KEY = 'grpc.max_concurrent_streams';
// Keys of gRPC core's channel arguments that a server deployment plausibly sets.
const KNOWN_CHANNEL_ARGS = new Set([
  MAX_STREAMS_KEY, 'grpc.max_connection_idle_ms', 'grpc.max_connection_age_ms', 'grpc.max_connection_age_grace_ms',
  'grpc.keepalive_time_ms', 'grpc.keepalive_timeout_ms', 'grpc.keepalive_permit_without_calls', 'grpc.http2.max_pings_without_data',
  'grpc.http2.min_recv_ping_interval_without_data_ms', 'grpc.http2.min_ping_interval_without_data_ms', 'grpc.max_receive_message_length',
  'grpc.max_send_message_length', 'grpc.http2.max_frame_size', 'grpc.http2.lookahead_bytes', 'grpc.http2.bdp_probe', 'grpc.so_reuseport',
  'grpc.max_metadata_size', 'grpc.http2.write_buffer_size', 'grpc.optimization_target', 'grpc.enable_channelz',
]);
const mib = (n: number | null): string => (n === null ? '-' : `${(n / 1048576).toFixed(0)} MiB`);

const { get, servedInput } = suiteClients();

async function context(run: RunContext) {
  const settings = serverSettings(run.target.spec.serverArgs);
  const { cores, how } = containerCores(await inspectContainer(run.target.containerId!));
  const mcs = settings.channelArguments?.find((a) => a.key === MAX_STREAMS_KEY);
  return { settings, cores, coresHow: how, mcs };
}

function floodLines(r: FloodReport): string[] {
  const l = r.latencyMs;
  return [
    `requested ${r.requested.connections} connections x ${r.requested.inFlightPerConnection} in flight, at most ${r.requested.maxCalls} calls or ${r.requested.maxDurationMs} ms; ended by ${r.endReason}`,
    r.serverStreamLimit === null ? 'the server announced no stream limit on the flood connections' : `the server announced SETTINGS_MAX_CONCURRENT_STREAMS ${r.serverStreamLimit}${r.serverStreamLimit < r.requested.inFlightPerConnection ? `: ${r.requested.inFlightPerConnection - r.serverStreamLimit} calls per connection waited on the client for a free stream, as gRPC clients queue them` : ''}`,
    `achieved ${r.achieved.count} calls in ${r.achieved.durationMs} ms: ${r.achieved.rate} calls/s (${r.achieved.okRate} OK/s)`,
    `statuses ${JSON.stringify(r.statusCodes)}`,
    ...Object.entries(r.errors).map(([k, v]) => `${v.count} x ${k} (e.g. "${v.example}")`),
    `latency ms (${l.all.population}): p50 ${l.all.p50}, p90 ${l.all.p90}, p99 ${l.all.p99}, max ${l.all.max}`,
    ...Object.values(l.byStatus).map((s) => `latency ms (${s.population}, n=${s.n}): p50 ${s.p50}, p99 ${s.p99}, max ${s.max}`),
  ];
}

function floodObserved(r: FloodReport) {
  return { requested: r.requested, achieved: r.achieved, serverStreamLimit: r.serverStreamLimit, statusCodes: r.statusCodes, latencyMs: JSON.parse(JSON.stringify(r.latencyMs)), histogram: r.histogram.map((h) => ({ le: String(h.le), count: h.count })) };
}

describe('dos', () => {
  defineCheck('dos.channel-args', async ({ run }) => {
    const { settings, cores } = await context(run);
    const args = settings.channelArguments;
    if (args === null) {
      return pass(`no --grpc_channel_arguments: OVMS keeps ${MAX_STREAMS_KEY} = cores (${cores})`, { items: [`server arguments: ${run.target.spec.serverArgs.join(' ') || '(none)'}`], observed: { channelArguments: null }, expected: { channelArguments: 'absent or sane' } });
    }
    const items: string[] = [`--grpc_channel_arguments ${args.map((a) => a.wellFormed ? `${a.key}=${a.raw}` : a.raw).join(',')}`];
    const bad: string[] = [];
    const unknown: string[] = [];
    for (const a of args) {
      if (!a.wellFormed) { bad.push(`"${a.raw}" is not key=value: OVMS refuses to start its gRPC server ("Grpc channel arguments passed in wrong format")`); continue; }
      if (a.key === MAX_STREAMS_KEY) {
        if (typeof a.value === 'string') bad.push(`${MAX_STREAMS_KEY}=${a.raw} is not a number: OVMS passes it as a string, gRPC ignores it and the stream limit silently disappears`);
        else if (a.value === 0) bad.push(`${MAX_STREAMS_KEY}=0: every call hangs until its deadline`);
        else if (a.value < 0) bad.push(`${MAX_STREAMS_KEY}=${a.value} is negative`);
        else items.push(`${MAX_STREAMS_KEY}=${a.value}: a numeric limit`);
      } else if (!KNOWN_CHANNEL_ARGS.has(a.key)) unknown.push(a.key);
      else items.push(`${a.key}=${a.raw}: known to gRPC`);
    }
    items.push(...bad, ...unknown.map((k) => `${k}: not a gRPC core channel argument this harness knows; gRPC ignores unknown keys`));
    const evidence = { items, observed: { channelArguments: args.map((a) => `${a.key}=${a.raw}`) }, expected: { [MAX_STREAMS_KEY]: 'a number > 0', unknownKeys: [] } };
    if (bad.length > 0) return fail(bad[0]!, evidence);
    if (unknown.length > 0) return warn(`unknown channel argument(s): ${unknown.join(', ')}`, evidence);
    return pass('channel arguments are well-formed with a numeric stream limit', evidence);
  }, { needsReadyServer: true });

  defineCheck('dos.max-concurrent-streams', async ({ run }) => {
    const { cores, coresHow, mcs } = await context(run);
    if (mcs && (typeof mcs.value !== 'number' || mcs.value <= 0)) return skip(`${MAX_STREAMS_KEY}=${mcs.raw} is not a usable limit; see dos.channel-args`);
    const expected = mcs ? (mcs.value as number) : cores;
    const settings = await readServerSettings(run.target.grpcAddress!);
    const observed = Number(settings['maxConcurrentStreams'] ?? UNLIMITED_STREAMS);
    const items = [
      `SETTINGS from ${run.target.grpcAddress}: ${JSON.stringify(settings)}`,
      `expected ${expected}: ${mcs ? `--grpc_channel_arguments ${MAX_STREAMS_KEY}=${mcs.raw}` : `the CPU count OVMS sees in the container (${coresHow})`}`,
    ];
    const evidence = { items, observed: { maxConcurrentStreams: observed }, expected: { maxConcurrentStreams: expected } };
    if (observed === expected) return pass(`SETTINGS_MAX_CONCURRENT_STREAMS = ${observed} as configured`, evidence);
    return fail(observed === UNLIMITED_STREAMS ? 'the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS: no per-client stream limit' : `SETTINGS_MAX_CONCURRENT_STREAMS = ${observed}, expected ${expected}`, evidence);
  }, { needsReadyServer: true });

  defineCheck('dos.streams-queued', async ({ run }) => {
    const settings = await readServerSettings(run.target.grpcAddress!);
    const limit = Number(settings['maxConcurrentStreams'] ?? UNLIMITED_STREAMS);
    if (limit === UNLIMITED_STREAMS || limit === 0) return skip(`the server sets ${limit === 0 ? 'a stream limit of 0' : 'no stream limit'}; see dos.max-concurrent-streams and dos.channel-args`);
    const calls = Math.min(64, Math.max(limit + 2, limit * 3));
    const client = kserveGrpcClient(run.target.grpcAddress!, { ownConnection: true });
    const sampler = new MetricsSampler(run.target.restUrl!, ['ovms_current_requests'], run.options.modelName, 10);
    const req = zeroInferRequest(run.options.modelName, await servedInput());
    sampler.start();
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: calls }, async () => {
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
    const peak = sampler.peaks.get('ovms_current_requests') ?? null;
    const failed = results.filter((r) => !r.ok);
    const done = results.map((r) => r.ms).sort((a, b) => a - b);
    const items = [
      `${calls} concurrent ModelInfer calls on one grpc-js channel (one HTTP/2 connection); server stream limit ${limit}`,
      `completion times ms: ${done.join(', ')}`,
      `statuses: ${results.filter((r) => r.ok).length} OK${failed.length ? `, ${failed.length} failed (${[...new Set(failed.map((f) => f.status))].join('; ')})` : ''}`,
      `ovms_current_requests peak ${peak ?? 'not observed'} over ${sampler.samples} /metrics samples every 10 ms`,
    ];
    const evidence = { items, observed: { calls, ok: calls - failed.length, peakInServer: peak, completionMs: done }, expected: { ok: calls, peakInServerAtMost: limit } };
    if (failed.length > 0) return fail(`${failed.length} of ${calls} calls beyond the stream limit failed instead of queueing: ${failed[0]!.status}`, evidence);
    if (peak === null) return error('ovms_current_requests could not be sampled from /metrics (start the server with --metrics_enable)', evidence);
    if (peak > limit) return fail(`${peak} calls were in the server at once on one connection, above the stream limit ${limit}`, evidence);
    return pass(`${calls} calls over a limit of ${limit} all completed OK, at most ${peak} in the server at once`, evidence);
  }, { needsReadyServer: true });

  defineCheck('dos.thread-cap', async ({ run }) => {
    const { settings, cores } = await context(run);
    const threads = settings.grpcMaxThreads ?? 8 * cores;
    const cap = threads === 0 ? Infinity : threads - settings.grpcWorkers;
    const limit = Math.min(64, Number((await readServerSettings(run.target.grpcAddress!))['maxConcurrentStreams'] ?? 64));
    const connections = Math.min(64, Math.ceil(Math.max(threads, 16) / limit) + 1);
    const inFlight = limit * 2;
    const sampler = new MetricsSampler(run.target.restUrl!, ['ovms_current_requests'], run.options.modelName, 20);
    const stats = new ContainerSampler(run.target.containerId!);
    await stats.start();
    sampler.start();
    const body = grpcFrame(encodeModelInferRequest(zeroInferRequest(run.options.modelName, await servedInput())));
    const r = await flood({ address: run.target.grpcAddress!, method: MODEL_INFER, body, connections, inFlightPerConnection: inFlight, maxCalls: Math.max(300, connections * inFlight * 4), maxDurationMs: 20_000, allowRemote: run.options.allowRemoteFlood, progress: checkProgress });
    await sampler.stop();
    const mem = stats.stop();
    const { after, alive } = await stateAfterProbe(run.target.containerId!, get());
    const exhausted = r.errors[`RESOURCE_EXHAUSTED: Server Threadpool Exhausted`]?.count ?? 0;
    const rejectedP50 = r.latencyMs.byStatus['RESOURCE_EXHAUSTED']?.p50 ?? null;
    const okP90 = r.latencyMs.byStatus['OK']?.p90 ?? null;
    const peak = sampler.peaks.get('ovms_current_requests') ?? null;
    const items = [
      `grpc_max_threads ${threads} (${settings.grpcMaxThreads === null ? `default 8 x ${cores} cores` : 'configured'}), grpc_workers ${settings.grpcWorkers}: at most ${cap} calls in handlers`,
      ...floodLines(r),
      `ovms_current_requests peak ${peak ?? 'not observed'} (${sampler.samples} samples)`,
      `container: peak memory ${mib(mem.memoryPeakBytes)}, peak CPU ${mem.cpuPeakPercent ?? '-'}% (${mem.samples} stats samples); afterwards ${after.status}, restarts ${after.restartCount}, exit code ${after.exitCode}, OOMKilled ${after.oomKilled}`,
      `recovery: ${alive.items.join('; ')}`,
    ];
    const evidence = { items, observed: { ...floodObserved(r), threadpoolExhausted: exhausted, peakInHandlers: peak, memoryPeakBytes: mem.memoryPeakBytes, restarts: after.restartCount, running: after.running, liveAfterwards: alive.live }, expected: { threadpoolExhaustedAtLeast: 1, peakInHandlersAtMost: cap, restarts: 0, liveAfterwards: true } };
    if (!after.running || after.restartCount > 0) return fail(`the server ${after.running ? 'restarted' : `stopped (exit code ${after.exitCode}${after.oomKilled ? ', OOM-killed' : ''})`} under the flood instead of refusing it`, evidence);
    if (exhausted === 0) return fail(`no call was refused with "Server Threadpool Exhausted" while ${connections * inFlight} were in flight: the flood was absorbed`, evidence);
    if (peak !== null && peak > cap) return fail(`${peak} calls were in handlers at once, above grpc_max_threads - grpc_workers = ${cap}`, evidence);
    // "Fast" as gRPC core refuses: before the served calls, not after queueing like them.
    if (rejectedP50 !== null && okP90 !== null && rejectedP50 > okP90) return fail(`refusals were not fast: p50 ${rejectedP50} ms, slower than 90% of served calls (p90 ${okP90} ms)`, evidence);
    if (!alive.live) return fail('the server is not live after the flood', evidence);
    return pass(`${exhausted} calls refused fast with "Server Threadpool Exhausted" (p50 ${rejectedP50} ms), at most ${peak ?? '?'} in handlers (cap ${cap}), live afterwards`, evidence);
  }, { needsReadyServer: true, timeoutMs: 180_000 });

  defineCheck('dos.memory-quota', async ({ run }) => {
    const { settings } = await context(run);
    const quota = settings.grpcMemoryQuota === null ? 2147483648 : settings.grpcMemoryQuota;
    const basis = quota === 0 ? 2147483648 : quota;
    const per = Math.min(run.options.messageLimit - 4096, Math.floor(basis * 0.375));
    const count = Math.ceil((basis * 1.125) / per);
    const stats = new ContainerSampler(run.target.containerId!);
    await stats.start();
    await stats.firstSample();
    // All requests hold their last byte until every one has sent the rest: then all are in flight
    // together, which is what the quota is about, whatever the transfer speed.
    let arrived = 0;
    let release!: () => void;
    const allThere = new Promise<void>((r) => { release = r; });
    const barrier = async (): Promise<void> => { if (++arrived === count) release(); await allThere; };
    const input = await servedInput();
    const results = await Promise.all(Array.from({ length: count }, () =>
      sendGrpcMessage(run.target.grpcAddress!, MODEL_INFER, sizedInferRequest(per, run.options.modelName, input), 300_000, barrier)));
    const mem = stats.stop();
    const { after, alive } = await stateAfterProbe(run.target.containerId!, get());
    const cut = results.filter((r) => r.rstCode === 11 || /Bandwidth exhausted|memory limit/.test(r.grpcMessage));
    const items = [
      `grpc_memory_quota ${quota} (${settings.grpcMemoryQuota === null ? 'default 2 GiB' : 'configured'}); ${count} concurrent ModelInferRequests of ${per} bytes, one connection each, ${count * per} bytes in all, each holding its last byte until all others have sent theirs`,
      ...results.map((r, i) => `request ${i + 1}: sent ${r.bytesSent} of ${r.announced} bytes in ${r.durationMs} ms; ${r.rstCode === 11 ? 'RST_STREAM ENHANCE_YOUR_CALM (11)' : r.grpcStatus !== null ? `grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 100)}"` : `closed (${r.error ?? `RST ${r.rstCode}`})`}`),
      `container: memory ${mib(mem.memoryBaselineBytes)} -> peak ${mib(mem.memoryPeakBytes)} (${mem.samples} stats samples); afterwards ${after.status}, exit code ${after.exitCode}, OOMKilled ${after.oomKilled}, restarts ${after.restartCount}`,
      `afterwards: ${alive.items.join('; ')}`,
    ];
    const evidence = { items, observed: { requests: count, bytesEach: per, cutByQuota: cut.length, memoryPeakBytes: mem.memoryPeakBytes, oomKilled: after.oomKilled, liveAfterwards: alive.live }, expected: { cutByQuotaAtLeast: 1, oomKilled: false, liveAfterwards: true } };
    if (!after.running) return fail(`the server died (exit ${after.exitCode}${after.oomKilled ? ', OOM-killed' : ''}) under ${count} x ${mib(per)}`, evidence);
    if (cut.length === 0) return fail(`all ${count} requests (${mib(count * per)} in all, over the ${mib(quota)} quota) passed the transport: no memory quota acts`, evidence);
    if (!alive.live) return fail('the server is not live afterwards', evidence);
    return pass(`${cut.length} of ${count} requests were cut by the memory quota (ENHANCE_YOUR_CALM); peak memory ${mib(mem.memoryPeakBytes)}; live afterwards`, evidence);
  }, { needsReadyServer: true, timeoutMs: 600_000 });

  defineCheck('dos.inference-parallelism', async ({ run }) => {
    const { settings, cores } = await context(run);
    const before = await readMetrics(run.target.restUrl!);
    if (!before) return error('/metrics does not answer; the server needs --metrics_enable with ovms_streams and ovms_infer_req_active');
    const model = run.options.modelName;
    const queueSize = family(before, 'ovms_infer_req_queue_size', model)[0] ?? null;
    const nireq = settings.nireq ?? queueSize;
    const threads = settings.grpcMaxThreads ?? 8 * cores;
    const total = Math.max(2, Math.min(threads - settings.grpcWorkers - 1, (nireq ?? 2) * 3));
    const limit = Math.min(64, Number((await readServerSettings(run.target.grpcAddress!))['maxConcurrentStreams'] ?? 64));
    const connections = Math.ceil(total / limit);
    const sampler = new MetricsSampler(run.target.restUrl!, ['ovms_streams', 'ovms_infer_req_active'], model, 10);
    sampler.start();
    const body = grpcFrame(encodeModelInferRequest(zeroInferRequest(model, await servedInput())));
    const r = await flood({ address: run.target.grpcAddress!, method: MODEL_INFER, body, connections, inFlightPerConnection: Math.ceil(total / connections), maxCalls: 150, maxDurationMs: 10_000, allowRemote: run.options.allowRemoteFlood, progress: checkProgress });
    await sampler.stop();
    const streams = sampler.peaks.get('ovms_streams') ?? family(before, 'ovms_streams', model)[0] ?? null;
    const active = sampler.peaks.get('ovms_infer_req_active') ?? null;
    const items = [
      `configuration: NUM_STREAMS ${settings.numStreams ?? 'not set (OpenVINO decides)'}, nireq ${settings.nireq ?? `not set; ovms_infer_req_queue_size = ${queueSize ?? '?'}`}`,
      ...floodLines(r),
      `metrics over ${sampler.samples} samples: ovms_streams ${streams ?? 'absent'}, ovms_infer_req_active peak ${active ?? 'absent'}`,
    ];
    const evidence = { items, observed: { ...floodObserved(r), ovmsStreams: streams, inferReqActivePeak: active }, expected: { ovmsStreams: settings.numStreams ?? 'recorded', inferReqActiveAtMost: nireq } };
    if (streams === null || active === null) return error('ovms_streams / ovms_infer_req_active were not in /metrics (add them to --metrics_list)', evidence);
    if (settings.numStreams !== null && streams !== settings.numStreams) return fail(`ovms_streams = ${streams}, but NUM_STREAMS is configured as ${settings.numStreams}`, evidence);
    if (nireq !== null && active > nireq) return fail(`${active} infer requests were active at once, above nireq ${nireq}`, evidence);
    if ((r.statusCodes['OK'] ?? 0) === 0) return error('no call of the flood was served, so parallelism could not be observed', evidence);
    return pass(`at most ${active} infer requests active (nireq ${nireq ?? '?'}), ovms_streams ${streams}${settings.numStreams !== null ? ' as configured' : ''}, over ${r.achieved.count} calls`, evidence);
  }, { needsReadyServer: true, timeoutMs: 120_000 });

  defineCheck('dos.rest-flood', async ({ run }) => {
    const { settings, cores } = await context(run);
    const workers = settings.restWorkers ?? Math.max(2, cores);
    const url = new URL(run.target.restUrl!);
    if (!run.options.allowRemoteFlood && !/^127\./.test(url.hostname)) return error(`refusing to flood ${url.hostname}: not loopback`);
    const connections = workers * 4;
    const r = await autocannon({ url: `${run.target.restUrl}/v2/models/${encodeURIComponent(run.options.modelName)}`, connections, duration: 5, pipelining: 1 });
    const { after, alive } = await stateAfterProbe(run.target.containerId!, get());
    const ready = after.running ? await get().rest.ready().then((a) => a.status, () => 0) : 0;
    const codes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]));
    const items = [
      `autocannon: ${connections} connections (rest_workers ${workers} x 4) for 5 s on GET /v2/models/${run.options.modelName}`,
      `${r.requests.total} requests, ${r.requests.average} req/s average; status codes ${JSON.stringify(codes)}; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`,
      `latency ms: p50 ${r.latency.p50}, p99 ${r.latency.p99}, max ${r.latency.max}`,
      `afterwards: ${after.status}, restarts ${after.restartCount}; GET /v2/health/ready -> ${ready}; ${alive.items.join('; ')}`,
    ];
    const evidence = { items, observed: { requests: r.requests.total, rate: r.requests.average, statusCodes: codes, errors: r.errors, timeouts: r.timeouts, readyAfter: ready, liveAfterwards: alive.live }, expected: { readyAfter: 200, liveAfterwards: true } };
    if (!after.running) return fail(`the server stopped under the REST flood (exit ${after.exitCode})`, evidence);
    if (!alive.live || ready !== 200) return fail(`after the REST flood the server is ${alive.live ? 'live but not ready' : 'not live'}`, evidence);
    return pass(`${r.requests.total} requests from ${connections} connections; live and ready afterwards`, evidence);
  }, { needsReadyServer: true, timeoutMs: 60_000 });

  defineCheck('dos.recovery', async ({ run }) => {
    const after = await endState(run.target.containerId!);
    const items = [`container ${after.status}, restarts ${after.restartCount}, exit code ${after.exitCode}, OOMKilled ${after.oomKilled}`];
    const observed = { running: after.running, restarts: after.restartCount };
    if (!after.running) return fail(`the server is gone after the floods (exit code ${after.exitCode}${after.oomKilled ? ', OOM-killed' : ''})`, { items, observed, expected: { running: true } });
    const c = get();
    const alive = await liveAfterProbe(c);
    const ready = await c.rest.ready().then((a) => a.status, () => 0);
    items.push(...alive.items, `REST GET /v2/health/ready -> ${ready}`);
    const { input, output: expectedOut } = await servedInterface(c.rest, run.options.modelName);
    let inferOk = false;
    try {
      const res = await rpc.modelInfer(c.grpc, zeroInferRequest(run.options.modelName, input), 30_000);
      const idx = expectedOut ? res.outputs.findIndex((o) => o.name === expectedOut.name) : 0;
      const out = idx >= 0 ? res.outputs[idx] : undefined;
      const values = out && res.raw_output_contents[idx] ? rawToFp32(res.raw_output_contents[idx]!) : new Float32Array();
      const shapeOk = !expectedOut || JSON.stringify(out?.shape.map(Number)) === JSON.stringify(expectedOut.shape);
      inferOk = !!out && shapeOk && values.length > 0 && values.every(Number.isFinite);
      items.push(`ModelInfer (zeros) -> OK, output ${out?.name} [${out?.shape.join(',')}], ${values.length} finite values: ${inferOk}`);
    } catch (e) {
      const f = grpcFailure(e);
      items.push(`ModelInfer (zeros) -> ${f.codeName} ${f.details}`);
    }
    const evidence = { items, observed: { ...observed, live: alive.live, ready, inference: inferOk }, expected: { running: true, live: true, ready: 200, inference: true } };
    if (!alive.live || ready !== 200 || !inferOk) return fail('the server has not recovered: not live, not ready or not inferring correctly', evidence);
    return pass('after the floods the server is live, ready and answers a correct inference', evidence);
  }, { needsReadyServer: true, runsAfterCasualty: true });
});
