// dos.max-concurrent-streams: the SETTINGS_MAX_CONCURRENT_STREAMS the server sends equals the
// configured value, else the CPU count OVMS sees in the container.
import type { ChannelArgument } from '../../ovms/server-settings.js';
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { MAX_STREAMS_KEY, context } from './common.js';
import { UNLIMITED_STREAMS, readServerSettings } from '../../probes/stream-settings.js';
import { defineCheck } from '../../check-kit/define-check.js';

export interface MaxStreamsObs { configured: ChannelArgument | undefined; cores: number; coresHow: string; settings: Record<string, unknown>; address: string }

export function judgeMaxStreams(o: MaxStreamsObs): Judgement {
  const mcs = o.configured;
  if (mcs && (typeof mcs.value !== 'number' || mcs.value <= 0)) return skip(`${MAX_STREAMS_KEY}=${mcs.raw} is not a usable limit; see dos.channel-args`);
  const expected = mcs ? (mcs.value as number) : o.cores;
  const observed = Number(o.settings['maxConcurrentStreams'] ?? UNLIMITED_STREAMS);
  const items = [
    `SETTINGS from ${o.address}: ${JSON.stringify(o.settings)}`,
    `expected ${expected}: ${mcs ? `--grpc_channel_arguments ${MAX_STREAMS_KEY}=${mcs.raw}` : `the CPU count OVMS sees in the container (${o.coresHow})`}`,
  ];
  const evidence: Evidence = { items, observed: { maxConcurrentStreams: observed }, expected: { maxConcurrentStreams: expected } };
  if (observed === expected) return pass(`SETTINGS_MAX_CONCURRENT_STREAMS = ${observed} as configured`, evidence);
  return violated(observed === UNLIMITED_STREAMS ? 'the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS: no per-client stream limit' : `SETTINGS_MAX_CONCURRENT_STREAMS = ${observed}, expected ${expected}`, evidence);
}

export default defineCheck({
  id: 'dos.max-concurrent-streams',
  title: 'the server advertises the configured SETTINGS_MAX_CONCURRENT_STREAMS',
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'set --grpc_channel_arguments grpc.max_concurrent_streams=N with a numeric N > 0',
  impact: 'a client opens more connections to get more calls in flight',
  needs: ['grpc', 'command', 'container'],
  async observe(ctx) {
    const { mcs, cores, coresHow } = await context(ctx);
    return { configured: mcs, cores, coresHow, settings: await readServerSettings(ctx.target.grpcEndpoint()), address: ctx.target.grpcEndpoint().address };
  },
  judge: judgeMaxStreams,
});
