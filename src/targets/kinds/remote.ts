// --target remote: endpoints only (a REST URL and/or a gRPC address, each plaintext or TLS with
// its CA, client certificate and credential). No container access: container checks skip.
import { EnvironmentError } from '../../errors.js';
import { secretArgs } from '../../secrets/redaction.js';
import type { ResolvedOptions } from '../../options/resolved-options.js';
import type { CredentialSource, Endpoint, Endpoints, Transport } from '../../protocol/endpoint.js';
import { askReadyAt } from '../ready-wait.js';
import type { TargetKindImpl } from './kind.js';
import { identityOf, serverMetadata } from './server-metadata.js';

/** The endpoints the options describe (remote, or attach overrides), with their transport and credential. */
export function remoteEndpoints(o: ResolvedOptions): { endpoints: Endpoints; credential: CredentialSource | null } {
  const credential: CredentialSource | null = o.credential;
  const tls: Transport = {
    kind: 'tls', caFile: o.caFile, servername: o.servername,
    clientCert: o.certFile && o.keyFile ? { certFile: o.certFile, keyFile: o.keyFile } : null,
  };
  const rest: Endpoint | null = o.restUrl ? { address: o.restUrl.replace(/\/$/, ''), transport: o.restUrl.startsWith('https:') ? tls : { kind: 'plaintext' }, credential } : null;
  const grpc: Endpoint | null = o.grpcAddress ? { address: o.grpcAddress, transport: o.tls ? tls : { kind: 'plaintext' }, credential } : null;
  return { endpoints: { rest, grpc }, credential };
}

export const remoteKind: TargetKindImpl<Endpoints> = {
  needsDocker: false,
  async prepare(ctx) {
    return remoteEndpoints(ctx.options).endpoints;
  },
  async start(ctx, endpoints) {
    const t0 = performance.now();
    const seen = await askReadyAt(endpoints, 10_000);
    const where = [endpoints.rest?.address, endpoints.grpc?.address].filter(Boolean).join(' / ');
    // Nothing answered at all: nothing can be judged, and the cause is the way there, not the server.
    if (!seen.answered) throw new EnvironmentError(`INCOMPLETE: the server did not answer at ${where} (${seen.detail}); check the address, --tls and --ca, and that the server runs`);
    const meta = await serverMetadata(endpoints);
    const identity = identityOf(meta, null, null);
    ctx.progress(`remote ${where}: ${seen.ready ? 'ready' : `not ready: ${seen.detail}`}; ${identity.statement}`);
    return {
      description: {
        kind: 'remote', standIn: identity.standIn, identity, endpoints, container: null,
        startup: { ready: seen.ready, answered: seen.answered, error: seen.ready ? null : seen.detail, ms: Math.round(performance.now() - t0), readiness: seen.how, log: [] },
        command: ctx.options.declaredServerArgs.length === 0 ? null : {
          serverArgs: ctx.options.declaredServerArgs, declared: true, source: 'declared by the user (--declared-server-args), not observed',
          dockerRun: null, deployment: 'as deployed', deviations: [],
        },
        standInFaults: [], modelsHostDir: null, deploymentFile: null,
      },
      serverLog: async () => [],
      secrets: secretArgs(ctx.options.declaredServerArgs),
    };
  },
};
