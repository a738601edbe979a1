// The S3 judgements (message limits and DoS) on recorded observations, including the figures of
// shared/facts/grpc-core-behaviour.md: what gRPC core answers at the limit, the thread cap's
// "Server Threadpool Exhausted", the memory quota's RST_STREAM 11 cutting 1 of 3 or 3 of 3.
import { describe, expect, it } from 'vitest';
import {
  judgeChannelArgs, judgeMaxStreams, judgeMemoryQuota, judgeParallelism, judgeRecovery, judgeStreamsQueued, judgeThreadCap,
  quotaProbe, QUOTA_MIN_REQUEST, usableStreamLimit,
} from '../../src/judge/dos.js';
import { judgeGrpcAtLimit, judgeGrpcBuffering, judgeGrpcOversize, judgeRestAtLimit, judgeRestOversize } from '../../src/judge/limits.js';
import { summarise, type CallRecord } from '../../src/probes/flood.js';
import type { GrpcSendResult } from '../../src/probes/oversize-grpc.js';
import { restRefusal, type RestSendResult } from '../../src/probes/oversize-rest.js';
import { UNLIMITED_STREAMS } from '../../src/probes/stream-settings.js';
import { parseChannelArguments } from '../../src/ovms/server-settings.js';

const GiB = 1073741824;
const MiB = 1048576;
const live = { live: true, items: ['REST GET /v2/health/live -> 200'] };
const dead = { live: false, items: ['REST GET /v2/health/live -> no answer (ECONNREFUSED)'] };
const grpc = (o: Partial<GrpcSendResult>): GrpcSendResult => ({ announced: GiB + 1, bytesSent: GiB + 1, grpcStatus: null, grpcMessage: '', rstCode: null, answerAfterMs: 3900, answerAfterLastByteMs: 2, durationMs: 3900, error: null, ...o });
const rest = (o: Partial<RestSendResult>): RestSendResult => ({ declared: GiB + 1, bytesSent: 0, status: null, headers: {}, body: '', closedBeforeBodyDone: false, continueReceived: false, connectionError: null, answerAfterMs: 1, durationMs: 1, ...o });
const running = { running: true, restartCount: 0, exitCode: 0, oomKilled: false, status: 'running' };

describe('limits.grpc-oversize', () => {
  const judge = (sent: GrpcSendResult, alive = live) => judgeGrpcOversize({ limit: GiB, describe: 'req', sent, alive });
  it('passes gRPC core\'s answer at 1 GiB + 1 (facts section 1)', () => {
    expect(judge(grpc({ grpcStatus: 8, grpcMessage: 'Received message larger than max (1073741825 vs. 1073741824)' })).verdict).toBe('pass');
  });
  it.each([
    ['the gRPC default 4 MiB instead of 1 GiB', grpc({ grpcStatus: 8, grpcMessage: 'Received message larger than max (1073741825 vs. 4194304)' }), "the server's limit is 4194304"],
    ['a model validation error: the message reached the handler', grpc({ grpcStatus: 3, grpcMessage: 'Invalid input shape' }), 'was not refused for its size'],
    ['OK', grpc({ grpcStatus: 0 }), 'was not refused for its size'],
    ['a truncated-message error, not a size rejection', grpc({ grpcStatus: 13, grpcMessage: "Couldn't initialize byte buffer reader" }), 'was not refused'],
  ])('fails %s', (_n, sent, text) => {
    const j = judge(sent);
    expect(j.verdict).toBe('violated');
    expect(j.verdict === 'violated' && j.summary).toContain(text);
  });
  it('fails a server that died on the message', () => {
    expect(judge(grpc({ error: 'ECONNRESET' }), dead).verdict).toBe('violated');
  });
});

describe('limits.rest-oversize and the refusal rule', () => {
  it.each([
    ['413', rest({ status: 413 }), true],
    ['closed before the body was complete', rest({ closedBeforeBodyDone: true, connectionError: 'EPIPE', bytesSent: 8 * MiB }), true],
    ['reset with no answer after every byte went to the socket', rest({ connectionError: 'ECONNRESET', bytesSent: GiB + 1 }), true],
    ['400: the body was taken', rest({ status: 400, bytesSent: GiB + 1 }), false],
    ['a timeout', rest({ connectionError: 'no answer within 600 s' }), false],
  ])('%s', (_n, r, refused) => {
    expect(restRefusal(r).refused).toBe(refused);
    const j = judgeRestOversize({ limit: GiB, headerProbe: false, sent: r, alive: live });
    expect(j.verdict).toBe(refused ? 'pass' : 'violated');
    expect(j.verdict !== 'skip' && j.verdict !== 'error' && (j.evidence.observed as { refused: boolean }).refused).toBe(refused);
  });
});

