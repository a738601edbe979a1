// dos.thread-cap on the measured 15 OK / 35 refused at 16 threads (grpc-core-behaviour section 2),
// with /metrics and without it (the wire's count at the first refusal), and with the cap unknown.
import { describe, expect, it } from 'vitest';
import { summarise, type CallRecord, type FloodReport } from '../../probes/flood.js';
import { live, running } from '../../../test/support/s3-fixtures.js';
import { judgeThreadCap, type ThreadCapObs } from './thread-cap.js';
import { said } from '../../../test/support/judgement.js';

describe('dos.thread-cap', () => {
  const calls = (ok: number, exhausted: number): CallRecord[] => [
    ...Array.from({ length: ok }, (_, i) => ({ startMs: 0, endMs: 200 + i, status: 'OK', message: '', connection: 0 })),
    ...Array.from({ length: exhausted }, () => ({ startMs: 0, endMs: 5, status: 'RESOURCE_EXHAUSTED', message: 'Server Threadpool Exhausted', connection: 1 })),
  ];
  const flood = (c: CallRecord[]): FloodReport => ({
    ...summarise(c, { connections: 9, inFlightPerConnection: 4, maxCalls: 50, maxDurationMs: 1000 }, 1000, 'count'), serverStreamLimit: 2,
    openAtFirstRefusal: c.some((x) => x.status !== 'OK') ? { open: 18, status: 'RESOURCE_EXHAUSTED Server Threadpool Exhausted', atMs: 5 } : null,
  });
  const sampled = (peak: number) => ({ peaks: { ovms_current_requests: peak }, samples: 20, everyMs: 20, absent: null });
  const absent = { peaks: {}, samples: 0, everyMs: 20, absent: 'the deployment has no REST endpoint, so no /metrics' };
  const obs = (c: CallRecord[], over: Partial<ThreadCapObs> = {}): ThreadCapObs => ({
    threads: 16, threadsHow: 'default 8 x 2 cores', workers: 1, connections: 9, inFlight: 4, flood: flood(c), gauges: sampled(15), mem: null, after: running, alive: live, ...over,
  });
  it('passes the measured 15 OK / 35 refused at 16 threads', () => {
    expect(judgeThreadCap(obs(calls(15, 35))).verdict).toBe('pass');
  });
  it('fails an absorbed flood, more in handlers than the cap, and a crash', () => {
    expect(judgeThreadCap(obs(calls(50, 0), { gauges: sampled(50) })).verdict).toBe('violated');
    expect(judgeThreadCap(obs(calls(15, 35), { gauges: sampled(40) })).verdict).toBe('violated');
    expect(judgeThreadCap(obs(calls(15, 35), { after: { ...running, running: false, exitCode: 134 } })).verdict).toBe('violated');
  });
  it('judges from the flood without /metrics: refusals, their speed, the calls open at the first one', () => {
    const j = judgeThreadCap(obs(calls(15, 35), { gauges: absent }));
    expect(j.verdict).toBe('pass');
    expect(said(j)).toContain('at most 18 open on the wire at the first refusal');
    expect(judgeThreadCap(obs(calls(50, 0), { gauges: absent })).verdict).toBe('violated');
  });
  it('with the cap unknown, an absorbed flood is inconclusive (warn) and refusals still pass', () => {
    const unknown = { threads: null, threadsHow: 'not known', gauges: absent };
    const j = judgeThreadCap(obs(calls(50, 0), unknown));
    expect(j.verdict).toBe('warn');
    expect(said(j)).toContain('--declared-server-args');
    expect(judgeThreadCap(obs(calls(15, 35), unknown)).verdict).toBe('pass');
  });
});
