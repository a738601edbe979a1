// The page's statements judged in a manifest: what it asks for, not what runs ("static"). Each
// judgement uses the live check's id where the statement is the same, names the manifest fields it
// read with their lines, and the rules of the generic checkers that look at the same property
// (shared/facts/deployment-security-facts.md section 2), so a reviewer can match findings.
import type { EnvVar, VolumeMount } from 'kubernetes-types/core/v1.js';
import { flagValue, hasFlag } from '../docker/container-spec.js';
import { DOCKER_DEFAULT_CAPS, capName } from '../docker/capabilities.js';
import { parseChannelArguments } from '../ovms/server-settings.js';
import { judgeChannelArgs } from '../checks/dos/channel-args.js';
import { staticFindings } from '../checks/exposure/media-urls.js';
import { headroomOf, judgeHeadroom } from '../checks/dos/memory-headroom.js';
import { secretLikeName } from '../checks/hardening/env-secrets.js';
import type { ExposureContext, Location, Workload } from './workloads.js';
import { lineAt, type SourcedObject } from './read-manifests.js';

export interface Finding { at: Location; level: 'violated' | 'warn'; message: string }
export interface StaticJudgement { verdict: 'pass' | 'violated' | 'warn'; summary: string; items: string[]; findings: Finding[] }
export interface StaticCheck { id: string; refs: string[]; judge(w: Workload, ctx: ExposureContext): StaticJudgement | null }

const finding = (at: Location, message: string, level: Finding['level'] = 'violated'): Finding => ({ at, level, message });
const judged = (findings: Finding[], passSummary: string, items: string[]): StaticJudgement => {
  const worst = findings.find((f) => f.level === 'violated') ?? findings[0];
  return worst ? { verdict: worst.level, summary: worst.message, items, findings } : { verdict: 'pass', summary: passSummary, items, findings };
};
const sc = (w: Workload) => w.c.securityContext ?? {};
const psc = (w: Workload) => w.pod.securityContext ?? {};
const mounts = (w: Workload): (VolumeMount & { injected?: string })[] => [...(w.c.volumeMounts ?? []), ...w.injected.map((i) => ({ name: i.volume.name, mountPath: i.mountPath, readOnly: i.readOnly, injected: i.why }))];
const volumeOf = (w: Workload, name: string) => [...(w.pod.volumes ?? []), ...w.injected.map((i) => i.volume)].find((v) => v.name === name);
const envValue = (w: Workload, name: string): EnvVar | undefined => w.env.find((e) => e.name === name);
const CLOUD = /^(s3|gs|az|azfs):\/\//;
const CLOUD_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'S3_ENDPOINT', 'AZURE_STORAGE_CONNECTION_STRING', 'GOOGLE_APPLICATION_CREDENTIALS'];
const RUNTIME_SOCKETS = /(docker|containerd|crio|podman)(\.sock)?$|^\/var\/run\/?$|^\/run\/?$|\/run\/(containerd|docker|crio|podman)(\/|$)/;

/** The model folder the server reads: --model_path, the folder of --config_path, else /models. */
export function modelDir(args: readonly string[]): string {
  const p = flagValue(args, '--model_path') ?? (flagValue(args, '--config_path')?.replace(/\/[^/]*$/, '') || undefined);
  return (p ?? '/models').replace(/\/+$/, '') || '/';
}
const mountOver = (w: Workload, path: string) => mounts(w).filter((m) => path === m.mountPath.replace(/\/+$/, '') || path.startsWith(`${m.mountPath.replace(/\/+$/, '')}/`)).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];

