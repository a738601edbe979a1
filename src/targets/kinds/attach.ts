// --target attach: a container its owner started (compose, systemd, a script), judged as it was
// deployed: its flags from inspect, the server's command line from its process, its endpoints
// from its published ports (or --rest-url/--grpc-address). The harness never stops, restarts or
// writes into it; checks that need a variant start a copy of the same image id.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { TargetDescription } from '../target-description.js';
import type Dockerode from 'dockerode';
import { EnvironmentError, UsageError } from '../../errors.js';
import type { Listener } from '../../docker/proc-net.js';
import { secretArgs, valuesOf } from '../../secrets/redaction.js';
import { ContainerAccess } from '../container-access.js';
import { dockerRunLine, flagValue, specFromInspect } from '../../docker/container-spec.js';
import { deviationsFromPage } from '../../ovms/deployment.js';
import type { Endpoint, Endpoints, Transport } from '../../protocol/endpoint.js';
import { containerLog, docker } from '../../docker/client.js';
import { askReadyAt } from '../ready-wait.js';
import { remoteEndpoints } from './remote.js';
import type { StartContext, TargetKindImpl } from './kind.js';
import { identityOf, serverMetadata } from './server-metadata.js';

/** The server's own arguments from its argv: what follows the ovms executable or the stand-in script. */
export function serverArgsOf(argv: string[]): string[] {
  const i = argv.findIndex((a) => /(^|\/)ovms$/.test(a) || a.endsWith('/stand-in/server.mjs'));
  return i < 0 ? argv.slice(1) : argv.slice(i + 1);
}

/** Where a container port is published, as an address to dial (all-interface bindings are dialled on loopback). */
export function publishedAddress(info: Dockerode.ContainerInspectInfo, port: number): string | null {
  const bindings = (info.NetworkSettings.Ports ?? {})[`${port}/tcp`] as { HostIp: string; HostPort: string }[] | null | undefined;
  const b = bindings?.find((x) => x.HostIp === '0.0.0.0' || x.HostIp === '' || x.HostIp === '127.0.0.1') ?? bindings?.[0];
  if (!b) return null;
  const host = b.HostIp === '0.0.0.0' || b.HostIp === '' ? '127.0.0.1' : b.HostIp === '::' ? '::1' : b.HostIp;
  return hostPort(host, b.HostPort);
}

const hostPort = (host: string, port: number | string): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * Where the server listens on a port nothing publishes, as this machine reaches it: on the host's
 * own stack for --network host (an all-interface socket on loopback), else at the container's
 * address on its network. null when the server does not listen on that port.
 */
export function listenerAddress(info: Dockerode.ContainerInspectInfo, listeners: readonly Listener[], port: number): string | null {
  const l = listeners.find((x) => x.port === port);
  if (!l) return null;
  const any = l.address === '0.0.0.0' || l.address === '::';
  if (info.HostConfig.NetworkMode === 'host') return hostPort(any ? '127.0.0.1' : l.address, port);
  const ip = Object.values(info.NetworkSettings.Networks ?? {}).map((n) => n.IPAddress).find(Boolean);
  if (any && ip) return hostPort(ip, port);
  return any ? null : hostPort(l.address, port);
}

/** Values its owner set on the container (its environment and labels beyond the image's own): secrets for the redaction layer. */
function ownerValues(info: Dockerode.ContainerInspectInfo, image: Dockerode.ImageInspectInfo | null): string[] {
  const imageEnv = new Set(image?.Config.Env ?? []);
  const imageLabels = image?.Config.Labels ?? {};
  return [
    // The stand-in's own switches are shown by design (envShown); every other variable's value is a secret.
    ...valuesOf((info.Config.Env ?? []).filter((e) => !imageEnv.has(e) && !e.startsWith('OVMS_STAND_IN_'))),
    ...Object.entries(info.Config.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v).map(([, v]) => v),
  ];
}

/** The compose file a container was started from (compose's own labels), and the line of its service there. */
export function composeFile(labels: Record<string, string>): TargetDescription['deploymentFile'] {
  const files = labels['com.docker.compose.project.config_files']?.split(',').map((f) => f.trim()).filter(Boolean) ?? [];
  const service = labels['com.docker.compose.service'];
  for (const path of files) {
    try {
      const lines = new LineCounter();
      const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines });
      const node = (service ? doc.getIn(['services', service], true) : null) as { range?: [number, number, number] } | null;
      return { path, line: node?.range ? Math.max(1, lines.linePos(node.range[0]).line - 1) : 1, what: `compose file, service ${service ?? '?'}` };
    } catch { /* not readable here: the next one */ }
  }
  return null;
}

