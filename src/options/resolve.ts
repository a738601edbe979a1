// Options are resolved in groups, each checking what it owns and how it combines with the target:
// the target (which server, as whom), its endpoints and credentials, the deployment the harness
// starts, the limits and the selection of checks, and the report. Every problem is a UsageError
// naming the value, where it came from and the fix, before any Docker work.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { UsageError } from '../errors.js';
import { DEPLOYMENTS, type Deployment } from '../ovms/deployment.js';
import { PAGE_EDITIONS, type PageEdition } from '../ovms/page-editions.js';
import { parseModelRepository } from '../stores/model-repository.js';
import { OPTIONS } from './option-specs.js';
import { bad, closest, OptionValues, type Raw } from './option-values.js';
import { pemProblem } from './pem.js';
import { readWaivers } from '../waivers/waivers.js';
import {
  MAX_ID, PROFILES, REPORT_FORMATS, STAND_IN_FAULTS, TARGET_KINDS,
  type CredentialOption, type Profile, type ResolvedOptions, type StandInFault, type TargetKind,
} from './resolved-options.js';

export interface ResolveInput {
  cli: Raw;
  env: NodeJS.ProcessEnv;
  cwd: string;
  uid: number;
  gid: number;
  /** Check ids and areas --only and --exclude may name (the catalog's; the caller knows it). */
  checkIds: readonly string[];
}
/** `sources` says where each given option came from, as the user wrote it (flag, variable, config key). */
export interface Resolved { options: ResolvedOptions; warnings: string[]; sources: Record<string, string> }

/** What every group knows of the target. */
interface Scope { v: OptionValues; input: ResolveInput; target: TargetKind; standIn: boolean; starts: boolean; abs(p: string): string }

const oneOf = <T extends string>(v: OptionValues, key: 'target' | 'profile' | 'deployment', list: readonly T[], what: string): T => {
  const value = v.get(key);
  if (!(list as readonly string[]).includes(value)) v.bad(key, value, `is not a ${what}; use one of ${list.join(', ')}`);
  return value as T;
};

function targetGroup(s: Scope) {
  const { v, target, standIn, starts, input } = s;
  const faults = v.given('standInFaults') ?? [];
  for (const f of faults) {
    if (!(STAND_IN_FAULTS as readonly string[]).includes(f)) v.bad('standInFaults', f, `is not a stand-in fault; use some of ${STAND_IN_FAULTS.join(', ')}`);
  }
  if (faults.length > 0 && !standIn) v.bad('standInFaults', faults, 'needs --target stand-in');
  if (v.has('image') && target !== 'container') v.bad('image', v.given('image'), target === 'stand-in' ? 'cannot be combined with --target stand-in (its image is built locally)' : `applies to --target container; --target ${target} judges what runs`);
  const container = v.given('container') ?? null;
  if (target === 'attach' && container === null) throw new UsageError('--target attach needs --container NAME|ID: the running container to judge');
  if (container !== null && target !== 'attach') v.bad('container', container, 'needs --target attach');

  const givenUser = v.given('user');
  const user = givenUser ?? `${input.uid}:${input.gid}`;
  const um = /^(\d+):(\d+)$/.exec(user);
  if (!um) bad(givenUser !== undefined ? v.at('user') : '--user (default: the invoking user)', user, /^\d+$/.test(user) ? 'has no group: Docker would run it with GID 0; give uid:gid, e.g. 5000:5000' : 'must be a numeric uid:gid, e.g. 5000:5000');
  for (const id of [um[1]!, um[2]!]) if (Number(id) > MAX_ID) v.bad('user', user, `has an id above ${MAX_ID}, which Docker refuses`);
  if (givenUser !== undefined && !starts) v.bad('user', user, `applies to the targets the harness starts; --target ${target} judges the user it was started with`);

  const editionRaw = v.given('pageEdition');
  if (editionRaw !== undefined && !(PAGE_EDITIONS as readonly string[]).includes(editionRaw)) v.bad('pageEdition', editionRaw, `is not an edition of the page; use one of ${PAGE_EDITIONS.join(', ')}`);
  const standInVersion = v.given('standInVersion') ?? null;
  if (standInVersion !== null && !standIn) v.bad('standInVersion', standInVersion, 'needs --target stand-in');
  if (standInVersion !== null && !/^20\d\d\.\d+(\.\d+)?$/.test(standInVersion)) v.bad('standInVersion', standInVersion, 'must be an OVMS release such as 2025.3.0');
  const standInInferMs = v.get('standInInferMs');
  if (v.has('standInInferMs') && !standIn) v.bad('standInInferMs', standInInferMs, 'needs --target stand-in');
  const expectedDefaultUid = v.get('expectedDefaultUid');
  if (expectedDefaultUid === 0) v.bad('expectedDefaultUid', 0, 'can never be expected: a server that runs as root fails hardening.default-uid whatever is configured');
  if (expectedDefaultUid > MAX_ID) v.bad('expectedDefaultUid', expectedDefaultUid, `is above ${MAX_ID}`);
  return {
    target, image: target === 'container' ? v.get('image') : null, container, user, userSource: givenUser === undefined ? 'invoking user' as const : 'option' as const,
    standInFaults: [...new Set(faults)].sort() as StandInFault[], standInInferMs, expectedDefaultUid,
    pageEdition: (editionRaw ?? null) as PageEdition | null, standInVersion,
  };
}

