// Every option once: its flag (also a config key and an OVMS_* variable), the kind of value it
// takes, its default (typed, written only here), the group that resolves it, and its help line.
// --help, the README's table and the resolvers all read this table.
import { DEPLOYMENTS } from '../ovms/deployment.js';
import { DEFAULT_IMAGE, PROFILES, REPORT_FILES, REPORT_FORMATS, STAND_IN_FAULTS, TARGET_KINDS } from './resolved-options.js';

export type Group = 'target' | 'endpoints' | 'deployment' | 'limits' | 'report';

interface SpecBase {
  flag: string;
  group: Group;
  /** The value's placeholder in --help (FILE, URL, ...). */
  value?: string;
  help: string;
  /** How --help shows a default that is computed, not a plain value. */
  defaultText?: string;
}

export type OptionSpec = SpecBase & (
  | { kind: 'string'; def?: string }
  | { kind: 'int'; def?: number }
  | { kind: 'bool'; def?: boolean }
  | { kind: 'list' | 'multi'; def?: readonly string[] }
);

export const OPTIONS = {
  target: { flag: 'target', group: 'target', kind: 'string', value: 'KIND', def: 'container', help: `where the server comes from: ${TARGET_KINDS.join(', ')}; container starts the image, stand-in the project's own imitation (offline), attach judges a container that already runs, remote dials endpoints only` },
  deployment: { flag: 'deployment', group: 'deployment', kind: 'string', value: 'NAME', def: 'hardened', help: `for container and stand-in: ${DEPLOYMENTS.join(' or ')}; hardened is the page's flags plus --cap-drop ALL, no-new-privileges, read-only models, REST and metrics; page is exactly the page's command (gRPC only)` },
  image: { flag: 'image', group: 'target', kind: 'string', value: 'IMG', def: DEFAULT_IMAGE, help: 'image to start (target container)' },
  container: { flag: 'container', group: 'target', kind: 'string', value: 'NAME|ID', help: 'the running container to judge (target attach); it is never stopped, restarted or written into' },
  restUrl: { flag: 'rest-url', group: 'endpoints', kind: 'string', value: 'URL', help: 'the REST endpoint, e.g. http://10.0.0.5:8000 or https://ovms.example (remote; attach: instead of the published port)' },
  grpcAddress: { flag: 'grpc-address', group: 'endpoints', kind: 'string', value: 'HOST:PORT', help: 'the gRPC endpoint (remote; attach: instead of the published port)' },
  tls: { flag: 'tls', group: 'endpoints', kind: 'bool', def: false, help: 'reach the gRPC endpoint over TLS (REST follows its URL scheme)' },
  ca: { flag: 'ca', group: 'endpoints', kind: 'string', value: 'FILE', help: "CA certificate (PEM) that the endpoints' certificates must chain to" },
  cert: { flag: 'cert', group: 'endpoints', kind: 'string', value: 'FILE', help: 'client certificate (PEM) for TLS client authentication; with --key' },
  key: { flag: 'key', group: 'endpoints', kind: 'string', value: 'FILE', help: 'client key (PEM); with --cert' },
  servername: { flag: 'servername', group: 'endpoints', kind: 'string', value: 'NAME', help: 'the name the server certificate must carry, when it differs from the host dialled' },
  serverRestUrl: { flag: 'server-rest-url', group: 'endpoints', kind: 'string', value: 'URL', help: "behind a proxy: the server's own REST endpoint, which exposure.proxy-bypass checks is not reachable from here" },
  serverGrpcAddress: { flag: 'server-grpc-address', group: 'endpoints', kind: 'string', value: 'HOST:PORT', help: "behind a proxy: the server's own gRPC endpoint, which exposure.proxy-bypass checks is not reachable from here" },
  tokenEnv: { flag: 'token-env', group: 'endpoints', kind: 'string', value: 'VAR', help: 'bearer token for the endpoints, read from this environment variable (never given on the command line)' },
  tokenFile: { flag: 'token-file', group: 'endpoints', kind: 'string', value: 'FILE', help: 'bearer token read from the first line of this file' },
  basicAuthEnv: { flag: 'basic-auth-env', group: 'endpoints', kind: 'string', value: 'VAR', help: 'basic credentials user:password, read from this environment variable' },
  basicAuthFile: { flag: 'basic-auth-file', group: 'endpoints', kind: 'string', value: 'FILE', help: 'basic credentials user:password, read from the first line of this file' },
  user: { flag: 'user', group: 'target', kind: 'string', value: 'U:G', defaultText: 'your uid:gid', help: 'numeric uid:gid the server runs as (docker --user); use a non-root one, e.g. 5000:5000' },
  profile: { flag: 'profile', group: 'limits', kind: 'string', value: 'NAME', def: 'quick', help: `which checks run: ${PROFILES.join(', ')} (each includes the one before)` },
  config: { flag: 'config', group: 'report', kind: 'string', value: 'FILE', help: 'JSON file with any of these options (camelCase keys, e.g. {"user": "5000:5000"})' },
  reportDir: { flag: 'report-dir', group: 'report', kind: 'string', value: 'DIR', def: 'reports', help: 'where the report files (see --format) and server.log are written; it must be absent, empty or hold an earlier report of ovms-validate (never a folder of yours)' },
  format: { flag: 'format', group: 'report', kind: 'list', value: 'a,b', def: REPORT_FORMATS, help: `report files to write: ${REPORT_FORMATS.map((f) => `${f} (${REPORT_FILES[f]})`).join(', ')}; report.json is always written` },
  waivers: { flag: 'waivers', group: 'report', kind: 'string', value: 'FILE', help: 'reviewed exceptions: a YAML or JSON file of check id, optional target and image, reason, owner and expiry; a matching fail becomes waived, an expired waiver fails the run' },
  standInFaults: { flag: 'stand-in-faults', group: 'target', kind: 'list', value: 'a,b', help: `faults to give the stand-in: ${STAND_IN_FAULTS.join(', ')}` },
  startupTimeout: { flag: 'startup-timeout', group: 'deployment', kind: 'int', value: 'SEC', def: 180, help: 'seconds to wait until the server says it is ready' },
  grpcPort: { flag: 'grpc-port', group: 'deployment', kind: 'int', value: 'PORT', def: 9178, help: 'gRPC port inside the container (--port)' },
  restPort: { flag: 'rest-port', group: 'deployment', kind: 'int', value: 'PORT', def: 8000, help: 'REST port inside the container (--rest_port; hardened deployment)' },
  modelsDir: { flag: 'models-dir', group: 'deployment', kind: 'string', value: 'DIR', defaultText: 'models, filled from models/manifest.json (stand-in: fixtures/models)', help: 'host folder mounted at /models' },
  messageLimit: { flag: 'message-limit', group: 'limits', kind: 'int', value: 'BYTES', def: 1073741824, help: 'the message size limit the server must enforce on gRPC and REST (OVMS: 1 GiB)' },
  standInMessageLimit: { flag: 'stand-in-message-limit', group: 'limits', kind: 'int', value: 'BYTES', help: "lower the stand-in's own limit (fast self-tests; pair it with --message-limit)" },
  serverArgs: { flag: 'server-arg', group: 'deployment', kind: 'multi', value: 'ARG', help: "one more server argument after the page's command, repeatable (e.g. --server-arg=--nireq --server-arg=2); env: a JSON array" },
  declaredServerArgs: { flag: 'declared-server-args', group: 'endpoints', kind: 'multi', value: 'ARG', help: "--target remote: the server arguments the deployment runs with, as you know them (e.g. --declared-server-args=--grpc_max_threads --declared-server-args=16); the checks that need the command line then judge, and the report marks them declared, not observed; env: a JSON array" },
  pageEdition: { flag: 'page-edition', group: 'target', kind: 'string', value: 'E1|E2|E3', defaultText: "the edition of the server's reported version", help: 'judge against this edition of the security page (E1 up to OVMS 2025.3, E2 2025.4, E3 2026.0 and later)' },
  apiKeyEnv: { flag: 'api-key-env', group: 'endpoints', kind: 'string', value: 'VAR', help: "the generative endpoints' API key, read from this environment variable (exposure.api-key checks it is let through; never written anywhere)" },
  apiKeyFile: { flag: 'api-key-file', group: 'endpoints', kind: 'string', value: 'FILE', help: "the generative endpoints' API key, first line of this file; for the targets the harness starts, also mounted read-only and given to the server with --api_key_file" },
  generativeModel: { flag: 'generative-model', group: 'endpoints', kind: 'string', value: 'NAME', defaultText: 'found through /v3/models', help: 'a generative servable that takes images, for the live part of exposure.media-urls' },
  standInVersion: { flag: 'stand-in-version', group: 'target', kind: 'string', value: 'YYYY.R.P', help: 'the OVMS release the stand-in reports (e.g. 2025.3.0), to see how a server of that release is judged' },
  standInInferMs: { flag: 'stand-in-infer-ms', group: 'target', kind: 'int', value: 'MS', def: 20, help: 'how long one inference takes in the stand-in (a resnet-like latency, so floods hold calls)' },
  mediapipeConfig: { flag: 'mediapipe-config', group: 'deployment', kind: 'string', value: 'FILE', defaultText: 'none (stand-in: fixtures/models/mediapipe.json)', help: 'an OVMS config.json declaring MediaPipe graphs, each with a sample.json beside its graph; its folder is mounted read-only' },
  allowRemoteFlood: { flag: 'allow-remote-flood', group: 'limits', kind: 'bool', def: false, help: 'allow floods against a non-loopback address (a server you own)' },
  modelRepository: { flag: 'model-repository', group: 'deployment', kind: 'string', value: 'URL', defaultText: 'S3 and Azure emulators started by the harness', help: 'for hardening.cloud-storage-tmp: your model folder in an object store, s3://bucket/path/resnet or az://container/path/resnet, read with the variables OVMS reads (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, S3_ENDPOINT; AZURE_STORAGE_CONNECTION_STRING); the check then also runs in quick' },
  offline: { flag: 'offline', group: 'deployment', kind: 'bool', def: false, help: 'use only the verified model cache in models/, never download' },
  modelName: { flag: 'model-name', group: 'deployment', kind: 'string', value: 'NAME', def: 'resnet', help: 'served model name (--model_name)' },
  modelPath: { flag: 'model-path', group: 'deployment', kind: 'string', value: 'PATH', defaultText: '/models/<model-name>/', help: 'model path inside the container (--model_path)' },
  expectedDefaultUid: { flag: 'expected-default-uid', group: 'target', kind: 'int', value: 'UID', def: 5000, help: 'UID the image should run as without --user (never 0)' },
  only: { flag: 'only', group: 'limits', kind: 'list', value: 'IDS', help: 'run only these check ids or areas (e.g. hardening)' },
  exclude: { flag: 'exclude', group: 'limits', kind: 'list', value: 'IDS', help: 'leave out these check ids or areas' },
  readOnly: { flag: 'read-only', group: 'deployment', kind: 'bool', def: true, help: 'start with --read-only (--no-read-only to validate a deployment without it)' },
  tmpfs: { flag: 'tmpfs', group: 'deployment', kind: 'bool', def: true, help: 'start with --tmpfs /tmp' },
  modelsReadOnly: { flag: 'models-read-only', group: 'deployment', kind: 'bool', def: true, help: 'mount the models folder read-only (hardened deployment)' },
  capDropAll: { flag: 'cap-drop-all', group: 'deployment', kind: 'bool', def: true, help: 'start with --cap-drop ALL (hardened deployment)' },
  noNewPrivileges: { flag: 'block-new-privileges', group: 'deployment', kind: 'bool', def: true, help: 'start with --security-opt no-new-privileges (hardened deployment)' },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;
type KindOf<K extends OptionKey> = (typeof OPTIONS)[K]['kind'];
/** The type of an option's value, from its kind. */
export type ValueOf<K extends OptionKey> = KindOf<K> extends 'int' ? number : KindOf<K> extends 'bool' ? boolean : KindOf<K> extends 'list' | 'multi' ? string[] : string;
/** The options that have a default, and so always have a value. */
export type Defaulted = { [K in OptionKey]: (typeof OPTIONS)[K] extends { def: unknown } ? K : never }[OptionKey];

export const OPTION_KEYS = Object.keys(OPTIONS) as OptionKey[];

export const envName = (flag: string): string => `OVMS_${flag.toUpperCase().replace(/-/g, '_')}`;

/** The default as --help and the README show it. */
export function defaultWord(key: OptionKey): string | null {
  const s: OptionSpec = OPTIONS[key];
  if (s.defaultText) return s.defaultText;
  if (s.def === undefined) return null;
  return Array.isArray(s.def) ? s.def.join(',') : String(s.def);
}

/** One --help entry: the flag, its value, what it does, its default, its variable and config key. */
export function helpEntry(key: OptionKey): string {
  const s: OptionSpec = OPTIONS[key];
  const flag = s.kind === 'bool' ? `--[no-]${s.flag}` : `--${s.flag} ${s.value ?? 'VALUE'}`;
  const def = defaultWord(key);
  return `  ${flag.padEnd(30)} ${s.help}${def ? ` [default: ${def}]` : ''}\n  ${''.padEnd(30)} env ${envName(s.flag)}, config key ${key}`;
}
