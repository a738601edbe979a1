// What the DoS checks share: the configured limits and the cores OVMS sees, the stream limit the
// server announces, a valid inference body for floods, and the floods' wording in the evidence.
import { type CheckContext, stopSkip } from '../../check-kit/context.js';
import { type FloodReport, grpcFrame } from '../../probes/flood.js';
import { UNLIMITED_STREAMS, advertisedStreamLimit } from '../../protocol/stream-settings.js';
import { containerCores, serverSettings } from '../../ovms/server-settings.js';
import { encodeModelInferRequest } from '../../protocol/codec.js';
import { servedInterface } from '../../probes/served-model.js';
import { zeroInferRequest } from '../../probes/infer-request.js';

export const DECLARE = 'declare it with --declared-server-args';
export const MAX_STREAMS_KEY = 'grpc.max_concurrent_streams';
export const THREADPOOL_EXHAUSTED = 'Server Threadpool Exhausted';
export const mib = (n: number | null): string => (n === null ? '-' : `${(n / 1048576).toFixed(0)} MiB`);
const NO_LIMIT = (limit: number): string => `the server advertises ${limit === 0 ? 'a stream limit of 0 (every call would hang)' : 'no stream limit'}, so a flood cannot be sized per connection; see dos.channel-args and dos.max-concurrent-streams`;

/** A stream limit the flood checks can divide by, or why not. */
export function usableStreamLimit(limit: number): string | null {
  return limit === 0 || limit === UNLIMITED_STREAMS || !Number.isFinite(limit) ? NO_LIMIT(limit) : null;
}

export function floodLines(r: FloodReport): string[] {
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

export function floodObserved(r: FloodReport) {
  return { requested: r.requested, achieved: r.achieved, serverStreamLimit: r.serverStreamLimit, statusCodes: r.statusCodes, latencyMs: JSON.parse(JSON.stringify(r.latencyMs)), histogram: r.histogram.map((h) => ({ le: String(h.le), count: h.count })) };
}


/** What the command line configures (declared for a remote target, or nothing), and the CPU count OVMS sees in the container (null without container access). */
export async function context(ctx: CheckContext) {
  const command = ctx.run.target.command;
  const args = command?.serverArgs ?? [];
  const settings = serverSettings(args);
  const seen = ctx.run.target.container ? containerCores(await ctx.target.container().inspect(), ctx.run.engineCpus ?? undefined) : null;
  return {
    args, commandKnown: command !== null, settings, cores: seen?.cores ?? null,
    coresHow: seen?.how ?? `unknown: a ${ctx.run.target.kind} target offers no container to read the CPUs from`,
    mcs: settings.channelArguments?.find((a) => a.key === MAX_STREAMS_KEY),
  };
}

/**
 * Completion times (ms from one common start) split into waves: a gap longer than half the first
 * completion separates two. Null when the calls are too fast to tell waves from jitter.
 */
export function completionWaves(doneMs: readonly number[], minServiceMs = 20): number[] | null {
  const d = [...doneMs].sort((a, b) => a - b);
  if (d.length === 0 || d[0]! < minServiceMs) return null;
  const gap = d[0]! / 2;
  const sizes = [1];
  for (let i = 1; i < d.length; i++) {
    if (d[i]! - d[i - 1]! > gap) sizes.push(1);
    else sizes[sizes.length - 1] = sizes[sizes.length - 1]! + 1;
  }
  return sizes;
}

export async function streamLimit(ctx: CheckContext): Promise<number> {
  const limit = await advertisedStreamLimit(ctx.target.grpcEndpoint());
  const why = usableStreamLimit(limit);
  return why ? stopSkip(why) : limit;
}

export async function inferBody(ctx: CheckContext): Promise<Buffer> {
  const input = (await servedInterface(ctx.target, ctx.run.options.modelName)).input;
  return grpcFrame(encodeModelInferRequest(zeroInferRequest(ctx.run.options.modelName, input)));
}
