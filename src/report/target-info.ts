// The report's view of the target: what it is (and whether it is OVMS), how each endpoint was
// reached (never the credential), the command that ran and how it differs from the page's.
import type { ResolvedOptions } from '../options/resolved-options.js';
import type { TargetDescription } from '../targets/target-description.js';
import type { Endpoint } from '../protocol/endpoint.js';
import type { TargetInfo } from './schema.js';
import { chooseEdition } from '../ovms/page-editions.js';

/** What names the judged deployment across runs: its image digest or id, else its endpoint, else the image name; null when none is known. */
export function deploymentIdentity(t: Pick<TargetInfo, 'repoDigests' | 'imageId' | 'restUrl' | 'grpcAddress' | 'image'>): string | null {
  return t.repoDigests[0] ?? t.imageId ?? t.restUrl ?? t.grpcAddress ?? t.image ?? null;
}

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
  const edition = chooseEdition(o.pageEdition, t.identity.reportedVersion);
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
    serverArgsSource: t.command?.source ?? null,
    deviations: t.command?.deviations ?? [],
    readiness: t.startup.readiness,
    ready: t.startup.ready,
    answered: t.startup.answered,
    startupError: t.startup.error,
    restUrl: t.endpoints.rest?.address ?? null,
    grpcAddress: t.endpoints.grpc?.address ?? null,
    endpoints: { rest: endpointInfo(t.endpoints.rest), grpc: endpointInfo(t.endpoints.grpc) },
    standInFaults: t.standInFaults,
    pageEdition: { edition: edition.edition, how: edition.how },
    deploymentFile: t.deploymentFile,
  };
}

/** The target of a run that ended before a server was started or asked: what the options say of it. */
export function placeholderTarget(o: ResolvedOptions): TargetInfo {
  return {
    kind: o.target, standIn: o.target === 'stand-in',
    identity: { reportedName: null, reportedVersion: null, source: 'the run ended before the server was asked', isOvms: false, statement: `not started (${o.target === 'stand-in' ? 'the ovms-validate STAND-IN' : o.image ?? o.container ?? o.restUrl ?? o.grpcAddress ?? 'unknown'})` },
    image: o.image, imageId: null, repoDigests: [], serverVersion: null, user: null, deployment: null, command: [], serverArgs: null, serverArgsSource: null, deviations: [], readiness: 'not asked',
    ready: false, answered: false, startupError: 'the run ended before the server was started',
    restUrl: o.restUrl, grpcAddress: o.grpcAddress, endpoints: { rest: null, grpc: null }, standInFaults: o.standInFaults, pageEdition: null, deploymentFile: null,
  };
}

