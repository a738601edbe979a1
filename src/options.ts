// Options: defaults <- config file <- OVMS_* environment <- command line. Every problem is a
// UsageError naming the option, the value and the fix, raised before any Docker work.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CATALOG, PROFILES, type Profile } from './checks/catalog.js';
import { UsageError } from './errors.js';

export const TARGETS = ['container', 'attach', 'remote', 'stand-in'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** Faults the stand-in implements today (CHECKS.md lists the whole plan). */
export const STAND_IN_FAULTS = [
  'image-root-user', 'writes-rootfs-at-start', 'tmp-not-writable', 'bad-request-crash', 'grpc-not-ready', 'grpc-no-size-limit',
  'rest-no-size-limit', 'oversize-crash', 'wrong-max-streams', 'no-thread-cap', 'no-memory-quota', 'crash-under-flood',
  'streams-metric-wrong', 'channel-args-nonnumeric', 'oversize-early-reject', 'graph-fails-at-request', 'rest-flood-crash',
] as const;
export type StandInFault = (typeof STAND_IN_FAULTS)[number];

export const DEFAULT_IMAGE = 'openvino/model_server:latest';

export interface ResolvedOptions {
  target: TargetKind;
  image: string | null;
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
}

type Kind = 'string' | 'int' | 'bool' | 'list' | 'multi';
export interface OptionSpec { key: keyof ResolvedOptions | 'config'; flag: string; kind: Kind; value?: string; help: string; def?: string }

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'target', flag: 'target', kind: 'string', value: 'KIND', def: 'container', help: 'where the server comes from: container (start the image hardened), stand-in (the project\'s own imitation, for offline use); attach and remote are planned' },
  { key: 'image', flag: 'image', kind: 'string', value: 'IMG', def: DEFAULT_IMAGE, help: 'image to start (target container)' },
  { key: 'user', flag: 'user', kind: 'string', value: 'U:G', def: 'your uid:gid', help: 'numeric uid:gid the server runs as (docker --user); use a non-root one, e.g. 5000:5000' },
  { key: 'profile', flag: 'profile', kind: 'string', value: 'NAME', def: 'quick', help: 'which checks run: quick, nightly or acceptance' },
  { key: 'config', flag: 'config', kind: 'string', value: 'FILE', help: 'JSON file with any of these options (camelCase keys, e.g. {"user": "5000:5000"})' },
  { key: 'reportDir', flag: 'report-dir', kind: 'string', value: 'DIR', def: 'reports', help: 'where report.json, junit.xml and summary.md are written' },
  { key: 'standInFaults', flag: 'stand-in-faults', kind: 'list', value: 'a,b', help: `faults to give the stand-in: ${STAND_IN_FAULTS.join(', ')}` },
  { key: 'startupTimeoutMs', flag: 'startup-timeout', kind: 'int', value: 'SEC', def: '180', help: 'seconds to wait for GET /v2/health/ready' },
  { key: 'grpcPort', flag: 'grpc-port', kind: 'int', value: 'PORT', def: '9178', help: 'gRPC port inside the container (--port)' },
  { key: 'restPort', flag: 'rest-port', kind: 'int', value: 'PORT', def: '8000', help: 'REST port inside the container (--rest_port)' },
  { key: 'modelsDir', flag: 'models-dir', kind: 'string', value: 'DIR', def: 'models, filled from models/manifest.json (stand-in: fixtures/models)', help: 'host folder mounted read-only at /models' },
  { key: 'messageLimit', flag: 'message-limit', kind: 'int', value: 'BYTES', def: '1073741824', help: 'the message size limit the server must enforce on gRPC and REST (OVMS: 1 GiB)' },
  { key: 'standInMessageLimit', flag: 'stand-in-message-limit', kind: 'int', value: 'BYTES', help: 'lower the stand-in\'s own limit (fast self-tests; pair it with --message-limit)' },
  { key: 'serverArgs', flag: 'server-arg', kind: 'multi', value: 'ARG', help: 'one more server argument after the page\'s command, repeatable (e.g. --server-arg --nireq --server-arg 2); env: a JSON array' },
  { key: 'standInInferMs', flag: 'stand-in-infer-ms', kind: 'int', value: 'MS', def: '20', help: 'how long one inference takes in the stand-in (a resnet-like latency, so floods hold calls)' },
  { key: 'mediapipeConfig', flag: 'mediapipe-config', kind: 'string', value: 'FILE', def: 'none (stand-in: fixtures/models/mediapipe.json)', help: 'an OVMS config.json declaring MediaPipe graphs, each with a sample.json beside its graph; its folder is mounted read-only' },
  { key: 'allowRemoteFlood', flag: 'allow-remote-flood', kind: 'bool', def: 'false', help: 'allow floods against a non-loopback address (a server you own)' },
  { key: 'offline', flag: 'offline', kind: 'bool', def: 'false', help: 'use only the verified model cache in models/, never download' },
  { key: 'modelName', flag: 'model-name', kind: 'string', value: 'NAME', def: 'resnet', help: 'served model name (--model_name)' },
  { key: 'modelPath', flag: 'model-path', kind: 'string', value: 'PATH', def: '/models/<model-name>/', help: 'model path inside the container (--model_path)' },
  { key: 'expectedDefaultUid', flag: 'expected-default-uid', kind: 'int', value: 'UID', def: '5000', help: 'UID the image should run as without --user' },
  { key: 'only', flag: 'only', kind: 'list', value: 'IDS', help: 'run only these check ids or areas (e.g. hardening)' },
  { key: 'exclude', flag: 'exclude', kind: 'list', value: 'IDS', help: 'leave out these check ids or areas' },
  { key: 'readOnly', flag: 'read-only', kind: 'bool', def: 'true', help: 'start with --read-only (--no-read-only to validate a deployment without it)' },
  { key: 'tmpfs', flag: 'tmpfs', kind: 'bool', def: 'true', help: 'start with --tmpfs /tmp' },
  { key: 'modelsReadOnly', flag: 'models-read-only', kind: 'bool', def: 'true', help: 'mount the models folder read-only' },
  { key: 'capDropAll', flag: 'cap-drop-all', kind: 'bool', def: 'true', help: 'start with --cap-drop ALL' },
  { key: 'noNewPrivileges', flag: 'block-new-privileges', kind: 'bool', def: 'true', help: 'start with --security-opt no-new-privileges' },
];

