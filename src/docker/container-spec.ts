// A container as data: the create options of a server container in one normalised shape, whether
// the harness builds it (page or hardened deployment) or reads it off a container its owner
// started (attach). Copies (variants) are made from it with one change; the docker run line in
// the report is rendered from it. Pure: no Docker here.
import type Dockerode from 'dockerode';

/** Where ports are published: loopback only, the page's advice for a server without access control (S2). */
export const PUBLISH_HOST = '127.0.0.1';

export interface MountSpec { Type: 'bind' | 'volume' | 'tmpfs'; Source: string; Target: string; ReadOnly: boolean }

export interface HostSettings {
  ReadonlyRootfs: boolean;
  Tmpfs: Record<string, string>;
  Binds: string[];
  Mounts: MountSpec[];
  CapDrop: string[];
  CapAdd: string[];
  SecurityOpt: string[];
  Privileged: boolean;
  GroupAdd: string[];
  NanoCpus: number;
  CpusetCpus: string;
  Memory: number;
}

export interface ContainerSpec {
  /** What the container is created from: an image reference, or for a copy the image id. */
  image: string;
  /** null = the image's own entrypoint. */
  entrypoint: string[] | null;
  /** The server's arguments (the container's Cmd). */
  cmd: string[];
  /** null = the image's own USER (what hardening.default-uid observes). */
  user: string | null;
  env: string[];
  /** Container ports published on PUBLISH_HOST with a random host port. */
  ports: number[];
  host: HostSettings;
}

export const emptyHost = (): HostSettings => ({
  ReadonlyRootfs: false, Tmpfs: {}, Binds: [], Mounts: [], CapDrop: [], CapAdd: [], SecurityOpt: [], Privileged: false,
  GroupAdd: [], NanoCpus: 0, CpusetCpus: '', Memory: 0,
});

/** The Docker create body for a spec, with the run's labels. */
export function createBody(spec: ContainerSpec, labels: Record<string, string>): Dockerode.ContainerCreateOptions {
  const h = spec.host;
  const body: Dockerode.ContainerCreateOptions = {
    Image: spec.image,
    Cmd: spec.cmd,
    Env: spec.env,
    Labels: labels,
    ExposedPorts: Object.fromEntries(spec.ports.map((p) => [`${p}/tcp`, {}])),
    HostConfig: {
      ReadonlyRootfs: h.ReadonlyRootfs,
      Tmpfs: h.Tmpfs,
      Binds: h.Binds,
      Mounts: h.Mounts,
      CapDrop: h.CapDrop,
      CapAdd: h.CapAdd,
      SecurityOpt: h.SecurityOpt,
      Privileged: h.Privileged,
      GroupAdd: h.GroupAdd,
      PortBindings: Object.fromEntries(spec.ports.map((p) => [`${p}/tcp`, [{ HostIp: PUBLISH_HOST, HostPort: '0' }]])),
      ...(h.NanoCpus ? { NanoCpus: h.NanoCpus } : {}),
      ...(h.CpusetCpus ? { CpusetCpus: h.CpusetCpus } : {}),
      ...(h.Memory ? { Memory: h.Memory } : {}),
    },
  };
  if (spec.entrypoint !== null) body.Entrypoint = spec.entrypoint;
  if (spec.user !== null) body.User = spec.user;
  return body;
}

/** The equivalent `docker run` line, so a reviewer can reproduce the start. */
export function dockerRunLine(spec: ContainerSpec, imageRef = spec.image): string[] {
  const h = spec.host;
  return [
    'docker', 'run', '-d',
    ...(spec.user !== null ? ['--user', spec.user] : []),
    ...(h.ReadonlyRootfs ? ['--read-only'] : []),
    ...Object.entries(h.Tmpfs).flatMap(([t, o]) => ['--tmpfs', o && o !== 'rw,nosuid,nodev' ? `${t}:${o}` : t]),
    ...(h.Privileged ? ['--privileged'] : []),
    ...h.CapDrop.flatMap((c) => ['--cap-drop', c]),
    ...h.CapAdd.flatMap((c) => ['--cap-add', c]),
    ...h.SecurityOpt.flatMap((s) => ['--security-opt', s]),
    ...h.GroupAdd.flatMap((g) => ['--group-add', g]),
    ...(h.NanoCpus ? ['--cpus', String(h.NanoCpus / 1e9)] : []),
    ...(h.CpusetCpus ? ['--cpuset-cpus', h.CpusetCpus] : []),
    ...(h.Memory ? ['--memory', String(h.Memory)] : []),
    ...h.Binds.flatMap((b) => ['-v', b]),
    ...h.Mounts.flatMap((m) => ['--mount', `type=${m.Type},source=${m.Source},target=${m.Target}${m.ReadOnly ? ',readonly' : ''}`]),
    ...spec.ports.flatMap((p) => ['-p', `${PUBLISH_HOST}::${p}`]),
    ...spec.env.filter((e) => !e.startsWith('PATH=')).flatMap((e) => ['-e', e]),
    ...(spec.entrypoint !== null ? ['--entrypoint', JSON.stringify(spec.entrypoint)] : []),
    imageRef,
    ...spec.cmd,
  ];
}

/** The value of a server flag in an argument list (`--name value` or `--name=value`). */
export function flagValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

export function hasFlag(args: readonly string[], name: string): boolean {
  return args.some((a) => a === name || a.startsWith(`${name}=`));
}

/**
 * A container its owner started, read back from inspect as a spec (the image is its id, never the
 * tag: a tag may have moved). Ports keep their container side; a copy publishes them on loopback.
 */
export function specFromInspect(info: Dockerode.ContainerInspectInfo): ContainerSpec {
  const hc = info.HostConfig as Dockerode.HostConfig & { Mounts?: MountSpec[]; NanoCpus?: number; CpusetCpus?: string; GroupAdd?: string[] };
  const ports = Object.keys(info.Config.ExposedPorts ?? {}).concat(Object.keys(hc.PortBindings ?? {}))
    .filter((p) => p.endsWith('/tcp')).map((p) => Number(p.split('/')[0]));
  return {
    image: info.Image,
    entrypoint: Array.isArray(info.Config.Entrypoint) ? info.Config.Entrypoint : info.Config.Entrypoint ? [info.Config.Entrypoint] : null,
    cmd: Array.isArray(info.Config.Cmd) ? info.Config.Cmd : [],
    user: info.Config.User ? info.Config.User : null,
    env: info.Config.Env ?? [],
    ports: [...new Set(ports)].sort((a, b) => a - b),
    host: {
      ReadonlyRootfs: hc.ReadonlyRootfs === true,
      Tmpfs: hc.Tmpfs ?? {},
      Binds: hc.Binds ?? [],
      Mounts: (hc.Mounts ?? []).filter((m) => m.Type === 'bind' || m.Type === 'volume' || m.Type === 'tmpfs').map((m) => ({ Type: m.Type as MountSpec['Type'], Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly === true })),
      CapDrop: hc.CapDrop ?? [],
      CapAdd: hc.CapAdd ?? [],
      SecurityOpt: hc.SecurityOpt ?? [],
      Privileged: hc.Privileged === true,
      GroupAdd: hc.GroupAdd ?? [],
      NanoCpus: hc.NanoCpus ?? 0,
      CpusetCpus: hc.CpusetCpus ?? '',
      Memory: hc.Memory ?? 0,
    },
  };
}