function endpointsGroup(s: Scope) {
  const { v, target, starts, input } = s;
  const restUrl = v.given('restUrl') ?? null;
  const grpcAddress = v.given('grpcAddress') ?? null;
  if (target === 'remote' && restUrl === null && grpcAddress === null) throw new UsageError('--target remote needs --rest-url URL and/or --grpc-address HOST:PORT');
  for (const [key, value] of [['restUrl', restUrl], ['grpcAddress', grpcAddress]] as const) {
    if (value !== null && starts) v.bad(key, value, `applies to --target remote or attach; --target ${target} publishes its own ports`);
  }
  const serverRestUrl = v.given('serverRestUrl') ?? null;
  const serverGrpcAddress = v.given('serverGrpcAddress') ?? null;
  for (const [key, value] of [['serverRestUrl', serverRestUrl], ['serverGrpcAddress', serverGrpcAddress]] as const) {
    if (value !== null && target !== 'remote') v.bad(key, value, 'applies to --target remote (a deployment behind a proxy)');
  }
  for (const [key, value] of [['restUrl', restUrl], ['serverRestUrl', serverRestUrl]] as const) {
    if (value === null) continue;
    let u: URL | null = null;
    try { u = new URL(value); } catch { /* below */ }
    if (!u || !/^https?:$/.test(u.protocol) || (u.pathname !== '/' && u.pathname !== '')) v.bad(key, value, 'must be http://HOST:PORT or https://HOST:PORT (no path)');
  }
  for (const [key, value] of [['grpcAddress', grpcAddress], ['serverGrpcAddress', serverGrpcAddress]] as const) {
    if (value !== null && !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(value)) v.bad(key, value, 'must be HOST:PORT, e.g. 127.0.0.1:9178');
  }
  const fileKeys = ['ca', 'cert', 'key', 'tokenFile', 'basicAuthFile'] as const;
  const files = Object.fromEntries(fileKeys.map((key) => {
    const given = v.given(key);
    const path = given === undefined ? null : s.abs(given);
    if (path !== null && (!existsSync(path) || !statSync(path).isFile())) v.bad(key, given, 'is not a readable file');
    return [key, path];
  })) as Record<(typeof fileKeys)[number], string | null>;
  for (const key of ['ca', 'cert', 'key'] as const) {
    const problem = files[key] ? pemProblem(key, files[key]) : null;
    if (problem) v.bad(key, v.given(key), problem);
  }
  if ((files.cert === null) !== (files.key === null)) v.bad(files.cert ? 'cert' : 'key', files.cert ?? files.key, 'needs its pair: give both --cert and --key');
  const creds = (['tokenEnv', 'tokenFile', 'basicAuthEnv', 'basicAuthFile'] as const).filter((k) => v.has(k));
  if (creds.length > 1) v.bad(creds[1]!, v.given(creds[1]!), `conflicts with ${v.at(creds[0]!)}; give one credential`);
  let credential: CredentialOption | null = null;
  const c0 = creds[0];
  if (c0) {
    const kind = c0.startsWith('token') ? 'bearer' as const : 'basic' as const;
    if (c0 === 'tokenEnv' || c0 === 'basicAuthEnv') {
      const name = v.given(c0)!;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) v.bad(c0, name, 'must name an environment variable, not hold the credential itself');
      if (input.env[name] === undefined) v.bad(c0, name, 'names an environment variable that is not set; export it first');
      if (input.env[name] === '') v.bad(c0, name, 'names an environment variable that is empty; put the credential in it');
      if (kind === 'basic' && !input.env[name]!.includes(':')) v.bad(c0, name, 'must hold user:password');
      credential = { kind, from: { env: name } };
    } else credential = { kind, from: { file: files[c0]! } };
  }
  const apiKeys = (['apiKeyEnv', 'apiKeyFile'] as const).filter((k) => v.has(k));
  if (apiKeys.length > 1) v.bad('apiKeyFile', v.given('apiKeyFile'), `conflicts with ${v.at('apiKeyEnv')}; give the key once`);
  let apiKey: ResolvedOptions['apiKey'] = null;
  const keyEnv = v.given('apiKeyEnv');
  if (keyEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) v.bad('apiKeyEnv', keyEnv, 'must name an environment variable, not hold the key itself');
    else if (!input.env[keyEnv]) v.bad('apiKeyEnv', keyEnv, 'names an environment variable that is not set or empty; export the key in it first');
    apiKey = { env: keyEnv };
  }
  const keyFile = v.given('apiKeyFile');
  if (keyFile !== undefined) {
    const path = s.abs(keyFile);
    if (!existsSync(path) || !statSync(path).isFile()) v.bad('apiKeyFile', keyFile, 'is not a readable file; put the key on its first line');
    else if (!readFileSync(path, 'utf8').split('\n')[0]!.trim()) v.bad('apiKeyFile', keyFile, 'has an empty first line; put the key there');
    apiKey = { file: path };
  }
  const tls = v.get('tls');
  if (starts && (tls || credential || files.ca || files.cert)) {
    v.bad(tls ? 'tls' : credential ? creds[0]! : files.ca ? 'ca' : 'cert', tls ? 'true' : '...', 'applies to --target remote or attach (OVMS itself has no TLS or authentication)');
  }
  const declaredServerArgs = v.given('declaredServerArgs') ?? [];
  if (declaredServerArgs.length > 0 && target !== 'remote') v.bad('declaredServerArgs', declaredServerArgs, target === 'attach' ? "applies to --target remote; an attached container's arguments are read from its server process" : `applies to --target remote; --target ${target} is started by the harness, use --server-arg`);
  if (declaredServerArgs.length > 0 && !declaredServerArgs[0]!.startsWith('--')) v.bad('declaredServerArgs', declaredServerArgs[0], 'must start with a server flag (e.g. --grpc_max_threads, then 16)');
  return {
    declaredServerArgs, restUrl, grpcAddress, tls, caFile: files.ca, certFile: files.cert, keyFile: files.key, servername: v.given('servername') ?? null,
    credential, serverRestUrl, serverGrpcAddress, apiKey, generativeModel: v.given('generativeModel') ?? null,
  };
}

