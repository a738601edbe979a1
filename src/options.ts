// Options: defaults <- config file <- OVMS_* environment <- command line. Every problem is a
// UsageError naming the value, where it came from (flag, variable or config key) and the fix,
// raised before any Docker work.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CATALOG, PROFILES, type Profile } from './checks/catalog.js';
import { REPORT_FILES, REPORT_FORMATS, type ReportFormat } from './report/formats.js';
import { parseModelRepository, type ModelRepository } from './stores/model-repository.js';
import { UsageError } from './errors.js';
import { DEPLOYMENTS, type Deployment } from './ovms/deployment.js';
import { TARGET_KINDS, type TargetKind } from './targets/target-description.js';

/** Faults the stand-in implements today (CHECKS.md lists the whole plan). */
export const STAND_IN_FAULTS = [
  'image-root-user', 'writes-rootfs-at-start', 'tmp-not-writable', 'bad-request-crash', 'grpc-not-ready', 'grpc-no-size-limit',
  'rest-no-size-limit', 'oversize-crash', 'wrong-max-streams', 'no-thread-cap', 'no-memory-quota', 'crash-under-flood',
  'streams-metric-wrong', 'channel-args-nonnumeric', 'oversize-early-reject', 'graph-fails-at-request', 'rest-flood-crash',
  'cors-wildcard-off', 'cloud-download-to-rootfs',
] as const;
export type StandInFault = (typeof STAND_IN_FAULTS)[number];

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
  /** hardening.cloud-storage-tmp's store: the user's, or null for the harness's emulators. */
  modelRepository: ModelRepository | null;
}