export const STATIC_CHECKS: StaticCheck[] = [
  {
    id: 'hardening.default-uid',
    refs: ['kubesec RunAsNonRoot', 'Polaris runAsRootAllowed', 'checkov CKV_K8S_23', 'kube-score container-security-context-user-group-id', 'Trivy KSV-0020 (UID <= 10000, which OVMS\'s 5000 trips)'],
    judge(w) {
      const user = sc(w).runAsUser ?? psc(w).runAsUser;
      const nonRoot = sc(w).runAsNonRoot ?? psc(w).runAsNonRoot;
      const where = sc(w).runAsUser !== undefined ? w.locate(['securityContext', 'runAsUser']) : psc(w).runAsUser !== undefined ? w.locate(['pod', 'securityContext', 'runAsUser']) : w.locate(['securityContext']);
      const items = [`runAsUser ${user ?? 'unset'}${sc(w).runAsUser !== undefined ? ' (container)' : psc(w).runAsUser !== undefined ? ' (pod)' : ''}, runAsNonRoot ${nonRoot ?? 'unset'} (container wins over pod)`];
      if (user === 0) return judged([finding(where, 'runAsUser: 0 runs the server as root')], '', items);
      if (nonRoot === false && user === undefined) return judged([finding(w.locate(['securityContext', 'runAsNonRoot']), 'runAsNonRoot: false and no runAsUser: the image\'s USER decides, and root is allowed', 'warn')], '', items);
      if (user === undefined && nonRoot !== true) return judged([finding(where, 'neither runAsNonRoot nor runAsUser: the manifest leaves the user to the image (OVMS\'s image runs as 5000); set runAsNonRoot: true', 'warn')], '', items);
      return judged([], `non-root enforced (${user !== undefined ? `runAsUser ${user}` : 'runAsNonRoot: true'})`, items);
    },
  },
  {
    id: 'hardening.read-only-rootfs',
    refs: ['kube-score container-security-context-readonlyrootfilesystem', 'kubesec ReadOnlyRootFilesystem', 'Polaris notReadOnlyRootFilesystem', 'checkov CKV_K8S_22', 'Trivy KSV-0014'],
    judge(w) {
      const ro = sc(w).readOnlyRootFilesystem;
      const items = [`readOnlyRootFilesystem ${ro ?? 'unset'}`];
      return ro === true ? judged([], 'readOnlyRootFilesystem: true', items) : judged([finding(w.locate(['securityContext', 'readOnlyRootFilesystem']), `readOnlyRootFilesystem is ${ro ?? 'unset'}: the root filesystem is writable`)], '', items);
    },
  },
  {
    id: 'hardening.tmp-writable',
    refs: [],
    judge(w) {
      const ro = sc(w).readOnlyRootFilesystem === true;
      const tmp = mountOver(w, '/tmp');
      const vol = tmp ? volumeOf(w, tmp.name) : undefined;
      const items = [`/tmp: ${tmp ? `volume ${tmp.name} (${vol?.emptyDir ? `emptyDir${vol.emptyDir.medium ? ` ${vol.emptyDir.medium}` : ''}` : Object.keys(vol ?? {}).filter((k) => k !== 'name').join(',') || 'not in the pod\'s volumes'})${tmp.readOnly ? ', readOnly' : ''}` : 'no volume'}; root filesystem ${ro ? 'read-only' : 'writable'}`];
      if (tmp?.readOnly) return judged([finding(w.locate(['volumeMounts']), `/tmp is mounted readOnly (volume ${tmp.name})`)], '', items);
      if (ro && !tmp) return judged([finding(w.locate(['volumeMounts']), 'the root filesystem is read-only and no volume is mounted at /tmp: nothing can be written there (the page\'s --tmpfs /tmp is an emptyDir at /tmp)')], '', items);
      return judged([], tmp ? `/tmp is volume ${tmp.name}, writable` : '/tmp is part of the writable root filesystem (hardening.read-only-rootfs judges that)', items);
    },
  },
  {
    id: 'hardening.models-read-only',
    refs: [],
    judge(w) {
      const dir = modelDir(w.args);
      const m = mountOver(w, dir);
      const items = [`model folder ${dir}: ${m ? `volume ${m.name} at ${m.mountPath}${m.readOnly ? ', readOnly' : ', writable'}${m.injected ? ` (${m.injected})` : ''}` : 'no volume (inside the image)'}`];
      if (!m) return null;
      return m.readOnly ? judged([], `the model volume ${m.name} is mounted readOnly`, items)
        : judged([finding(m.injected ? w.at : w.locate(['volumeMounts']), `the model volume ${m.name} at ${m.mountPath} is mounted writable${m.injected ? ` (${m.injected})` : ''}`)], '', items);
    },
  },
  {
    id: 'hardening.cloud-storage-tmp',
    refs: [],
    judge(w) {
      const path = flagValue(w.args, '--model_path') ?? '';
      const env = CLOUD_ENV.filter((n) => envValue(w, n));
      if (!CLOUD.test(path) && env.length === 0) return null;
      const ro = sc(w).readOnlyRootFilesystem === true;
      const tmp = mountOver(w, '/tmp');
      const items = [`object store: ${CLOUD.test(path) ? `--model_path ${path}` : `credentials ${env.join(', ')}`}; root filesystem ${ro ? 'read-only' : 'writable'}; /tmp ${tmp ? `volume ${tmp.name}${tmp.readOnly ? ' (readOnly)' : ''}` : 'no volume'}`];
      if (ro && (!tmp || tmp.readOnly)) return judged([finding(w.locate(['volumeMounts']), 'models come from an object store and OVMS downloads them to /tmp, but /tmp is not writable under the read-only root: add an emptyDir at /tmp')], '', items);
      if (!ro) return judged([finding(w.locate(['securityContext', 'readOnlyRootFilesystem']), 'models come from an object store and the root filesystem is writable: the page\'s clause is read-only with a writable /tmp', 'warn')], '', items);
      return judged([], `models from an object store, read-only root, /tmp is volume ${tmp!.name}`, items);
    },
  },
  {
    id: 'hardening.no-new-privileges',
    refs: ['kubesec AllowPrivilegeEscalation', 'Polaris privilegeEscalationAllowed', 'checkov CKV_K8S_20', 'Trivy KSV-0001'],
    judge(w) {
      const v = sc(w).allowPrivilegeEscalation;
      const items = [`allowPrivilegeEscalation ${v ?? 'unset (true)'}`];
      return v === false ? judged([], 'allowPrivilegeEscalation: false', items) : judged([finding(w.locate(['securityContext', 'allowPrivilegeEscalation']), `allowPrivilegeEscalation is ${v ?? 'unset, which allows it'}`)], '', items);
    },
  },
  {
    id: 'hardening.no-capabilities',
    refs: ['kubesec CapDropAll', 'checkov CKV_K8S_28', 'Trivy KSV-0003'],
    judge(w) {
      const caps = sc(w).capabilities ?? {};
      const drop = (caps.drop ?? []).map(capName);
      const items = [`capabilities drop ${JSON.stringify(caps.drop ?? [])}, add ${JSON.stringify(caps.add ?? [])}`];
      return drop.includes('ALL') ? judged([], 'capabilities: drop ALL', items) : judged([finding(w.locate(['securityContext', 'capabilities']), 'capabilities are not dropped (drop: [ALL])')], '', items);
    },
  },
  {
    id: 'hardening.privileged',
    refs: ['kubesec Privileged', 'Polaris insecureCapabilities', 'Trivy KSV-0104 (seccomp unset counts as unconfined)'],
    judge(w) {
      const s = sc(w);
      const f: Finding[] = [];
      if (s.privileged) f.push(finding(w.locate(['securityContext', 'privileged']), 'privileged: true'));
      for (const c of (s.capabilities?.add ?? []).filter((x) => capName(x) === 'ALL' || !DOCKER_DEFAULT_CAPS.includes(capName(x)))) f.push(finding(w.locate(['securityContext', 'capabilities', 'add']), `capabilities add ${c}: beyond the runtime's default set`));
      for (const k of ['hostPID', 'hostIPC'] as const) if (w.pod[k]) f.push(finding(w.locate(['pod', k]), `${k}: true: the host's ${k.slice(4)} namespace`));
      const seccomp = s.seccompProfile?.type ?? psc(w).seccompProfile?.type;
      if (seccomp === 'Unconfined') f.push(finding(s.seccompProfile ? w.locate(['securityContext', 'seccompProfile']) : w.locate(['pod', 'securityContext', 'seccompProfile']), 'seccompProfile: Unconfined'));
      else if (!seccomp) f.push(finding(w.locate(['securityContext']), 'no seccompProfile: unless the kubelet defaults to RuntimeDefault, the server runs unconfined; set type: RuntimeDefault', 'warn'));
      return judged(f, `not privileged, no added capabilities, own PID and IPC namespaces, seccomp ${seccomp}`, [`privileged ${s.privileged ?? 'unset'}, capabilities add ${JSON.stringify(s.capabilities?.add ?? [])}, hostPID ${w.pod.hostPID ?? false}, hostIPC ${w.pod.hostIPC ?? false}, seccompProfile ${seccomp ?? 'unset'}`]);
    },
  },
  {
    id: 'hardening.runtime-socket',
    refs: [],
    judge(w) {
      const host = mounts(w).map((m) => ({ m, v: volumeOf(w, m.name) })).filter(({ v }) => v?.hostPath && RUNTIME_SOCKETS.test(v.hostPath.path));
      return judged(host.map(({ m, v }) => finding(w.locate(['volumeMounts']), `hostPath ${v!.hostPath!.path} mounted at ${m.mountPath}${m.readOnly ? ' (readOnly does not stop connecting)' : ''}: the container runtime's API, root on the node`)),
        'no container-runtime socket is mounted from the node', [`hostPath volumes mounted: ${mounts(w).map((m) => volumeOf(w, m.name)?.hostPath?.path).filter(Boolean).join(', ') || 'none'}`]);
    },
  },
  {
    id: 'hardening.env-secrets',
    refs: ['kube-score environment-variable-secret (not in the facts: no rule id given)'],
    judge(w) {
      const literal = w.env.filter((e) => secretLikeName(e.name) && typeof e.value === 'string' && e.value !== '');
      const refs = w.env.filter((e) => secretLikeName(e.name) && e.valueFrom?.secretKeyRef);
      const items = [`secret-like variables: ${[...literal.map((e) => `${e.name} (a literal value: [redacted])`), ...refs.map((e) => `${e.name} (secretKeyRef ${e.valueFrom!.secretKeyRef!.name}/${e.valueFrom!.secretKeyRef!.key})`)].join(', ') || 'none'}`];
      const idx = (name: string): number => w.env.findIndex((e) => e.name === name);
      return judged(literal.map((e) => finding(w.locate(['env', idx(e.name), 'value']), `${e.name} is written in the manifest as a literal value (redacted here): use valueFrom.secretKeyRef`)), 'secret-like variables come from Secrets', items);
    },
  },
  {
    id: 'hardening.api-key-secrecy',
    refs: [],
    judge(w) {
      const env = envValue(w, 'API_KEY');
      const file = flagValue(w.args, '--api_key_file');
      if (!env && !file) return null;
      const f: Finding[] = [];
      const level = flagValue(w.args, '--log_level');
      if (level?.toUpperCase() === 'TRACE') f.push(finding(w.locate(['args']), '--log_level TRACE with a key set: OVMS prints the key in clear at start'));
      if (env?.value) f.push(finding(w.locate(['env', w.env.indexOf(env), 'value']), 'API_KEY is written in the manifest as a literal value (redacted here)'));
      else if (env) f.push(finding(w.locate(['env', w.env.indexOf(env)]), 'the key is in API_KEY: anyone who can read the pod spec\'s environment (kubectl describe, the API) sees it', 'warn'));
      const m = file ? mountOver(w, file) : undefined;
      if (file && (!m || !m.readOnly)) f.push(finding(w.locate(['volumeMounts']), `the key file ${file} is ${m ? `on the writable volume ${m.name}` : 'not on a mounted Secret'}`, 'warn'));
      return judged(f, `the key comes from ${file} on the readOnly volume ${m?.name}`, [`API_KEY ${env ? (env.value ? 'literal' : 'from a reference') : 'unset'}; --api_key_file ${file ?? 'unset'}; --log_level ${level ?? 'INFO'}`]);
    },
  },
  {
    id: 'exposure.bind-scope',
    refs: [],
    judge(w, ctx) {
      const ports = (w.c.ports ?? []).map((p) => ({ port: p.containerPort, name: p.name, hostPort: p.hostPort }));
      const selected = servicesOf(w, ctx);
      const f: Finding[] = [];
      for (const s of selected) {
        const type = String((s.value['spec'] as { type?: string })?.type ?? 'ClusterIP');
        if (type === 'LoadBalancer' || type === 'NodePort') f.push(finding({ file: s.file, line: lineAt(s, [...s.path, 'spec', 'type']) }, `Service ${objName(s)} of type ${type} publishes the server's ports beyond the cluster`, 'violated'));
      }
      for (const p of ports.filter((x) => x.hostPort)) f.push(finding(w.locate(['ports']), `hostPort ${p.hostPort} publishes container port ${p.port} on the node's interfaces`));
      if (w.pod.hostNetwork) {
        const binds = ['--grpc_bind_address', '--rest_bind_address'].map((b) => flagValue(w.args, b) ?? '0.0.0.0');
        if (binds.some((b) => b.split(',').some((a) => !/^(127\.|::1$|localhost$)/.test(a.trim())))) f.push(finding(w.locate(['pod', 'hostNetwork']), `hostNetwork: true with bind addresses ${binds.join(' / ')}: the server listens on the node's interfaces`));
      }
      return judged(f, `reachable only inside the cluster (${selected.length ? selected.map((s) => `Service ${objName(s)} ${String((s.value['spec'] as { type?: string })?.type ?? 'ClusterIP')}`).join(', ') : 'no Service in the input selects it'})`,
        [`container ports ${ports.map((p) => `${p.port}${p.hostPort ? ` hostPort ${p.hostPort}` : ''}`).join(', ') || 'none declared'}; hostNetwork ${w.pod.hostNetwork ?? false}; Services selecting the pod: ${selected.map(objName).join(', ') || 'none in the input'}`]);
    },
  },
  {
    id: 'exposure.proxy-tls',
    refs: [],
    judge(w, ctx) {
      const ing = ingressesTo(w, ctx);
      if (ing.length === 0) return null;
      const f = ing.filter((i) => !(i.value['spec'] as { tls?: unknown[] })?.tls?.length).map((i) => finding({ file: i.file, line: lineAt(i, [...i.path, 'spec']) }, `Ingress ${objName(i)} reaches the server without TLS (no spec.tls)`));
      return judged(f, `every Ingress to the server terminates TLS (${ing.map(objName).join(', ')})`, [`Ingresses routing to it: ${ing.map(objName).join(', ')}`]);
    },
  },
  {
    id: 'exposure.proxy-auth',
    refs: [],
    judge(w, ctx) {
      const ing = ingressesTo(w, ctx);
      if (ing.length === 0) return null;
      const AUTH = /^nginx\.ingress\.kubernetes\.io\/(auth-url|auth-type|auth-tls-verify-client|auth-signin)$|^(haproxy\.org|traefik\.ingress\.kubernetes\.io)\/.*auth/;
      const open = ing.filter((i) => !Object.keys((i.value['metadata'] as { annotations?: Record<string, string> })?.annotations ?? {}).some((k) => AUTH.test(k)));
      return judged(open.map((i) => finding({ file: i.file, line: lineAt(i, [...i.path, 'metadata']) }, `Ingress ${objName(i)} reaches the server without authentication (no auth annotation)`)),
        'every Ingress to the server authenticates its clients', [`Ingresses routing to it: ${ing.map(objName).join(', ')}`]);
    },
  },
  {
    id: 'exposure.proxy-bypass',
    refs: [],
    judge(w, ctx) {
      // A runtime's pods are labelled per InferenceService: with none in the input, nothing can select them yet.
      if (Object.keys(w.podLabels).length === 0) return null;
      const pol = ctx.selecting(w.object.namespace, w.podLabels, 'policies');
      return pol.length ? judged([], `NetworkPolicy ${pol.map(objName).join(', ')} selects the pod`, [`NetworkPolicies selecting it: ${pol.map(objName).join(', ')}`])
        : judged([finding(w.at, 'no NetworkPolicy in the input selects the pod: any pod in the cluster reaches the server\'s own ports, beside any proxy', 'warn')], '', ['NetworkPolicies selecting it: none in the input (they may be applied separately)']);
    },
  },
  {
    id: 'exposure.api-key',
    refs: [],
    judge(w) {
      const on = hasFlag(w.args, '--api_key_file') || envValue(w, 'API_KEY') !== undefined;
      return on ? judged([], 'the generative endpoints require a key (--api_key_file or API_KEY)', ['API key configured'])
        : judged([finding(w.at, 'no API key (--api_key_file or API_KEY): the generative endpoints under /v3 answer anyone who reaches the REST port', 'warn')], '', ['no API key configured']);
    },
  },
  {
    id: 'exposure.media-urls',
    refs: [],
    judge(w) {
      const redirects = envValue(w, 'OVMS_MEDIA_URL_ALLOW_REDIRECTS')?.value === '1';
      const found = staticFindings({ domains: flagValue(w.args, '--allowed_media_domains')?.split(',').map((d) => d.trim()) ?? null, redirects, localPath: flagValue(w.args, '--allowed_local_media_path') ?? null, mounts: mounts(w).map((m) => m.mountPath) });
      return judged(found.map((m) => finding(w.locate(['args']), m)), 'the flags allow no risky host, redirect or local folder', [`--allowed_media_domains ${flagValue(w.args, '--allowed_media_domains') ?? 'unset'}; OVMS_MEDIA_URL_ALLOW_REDIRECTS ${redirects ? '1' : 'unset'}; --allowed_local_media_path ${flagValue(w.args, '--allowed_local_media_path') ?? 'unset'}`]);
    },
  },
  {
    id: 'dos.channel-args',
    refs: [],
    judge(w) {
      const text = flagValue(w.args, '--grpc_channel_arguments');
      const j = judgeChannelArgs({ serverArgs: w.args, channelArguments: text === undefined ? null : parseChannelArguments(text), cores: null });
      if (j.verdict === 'skip' || j.verdict === 'error') return null;
      return { verdict: j.verdict, summary: j.summary, items: j.evidence.items, findings: j.verdict === 'pass' ? [] : [finding(w.locate(['args']), j.summary, j.verdict)] };
    },
  },
  {
    id: 'dos.memory-headroom',
    refs: ['kube-score container-resources (a memory limit is set)'],
    judge(w) {
      const limit = w.c.resources?.limits?.['memory'];
      const j = judgeHeadroom(headroomOf(w.args, limit === undefined ? null : String(limit), null));
      if (j.verdict === 'skip' || j.verdict === 'error') return null;
      return { verdict: j.verdict, summary: j.summary, items: j.evidence.items, findings: j.verdict === 'pass' ? [] : [finding(w.locate(['resources', 'limits', 'memory']), j.summary, j.verdict)] };
    },
  },
];

