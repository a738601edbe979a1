// dos.max-concurrent-streams: the SETTINGS frame against the configured value or the cores.
import { describe, expect, it } from 'vitest';
import { parseChannelArguments } from '../../ovms/server-settings.js';
import { judgeMaxStreams } from './max-concurrent-streams.js';

describe('dos.max-concurrent-streams', () => {
  it('compares the SETTINGS frame with the configured value or the cores', () => {
    const mk = (settings: Record<string, unknown>, text?: string) => judgeMaxStreams({ configured: text ? parseChannelArguments(text)[0] : undefined, cores: 2, coresHow: 'host 2', settings, address: 'a' });
    expect(mk({ maxConcurrentStreams: 2 }).verdict).toBe('pass');
    expect(mk({ maxConcurrentStreams: 3 }, 'grpc.max_concurrent_streams=3').verdict).toBe('pass');
    expect(mk({}).verdict).toBe('violated');
    expect(mk({ maxConcurrentStreams: 3 }).verdict).toBe('violated');
    expect(mk({}, 'grpc.max_concurrent_streams=abc').verdict).toBe('skip');
  });
});
