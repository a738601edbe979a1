// The report's view of the target: what it is (and whether it is OVMS), how each endpoint was
// reached (never the credential), the command that ran and how it differs from the page's.
import type { ResolvedOptions } from '../options/resolved-options.js';
import type { TargetDescription } from '../targets/target-description.js';
import type { Endpoint } from '../protocol/endpoint.js';
import type { TargetInfo } from './schema.js';

function endpointInfo(e: Endpoint | null): TargetInfo['endpoints']['rest'] {
  if (!e) return null;
  const tls = e.transport.kind === 'tls' ? e.transport : null;
  const credential = e.credential ? (e.credential.kind === 'bearer' ? 'bearer token' : 'basic credentials') : tls?.clientCert ? 'client certificate' : 'none';
  return {
    address: e.address, transport: tls ? 'TLS' : 'plaintext', credential,
    tls: tls ? { ca: tls.caFile, servername: tls.servername, clientCertificate: tls.clientCert !== null } : null,
  };
}

export function targetInfo(t: TargetDescription, o: ResolvedOptions): TargetInfo {
  return {
    kind: t.kind,
    standIn: t.standIn,
    identity: { reportedName: t.identity.reportedName, reportedVersion: t.identity.reportedVersion, source: t.identity.source, isOvms: t.identity.isOvms, statement: t.identity.statement },
    image: t.container?.image ?? null,
    imageId: t.container?.imageId ?? null,
    repoDigests: t.container?.repoDigests ?? [],
    serverVersion: t.identity.reportedVersion,
    user: t.container ? (t.container.startedBy === 'harness' ? o.user : t.container.spec.user) : null,
    deployment: t.command?.deployment ?? null,
    command: t.command?.dockerRun ?? t.command?.serverArgs ?? [],
    serverArgs: t.command?.serverArgs ?? null,
    deviations: t.command?.deviations ?? [],
    readiness: t.startup.readiness,
    ready: t.startup.ready,
    answered: t.startup.answered,
    startupError: t.startup.error,
    restUrl: t.endpoints.rest?.address ?? null,
    grpcAddress: t.endpoints.grpc?.address ?? null,
    endpoints: { rest: endpointInfo(t.endpoints.rest), grpc: endpointInfo(t.endpoints.grpc) },
    standInFaults: t.standInFaults,
  };
}