type Kind = 'string' | 'int' | 'bool' | 'list' | 'multi';
export interface OptionSpec { key: string; flag: string; kind: Kind; value?: string; help: string; def?: string }

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'target', flag: 'target', kind: 'string', value: 'KIND', def: 'container', help: 'where the server comes from: container (start the image), stand-in (the project\'s own imitation, offline), attach (a container that already runs), remote (endpoints only)' },
  { key: 'deployment', flag: 'deployment', kind: 'string', value: 'NAME', def: 'hardened', help: 'for container and stand-in: hardened (the page\'s flags plus --cap-drop ALL, no-new-privileges, read-only models, REST and metrics) or page (exactly the page\'s command; gRPC only)' },
  { key: 'image', flag: 'image', kind: 'string', value: 'IMG', def: DEFAULT_IMAGE, help: 'image to start (target container)' },
  { key: 'container', flag: 'container', kind: 'string', value: 'NAME|ID', help: 'the running container to judge (target attach); it is never stopped, restarted or written into' },
  { key: 'restUrl', flag: 'rest-url', kind: 'string', value: 'URL', help: 'the REST endpoint, e.g. http://10.0.0.5:8000 or https://ovms.example (remote; attach: instead of the published port)' },
  { key: 'grpcAddress', flag: 'grpc-address', kind: 'string', value: 'HOST:PORT', help: 'the gRPC endpoint (remote; attach: instead of the published port)' },
  { key: 'tls', flag: 'tls', kind: 'bool', def: 'false', help: 'reach the gRPC endpoint over TLS (REST follows its URL scheme)' },
  { key: 'ca', flag: 'ca', kind: 'string', value: 'FILE', help: 'CA certificate (PEM) that the endpoints\' certificates must chain to' },
  { key: 'cert', flag: 'cert', kind: 'string', value: 'FILE', help: 'client certificate (PEM) for TLS client authentication; with --key' },
  { key: 'key', flag: 'key', kind: 'string', value: 'FILE', help: 'client key (PEM); with --cert' },
  { key: 'servername', flag: 'servername', kind: 'string', value: 'NAME', help: 'the name the server certificate must carry, when it differs from the host dialled' },
  { key: 'serverRestUrl', flag: 'server-rest-url', kind: 'string', value: 'URL', help: 'behind a proxy: the server\'s own REST endpoint, which exposure.proxy-bypass checks is not reachable from here' },
  { key: 'serverGrpcAddress', flag: 'server-grpc-address', kind: 'string', value: 'HOST:PORT', help: 'behind a proxy: the server\'s own gRPC endpoint, which exposure.proxy-bypass checks is not reachable from here' },
  { key: 'tokenEnv', flag: 'token-env', kind: 'string', value: 'VAR', help: 'bearer token for the endpoints, read from this environment variable (never given on the command line)' },
  { key: 'tokenFile', flag: 'token-file', kind: 'string', value: 'FILE', help: 'bearer token read from the first line of this file' },
  { key: 'basicAuthEnv', flag: 'basic-auth-env', kind: 'string', value: 'VAR', help: 'basic credentials user:password, read from this environment variable' },
  { key: 'basicAuthFile', flag: 'basic-auth-file', kind: 'string', value: 'FILE', help: 'basic credentials user:password, read from the first line of this file' },
  { key: 'user', flag: 'user', kind: 'string', value: 'U:G', def: 'your uid:gid', help: 'numeric uid:gid the server runs as (docker --user); use a non-root one, e.g. 5000:5000' },
  { key: 'profile', flag: 'profile', kind: 'string', value: 'NAME', def: 'quick', help: 'which checks run: quick, nightly or acceptance' },
  { key: 'config', flag: 'config', kind: 'string', value: 'FILE', help: 'JSON file with any of these options (camelCase keys, e.g. {"user": "5000:5000"})' },
  { key: 'reportDir', flag: 'report-dir', kind: 'string', value: 'DIR', def: 'reports', help: 'where the report files (see --format) and server.log are written; it must be absent, empty or hold an earlier report of ovms-validate (never a folder of yours)' },
  { key: 'format', flag: 'format', kind: 'list', value: 'a,b', def: REPORT_FORMATS.join(','), help: `report files to write: ${REPORT_FORMATS.map((f) => `${f} (${REPORT_FILES[f]})`).join(', ')}; report.json is always written` },
  { key: 'standInFaults', flag: 'stand-in-faults', kind: 'list', value: 'a,b', help: `faults to give the stand-in: ${STAND_IN_FAULTS.join(', ')}` },
  { key: 'startupTimeout', flag: 'startup-timeout', kind: 'int', value: 'SEC', def: '180', help: 'seconds to wait until the server says it is ready' },
  { key: 'grpcPort', flag: 'grpc-port', kind: 'int', value: 'PORT', def: '9178', help: 'gRPC port inside the container (--port)' },
  { key: 'restPort', flag: 'rest-port', kind: 'int', value: 'PORT', def: '8000', help: 'REST port inside the container (--rest_port; hardened deployment)' },
  { key: 'modelsDir', flag: 'models-dir', kind: 'string', value: 'DIR', def: 'models, filled from models/manifest.json (stand-in: fixtures/models)', help: 'host folder mounted at /models' },
  { key: 'messageLimit', flag: 'message-limit', kind: 'int', value: 'BYTES', def: '1073741824', help: 'the message size limit the server must enforce on gRPC and REST (OVMS: 1 GiB)' },
  { key: 'standInMessageLimit', flag: 'stand-in-message-limit', kind: 'int', value: 'BYTES', help: 'lower the stand-in\'s own limit (fast self-tests; pair it with --message-limit)' },
  { key: 'serverArgs', flag: 'server-arg', kind: 'multi', value: 'ARG', help: 'one more server argument after the page\'s command, repeatable (e.g. --server-arg=--nireq --server-arg=2); env: a JSON array' },
  { key: 'standInInferMs', flag: 'stand-in-infer-ms', kind: 'int', value: 'MS', def: '20', help: 'how long one inference takes in the stand-in (a resnet-like latency, so floods hold calls)' },
  { key: 'mediapipeConfig', flag: 'mediapipe-config', kind: 'string', value: 'FILE', def: 'none (stand-in: fixtures/models/mediapipe.json)', help: 'an OVMS config.json declaring MediaPipe graphs, each with a sample.json beside its graph; its folder is mounted read-only' },
  { key: 'allowRemoteFlood', flag: 'allow-remote-flood', kind: 'bool', def: 'false', help: 'allow floods against a non-loopback address (a server you own)' },
  { key: 'modelRepository', flag: 'model-repository', kind: 'string', value: 'URL', def: 'S3 and Azure emulators started by the harness', help: 'for hardening.cloud-storage-tmp: your model folder in an object store, s3://bucket/path/resnet or az://container/path/resnet, read with the variables OVMS reads (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, S3_ENDPOINT; AZURE_STORAGE_CONNECTION_STRING); the check then also runs in quick' },
  { key: 'offline', flag: 'offline', kind: 'bool', def: 'false', help: 'use only the verified model cache in models/, never download' },
  { key: 'modelName', flag: 'model-name', kind: 'string', value: 'NAME', def: 'resnet', help: 'served model name (--model_name)' },
  { key: 'modelPath', flag: 'model-path', kind: 'string', value: 'PATH', def: '/models/<model-name>/', help: 'model path inside the container (--model_path)' },
  { key: 'expectedDefaultUid', flag: 'expected-default-uid', kind: 'int', value: 'UID', def: '5000', help: 'UID the image should run as without --user (never 0)' },
  { key: 'only', flag: 'only', kind: 'list', value: 'IDS', help: 'run only these check ids or areas (e.g. hardening)' },
  { key: 'exclude', flag: 'exclude', kind: 'list', value: 'IDS', help: 'leave out these check ids or areas' },
  { key: 'readOnly', flag: 'read-only', kind: 'bool', def: 'true', help: 'start with --read-only (--no-read-only to validate a deployment without it)' },
  { key: 'tmpfs', flag: 'tmpfs', kind: 'bool', def: 'true', help: 'start with --tmpfs /tmp' },
  { key: 'modelsReadOnly', flag: 'models-read-only', kind: 'bool', def: 'true', help: 'mount the models folder read-only (hardened deployment)' },
  { key: 'capDropAll', flag: 'cap-drop-all', kind: 'bool', def: 'true', help: 'start with --cap-drop ALL (hardened deployment)' },
  { key: 'noNewPrivileges', flag: 'block-new-privileges', kind: 'bool', def: 'true', help: 'start with --security-opt no-new-privileges (hardened deployment)' },
];

