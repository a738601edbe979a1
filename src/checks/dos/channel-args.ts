// dos.channel-args: --grpc_channel_arguments as OVMS passes them to gRPC: a non-numeric
// grpc.max_concurrent_streams silently removes the limit and 0 hangs every call.
// Keys of gRPC core's channel arguments that a server deployment plausibly sets.
import type { ChannelArgument } from '../../ovms/server-settings.js';
import { type Evidence, type Judgement, pass, violated, warn } from '../../check-kit/verdict.js';
import { MAX_STREAMS_KEY, context } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
const KNOWN_CHANNEL_ARGS = new Set([
  MAX_STREAMS_KEY, 'grpc.max_connection_idle_ms', 'grpc.max_connection_age_ms', 'grpc.max_connection_age_grace_ms',
  'grpc.keepalive_time_ms', 'grpc.keepalive_timeout_ms', 'grpc.keepalive_permit_without_calls', 'grpc.http2.max_pings_without_data',
  'grpc.http2.min_recv_ping_interval_without_data_ms', 'grpc.http2.min_ping_interval_without_data_ms', 'grpc.max_receive_message_length',
  'grpc.max_send_message_length', 'grpc.http2.max_frame_size', 'grpc.http2.lookahead_bytes', 'grpc.http2.bdp_probe', 'grpc.so_reuseport',
  'grpc.max_metadata_size', 'grpc.http2.write_buffer_size', 'grpc.optimization_target', 'grpc.enable_channelz',
]);

export function judgeChannelArgs(o: { serverArgs: string[]; channelArguments: ChannelArgument[] | null; cores: number | null }): Judgement {
  const args = o.channelArguments;
  if (args === null) {
    return pass(`no --grpc_channel_arguments: OVMS keeps ${MAX_STREAMS_KEY} = cores (${o.cores ?? 'count not known here'})`, { items: [`server arguments: ${o.serverArgs.join(' ') || '(none)'}`], observed: { channelArguments: null }, expected: { channelArguments: 'absent or sane' } });
  }
  const items: string[] = [`--grpc_channel_arguments ${args.map((a) => (a.wellFormed ? `${a.key}=${a.raw}` : a.raw)).join(',')}`];
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
  const evidence: Evidence = { items, observed: { channelArguments: args.map((a) => `${a.key}=${a.raw}`) }, expected: { [MAX_STREAMS_KEY]: 'a number > 0', unknownKeys: [] } };
  if (bad.length > 0) return violated(bad[0]!, evidence);
  if (unknown.length > 0) return warn(`unknown channel argument(s): ${unknown.join(', ')}`, evidence);
  return pass('channel arguments are well-formed with a numeric stream limit', evidence);
}

export default defineCheck({
  id: 'dos.channel-args',
  title: "the deployment's --grpc_channel_arguments are sane",
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'use numeric values > 0 for grpc.max_concurrent_streams and drop unknown keys',
  impact: 'none',
  needs: ['command'],
  uses: ['container'],
  async observe(ctx) {
    const { args, settings, cores } = await context(ctx);
    return { serverArgs: args, channelArguments: settings.channelArguments, cores };
  },
  judge: judgeChannelArgs,
});