export const envName = (flag: string): string => `OVMS_${flag.toUpperCase().replace(/-/g, '_')}`;

type Raw = Partial<Record<string, string | boolean | number | string[]>>;

function bad(flag: string, value: unknown, fix: string): never {
  throw new UsageError(`--${flag}: '${Array.isArray(value) ? value.join(',') : String(value)}' ${fix}`);
}

function coerce(spec: OptionSpec, value: unknown): string | number | boolean | string[] {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string' || value === '') bad(spec.flag, value, 'must be a non-empty string');
      return value;
    case 'int': {
      const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n)) bad(spec.flag, value, 'must be a whole number');
      return n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return bad(spec.flag, value, 'must be true or false');
    case 'multi': {
      if (Array.isArray(value)) return value.map(String);
      const text = String(value);
      if (text.startsWith('[')) {
        try { return (JSON.parse(text) as unknown[]).map(String); } catch { return bad(spec.flag, value, 'must be a JSON array of strings'); }
      }
      return [text];
    }
    case 'list': {
      const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
      return items.map((s) => s.trim()).filter(Boolean);
    }
  }
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
  const known = new Set(OPTION_SPECS.filter((s) => s.key !== 'config').map((s) => s.key as string));
  for (const k of Object.keys(doc)) {
    if (!known.has(k)) throw new UsageError(`--config: '${path}' has unknown key '${k}'; known keys: ${[...known].join(', ')}`);
  }
  return doc as Raw;
}

function checkIds(flag: string, ids: string[]): void {
  const areas = new Set(CATALOG.map((c) => c.id.split('.')[0]));
  for (const id of ids) {
    if (!areas.has(id) && !CATALOG.some((c) => c.id === id)) bad(flag, id, 'is not a check id or area; see the check table in README.md');
  }
}

export interface ResolveInput { cli: Raw; env: NodeJS.ProcessEnv; cwd: string; uid: number; gid: number }

