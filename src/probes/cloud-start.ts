// hardening.cloud-storage-tmp's setup: the copy of the target that serves its model from an object
// store (read-only, with or without --tmpfs /tmp), and where on this machine an emulator listens so
// that copy reaches it.
import { networkInterfaces } from 'node:os';
import type { ContainerSpec } from '../docker/container-spec.js';
import { docker, type DockerEndpoint } from '../docker/client.js';
import type { ModelRepository } from '../stores/model-repository.js';

const MODEL_FLAGS = ['--model_path', '--model_name', '--config_path'];

/** The target's spec serving `modelName` from `repo`: read-only, the store's variables added, /tmp as asked. */
export function cloudSpec(base: ContainerSpec, repo: ModelRepository, modelName: string, env: Record<string, string>, tmpfs: boolean): ContainerSpec {
  const cmd: string[] = [];
  for (let i = 0; i < base.cmd.length; i++) {
    const a = base.cmd[i]!;
    const flag = MODEL_FLAGS.find((f) => a === f || a.startsWith(`${f}=`));
    if (flag) { if (a === flag) i++; continue; }
    cmd.push(a);
  }
  const names = new Set(Object.keys(env));
  const Tmpfs = { ...base.host.Tmpfs };
  if (tmpfs) Tmpfs['/tmp'] = Tmpfs['/tmp'] ?? 'rw,nosuid,nodev';
  else delete Tmpfs['/tmp'];
  return {
    ...base,
    cmd: ['--model_path', repo.url, '--model_name', modelName, ...cmd],
    env: [...base.env.filter((e) => !names.has(e.slice(0, e.indexOf('=')))), ...Object.entries(env).map(([k, v]) => `${k}=${v}`)],
    host: { ...base.host, ReadonlyRootfs: true, Tmpfs },
  };
}

/**
 * The address of this machine on the Docker bridge network: where an emulator listens so that the
 * server container reaches it and nothing outside this host does. null when the engine's bridge is
 * not on this machine (a remote engine).
 */
export async function bridgeAddress(ep: DockerEndpoint): Promise<string | null> {
  const net = await docker(ep).getNetwork('bridge').inspect().catch(() => null) as { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] } } | null;
  const cfg = net?.IPAM?.Config?.find((x) => x.Subnet && !x.Subnet.includes(':'));
  if (!cfg?.Subnet) return null;
  const [base, bits] = cfg.Subnet.split('/');
  const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  const inSubnet = (ip: string): boolean => ((toInt(ip) & mask) >>> 0) === ((toInt(base!) & mask) >>> 0);
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && inSubnet(a.address) && (!cfg.Gateway || a.address === cfg.Gateway)) return a.address;
  }
  return null;
}

