// The server container itself, with testcontainers: created from a ContainerSpec exactly (the
// setters testcontainers lacks are set on its create options), its log kept from the first line so
// it survives a failed start, and readiness waited for over the endpoint the deployment has.
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { createBody, PUBLISH_HOST, type ContainerSpec } from '../docker/container-spec.js';
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

export async function startServerContainer(spec: ContainerSpec, labels: Record<string, string>, ports: ReadinessPorts, readyTimeoutMs: number): Promise<StartOutcome> {
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
