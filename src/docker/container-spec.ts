// A container as data: the create options of a server container in one normalised shape, whether
// the harness builds it (page or hardened deployment) or reads it off a container its owner
// started (attach). Copies (variants) are made from it with one change; the docker run line in
// the report is rendered from it. Pure: no Docker here.
import type Dockerode from 'dockerode';

/** Where ports are published: loopback only, the page's advice for a server without access control (S2). */
export const PUBLISH_HOST = '127.0.0.1';

export interface MountSpec { Type: 'bind' | 'volume' | 'tmpfs'; Source: string; Target: string; ReadOnly: boolean }
export interface DeviceSpec { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }
/** A port its owner published: the host address ('' = all interfaces) and port, and the container port. */
export interface PublishedPort { containerPort: number; hostIp: string; hostPort: string }

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
  /** '' (Docker's default bridge), 'host', 'none', 'container:X' or a network's name. */
  NetworkMode: string;
  /** '' or 'host' (or 'container:X'): the namespaces the container shares. */
  PidMode: string;
  IpcMode: string;
  UTSMode: string;
  Devices: DeviceSpec[];
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
  /** Container ports published on PUBLISH_HOST with a random host port (how the harness publishes). */
  ports: number[];
  /** How its owner published them (attach); null for a container the harness starts. Shown, never used to start a copy. */
  published: PublishedPort[] | null;
  host: HostSettings;
}

export const emptyHost = (): HostSettings => ({
  ReadonlyRootfs: false, Tmpfs: {}, Binds: [], Mounts: [], CapDrop: [], CapAdd: [], SecurityOpt: [], Privileged: false,
  GroupAdd: [], NanoCpus: 0, CpusetCpus: '', Memory: 0, NetworkMode: '', PidMode: '', IpcMode: '', UTSMode: '', Devices: [],
});

/** The stand-in's own switches (its faults and limits) are shown with their values; no other variable's value ever is. */
const SHOWN_VALUE = /^OVMS_STAND_IN_/;
export const envShown = (e: string): string => {
  const i = e.indexOf('=');
  const name = i < 0 ? e : e.slice(0, i);
  return SHOWN_VALUE.test(name) || i < 0 ? e : `${name}=[redacted]`;
};

/** A copy of a container, to be started by the harness: its ports published on loopback, on the default network (a host-network owner's ports would clash). */
export function copyOf(spec: ContainerSpec): ContainerSpec {
  // On its own network the copy is reached through its published ports, so the server must listen
  // on the container's interface; the owner's bind addresses were chosen for the host's network.
  const ownNetwork = spec.host.NetworkMode === 'host' || spec.host.NetworkMode.startsWith('container:');
  const cmd = ownNetwork ? withFlagValue(withFlagValue(spec.cmd, '--grpc_bind_address', '0.0.0.0'), '--rest_bind_address', '0.0.0.0') : spec.cmd;
  return { ...spec, cmd, published: null, host: { ...spec.host, NetworkMode: '', PidMode: spec.host.PidMode.startsWith('container:') ? '' : spec.host.PidMode, IpcMode: spec.host.IpcMode.startsWith('container:') ? '' : spec.host.IpcMode } };
}

/** The arguments with a flag's value replaced where it is given (`--f v` or `--f=v`); absent flags stay absent. */
export function withFlagValue(args: readonly string[], name: string, value: string): string[] {
  const out = [...args];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === name && i + 1 < out.length) out[i + 1] = value;
    else if (out[i]!.startsWith(`${name}=`)) out[i] = `${name}=${value}`;
  }
  return out;
}

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
      ...(h.NetworkMode ? { NetworkMode: h.NetworkMode } : {}),
      ...(h.PidMode ? { PidMode: h.PidMode } : {}),
      ...(h.IpcMode ? { IpcMode: h.IpcMode } : {}),
      ...(h.UTSMode ? { UTSMode: h.UTSMode } : {}),
      ...(h.Devices.length ? { Devices: h.Devices } : {}),
    },
  };
  if (spec.entrypoint !== null) body.Entrypoint = spec.entrypoint;
  if (spec.user !== null) body.User = spec.user;
  return body;
}

/** The ports as `-p` flags: how the owner published them, or how the harness does (loopback, random host port). */
export function publishFlags(spec: ContainerSpec): string[] {
  if (spec.published) return spec.published.map((p) => `${p.hostIp ? `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp}:` : ''}${p.hostPort}:${p.containerPort}`);
  return spec.ports.map((p) => `${PUBLISH_HOST}::${p}`);
}

