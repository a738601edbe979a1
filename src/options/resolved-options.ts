// The options a run resolved to: every value typed and final, with where it came from kept in
// `sources`. Everything below the CLI reads these, never the raw flags or variables.
import type { Deployment } from '../ovms/deployment.js';
import type { ModelRepository } from '../stores/model-repository.js';
export const TARGET_KINDS = ['container', 'stand-in', 'attach', 'remote'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Which checks run: each includes the one before it. */
export const PROFILES = ['quick', 'nightly', 'acceptance'] as const;
export type Profile = (typeof PROFILES)[number];

/** The report files --format chooses from, by name; report.json is always written. */
export const REPORT_FILES = { json: 'report.json', junit: 'junit.xml', markdown: 'summary.md', html: 'report.html', sarif: 'report.sarif' } as const;
export type ReportFormat = keyof typeof REPORT_FILES;
export const REPORT_FORMATS = Object.keys(REPORT_FILES) as ReportFormat[];

/** Faults the stand-in implements today (CHECKS.md lists the whole plan). */
export const STAND_IN_FAULTS = [
  'image-root-user', 'writes-rootfs-at-start', 'tmp-not-writable', 'bad-request-crash', 'grpc-not-ready', 'grpc-no-size-limit',
  'rest-no-size-limit', 'oversize-crash', 'wrong-max-streams', 'no-thread-cap', 'no-memory-quota', 'crash-under-flood',
  'streams-metric-wrong', 'channel-args-nonnumeric', 'oversize-early-reject', 'graph-fails-at-request', 'rest-flood-crash',
  'cors-wildcard-off', 'cloud-download-to-rootfs', 'api-key-route-open', 'api-key-logged', 'media-url-any-host', 'admin-endpoints-off',
] as const;
export type StandInFault = (typeof STAND_IN_FAULTS)[number];

import type { PageEdition } from '../ovms/page-editions.js';
import type { Waiver } from '../waivers/waivers.js';

export const DEFAULT_IMAGE = 'openvino/model_server:latest';
/** runc refuses ids above 2^31 - 1. */
export const MAX_ID = 2147483647;

export type CredentialOption = { kind: 'bearer' | 'basic'; from: { env: string } | { file: string } };

export interface ResolvedOptions {
  target: TargetKind;
  deployment: Deployment;
  image: string | null;
  container: string | null;
  restUrl: string | null;
  grpcAddress: string | null;
  tls: boolean;
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
  servername: string | null;
  credential: CredentialOption | null;
  /** The generative endpoints' API key: where it is read at the moment of use (never its value). */
  apiKey: { env: string } | { file: string } | null;
  /** A generative servable that takes images (exposure.media-urls), or null to look in /v3/models. */
  generativeModel: string | null;
  /** The security page edition to judge by, or null for the server's reported version's. */
  pageEdition: PageEdition | null;
  /** The release the stand-in reports (--stand-in-version), or null for its own. */
  standInVersion: string | null;
  serverRestUrl: string | null;
  serverGrpcAddress: string | null;
  user: string;
  userSource: 'option' | 'invoking user';
  profile: Profile;
  reportDir: string;
  standInFaults: StandInFault[];
  startupTimeoutMs: number;
  grpcPort: number;
  restPort: number;
  modelsDir: string | null;
  offline: boolean;
  messageLimit: number;
  standInMessageLimit: number | null;
  serverArgs: string[];
  /** --target remote: the server's arguments as the user declares them (not observed). */
  declaredServerArgs: string[];
  standInInferMs: number;
  mediapipeConfig: string | null;
  allowRemoteFlood: boolean;
  modelName: string;
  modelPath: string;
  expectedDefaultUid: number;
  only: string[];
  exclude: string[];
  readOnly: boolean;
  tmpfs: boolean;
  modelsReadOnly: boolean;
  capDropAll: boolean;
  noNewPrivileges: boolean;
  configFile: string | null;
  formats: ReportFormat[];
  /** Reviewed exceptions (--waivers), read and checked before anything starts. */
  waivers: Waiver[];
  /** hardening.cloud-storage-tmp's store: the user's, or null for the harness's emulators. */
  modelRepository: ModelRepository | null;
}

