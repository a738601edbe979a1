// Starts a server container from a ContainerSpec with testcontainers and waits for readiness over
// the endpoint the deployment has. The log is kept from the first line, so it survives a failed
// start; a failed start is an outcome with its log, not an exception.
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { createBody, flagValue, PUBLISH_HOST, type ContainerSpec } from '../docker/container-spec.js';
import type { DockerEndpoint } from '../docker/client.js';
import { ReadyWait, readinessWord, type FinalState, type ReadinessPorts } from './ready-wait.js';

export interface StartedServer {
  container: StartedTestContainer;
  id: string;
  restUrl: string | null;
  grpcAddress: string | null;
  startupMs: number;
}

export type StartOutcome =
  | { ok: true; started: StartedServer; log: string[]; readiness: string }
  | { ok: false; error: string; containerId: string | null; log: string[]; startupMs: number; readiness: string; final: FinalState | null };

/** The gRPC port OVMS used when --port is absent, up to 2025.0 (the page's command relies on it). */
const OLD_DEFAULT_GRPC_PORT = 9178;

/**
 * The server's REST and gRPC ports from its own arguments, when they are published. Without
 * --port, a published 9178 is waited on: servers up to 2025.0 listen there, later ones exit 64.
 */
export function serverPorts(spec: ContainerSpec): ReadinessPorts {
  const port = (name: string, fallback = 0): number | null => {
    const v = Number(flagValue(spec.cmd, name) ?? fallback);
    return v > 0 && spec.ports.includes(v) ? v : null;
  };
  return { rest: port('--rest_port'), grpc: port('--port', OLD_DEFAULT_GRPC_PORT) };
}

/**
 * testcontainers is configured from the run's description in every process that starts a
 * container: the host to reach published ports (loopback: ports are published there) and whether
 * its reaper may run. It reads these from the environment only.
 */
export function configureTestcontainers(ep: DockerEndpoint, reaper: boolean): void {
  process.env['DOCKER_HOST'] = ep.host;
  process.env['TESTCONTAINERS_HOST_OVERRIDE'] = PUBLISH_HOST;
  if (!reaper) process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
}

class ServerContainer extends GenericContainer {
  readonly log: string[] = [];
  createdId: string | null = null;
  readonly wait: ReadyWait;

  constructor(spec: ContainerSpec, labels: Record<string, string>, ports: ReadinessPorts, readyTimeoutMs: number) {
    super(spec.image);
    this.wait = new ReadyWait(ports, PUBLISH_HOST);
    const body = createBody(spec, labels);
    const hc = body.HostConfig!;
    this.withCommand(spec.cmd)
      .withLabels(labels)
      .withExposedPorts(...spec.ports)
      .withStartupTimeout(readyTimeoutMs)
      .withWaitStrategy(this.wait)
      .withLogConsumer((stream) => {
        let rest = '';
        stream.on('data', (chunk: Buffer | string) => {
          const lines = (rest + chunk.toString()).split('\n');
          rest = lines.pop() ?? '';
          this.log.push(...lines);
        });
        stream.on('end', () => { if (rest) this.log.push(rest); });
      });
    if (spec.entrypoint !== null) this.withEntrypoint(spec.entrypoint);
    if (spec.user !== null) this.withUser(spec.user);
    // Everything else is set on the create options directly, so the container is exactly the spec
    // (testcontainers has no setter for several of these: facts/tooling-anchors.md A.2).
    this.createOpts.Env = spec.env;
    Object.assign(this.hostConfig, { ...hc, PortBindings: hc.PortBindings });
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId;
  }
}

export async function startServer(spec: ContainerSpec, labels: Record<string, string>, readyTimeoutMs: number): Promise<StartOutcome> {
  const ports = serverPorts(spec);
  const readiness = readinessWord(ports);
  const c = new ServerContainer(spec, labels, ports, readyTimeoutMs);
  const t0 = performance.now();
  try {
    const container = await c.start();
    const mapped = (p: number | null): string | null => (p === null ? null : `${PUBLISH_HOST}:${container.getMappedPort(p)}`);
    const grpc = mapped(ports.grpc);
    const rest = mapped(ports.rest);
    const started: StartedServer = {
      container, id: container.getId(), restUrl: rest === null ? null : `http://${rest}`, grpcAddress: grpc,
      startupMs: Math.round(performance.now() - t0),
    };
    return { ok: true, started, log: c.log, readiness };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? String(e);
    return { ok: false, error: message, containerId: c.createdId, log: c.log, startupMs: Math.round(performance.now() - t0), readiness, final: c.wait.final };
  }
}
