// dos.max-concurrent-streams: the SETTINGS frame against the configured value or the cores.
import { describe, expect, it } from 'vitest';
import { parseChannelArguments } from '../../ovms/server-settings.js';
import { judgeMaxStreams } from './max-concurrent-streams.js';

describe('dos.max-concurrent-streams', () => {
  const mk = (settings: Record<string, unknown>, text?: string, cores: number | null = 2) => judgeMaxStreams({ commandKnown: true, configured: text ? parseChannelArguments(text)[0] : undefined, cores, coresHow: 'host 2', settings, address: 'a' });
  it('compares the SETTINGS frame with the configured value or the cores', () => {
    expect(mk({ maxConcurrentStreams: 2 }).verdict).toBe('pass');
    expect(mk({ maxConcurrentStreams: 3 }, 'grpc.max_concurrent_streams=3').verdict).toBe('pass');
    expect(mk({}).verdict).toBe('violated');
    expect(mk({ maxConcurrentStreams: 3 }).verdict).toBe('violated');
    expect(mk({}, 'grpc.max_concurrent_streams=abc').verdict).toBe('skip');
  });
  it('without the cores (a remote target) a configured value is still judged, an unconfigured one is inconclusive', () => {
    expect(mk({ maxConcurrentStreams: 3 }, 'grpc.max_concurrent_streams=3', null).verdict).toBe('pass');
    expect(mk({ maxConcurrentStreams: 4 }, 'grpc.max_concurrent_streams=3', null).verdict).toBe('violated');
    expect(mk({ maxConcurrentStreams: 4 }, undefined, null).verdict).toBe('warn');
    expect(mk({}, undefined, null).verdict).toBe('violated');
  });
});