const objName = (o: SourcedObject): string => {
  const m = (o.value['metadata'] ?? {}) as { name?: string; namespace?: string };
  return `${String(o.value['kind'])}/${m.namespace ?? 'default'}/${m.name ?? '?'}`;
};
const servicesCache = new WeakMap<Workload, SourcedObject[]>();
/** The Services of the workload's namespace that select its pods (once per workload). */
function servicesOf(w: Workload, ctx: ExposureContext): SourcedObject[] {
  let hit = servicesCache.get(w);
  if (!hit) servicesCache.set(w, hit = ctx.selecting(w.object.namespace, w.podLabels, 'services'));
  return hit;
}
type Backend = { service?: { name?: string } };
function ingressesTo(w: Workload, ctx: ExposureContext): SourcedObject[] {
  const services = new Set(servicesOf(w, ctx).map((s) => String((s.value['metadata'] as { name?: string })?.name)));
  if (services.size === 0) return [];
  return (ctx.byNamespace.get(w.object.namespace)?.ingresses ?? []).filter((i) => {
    const spec = (i.value['spec'] ?? {}) as { defaultBackend?: Backend; rules?: { http?: { paths?: { backend?: Backend }[] } }[] };
    const names = [spec.defaultBackend?.service?.name, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend?.service?.name))];
    return names.some((n) => n !== undefined && services.has(n));
  });
}