export const attachKind: TargetKindImpl<Dockerode.ContainerInspectInfo> = {
  needsDocker: true,
  async prepare(ctx) {
    const name = ctx.options.container!;
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await docker(ctx.docker!).getContainer(name).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) throw new UsageError(`--container: '${name}' is not a container on ${ctx.docker!.host}; docker ps lists the running ones`);
      throw e;
    }
    if (!info.State.Running) throw new EnvironmentError(`container ${name} is not running (status ${info.State.Status}, exit code ${info.State.ExitCode}); start it, or attach to one that runs`);
    return info;
  },
  async start(ctx: StartContext, info) {
    const ep = ctx.docker!;
    const spec = specFromInspect(info);
    const image = await docker(ep).getImage(info.Image).inspect().catch(() => null);
    const ref = { id: info.Id, name: info.Name.replace(/^\//, ''), image: info.Config.Image, imageId: info.Image, repoDigests: image?.RepoDigests ?? [], startedBy: 'owner' as const, spec };
    const access = new ContainerAccess(ref, { docker: ep, probeImage: ctx.probeImage!, runId: ctx.runId, owner: ctx.owner, startupTimeoutMs: ctx.options.startupTimeoutMs });
    const reply = await access.survey();
    const proc = reply.server ? reply.processes.find((p) => p.pid === reply.server!.pid) : undefined;
    const serverArgs = proc ? serverArgsOf(proc.argv) : spec.cmd;
    const given = remoteEndpoints(ctx.options);
    const plain = (address: string | null, scheme = ''): Endpoint | null => (address ? { address: `${scheme}${address}`, transport: { kind: 'plaintext' } as Transport, credential: given.credential } : null);
    const port = (flag: string): number | null => { const v = Number(flagValue(serverArgs, flag) ?? 0); return v > 0 ? v : null; };
    const restPort = port('--rest_port');
    const grpcPort = port('--port');
    // Published ports first; a port nothing publishes (host network, or reached on the container's network) from what the server listens on.
    const reach = (p: number | null): string | null => (p === null ? null : publishedAddress(info, p) ?? listenerAddress(info, reply.listeners, p));
    const endpoints: Endpoints = {
      rest: given.endpoints.rest ?? plain(reach(restPort), 'http://'),
      grpc: given.endpoints.grpc ?? plain(reach(grpcPort)),
    };
    const t0 = performance.now();
    const seen = await askReadyAt(endpoints, 5000);
    const meta = await serverMetadata(endpoints);
    const identity = identityOf(meta, image?.Config.Labels ?? {}, info.Image);
    const log = await containerLog(ep, info.Id).catch(() => []);
    ctx.progress(`attached to ${ref.name} (${info.Id.slice(0, 12)}, image ${info.Config.Image}); server ${reply.server ? `PID ${reply.server.pid}` : 'process not found'}; ${seen.ready ? 'ready' : `not ready: ${seen.detail}`}`);
    return {
      description: {
        kind: 'attach',
        standIn: identity.standIn,
        identity,
        endpoints,
        container: ref,
        startup: { ready: seen.ready, answered: seen.answered, error: seen.ready ? null : seen.detail, ms: Math.round(performance.now() - t0), readiness: `attached: ${seen.how}`, log },
        command: {
          serverArgs, declared: false, source: proc ? `the server process (PID ${proc.pid}) command line` : 'the container\'s Cmd (the server process was not found)',
          dockerRun: dockerRunLine(spec, info.Config.Image), deployment: 'as deployed',
          deviations: deviationsFromPage({ ...spec, cmd: serverArgs }, ctx.invokingUser, "set by the container's owner", true),
        },
        standInFaults: (spec.env.find((e) => e.startsWith('OVMS_STAND_IN_FAULTS=')) ?? '').split('=')[1]?.split(',').filter(Boolean) ?? [],
        modelsHostDir: info.Mounts.find((m) => m.Destination === '/models' && m.Type === 'bind')?.Source ?? null,
        deploymentFile: composeFile(info.Config.Labels ?? {}),
      },
      serverLog: () => containerLog(ep, info.Id).catch(() => log),
      secrets: [...ownerValues(info, image), ...secretArgs(serverArgs)],
    };
  },
};
