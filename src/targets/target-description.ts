// What a started target is, as plain serialisable data: its endpoints (each with how it is
// reached) and the capabilities it offers, of which the first is container access. The suites
// receive this inside the run description and never ask Docker anything the target does not offer.
import type { ContainerSpec } from '../docker/container-spec.js';
import type { Identity } from '../ovms/identity.js';
import type { Endpoints } from '../protocol/endpoint.js';
import type { Deviation } from '../ovms/deployment.js';
import type { TargetKind } from '../options/resolved-options.js';


/** The container behind a target, for container access and for starting copies of it. */
export interface ContainerRef {
  id: string;
  name: string;
  /** The image reference as given (a tag may have moved since); `imageId` is what runs. */
  image: string;
  imageId: string;
  /** The image's registry digests (empty for an image built or loaded locally). */
  repoDigests: string[];
  startedBy: 'harness' | 'owner';
  /** Its create options, normalised: a copy (variant) starts from these with one change. */
  spec: ContainerSpec;
}

export interface Startup {
  ready: boolean;
  /** The server answered at all (an HTTP status or a gRPC status of its own), ready or not. */
  answered: boolean;
  error: string | null;
  ms: number;
  /** How readiness was decided, e.g. "REST GET /v2/health/ready -> 200". */
  readiness: string;
  log: string[];
}


export interface CommandInfo {
  /** The server's own arguments as it was started (from the spec, or read from its process). */
  serverArgs: string[];
  /** Where serverArgs were read from. */
  source: string;
  /** Given by the user (--declared-server-args), not observed: judgements on it say so. */
  declared: boolean;
  /** The equivalent docker run line, when the target is a container. */
  dockerRun: string[] | null;
  deployment: 'page' | 'hardened' | 'as deployed';
  deviations: Deviation[];
}

export interface TargetDescription {
  kind: TargetKind;
  /** The image carries the stand-in's label (or the stand-in was started by the harness). */
  standIn: boolean;
  identity: Identity;
  endpoints: Endpoints;
  container: ContainerRef | null;
  startup: Startup;
  command: CommandInfo | null;
  /** Stand-in faults the target was started with (only the stand-in target sets them). */
  standInFaults: string[];
  /** The host folder served at /models, when the harness knows it (to verify the model files). */
  modelsHostDir: string | null;
  /** The file its owner started it from, when the container says (a compose file and its service's line). */
  deploymentFile: { path: string; line: number; what: string } | null;
}
