// The target as the checks use it, built from the run description in whichever process runs the
// checks: KServe clients for its endpoints (as they are reached: TLS, credentials), and container
// access when the target offers it. Clients open on first use and close together.
import { kserveGrpcClientFor, type KServeGrpcClient } from '../protocol/grpc-client.js';
import { KServeRestClient } from '../protocol/rest-client.js';
import type { LiveClients } from '../protocol/liveness.js';
import type { DockerEndpoint } from '../docker/client.js';
import type { ResolvedOptions } from '../options/resolved-options.js';
import type { Endpoint } from '../protocol/endpoint.js';
import { ContainerAccess } from './container-access.js';
import { configureTestcontainers } from './server-container.js';
import type { TargetDescription } from './target-description.js';

/** What access to a target needs of the run (the run description has all of it). */
export interface AccessInput {
  target: TargetDescription;
  docker: DockerEndpoint | null;
  reaper: boolean;
  probeImage: string | null;
  runId: string;
  owner: string;
  options: Pick<ResolvedOptions, 'startupTimeoutMs'>;
}

export class TargetAccess {
  private restClient: KServeRestClient | undefined;
  private grpcClient: KServeGrpcClient | undefined;
  private containerAccess: ContainerAccess | undefined;

  constructor(readonly run: AccessInput) {
    if (run.docker) configureTestcontainers(run.docker, run.reaper);
  }

  get target() { return this.run.target; }

  restEndpoint(): Endpoint {
    const e = this.target.endpoints.rest;
    if (!e) throw new Error('the target has no REST endpoint (declare the need "rest")');
    return e;
  }

  grpcEndpoint(): Endpoint {
    const e = this.target.endpoints.grpc;
    if (!e) throw new Error('the target has no gRPC endpoint (declare the need "grpc")');
    return e;
  }

  rest(): KServeRestClient { return (this.restClient ??= KServeRestClient.for(this.restEndpoint())); }
  grpc(): KServeGrpcClient { return (this.grpcClient ??= kserveGrpcClientFor(this.grpcEndpoint())); }

  /** The clients of the endpoints the target has (null where it has none). */
  clients(): LiveClients {
    return { rest: this.target.endpoints.rest ? this.rest() : null, grpc: this.target.endpoints.grpc ? this.grpc() : null };
  }

  container(): ContainerAccess {
    const ref = this.target.container;
    if (!ref || !this.run.docker || !this.run.probeImage) throw new Error('the target offers no container access (declare the need "container")');
    return (this.containerAccess ??= new ContainerAccess(ref, {
      docker: this.run.docker, probeImage: this.run.probeImage, runId: this.run.runId, owner: this.run.owner, startupTimeoutMs: this.run.options.startupTimeoutMs,
    }));
  }

  async close(): Promise<void> {
    this.grpcClient?.close();
    await this.restClient?.close();
    this.grpcClient = undefined;
    this.restClient = undefined;
  }
}
