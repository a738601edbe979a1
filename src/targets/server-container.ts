// Starts a server container from a ContainerSpec with testcontainers and waits for readiness over
// the endpoint the deployment has. The log is kept from the first line, so it survives a failed
// start; a failed start is an outcome with its log, not an exception.
import { flagValue, PUBLISH_HOST, type ContainerSpec } from '../docker/container-spec.js';
import type { DockerEndpoint } from '../docker/client.js';
import type { ReadinessPorts } from './ready-wait.js';
import type { StartOutcome } from './server-start.js';

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

/** Starts the spec and waits for readiness; testcontainers is loaded only when a server starts. */
export async function startServer(spec: ContainerSpec, labels: Record<string, string>, readyTimeoutMs: number): Promise<StartOutcome> {
  const { startServerContainer } = await import('./server-start.js');
  return startServerContainer(spec, labels, serverPorts(spec), readyTimeoutMs);
}
