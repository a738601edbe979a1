import { describe, expect, it } from 'vitest';
import { latencyStats, normaliseMessage, summarise, type CallRecord } from '../../src/probes/flood.js';
import { assertFloodTarget, isLoopback } from '../../src/probes/loopback.js';
import { containerCores, parseChannelArguments, serverSettings } from '../../src/ovms/server-settings.js';
import type Dockerode from 'dockerode';

const call = (startMs: number, endMs: number, status = 'OK', message = ''): CallRecord => ({ startMs, endMs, status, message, connection: 0 });

describe('flood report', () => {
  const calls = [call(0, 10), call(0, 20), call(5, 6, 'RESOURCE_EXHAUSTED', 'Server Threadpool Exhausted'), call(30, 130, 'RESOURCE_EXHAUSTED', 'Received message larger than max (12 vs. 10)')];
  const r = summarise(calls, { connections: 1, inFlightPerConnection: 2, maxCalls: 4, maxDurationMs: 1000 }, 1000, 'count');

  it('counts statuses, key-sorted, and normalises error messages keeping an example', () => {
    expect(r.statusCodes).toEqual({ OK: 2, RESOURCE_EXHAUSTED: 2 });
    expect(r.errors['RESOURCE_EXHAUSTED: Received message larger than max (N vs. N)']).toEqual({ count: 1, example: 'Received message larger than max (12 vs. 10)' });
    expect(r.achieved).toMatchObject({ count: 4, rate: 4, okRate: 2 });
  });

  it('names the population of every statistic', () => {
    expect(r.latencyMs.all.population).toBe('all calls');
    expect(r.latencyMs.byStatus['OK']).toMatchObject({ population: 'calls ending OK', n: 2, min: 10, max: 20 });
    expect(latencyStats('x', [1, 2, 3, 4, 100]).p50).toBe(3);
  });

  it('uses fixed histogram edges', () => {
    expect(r.histogram.map((h) => h.le)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, '+Inf']);
    expect(r.histogram.reduce((a, h) => a + h.count, 0)).toBe(4);
  });

  it('normalises numbers in messages', () => {
    expect(normaliseMessage('a 12 b 3')).toBe('a N b N');
  });
});

describe('flood targets', () => {
  it('accepts loopback and refuses anything else without the opt-in', async () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    await expect(assertFloodTarget('127.0.0.2', false)).resolves.toBeUndefined();
    await expect(assertFloodTarget('192.168.1.20', false)).rejects.toThrow(/--allow-remote-flood/);
    await expect(assertFloodTarget('192.168.1.20', true)).resolves.toBeUndefined();
  });
});

describe('server settings as OVMS reads them', () => {
  it('parses channel arguments with std::stoi semantics', () => {
    expect(parseChannelArguments('grpc.max_concurrent_streams=8,grpc.x=abc,bad')).toEqual([
      { key: 'grpc.max_concurrent_streams', raw: '8', value: 8, wellFormed: true },
      { key: 'grpc.x', raw: 'abc', value: 'abc', wellFormed: true },
      { key: 'bad', raw: 'bad', value: 'bad', wellFormed: false },
    ]);
    expect(parseChannelArguments('grpc.max_concurrent_streams=12abc')[0]!.value).toBe(12);
  });

  it('reads the flags that bound the server', () => {
    const s = serverSettings(['--grpc_max_threads', '4', '--grpc_workers', '2', '--nireq', '3', '--plugin_config', '{"NUM_STREAMS":"2"}', '--grpc_memory_quota=0']);
    expect(s).toMatchObject({ grpcMaxThreads: 4, grpcWorkers: 2, nireq: 3, numStreams: 2, grpcMemoryQuota: 0, channelArguments: null });
  });

  it('counts the cores OVMS sees in the container: min(cpuset, ceil(quota))', () => {
    const info = (hc: object) => ({ HostConfig: hc }) as unknown as Dockerode.ContainerInspectInfo;
    expect(containerCores(info({}), 8).cores).toBe(8);
    expect(containerCores(info({ NanoCpus: 1_500_000_000 }), 8).cores).toBe(2);
    expect(containerCores(info({ CpusetCpus: '0-2,5' }), 8).cores).toBe(4);
    expect(containerCores(info({ CpusetCpus: '0', CpuQuota: 300000, CpuPeriod: 100000 }), 8).cores).toBe(1);
  });
});
