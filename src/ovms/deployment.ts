// The two deployments the harness can start, and how each differs from the OVMS security page's
// own command (docs/security_considerations.md): `page` runs that command as written (only --port
// added where the image's OVMS needs it, ports on loopback); `hardened` adds what the harness's
// checks want. Every difference is listed, so a reader knows which verdicts judge the harness's flags.
import { emptyHost, envShown, hasFlag, publishFlags, PUBLISH_HOST, type ContainerSpec } from '../docker/container-spec.js';


/** One difference between the command that ran and the OVMS page's own command. */
export interface Deviation { change: 'added' | 'removed' | 'changed'; what: string; page: string | null; ran: string | null; why: string }

export const DEPLOYMENTS = ['hardened', 'page'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

/** The page's command, verbatim, and its parts. */
export const PAGE_COMMAND = {
  text: 'docker run --rm -d --user $(id -u):$(id -g) --read-only --tmpfs /tmp -v ${PWD}/models/:/models -p 9178:9178 openvino/model_server:latest --model_path /models/resnet/ --model_name resnet',
  modelArgs: ['--model_path', '/models/resnet/', '--model_name', 'resnet'],
  grpcPort: 9178,
} as const;

/** The example command of the page's editions E2 and later (OVMS 2025.4+): a model from an object store, gRPC on 9000. */
export const PAGE_COMMAND_E2 = {
  text: 'docker run --rm -d --user $(id -u):$(id -g) --read-only --tmpfs /tmp -p 9000:9000 openvino/model_server:latest --model_path s3://bucket/model --model_name model --port 9000',
  bucket: 'bucket', prefix: 'model/', modelName: 'model', grpcPort: 9000,
} as const;

/** The metric families the dos checks sample (ovms-facts 4: a list enables only what it names). */
export const HARNESS_METRICS = ['ovms_current_requests', 'ovms_streams', 'ovms_infer_req_active', 'ovms_infer_req_queue_size', 'ovms_requests_success', 'ovms_requests_fail'];

export interface DeploymentInput {
  deployment: Deployment;
  image: string;
  /** uid:gid the page's `$(id -u):$(id -g)` stands for (the invoking user) and the user to run as. */
  invokingUser: string;
  user: string;
  modelsHostDir: string;
  modelName: string;
  modelPath: string;
  grpcPort: number;
  restPort: number;
  /** The deployment's own server flags (--server-arg), after the page's command. */
  serverArgs: string[];
  env: string[];
  /** Weakenings asked for on the command line (hardened deployment switches). */
  readOnly: boolean;
  tmpfs: boolean;
  modelsReadOnly: boolean;
  capDropAll: boolean;
  noNewPrivileges: boolean;
  /** Whether the image's OVMS needs --port (default 0 from 2025.1), and why we think so. */
  portNeeded: { needed: boolean; why: string };
  /** The generative endpoints' key: a host file mounted read-only and named with --api_key_file (the page's advice). */
  apiKeyFile: string | null;
}

/** Where a key file given to the harness is mounted in the server (read-only). */
export const API_KEY_MOUNT = '/run/secrets/ovms-api-key';

export function deploymentSpec(d: DeploymentInput): ContainerSpec {
  const hardened = d.deployment === 'hardened';
  const cmd = [
    '--model_path', d.modelPath, '--model_name', d.modelName,
    ...(hardened || d.portNeeded.needed ? ['--port', String(d.grpcPort)] : []),
    ...(hardened ? ['--rest_port', String(d.restPort)] : []),
    ...(d.apiKeyFile ? ['--api_key_file', API_KEY_MOUNT] : []),
    ...d.serverArgs,
  ];
  if (hardened && !hasFlag(d.serverArgs, '--metrics_enable')) cmd.push('--metrics_enable', '--metrics_list', HARNESS_METRICS.join(','));
  const host = emptyHost();
  host.ReadonlyRootfs = d.readOnly;
  if (d.tmpfs) host.Tmpfs = { '/tmp': 'rw,nosuid,nodev' };
  host.Binds = [`${d.modelsHostDir}:/models${hardened && d.modelsReadOnly ? ':ro' : ''}`, ...(d.apiKeyFile ? [`${d.apiKeyFile}:${API_KEY_MOUNT}:ro`] : [])];
  if (hardened && d.capDropAll) host.CapDrop = ['ALL'];
  if (hardened && d.noNewPrivileges) host.SecurityOpt = ['no-new-privileges'];
  return { image: d.image, entrypoint: null, cmd, user: d.user, env: d.env, ports: hardened ? [d.grpcPort, d.restPort] : [d.grpcPort], published: null, host };
}

interface Item { key: string; value: string; text: string }

/** Server arguments as (name, value) items; a flag without a value has value ''. */
function serverItems(args: readonly string[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) { out.push({ key: a.slice(0, eq), value: a.slice(eq + 1), text: a }); continue; }
    const next = args[i + 1];
    const value = next !== undefined && !next.startsWith('--') ? next : '';
    if (value !== '') i++;
    out.push({ key: a, value, text: value ? `${a} ${value}` : a });
  }
  return out;
}

