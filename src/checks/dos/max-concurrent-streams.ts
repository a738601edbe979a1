// dos.max-concurrent-streams: the SETTINGS_MAX_CONCURRENT_STREAMS the server sends equals the
// configured value, else the CPU count OVMS sees in the container.
import type { ChannelArgument } from '../../ovms/server-settings.js';
import { type Evidence, type Judgement, pass, skip, violated, warn } from '../../check-kit/verdict.js';
import { DECLARE, MAX_STREAMS_KEY, context } from './common.js';
import { UNLIMITED_STREAMS, readServerSettings } from '../../protocol/stream-settings.js';
import { defineCheck } from '../../check-kit/define-check.js';

export interface MaxStreamsObs { commandKnown: boolean; configured: ChannelArgument | undefined; cores: number | null; coresHow: string; settings: Record<string, unknown>; address: string }

export function judgeMaxStreams(o: MaxStreamsObs): Judgement {
  const mcs = o.configured;
  if (mcs && (typeof mcs.value !== 'number' || mcs.value <= 0)) return skip(`${MAX_STREAMS_KEY}=${mcs.raw} is not a usable limit; see dos.channel-args`);
  const expected = mcs ? (mcs.value as number) : o.cores;
  const observed = Number(o.settings['maxConcurrentStreams'] ?? UNLIMITED_STREAMS);
  const source = mcs ? `--grpc_channel_arguments ${MAX_STREAMS_KEY}=${mcs.raw}`
    : o.commandKnown ? `the CPU count OVMS sees in the container (${o.coresHow})` : "unknown: the server's command line is not known";
  const items = [`SETTINGS from ${o.address}: ${JSON.stringify(o.settings)}`, `expected ${expected ?? '?'}: ${source}`];
  const evidence: Evidence = { items, observed: { maxConcurrentStreams: observed }, expected: { maxConcurrentStreams: expected } };
  if (observed === UNLIMITED_STREAMS) return violated('the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS: no per-client stream limit', evidence);
  if (expected === null) {
    return warn(`inconclusive: the server advertises a stream limit of ${observed}, but the value it should have is not known (${o.commandKnown ? 'no container to count the CPUs of' : `no command line; ${DECLARE}`})`, evidence);
  }
  if (observed === expected) return pass(`SETTINGS_MAX_CONCURRENT_STREAMS = ${observed} as configured`, evidence);
  return violated(`SETTINGS_MAX_CONCURRENT_STREAMS = ${observed}, expected ${expected}`, evidence);
}

export default defineCheck({
  id: 'dos.max-concurrent-streams',
  title: 'the server advertises the configured SETTINGS_MAX_CONCURRENT_STREAMS',
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'set --grpc_channel_arguments grpc.max_concurrent_streams=N with a numeric N > 0',
  impact: 'a client opens more connections to get more calls in flight',
  needs: ['grpc'],
  uses: ['command', 'container'],
  async observe(ctx) {
    const { mcs, cores, coresHow, commandKnown } = await context(ctx);
    return { commandKnown, configured: mcs, cores, coresHow, settings: await readServerSettings(ctx.target.grpcEndpoint()), address: ctx.target.grpcEndpoint().address };
  },
  judge: judgeMaxStreams,
});