describe('at the limit and buffering', () => {
  it('a content error at exactly the limit is fine, a size refusal is not', () => {
    expect(judgeGrpcAtLimit({ limit: GiB, describe: 'r', sent: grpc({ grpcStatus: 3, grpcMessage: 'Invalid input' }), alive: live }).verdict).toBe('pass');
    expect(judgeGrpcAtLimit({ limit: GiB, describe: 'r', sent: grpc({ grpcStatus: 8, grpcMessage: 'Received message larger than max (1073741824 vs. 536870912)' }), alive: live }).verdict).toBe('violated');
    expect(judgeRestAtLimit({ limit: GiB, headLength: 90, sent: rest({ status: 413 }), alive: live }).verdict).toBe('violated');
    expect(judgeRestAtLimit({ limit: GiB, headLength: 90, sent: rest({ status: 400, bytesSent: GiB }), alive: live }).verdict).toBe('pass');
  });
  it('warns with the figure when the server held about the message (facts: RSS 1.1 GiB for 1 GiB + 1)', () => {
    const mem = { samples: 12, memoryBaselineBytes: 15 * MiB, memoryPeakBytes: 1126 * MiB, cpuPeakPercent: 90, memorySeries: [[0, 15 * MiB], [2.5, 1126 * MiB]] as [number, number][] };
    expect(judgeGrpcBuffering({ limit: GiB, sent: grpc({ grpcStatus: 8 }), mem }).verdict).toBe('warn');
    expect(judgeGrpcBuffering({ limit: GiB, sent: grpc({ grpcStatus: 8 }), mem: { ...mem, memoryPeakBytes: 20 * MiB } }).verdict).toBe('pass');
    expect(judgeGrpcBuffering({ limit: GiB, sent: grpc({}), mem: { ...mem, samples: 1 } }).verdict).toBe('error');
  });
});

describe('dos.channel-args and dos.max-concurrent-streams (facts section 4)', () => {
  const ca = (text: string | null) => judgeChannelArgs({ serverArgs: [], channelArguments: text === null ? null : parseChannelArguments(text), cores: 2 });
  it.each([
    [null, 'pass'], ['grpc.max_concurrent_streams=3', 'pass'], ['grpc.max_concurrent_streams=abc', 'violated'],
    ['grpc.max_concurrent_streams=0', 'violated'], ['nokeyvalue', 'violated'], ['grpc.made_up=1', 'warn'],
  ])('%s -> %s', (text, verdict) => {
    expect(ca(text).verdict).toBe(verdict);
  });
  it('compares the SETTINGS frame with the configured value or the cores', () => {
    const mk = (settings: Record<string, unknown>, text?: string) => judgeMaxStreams({ configured: text ? parseChannelArguments(text)[0] : undefined, cores: 2, coresHow: 'host 2', settings, address: 'a' });
    expect(mk({ maxConcurrentStreams: 2 }).verdict).toBe('pass');
    expect(mk({ maxConcurrentStreams: 3 }, 'grpc.max_concurrent_streams=3').verdict).toBe('pass');
    expect(mk({}).verdict).toBe('violated');
    expect(mk({ maxConcurrentStreams: 3 }).verdict).toBe('violated');
    expect(mk({}, 'grpc.max_concurrent_streams=abc').verdict).toBe('skip');
  });
});

