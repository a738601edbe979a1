// dos.channel-args: non-numeric or 0 streams fail, malformed items fail, unknown keys warn
// (grpc-core-behaviour section 4).
import { describe, expect, it } from 'vitest';
import { parseChannelArguments } from '../../ovms/server-settings.js';
import { judgeChannelArgs } from './channel-args.js';

describe('dos.channel-args', () => {
  const ca = (text: string | null) => judgeChannelArgs({ serverArgs: [], channelArguments: text === null ? null : parseChannelArguments(text), cores: 2 });
  it.each([
    [null, 'pass'], ['grpc.max_concurrent_streams=3', 'pass'], ['grpc.max_concurrent_streams=abc', 'violated'],
    ['grpc.max_concurrent_streams=0', 'violated'], ['nokeyvalue', 'violated'], ['grpc.made_up=1', 'warn'],
  ])('%s -> %s', (text, verdict) => {
    expect(ca(text).verdict).toBe(verdict);
  });
});