/** Server flags the harness sets from its own options, in every spelling. */
const OWNED_SERVER_FLAGS: Record<string, string> = {
  '--port': '--grpc-port', '--rest_port': '--rest-port', '--model_path': '--model-path', '--model_name': '--model-name', '--config_path': '--mediapipe-config',
};

const FIXTURES = new URL('../../fixtures/models/', import.meta.url).pathname;

function deploymentGroup(s: Scope, faults: readonly StandInFault[]) {
  const { v, target, standIn, starts, input } = s;
  const deployment = oneOf<Deployment>(v, 'deployment', DEPLOYMENTS, 'deployment');
  if (v.has('deployment') && !starts) v.bad('deployment', deployment, 'applies to the container and stand-in targets, which the harness starts');
  for (const key of ['grpcPort', 'restPort'] as const) {
    const p = v.given(key);
    if (p !== undefined && (p < 1 || p > 65535)) v.bad(key, p, 'must be a port from 1 to 65535');
  }
  const grpcPort = v.get('grpcPort');
  const restPort = v.get('restPort');
  if (grpcPort === restPort) v.bad('restPort', restPort, 'must differ from --grpc-port');
  const timeoutSec = v.get('startupTimeout');
  if (timeoutSec < 1 || timeoutSec > 3600) v.bad('startupTimeout', timeoutSec, 'must be 1 to 3600 seconds');

  const serverArgs = v.given('serverArgs') ?? [];
  if (serverArgs.length > 0 && !starts) v.bad('serverArgs', serverArgs, `applies to the targets the harness starts; --target ${target} runs with its own arguments`);
  for (const a of serverArgs) {
    const name = a.split('=')[0]!;
    if (OWNED_SERVER_FLAGS[name]) v.bad('serverArgs', a, `is set by the harness from its own options; use ${OWNED_SERVER_FLAGS[name]}`);
  }

  const mpRaw = v.given('mediapipeConfig');
  const mediapipeConfig = mpRaw !== undefined ? s.abs(mpRaw)
    : standIn ? `${FIXTURES}${faults.includes('graph-fails-at-request') ? 'mediapipe-graph-fails-at-request.json' : 'mediapipe.json'}` : null;
  if (mediapipeConfig !== null && (!existsSync(mediapipeConfig) || !statSync(mediapipeConfig).isFile())) v.bad('mediapipeConfig', mpRaw, 'is not an existing file; point it at your OVMS config.json');

  const repoRaw = v.given('modelRepository');
  if (repoRaw !== undefined && !starts) v.bad('modelRepository', repoRaw, 'applies to the targets the harness starts (container, stand-in): the check starts copies of the image');
  const modelRepository = repoRaw === undefined ? null : parseModelRepository(repoRaw, v.at('modelRepository'));
  const s3Endpoint = input.env['S3_ENDPOINT'];
  if (modelRepository?.kind === 's3' && s3Endpoint && /^(https?:\/\/)?(localhost|127\.|\[?::1\]?)/.test(s3Endpoint)) {
    bad('S3_ENDPOINT', s3Endpoint, 'is this machine\'s loopback, which the server container cannot reach; use an address the container can reach (e.g. the Docker bridge address)');
  }

  const modelName = v.get('modelName');
  const modelsDirRaw = v.given('modelsDir');
  if (modelsDirRaw !== undefined && !starts) v.bad('modelsDir', modelsDirRaw, 'applies to the targets the harness starts');
  const modelsDir = modelsDirRaw === undefined ? null : s.abs(modelsDirRaw);
  if (modelsDir !== null) {
    if (!existsSync(modelsDir)) v.bad('modelsDir', modelsDirRaw, 'does not exist; pass the folder that holds your model folders (e.g. models/ with resnet/1/...)');
    if (!statSync(modelsDir).isDirectory()) v.bad('modelsDir', modelsDirRaw, 'is a file, not a folder; pass the folder that holds your model folders');
    const model = resolvePath(modelsDir, modelName);
    if (!existsSync(model) || !statSync(model).isDirectory()) v.bad('modelsDir', modelsDirRaw, `has no folder ${modelName}/ for the served model; put its numbered version folders in ${model}, or pass --model-name`);
  }
  return {
    deployment, grpcPort, restPort, startupTimeoutMs: timeoutSec * 1000, serverArgs, mediapipeConfig, modelRepository,
    modelsDir, offline: v.get('offline'), modelName, modelPath: v.given('modelPath') ?? `/models/${modelName}/`,
    readOnly: v.get('readOnly'), tmpfs: v.get('tmpfs'), modelsReadOnly: v.get('modelsReadOnly'), capDropAll: v.get('capDropAll'), noNewPrivileges: v.get('noNewPrivileges'),
  };
}