export function resolveOptions({ cli, env, cwd, uid, gid }: ResolveInput): ResolvedOptions {
  const configPath = (cli['config'] as string | undefined) ?? env[envName('config')];
  const file = configPath ? readConfigFile(resolve(cwd, configPath)) : {};
  const merged: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    if (spec.key === 'config') continue;
    const fromEnv = env[envName(spec.flag)];
    const raw = cli[spec.key] ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined) ?? file[spec.key];
    if (raw !== undefined) merged[spec.key] = coerce(spec, raw);
  }

  const target = (merged['target'] as string | undefined) ?? 'container';
  if (!(TARGETS as readonly string[]).includes(target)) bad('target', target, `is not a target; use one of ${TARGETS.join(', ')}`);
  if (target === 'attach' || target === 'remote') {
    throw new UsageError(`--target: '${target}' is not available yet; use --target container (or stand-in for offline use)`);
  }
  const standIn = target === 'stand-in';
  const profile = (merged['profile'] as string | undefined) ?? 'quick';
  if (!(PROFILES as readonly string[]).includes(profile)) bad('profile', profile, `is not a profile; use one of ${PROFILES.join(', ')}`);

  const faults = (merged['standInFaults'] as string[] | undefined) ?? [];
  for (const f of faults) {
    if (!(STAND_IN_FAULTS as readonly string[]).includes(f)) bad('stand-in-faults', f, `is not a stand-in fault; use some of ${STAND_IN_FAULTS.join(', ')}`);
  }
  if (faults.length > 0 && !standIn) bad('stand-in-faults', faults, 'needs --target stand-in');
  if (standIn && merged['image'] !== undefined) bad('image', merged['image'], 'cannot be combined with --target stand-in (its image is built locally)');

  let user = merged['user'] as string | undefined;
  const userSource = user === undefined ? 'invoking user' : 'option';
  user ??= `${uid}:${gid}`;
  if (!/^\d+(:\d+)?$/.test(user)) bad('user', user, 'must be a numeric uid or uid:gid, e.g. 5000:5000');

  for (const flag of ['grpc-port', 'rest-port'] as const) {
    const key = flag === 'grpc-port' ? 'grpcPort' : 'restPort';
    const v = merged[key] as number | undefined;
    if (v !== undefined && (v < 1 || v > 65535)) bad(flag, v, 'must be a port from 1 to 65535');
  }
  const grpcPort = (merged['grpcPort'] as number | undefined) ?? 9178;
  const restPort = (merged['restPort'] as number | undefined) ?? 8000;
  if (grpcPort === restPort) bad('rest-port', restPort, 'must differ from --grpc-port');
  const timeoutSec = (merged['startupTimeoutMs'] as number | undefined) ?? 180;
  if (timeoutSec < 1 || timeoutSec > 3600) bad('startup-timeout', timeoutSec, 'must be 1 to 3600 seconds');

  const messageLimit = (merged['messageLimit'] as number | undefined) ?? 1073741824;
  if (messageLimit < 1024 || messageLimit > 2 ** 31 - 2) bad('message-limit', messageLimit, 'must be 1024 to 2147483646 bytes');
  const standInMessageLimit = (merged['standInMessageLimit'] as number | undefined) ?? null;
  if (standInMessageLimit !== null && !standIn) bad('stand-in-message-limit', standInMessageLimit, 'needs --target stand-in');
  if (standInMessageLimit !== null && standInMessageLimit < 1024) bad('stand-in-message-limit', standInMessageLimit, 'must be at least 1024 bytes');

  const standInInferMs = (merged['standInInferMs'] as number | undefined) ?? 20;
  if (merged['standInInferMs'] !== undefined && !standIn) bad('stand-in-infer-ms', standInInferMs, 'needs --target stand-in');
  const serverArgs = (merged['serverArgs'] as string[] | undefined) ?? [];
  for (const reserved of ['--port', '--rest_port', '--model_path', '--model_name', '--config_path']) {
    if (serverArgs.includes(reserved)) bad('server-arg', reserved, 'is set by the harness from its own options; use --grpc-port/--rest-port/--model-path/--model-name');
  }

  const mpRaw = merged['mediapipeConfig'] as string | undefined;
  const fixtures = new URL('../fixtures/models/', import.meta.url).pathname;
  const mediapipeConfig = mpRaw !== undefined ? (isAbsolute(mpRaw) ? mpRaw : resolve(cwd, mpRaw))
    : standIn ? `${fixtures}${faults.includes('graph-fails-at-request') ? 'mediapipe-graph-fails-at-request.json' : 'mediapipe.json'}` : null;
  if (mediapipeConfig !== null && !existsSync(mediapipeConfig)) bad('mediapipe-config', mpRaw, 'is not an existing file; point it at your OVMS config.json');

  const only = (merged['only'] as string[] | undefined) ?? [];
  const exclude = (merged['exclude'] as string[] | undefined) ?? [];
  checkIds('only', only);
  checkIds('exclude', exclude);

  const modelName = (merged['modelName'] as string | undefined) ?? 'resnet';
  const modelsDir = merged['modelsDir'] as string | undefined;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    target: target as TargetKind,
    image: standIn ? null : ((merged['image'] as string | undefined) ?? DEFAULT_IMAGE),
    user,
    userSource,
    profile: profile as Profile,
    reportDir: abs((merged['reportDir'] as string | undefined) ?? 'reports'),
    standInFaults: [...new Set(faults)].sort() as StandInFault[],
    startupTimeoutMs: timeoutSec * 1000,
    grpcPort,
    restPort,
    modelsDir: modelsDir === undefined ? null : abs(modelsDir),
    offline: (merged['offline'] as boolean | undefined) ?? false,
    messageLimit,
    standInMessageLimit,
    serverArgs,
    standInInferMs,
    mediapipeConfig,
    allowRemoteFlood: (merged['allowRemoteFlood'] as boolean | undefined) ?? false,
    modelName,
    modelPath: (merged['modelPath'] as string | undefined) ?? `/models/${modelName}/`,
    expectedDefaultUid: (merged['expectedDefaultUid'] as number | undefined) ?? 5000,
    only,
    exclude,
    readOnly: (merged['readOnly'] as boolean | undefined) ?? true,
    tmpfs: (merged['tmpfs'] as boolean | undefined) ?? true,
    modelsReadOnly: (merged['modelsReadOnly'] as boolean | undefined) ?? true,
    capDropAll: (merged['capDropAll'] as boolean | undefined) ?? true,
    noNewPrivileges: (merged['noNewPrivileges'] as boolean | undefined) ?? true,
    configFile: configPath ? resolve(cwd, configPath) : null,
  };
}

export function selectedChecks(opts: Pick<ResolvedOptions, 'only' | 'exclude'>, id: string): boolean {
  const matches = (sel: string[]): boolean => sel.some((s) => s === id || s === id.split('.')[0]);
  if (opts.only.length > 0 && !matches(opts.only)) return false;
  return !matches(opts.exclude);
}
