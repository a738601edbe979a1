// What the deployment's command line configures, read as OVMS reads it (ovms-facts 1, 1a), and
// the CPU count OVMS sees inside the container (min of cpuset and ceil(cpu quota), v2026.2+).
import { availableParallelism } from 'node:os';
import type Dockerode from 'dockerode';
import { flagValue } from '../docker/container-spec.js';

/** OVMS's --grpc_memory_quota when the command line does not set it: 2 GiB (ovms-facts 1). */
export const DEFAULT_GRPC_MEMORY_QUOTA = 2 * 1024 ** 3;

export interface ChannelArgument { key: string; raw: string; value: number | string; wellFormed: boolean }

export interface ServerSettings {
  channelArguments: ChannelArgument[] | null;
  grpcMaxThreads: number | null;
  grpcWorkers: number;
  grpcMemoryQuota: number | null;
  nireq: number | null;
  numStreams: number | null;
  restWorkers: number | null;
}

/** std::stoi as OVMS applies it to channel argument values: a leading integer, else a string. */
export function stoiValue(v: string): number | string {
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m && Math.abs(Number(m[1])) <= 2147483647 ? Number(m[1]) : v;
}

export function parseChannelArguments(text: string): ChannelArgument[] {
  return text.split(',').map((item) => {
    const parts = item.split('=');
    return parts.length === 2
      ? { key: parts[0]!, raw: parts[1]!, value: stoiValue(parts[1]!), wellFormed: true }
      : { key: item, raw: item, value: item, wellFormed: false };
  });
}

export function serverSettings(args: string[]): ServerSettings {
  const num = (name: string): number | null => {
    const v = flagValue(args, name);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  const ca = flagValue(args, '--grpc_channel_arguments');
  let numStreams: number | null = null;
  const pc = flagValue(args, '--plugin_config');
  if (pc) {
    try {
      const o = JSON.parse(pc) as Record<string, unknown>;
      if (o['NUM_STREAMS'] !== undefined) numStreams = Number(String(o['NUM_STREAMS']));
    } catch { /* the server rejects it; nothing to expect */ }
  }
  return {
    channelArguments: ca === undefined ? null : parseChannelArguments(ca),
    grpcMaxThreads: num('--grpc_max_threads'),
    grpcWorkers: num('--grpc_workers') ?? 1,
    grpcMemoryQuota: num('--grpc_memory_quota'),
    nireq: num('--nireq'),
    numStreams,
    restWorkers: num('--rest_workers'),
  };
}

function cpusetCount(set: string | undefined): number | null {
  if (!set) return null;
  let n = 0;
  for (const part of set.split(',')) {
    const [a, b] = part.split('-').map(Number);
    n += b === undefined ? 1 : b! - a! + 1;
  }
  return n;
}

/** Cores OVMS counts inside the container: min(cpuset, ceil(quota)); the Docker host is this machine. */
export function containerCores(info: Dockerode.ContainerInspectInfo, hostCores = availableParallelism()): { cores: number; how: string } {
  const hc = info.HostConfig as Dockerode.HostConfig & { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number; CpusetCpus?: string };
  const set = cpusetCount(hc.CpusetCpus) ?? hostCores;
  const quota = hc.NanoCpus ? Math.ceil(hc.NanoCpus / 1e9) : hc.CpuQuota && hc.CpuQuota > 0 ? Math.ceil(hc.CpuQuota / (hc.CpuPeriod || 100000)) : null;
  const cores = Math.max(1, quota === null ? set : Math.min(set, quota));
  return { cores, how: `host ${hostCores} cores, cpuset ${hc.CpusetCpus || '(all)'}, cpu quota ${quota ?? 'none'} -> ${cores}` };
}