describe('dos.streams-queued', () => {
  const ok = (n: number) => Array.from({ length: n }, (_, i) => ({ ok: true, ms: 500 * (Math.floor(i / 3) + 1), status: 'OK' }));
  it('passes only on calls seen in the server, in waves of at most the limit', () => {
    expect(judgeStreamsQueued({ limit: 3, calls: ok(9), peakInServer: 3, samples: 50 }).verdict).toBe('pass');
  });
  it('is inconclusive (warn), not pass, when no call was seen in the server', () => {
    const j = judgeStreamsQueued({ limit: 3, calls: ok(9), peakInServer: 0, samples: 50 });
    expect(j.verdict).toBe('warn');
    expect(j.verdict === 'warn' && j.summary).toContain('inconclusive');
  });
  it('names the thread cap when it refused the calls, and the stream limit otherwise', () => {
    const capped = [...ok(2), { ok: false, ms: 5, status: 'RESOURCE_EXHAUSTED Server Threadpool Exhausted' }];
    const j = judgeStreamsQueued({ limit: 2, calls: capped, peakInServer: 1, samples: 10 });
    expect(j.verdict === 'violated' && j.summary).toContain('refused by the thread cap (--grpc_max_threads');
    expect(judgeStreamsQueued({ limit: 2, calls: ok(6), peakInServer: 5, samples: 10 }).verdict).toBe('violated');
  });
  it('skips naming dos.channel-args with no limit or a limit of 0', () => {
    for (const limit of [0, UNLIMITED_STREAMS]) {
      const j = judgeStreamsQueued({ limit, calls: [], peakInServer: null, samples: 0 });
      expect(j.verdict === 'skip' && j.reason).toContain('see dos.channel-args');
    }
    expect(usableStreamLimit(2)).toBeNull();
  });
});

describe('dos.thread-cap (facts section 2: at most threads - workers in handlers)', () => {
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

describe('dos.memory-quota (facts section 3)', () => {
  it('sizes each request at 32 MiB or more and the total at 2.25 x the quota or more', () => {
    for (const [quota, limit] of [[2 * GiB, GiB], [64 * MiB, 48 * MiB], [16 * MiB, GiB], [256 * MiB, GiB]] as const) {
      const p = quotaProbe(quota, limit);
      expect('per' in p).toBe(true);
      if ('per' in p) {
        expect(p.per).toBeGreaterThanOrEqual(QUOTA_MIN_REQUEST);
        expect(p.per).toBeLessThan(limit);
        expect(p.per * p.count).toBeGreaterThanOrEqual(2.25 * quota);
      }
    }
    expect(quotaProbe(64 * MiB, 8 * MiB)).toHaveProperty('unsizable');
  });
  const res = (cut: number, of: number) => Array.from({ length: of }, (_, i) => (i < cut
    ? grpc({ announced: 768 * MiB, bytesSent: 500 * MiB, rstCode: 11, grpcStatus: null, error: 'ERR_HTTP2_STREAM_ERROR' })
    : grpc({ announced: 768 * MiB, bytesSent: 768 * MiB, grpcStatus: 3, grpcMessage: 'Invalid input' })));
  it.each([[1, 3, 'pass'], [3, 3, 'pass'], [0, 3, 'violated']])('%i of %i cut -> %s', (cut, of, verdict) => {
    expect(judgeMemoryQuota({ quota: 2 * GiB, quotaConfigured: false, per: 768 * MiB, results: res(cut, of), mem: null, after: running, alive: live }).verdict).toBe(verdict);
  });
});

describe('dos.inference-parallelism and dos.recovery', () => {
  const flood = { ...summarise([{ startMs: 0, endMs: 20, status: 'OK', message: '', connection: 0 }], { connections: 1, inFlightPerConnection: 2, maxCalls: 10, maxDurationMs: 1000 }, 100, 'count'), serverStreamLimit: 2 };
  it('bounds active infer requests by nireq and checks ovms_streams against NUM_STREAMS', () => {
    expect(judgeParallelism({ numStreams: 1, nireqConfigured: 2, queueSize: 2, flood, streams: 1, activePeak: 2, samples: 30 }).verdict).toBe('pass');
    expect(judgeParallelism({ numStreams: 1, nireqConfigured: 2, queueSize: 2, flood, streams: 3, activePeak: 2, samples: 30 }).verdict).toBe('violated');
    expect(judgeParallelism({ numStreams: null, nireqConfigured: 2, queueSize: 2, flood, streams: 1, activePeak: 4, samples: 30 }).verdict).toBe('violated');
    expect(judgeParallelism({ numStreams: null, nireqConfigured: 2, queueSize: 2, flood, streams: 1, activePeak: 0, samples: 30 }).verdict).toBe('warn');
  });
  it('recovery needs live, ready and a correct inference', () => {
    expect(judgeRecovery({ after: running, alive: live, readyAfter: 200, inference: { ok: true, line: 'ok' } }).verdict).toBe('pass');
    expect(judgeRecovery({ after: { ...running, running: false, exitCode: 134 }, alive: null, readyAfter: null, inference: null }).verdict).toBe('violated');
  });
});