function dockerItems(spec: ContainerSpec): Item[] {
  const h = spec.host;
  const flag = (text: string): Item => ({ key: text, value: '', text });
  const ports = spec.published
    ? spec.published.map((p) => {
      const shown = publishFlags({ ...spec, published: [p] })[0]!;
      return { key: `-p (container port ${p.containerPort})`, value: `${p.hostIp || '0.0.0.0'}:${p.hostPort}`, text: `-p ${shown}` };
    })
    : spec.ports.map((p) => ({ key: `-p (container port ${p})`, value: `${PUBLISH_HOST}:random`, text: `-p ${PUBLISH_HOST}::${p}` }));
  return [
    ...(spec.user !== null ? [{ key: '--user', value: spec.user, text: `--user ${spec.user}` }] : []),
    ...(h.ReadonlyRootfs ? [flag('--read-only')] : []),
    ...Object.keys(h.Tmpfs).map((t) => flag(`--tmpfs ${t}`)),
    ...h.Binds.map((b) => {
      const [, target = '', mode = 'rw'] = b.split(':');
      return { key: `-v (at ${target})`, value: mode === 'ro' ? 'ro' : 'rw', text: `-v ${b}` };
    }),
    ...h.Mounts.map((m) => ({ key: `-v (at ${m.Target})`, value: m.ReadOnly ? 'ro' : 'rw', text: `--mount type=${m.Type},source=${m.Source},target=${m.Target}${m.ReadOnly ? ',readonly' : ''}` })),
    ...ports,
    ...(h.Privileged ? [flag('--privileged')] : []),
    ...h.CapDrop.map((c) => flag(`--cap-drop ${c}`)),
    ...h.CapAdd.map((c) => flag(`--cap-add ${c}`)),
    ...h.SecurityOpt.map((x) => flag(`--security-opt ${x}`)),
    ...h.GroupAdd.map((g) => flag(`--group-add ${g}`)),
    ...h.Devices.map((d) => flag(`--device ${d.PathOnHost}:${d.PathInContainer}`)),
    ...(h.NetworkMode ? [flag(`--network ${h.NetworkMode}`)] : []),
    ...(h.PidMode ? [flag(`--pid ${h.PidMode}`)] : []),
    ...(h.IpcMode ? [flag(`--ipc ${h.IpcMode}`)] : []),
    ...(h.UTSMode ? [flag(`--uts ${h.UTSMode}`)] : []),
    ...spec.env.filter((e) => !e.startsWith('PATH=')).map((e) => ({ key: `-e ${e.split('=')[0]}`, value: e, text: `-e ${envShown(e)}` })),
  ];
}

function pageItems(invokingUser: string): { docker: Item[]; server: Item[] } {
  return {
    docker: [
      { key: '--user', value: invokingUser, text: '--user $(id -u):$(id -g)' },
      { key: '--read-only', value: '', text: '--read-only' },
      { key: '--tmpfs /tmp', value: '', text: '--tmpfs /tmp' },
      { key: '-v (at /models)', value: 'rw', text: '-v ${PWD}/models/:/models' },
      { key: `-p (container port ${PAGE_COMMAND.grpcPort})`, value: `0.0.0.0:${PAGE_COMMAND.grpcPort}`, text: `-p ${PAGE_COMMAND.grpcPort}:${PAGE_COMMAND.grpcPort}` },
    ],
    server: serverItems(PAGE_COMMAND.modelArgs),
  };
}

const WHY: Record<string, string> = {
  '--user': 'the --user given to the harness',
  '--read-only': 'asked for with --no-read-only',
  '--tmpfs /tmp': 'asked for with --no-tmpfs',
  '-v (at /models)': 'hardened deployment: models mounted read-only (hardening.models-read-only)',
  '--cap-drop ALL': 'hardened deployment: no capabilities (hardening.no-capabilities)',
  '--security-opt no-new-privileges': 'hardened deployment: no privilege gain (hardening.no-new-privileges)',
  '--rest_port': 'hardened deployment: REST checks, metrics and REST readiness',
  '--metrics_enable': 'hardened deployment: the dos checks read ovms_* gauges from /metrics',
  '--metrics_list': 'hardened deployment: the dos checks read ovms_* gauges from /metrics',
  '--model_path': 'the model path given to the harness (--model-path)',
  '--model_name': 'the model name given to the harness (--model-name)',
};

interface WhyContext { portWhy: string; owner: boolean }

function why(key: string, ctx: WhyContext): string {
  if (ctx.owner) return "set by the container's owner";
  if (key.startsWith('-p ')) return `published on ${PUBLISH_HOST} only (the page's advice for a server without access control), host port chosen by Docker`;
  if (key === '--port') return ctx.portWhy;
  if (key.startsWith('-e ')) return 'stand-in switch (OVMS ignores it)';
  return WHY[key] ?? 'the deployment\'s own server argument (--server-arg)';
}

function diff(page: Item[], ran: Item[], ctx: WhyContext): Deviation[] {
  const out: Deviation[] = [];
  for (const r of ran) {
    const p = page.find((x) => x.key === r.key);
    if (!p) out.push({ change: 'added', what: r.text, page: null, ran: r.text, why: why(r.key, ctx) });
    else if (p.value !== r.value) out.push({ change: 'changed', what: r.key, page: p.text, ran: r.text, why: why(r.key, ctx) });
  }
  for (const p of page) {
    if (!ran.some((r) => r.key === p.key)) out.push({ change: 'removed', what: p.text, page: p.text, ran: null, why: why(p.key, ctx) });
  }
  return out;
}

/**
 * Each difference between the container spec that ran and the page's command, with why: the
 * harness's reason for a deployment it started, or "set by the container's owner" for one it
 * attached to (where every flag is the owner's, read back from inspect).
 */
export function deviationsFromPage(spec: ContainerSpec, invokingUser: string, portWhy: string, owner = false): Deviation[] {
  const page = pageItems(invokingUser);
  const ctx = { portWhy, owner };
  return [...diff(page.docker, dockerItems(spec), ctx), ...diff(page.server, serverItems(spec.cmd), ctx)];
}