export const envName = (flag: string): string => `OVMS_${flag.toUpperCase().replace(/-/g, '_')}`;

/** Environment variables the harness reads that are not options. */
const OTHER_OVMS_VARS = new Set(['OVMS_PROVISION_DOCKERD_PID']);

type Raw = Partial<Record<string, string | boolean | number | string[]>>;

/** Where a value came from, as the user would write it. */
type Source = (spec: OptionSpec) => string;

function bad(where: string, value: unknown, fix: string): never {
  throw new UsageError(`${where}: '${Array.isArray(value) ? value.join(',') : String(value)}' ${fix}`);
}

function coerce(spec: OptionSpec, value: unknown, where: string): string | number | boolean | string[] {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string' || value === '') bad(where, value, 'must be a non-empty string');
      return value;
    case 'int': {
      const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) bad(where, value, 'must be a whole number');
      return n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return bad(where, value, 'must be true or false');
    case 'multi': {
      // The command line repeats the flag; a variable or a config key holds all of them as one JSON array.
      if (where.startsWith('--')) return Array.isArray(value) ? value.map(String) : [String(value)];
      let items: unknown = value;
      if (typeof value === 'string') {
        try { items = JSON.parse(value); } catch { items = null; }
      }
      if (!Array.isArray(items) || !items.every((x) => typeof x === 'string')) return bad(where, value, 'must be a JSON array of strings, e.g. ["--nireq","2"]');
      return items as string[];
    }
    case 'list': {
      const items = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((s) => s.trim()).filter(Boolean);
      if (items.length === 0) bad(where, value, 'names nothing; give a comma-separated list, e.g. hardening,dos.recovery');
      return items;
    }
  }
}

/** The closest name by edit distance, for "did you mean". */
export function closest(name: string, known: readonly string[]): string | null {
  const d = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return row[b.length]!;
  };
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) { const x = d(name, k); if (x < bestD) { bestD = x; best = k; } }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

export function readConfigFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass an existing JSON file`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config: '${path}' is not valid JSON (${(e as Error).message}); fix the file`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`--config: '${path}' must hold a JSON object of options`);
  const known = OPTION_SPECS.filter((s) => s.key !== 'config').map((s) => s.key);
  for (const k of Object.keys(doc)) {
    if (!known.includes(k)) {
      const near = closest(k, known);
      throw new UsageError(`--config: '${path}' has unknown key '${k}'${near ? `; did you mean '${near}'?` : `; known keys: ${known.join(', ')}`}`);
    }
  }
  return doc as Raw;
}

