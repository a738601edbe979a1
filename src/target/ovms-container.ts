// OvmsContainer: a testcontainers GenericContainer started the way the OVMS security page says,
// waiting on GET /v2/health/ready. The log is kept from the first line, so it survives a failed start.
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { ReadyEndpointWait } from './ready-wait.js';
import { createOptions, PUBLISH_HOST, type HardenedSpec } from './hardened-spec.js';

export interface StartedOvms {
  container: StartedTestContainer;
  id: string;
  restUrl: string;
  grpcAddress: string;
  startupMs: number;
}

export type StartOutcome =
  | { ok: true; started: StartedOvms; log: string[] }
  | { ok: false; error: string; containerId: string | null; log: string[]; startupMs: number };

export class OvmsContainer extends GenericContainer {
  private readonly log: string[] = [];
  private createdId: string | null = null;

  constructor(private readonly spec: HardenedSpec, readyTimeoutMs: number) {
    super(spec.image);
    const o = createOptions(spec);
    this.withCommand(o.Cmd)
      .withLabels(o.Labels)
      .withEnvironment(spec.env)
      .withExposedPorts(spec.grpcPort, spec.restPort)
      .withTmpFs(o.HostConfig.Tmpfs)
      .withStartupTimeout(readyTimeoutMs)
      .withWaitStrategy(new ReadyEndpointWait(spec.restPort, PUBLISH_HOST))
      .withLogConsumer((stream) => {
        let rest = '';
        stream.on('data', (chunk: Buffer | string) => {
          const lines = (rest + chunk.toString()).split('\n');
          rest = lines.pop() ?? '';
          this.log.push(...lines);
        });
        stream.on('end', () => { if (rest) this.log.push(rest); });
      });
    if (o.User !== undefined) this.withUser(o.User);
    if (o.HostConfig.CapDrop.length > 0) this.withDroppedCapabilities(...o.HostConfig.CapDrop);
    if (o.HostConfig.SecurityOpt.length > 0) this.withSecurityOpt(...o.HostConfig.SecurityOpt);
    // No testcontainers setters for these (facts/tooling-anchors.md A.2): set the host config directly.
    this.hostConfig.ReadonlyRootfs = o.HostConfig.ReadonlyRootfs;
    this.hostConfig.Binds = o.HostConfig.Binds;
    this.hostConfig.PortBindings = o.HostConfig.PortBindings;
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId;
  }

  /** Starts and waits for readiness; a failed start is an outcome with its log, not an exception. */
  async startHardened(): Promise<StartOutcome> {
    const t0 = performance.now();
    try {
      const container = await this.start();
      // Ports are published on the Docker host's 127.0.0.1 only (hardened-spec.ts), so that is the address.
      const host = PUBLISH_HOST;
      const started: StartedOvms = {
        container,
        id: container.getId(),
        restUrl: `http://${host}:${container.getMappedPort(this.spec.restPort)}`,
        grpcAddress: `${host}:${container.getMappedPort(this.spec.grpcPort)}`,
        startupMs: Math.round(performance.now() - t0),
      };
      return { ok: true, started, log: this.log };
    } catch (e) {
      const message = (e as Error).message.split('\n')[0] ?? String(e);
      return { ok: false, error: message, containerId: this.createdId, log: this.log, startupMs: Math.round(performance.now() - t0) };
    }
  }
}