/** The equivalent `docker run` line, so a reviewer can reproduce the start; no variable's value is shown but the stand-in's switches. */
export function dockerRunLine(spec: ContainerSpec, imageRef = spec.image): string[] {
  const h = spec.host;
  const mode = (flag: string, v: string): string[] => (v ? [flag, v] : []);
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
    ...h.Devices.flatMap((d) => ['--device', `${d.PathOnHost}:${d.PathInContainer}${d.CgroupPermissions && d.CgroupPermissions !== 'rwm' ? `:${d.CgroupPermissions}` : ''}`]),
    ...mode('--network', h.NetworkMode && h.NetworkMode !== 'default' ? h.NetworkMode : ''),
    ...mode('--pid', h.PidMode), ...mode('--ipc', h.IpcMode && h.IpcMode !== 'private' && h.IpcMode !== 'shareable' ? h.IpcMode : ''), ...mode('--uts', h.UTSMode),
    ...(h.NanoCpus ? ['--cpus', String(h.NanoCpus / 1e9)] : []),
    ...(h.CpusetCpus ? ['--cpuset-cpus', h.CpusetCpus] : []),
    ...(h.Memory ? ['--memory', String(h.Memory)] : []),
    ...h.Binds.flatMap((b) => ['-v', b]),
    ...h.Mounts.flatMap((m) => ['--mount', `type=${m.Type},source=${m.Source},target=${m.Target}${m.ReadOnly ? ',readonly' : ''}`]),
    ...publishFlags(spec).flatMap((p) => ['-p', p]),
    ...spec.env.filter((e) => !e.startsWith('PATH=')).flatMap((e) => ['-e', envShown(e)]),
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
  const hc = info.HostConfig as Dockerode.HostConfig & { Mounts?: MountSpec[]; NanoCpus?: number; CpusetCpus?: string; GroupAdd?: string[]; UTSMode?: string; Devices?: DeviceSpec[] };
  const bindings = (hc.PortBindings ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  // A port published without a host port (`-p 9178`) gets one when the container starts: shown as it was given.
  const actual = (info.NetworkSettings?.Ports ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  const hostPortOf = (k: string, b: { HostIp?: string; HostPort?: string }): string =>
    b.HostPort && b.HostPort !== '0' ? b.HostPort : (actual[k] ?? []).find((a) => !b.HostIp || a.HostIp === b.HostIp)?.HostPort ?? '';
  const published = Object.entries(bindings).filter(([k]) => k.endsWith('/tcp')).flatMap(([k, list]) => (list ?? []).map((b) => ({ containerPort: Number(k.split('/')[0]), hostIp: b.HostIp ?? '', hostPort: hostPortOf(k, b) })));
  const cmd = Array.isArray(info.Config.Cmd) ? info.Config.Cmd : [];
  // The server's own ports count too: a host-network container publishes nothing, and its copies must.
  const argPorts = ['--port', '--rest_port'].map((f) => Number(flagValue(cmd, f) ?? 0)).filter((p) => p > 0);
  const ports = Object.keys(info.Config.ExposedPorts ?? {}).concat(Object.keys(bindings)).filter((p) => p.endsWith('/tcp')).map((p) => Number(p.split('/')[0])).concat(argPorts);
  return {
    image: info.Image,
    entrypoint: Array.isArray(info.Config.Entrypoint) ? info.Config.Entrypoint : info.Config.Entrypoint ? [info.Config.Entrypoint] : null,
    cmd,
    user: info.Config.User ? info.Config.User : null,
    env: info.Config.Env ?? [],
    ports: [...new Set(ports)].sort((a, b) => a - b),
    published,
    host: {
      ReadonlyRootfs: hc.ReadonlyRootfs === true,
      Tmpfs: hc.Tmpfs ?? {},
      Binds: hc.Binds ?? [],
      Mounts: (hc.Mounts ?? []).filter((m) => m.Type === 'bind' || m.Type === 'volume' || m.Type === 'tmpfs').map((m) => ({ Type: m.Type as MountSpec['Type'], Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly === true })),
      // Docker stores CAP_X for --cap-add X; shown as written in a run command.
      CapDrop: (hc.CapDrop ?? []).map((c: string) => c.replace(/^CAP_/i, '')),
      CapAdd: (hc.CapAdd ?? []).map((c: string) => c.replace(/^CAP_/i, '')),
      SecurityOpt: hc.SecurityOpt ?? [],
      Privileged: hc.Privileged === true,
      GroupAdd: hc.GroupAdd ?? [],
      NanoCpus: hc.NanoCpus ?? 0,
      CpusetCpus: hc.CpusetCpus ?? '',
      Memory: hc.Memory ?? 0,
      NetworkMode: hc.NetworkMode === 'default' || hc.NetworkMode === 'bridge' ? '' : (hc.NetworkMode ?? ''),
      PidMode: hc.PidMode ?? '',
      IpcMode: hc.IpcMode === 'private' || hc.IpcMode === 'shareable' ? '' : (hc.IpcMode ?? ''),
      UTSMode: hc.UTSMode ?? '',
      Devices: hc.Devices ?? [],
    },
  };
}