/** Why a --ca/--cert/--key file is not what it must be (PEM), in words rather than OpenSSL's. */
export function pemProblem(key: 'ca' | 'cert' | 'key', path: string): string | null {
  const text = readFileSync(path);
  if (key === 'key') {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text.toString('latin1'))) return 'is not a PEM private key (no -----BEGIN ... PRIVATE KEY----- block); pass the client key in PEM';
    try { createPrivateKey(text); return null; } catch { return 'holds a PEM private key block that cannot be read (damaged, or encrypted with a passphrase); pass an unencrypted PEM key'; }
  }
  if (!text.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) return `is not a PEM certificate (no -----BEGIN CERTIFICATE----- block); pass the ${key === 'ca' ? 'CA' : 'client'} certificate in PEM`;
  try { new X509Certificate(text); return null; } catch { return 'holds a certificate block that cannot be read (damaged or not X.509); pass a PEM certificate'; }
}

function checkIds(where: string, ids: string[]): void {
  const areas = new Set(CATALOG.map((c) => c.id.split('.')[0]));
  for (const id of ids) {
    if (!areas.has(id) && !CATALOG.some((c) => c.id === id)) bad(where, id, 'is not a check id or area; see the check table in README.md');
  }
}

/** Server flags the harness sets from its own options, in every spelling. */
const OWNED_SERVER_FLAGS: Record<string, string> = {
  '--port': '--grpc-port', '--rest_port': '--rest-port', '--model_path': '--model-path', '--model_name': '--model-name', '--config_path': '--mediapipe-config',
};

export interface ResolveInput { cli: Raw; env: NodeJS.ProcessEnv; cwd: string; uid: number; gid: number }
/** `sources` says where each given option came from, as the user wrote it (flag, variable, config key). */
export interface Resolved { options: ResolvedOptions; warnings: string[]; sources: Record<string, string> }

export function resolveOptions(input: ResolveInput): ResolvedOptions {
  return resolveWithWarnings(input).options;
}