function limitsGroup(s: Scope) {
  const { v, standIn, input } = s;
  const profile = oneOf<Profile>(v, 'profile', PROFILES, 'profile');
  const messageLimit = v.get('messageLimit');
  if (messageLimit < 1024 || messageLimit > 2 ** 31 - 2) v.bad('messageLimit', messageLimit, 'must be 1024 to 2147483646 bytes');
  const standInMessageLimit = v.given('standInMessageLimit') ?? null;
  if (standInMessageLimit !== null && !standIn) v.bad('standInMessageLimit', standInMessageLimit, 'needs --target stand-in');
  if (standInMessageLimit !== null && standInMessageLimit < 1024) v.bad('standInMessageLimit', standInMessageLimit, 'must be at least 1024 bytes');
  const areas = new Set(input.checkIds.map((id) => id.split('.')[0]));
  const ids = (key: 'only' | 'exclude'): string[] => {
    const list = v.given(key) ?? [];
    for (const id of list) if (!areas.has(id) && !input.checkIds.includes(id)) v.bad(key, id, 'is not a check id or area; see the check table in README.md');
    return list;
  };
  return { profile, messageLimit, standInMessageLimit, allowRemoteFlood: v.get('allowRemoteFlood'), only: ids('only'), exclude: ids('exclude') };
}

function reportGroup(s: Scope) {
  const { v } = s;
  const formats = v.get('format');
  for (const f of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      const near = closest(f, REPORT_FORMATS);
      v.bad('format', f, `is not a report format${near ? ` (did you mean ${near}?)` : ''}; use some of ${REPORT_FORMATS.join(', ')}`);
    }
  }
  const waiverFile = v.given('waivers');
  const waivers = waiverFile === undefined ? [] : readWaivers(s.abs(waiverFile), waiverFile, s.input.checkIds);
  return { reportDir: s.abs(v.get('reportDir')), configFile: v.configFile, formats: REPORT_FORMATS.filter((f) => f === 'json' || formats.includes(f)), waivers };
}

export function resolveWithWarnings(input: ResolveInput): Resolved {
  const { values: v, warnings } = OptionValues.gather(input.cli, input.env, input.cwd);
  const target = oneOf<TargetKind>(v, 'target', TARGET_KINDS, 'target');
  const scope: Scope = {
    v, input, target, standIn: target === 'stand-in', starts: target === 'container' || target === 'stand-in',
    abs: (p) => (isAbsolute(p) ? p : resolvePath(input.cwd, p)),
  };
  const t = targetGroup(scope);
  const options: ResolvedOptions = { ...t, ...endpointsGroup(scope), ...deploymentGroup(scope, t.standInFaults), ...limitsGroup(scope), ...reportGroup(scope) };
  return { options, warnings, sources: v.sources as Record<string, string> };
}

export function resolveOptions(input: ResolveInput): ResolvedOptions {
  return resolveWithWarnings(input).options;
}

