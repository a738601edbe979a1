// dos.thread-cap on the measured 15 OK / 35 refused at 16 threads (grpc-core-behaviour section 2).
import { describe, expect, it } from 'vitest';
import { summarise, type CallRecord } from '../../probes/flood.js';
import { live, running } from '../../../test/support/s3-fixtures.js';
import { judgeThreadCap } from './thread-cap.js';

describe('dos.thread-cap', () => {
  const calls = (ok: number, exhausted: number): CallRecord[] => [
    ...Array.from({ length: ok }, (_, i) => ({ startMs: 0, endMs: 200 + i, status: 'OK', message: '', connection: 0 })),
    ...Array.from({ length: exhausted }, () => ({ startMs: 0, endMs: 5, status: 'RESOURCE_EXHAUSTED', message: 'Server Threadpool Exhausted', connection: 1 })),
  ];
  const obs = (c: CallRecord[], peak: number | null, after = running) => ({
    threads: 16, threadsConfigured: false, workers: 1, cores: 2, connections: 9, inFlight: 4, flood: { ...summarise(c, { connections: 9, inFlightPerConnection: 4, maxCalls: 50, maxDurationMs: 1000 }, 1000, 'count'), serverStreamLimit: 2 },
    peakInHandlers: peak, samples: 20, mem: null, after, alive: live,
  });
  it('passes the measured 15 OK / 35 refused at 16 threads', () => {
    expect(judgeThreadCap(obs(calls(15, 35), 15)).verdict).toBe('pass');
  });
  it('fails an absorbed flood, more in handlers than the cap, and a crash', () => {
    expect(judgeThreadCap(obs(calls(50, 0), 50)).verdict).toBe('violated');
    expect(judgeThreadCap(obs(calls(15, 35), 40)).verdict).toBe('violated');
    expect(judgeThreadCap(obs(calls(15, 35), 15, { ...running, running: false, exitCode: 134 })).verdict).toBe('violated');
  });
});