export function resolveWithWarnings({ cli, env, cwd, uid, gid }: ResolveInput): Resolved {
  const warnings: string[] = [];
  const configPath = (cli['config'] as string | undefined) ?? env[envName('config')];
  const configFile = configPath ? resolve(cwd, configPath) : null;
  const file = configFile ? readConfigFile(configFile) : {};
  const known = OPTION_SPECS.map((s) => envName(s.flag));
  for (const name of Object.keys(env).filter((k) => k.startsWith('OVMS_') && !known.includes(k) && !OTHER_OVMS_VARS.has(k))) {
    const near = closest(name, known);
    warnings.push(`${name} is not an ovms-validate variable and is ignored${near ? `; did you mean ${near}?` : ''}`);
  }
  const merged: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  for (const spec of OPTION_SPECS) {
    if (spec.key === 'config') continue;
    const fromEnv = env[envName(spec.flag)];
    const [raw, where] = cli[spec.key] !== undefined ? [cli[spec.key], `--${spec.flag}`]
      : fromEnv !== undefined && fromEnv !== '' ? [fromEnv, envName(spec.flag)]
        : file[spec.key] !== undefined ? [file[spec.key], `config key '${spec.key}' in ${configFile}`] : [undefined, ''];
    if (raw !== undefined) { merged[spec.key] = coerce(spec, raw, where); from[spec.key] = where; }
  }
  const src: Source = (spec) => from[spec.key] ?? `--${spec.flag}`;
  const at = (key: string): string => src(OPTION_SPECS.find((s) => s.key === key)!);
  const get = <T>(key: string): T | undefined => merged[key] as T | undefined;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));

  const target = get<string>('target') ?? 'container';
  if (!(TARGET_KINDS as readonly string[]).includes(target)) bad(at('target'), target, `is not a target; use one of ${TARGET_KINDS.join(', ')}`);
  const standIn = target === 'stand-in';
  const starts = target === 'container' || standIn;
  const profile = get<string>('profile') ?? 'quick';
  if (!(PROFILES as readonly string[]).includes(profile)) bad(at('profile'), profile, `is not a profile; use one of ${PROFILES.join(', ')}`);
  const deployment = get<string>('deployment') ?? 'hardened';
  if (!(DEPLOYMENTS as readonly string[]).includes(deployment)) bad(at('deployment'), deployment, `is not a deployment; use one of ${DEPLOYMENTS.join(', ')}`);
  if (get('deployment') !== undefined && !starts) bad(at('deployment'), deployment, 'applies to the container and stand-in targets, which the harness starts');

  const faults = get<string[]>('standInFaults') ?? [];
  for (const f of faults) {
    if (!(STAND_IN_FAULTS as readonly string[]).includes(f)) bad(at('standInFaults'), f, `is not a stand-in fault; use some of ${STAND_IN_FAULTS.join(', ')}`);
  }
  if (faults.length > 0 && !standIn) bad(at('standInFaults'), faults, 'needs --target stand-in');
  if (get('image') !== undefined && target !== 'container') bad(at('image'), get('image'), target === 'stand-in' ? 'cannot be combined with --target stand-in (its image is built locally)' : `applies to --target container; --target ${target} judges what runs`);

  // Target kind specific options.
  const container = get<string>('container') ?? null;
  if (target === 'attach' && container === null) throw new UsageError('--target attach needs --container NAME|ID: the running container to judge');
  if (container !== null && target !== 'attach') bad(at('container'), container, 'needs --target attach');
  const restUrl = get<string>('restUrl') ?? null;
  const grpcAddress = get<string>('grpcAddress') ?? null;
  if (target === 'remote' && restUrl === null && grpcAddress === null) throw new UsageError('--target remote needs --rest-url URL and/or --grpc-address HOST:PORT');
  for (const [key, v] of [['restUrl', restUrl], ['grpcAddress', grpcAddress]] as const) {
    if (v !== null && starts) bad(at(key), v, `applies to --target remote or attach; --target ${target} publishes its own ports`);
  }
  const serverRestUrl = get<string>('serverRestUrl') ?? null;
  const serverGrpcAddress = get<string>('serverGrpcAddress') ?? null;
  for (const [key, v] of [['serverRestUrl', serverRestUrl], ['serverGrpcAddress', serverGrpcAddress]] as const) {
    if (v !== null && target !== 'remote') bad(at(key), v, 'applies to --target remote (a deployment behind a proxy)');
  }
  for (const [key, v] of [['restUrl', restUrl], ['serverRestUrl', serverRestUrl]] as const) {
    if (v === null) continue;
    let u: URL | null = null;
    try { u = new URL(v); } catch { /* below */ }
    if (!u || !/^https?:$/.test(u.protocol) || (u.pathname !== '/' && u.pathname !== '')) bad(at(key), v, 'must be http://HOST:PORT or https://HOST:PORT (no path)');
  }
  for (const [key, v] of [['grpcAddress', grpcAddress], ['serverGrpcAddress', serverGrpcAddress]] as const) {
    if (v !== null && !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(v)) bad(at(key), v, 'must be HOST:PORT, e.g. 127.0.0.1:9178');
  }
  const files: Record<string, string | null> = {};
  for (const key of ['ca', 'cert', 'key', 'tokenFile', 'basicAuthFile']) {
    const v = get<string>(key);
    files[key] = v === undefined ? null : abs(v);
    if (v !== undefined && (!existsSync(files[key]!) || !statSync(files[key]!).isFile())) bad(at(key), v, 'is not a readable file');
  }
  for (const key of ['ca', 'cert', 'key'] as const) {
    const problem = files[key] ? pemProblem(key, files[key]!) : null;
    if (problem) bad(at(key), get<string>(key), problem);
  }
  if ((files['cert'] === null) !== (files['key'] === null)) bad(at(files['cert'] ? 'cert' : 'key'), files['cert'] ?? files['key'], 'needs its pair: give both --cert and --key');
  const creds = (['tokenEnv', 'tokenFile', 'basicAuthEnv', 'basicAuthFile'] as const).filter((k) => get(k) !== undefined);
  if (creds.length > 1) bad(at(creds[1]!), get(creds[1]!), `conflicts with ${at(creds[0]!)}; give one credential`);
  let credential: CredentialOption | null = null;
  const c0 = creds[0];
  if (c0) {
    const kind = c0.startsWith('token') ? 'bearer' as const : 'basic' as const;
    if (c0.endsWith('Env')) {
      const name = get<string>(c0)!;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) bad(at(c0), name, 'must name an environment variable, not hold the credential itself');
      if (env[name] === undefined) bad(at(c0), name, 'names an environment variable that is not set; export it first');
      if (env[name] === '') bad(at(c0), name, 'names an environment variable that is empty; put the credential in it');
      credential = { kind, from: { env: name } };
    } else credential = { kind, from: { file: files[c0]! } };
    if (kind === 'basic' && 'env' in credential.from && !env[credential.from.env]!.includes(':')) bad(at(c0), credential.from.env, 'must hold user:password');
  }
  const tls = get<boolean>('tls') ?? false;
  if (starts && (tls || credential || files['ca'] || files['cert'])) {
    bad(at(tls ? 'tls' : credential ? creds[0]! : files['ca'] ? 'ca' : 'cert'), tls ? 'true' : '...', `applies to --target remote or attach (OVMS itself has no TLS or authentication)`);
  }
  const servername = get<string>('servername') ?? null;

  let user = get<string>('user');
  const userSource = user === undefined ? 'invoking user' : 'option';
  user ??= `${uid}:${gid}`;
  const um = /^(\d+):(\d+)$/.exec(user);
  if (!um) bad(userSource === 'option' ? at('user') : '--user (default: the invoking user)', user, /^\d+$/.test(user) ? 'has no group: Docker would run it with GID 0; give uid:gid, e.g. 5000:5000' : 'must be a numeric uid:gid, e.g. 5000:5000');
  for (const id of [um[1]!, um[2]!]) if (Number(id) > MAX_ID) bad(at('user'), user, `has an id above ${MAX_ID}, which Docker refuses`);
  if (get('user') !== undefined && !starts) bad(at('user'), user, `applies to the targets the harness starts; --target ${target} judges the user it was started with`);

  for (const key of ['grpcPort', 'restPort'] as const) {
    const v = get<number>(key);
    if (v !== undefined && (v < 1 || v > 65535)) bad(at(key), v, 'must be a port from 1 to 65535');
  }
  const grpcPort = get<number>('grpcPort') ?? 9178;
  const restPort = get<number>('restPort') ?? 8000;
  if (grpcPort === restPort) bad(at('restPort'), restPort, 'must differ from --grpc-port');
  const timeoutSec = get<number>('startupTimeout') ?? 180;
  if (timeoutSec < 1 || timeoutSec > 3600) bad(at('startupTimeout'), timeoutSec, 'must be 1 to 3600 seconds');

  const messageLimit = get<number>('messageLimit') ?? 1073741824;
  if (messageLimit < 1024 || messageLimit > 2 ** 31 - 2) bad(at('messageLimit'), messageLimit, 'must be 1024 to 2147483646 bytes');
  const standInMessageLimit = get<number>('standInMessageLimit') ?? null;
  if (standInMessageLimit !== null && !standIn) bad(at('standInMessageLimit'), standInMessageLimit, 'needs --target stand-in');
  if (standInMessageLimit !== null && standInMessageLimit < 1024) bad(at('standInMessageLimit'), standInMessageLimit, 'must be at least 1024 bytes');
  const standInInferMs = get<number>('standInInferMs') ?? 20;
  if (get('standInInferMs') !== undefined && !standIn) bad(at('standInInferMs'), standInInferMs, 'needs --target stand-in');

  const serverArgs = get<string[]>('serverArgs') ?? [];
  if (serverArgs.length > 0 && !starts) bad(at('serverArgs'), serverArgs, `applies to the targets the harness starts; --target ${target} runs with its own arguments`);
  for (const a of serverArgs) {
    const name = a.split('=')[0]!;
    if (OWNED_SERVER_FLAGS[name]) bad(at('serverArgs'), a, `is set by the harness from its own options; use ${OWNED_SERVER_FLAGS[name]}`);
  }

  const mpRaw = get<string>('mediapipeConfig');
  const fixtures = new URL('../fixtures/models/', import.meta.url).pathname;
  const mediapipeConfig = mpRaw !== undefined ? abs(mpRaw)
    : standIn ? `${fixtures}${faults.includes('graph-fails-at-request') ? 'mediapipe-graph-fails-at-request.json' : 'mediapipe.json'}` : null;
  if (mediapipeConfig !== null && (!existsSync(mediapipeConfig) || !statSync(mediapipeConfig).isFile())) bad(at('mediapipeConfig'), mpRaw, 'is not an existing file; point it at your OVMS config.json');

  const repoRaw = get<string>('modelRepository');
  if (repoRaw !== undefined && !starts) bad(at('modelRepository'), repoRaw, 'applies to the targets the harness starts (container, stand-in): the check starts copies of the image');
  const modelRepository = repoRaw === undefined ? null : parseModelRepository(repoRaw, at('modelRepository'));
  const s3Endpoint = env['S3_ENDPOINT'];
  if (modelRepository?.kind === 's3' && s3Endpoint && /^(https?:\/\/)?(localhost|127\.|\[?::1\]?)/.test(s3Endpoint)) {
    bad('S3_ENDPOINT', s3Endpoint, 'is this machine\'s loopback, which the server container cannot reach; use an address the container can reach (e.g. the Docker bridge address)');
  }

  const formats = get<string[]>('format') ?? REPORT_FORMATS;
  for (const f of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      const near = closest(f, REPORT_FORMATS);
      bad(at('format'), f, `is not a report format${near ? ` (did you mean ${near}?)` : ''}; use some of ${REPORT_FORMATS.join(', ')}`);
    }
  }
  if (formats.length === 0) bad(at('format'), '', `names no format; use some of ${REPORT_FORMATS.join(', ')}`);

  const only = get<string[]>('only') ?? [];
  const exclude = get<string[]>('exclude') ?? [];
  checkIds(at('only'), only);
  checkIds(at('exclude'), exclude);

  const expectedDefaultUid = get<number>('expectedDefaultUid') ?? 5000;
  if (expectedDefaultUid === 0) bad(at('expectedDefaultUid'), 0, 'can never be expected: a server that runs as root fails hardening.default-uid whatever is configured');
  if (expectedDefaultUid > MAX_ID) bad(at('expectedDefaultUid'), expectedDefaultUid, `is above ${MAX_ID}`);

  const modelName = get<string>('modelName') ?? 'resnet';
  const modelsDir = get<string>('modelsDir');
  if (modelsDir !== undefined && !starts) bad(at('modelsDir'), modelsDir, 'applies to the targets the harness starts');
  if (modelsDir !== undefined) {
    const dir = abs(modelsDir);
    if (!existsSync(dir)) bad(at('modelsDir'), modelsDir, 'does not exist; pass the folder that holds your model folders (e.g. models/ with resnet/1/...)');
    if (!statSync(dir).isDirectory()) bad(at('modelsDir'), modelsDir, 'is a file, not a folder; pass the folder that holds your model folders');
    const model = resolve(dir, modelName);
    if (!existsSync(model) || !statSync(model).isDirectory()) bad(at('modelsDir'), modelsDir, `has no folder ${modelName}/ for the served model; put its numbered version folders in ${model}, or pass --model-name`);
  }
  return {
    warnings,
    sources: from,
    options: {
      target: target as TargetKind,
      deployment: deployment as Deployment,
      image: target === 'container' ? (get<string>('image') ?? DEFAULT_IMAGE) : null,
      container, restUrl, grpcAddress, tls,
      caFile: files['ca']!, certFile: files['cert']!, keyFile: files['key']!, servername, credential, serverRestUrl, serverGrpcAddress,
      user,
      userSource,
      profile: profile as Profile,
      reportDir: abs(get<string>('reportDir') ?? 'reports'),
      standInFaults: [...new Set(faults)].sort() as StandInFault[],
      startupTimeoutMs: timeoutSec * 1000,
      grpcPort,
      restPort,
      modelsDir: modelsDir === undefined ? null : abs(modelsDir),
      offline: get<boolean>('offline') ?? false,
      messageLimit,
      standInMessageLimit,
      serverArgs,
      standInInferMs,
      mediapipeConfig,
      allowRemoteFlood: get<boolean>('allowRemoteFlood') ?? false,
      modelName,
      modelPath: get<string>('modelPath') ?? `/models/${modelName}/`,
      expectedDefaultUid,
      only,
      exclude,
      readOnly: get<boolean>('readOnly') ?? true,
      tmpfs: get<boolean>('tmpfs') ?? true,
      modelsReadOnly: get<boolean>('modelsReadOnly') ?? true,
      capDropAll: get<boolean>('capDropAll') ?? true,
      noNewPrivileges: get<boolean>('noNewPrivileges') ?? true,
      configFile,
      formats: REPORT_FORMATS.filter((f) => f === 'json' || formats.includes(f)),
      modelRepository,
    },
  };
}

export function selectedChecks(opts: Pick<ResolvedOptions, 'only' | 'exclude'>, id: string): boolean {
  const matches = (sel: string[]): boolean => sel.some((s) => s === id || s === id.split('.')[0]);
  if (opts.only.length > 0 && !matches(opts.only)) return false;
  return !matches(opts.exclude);
}
