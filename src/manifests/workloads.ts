// The OVMS containers of a set of Kubernetes objects: in Pods, the workload kinds' pod templates,
// KServe ServingRuntimes / ClusterServingRuntimes (their {{.Name}} placeholders kept as they are)
// and InferenceServices (the predictor's args and env merged over the runtime it names, when the
// runtime is in the input). A container is OVMS's when its image is the model server's or its
// command line carries OVMS flags. Each field judged can be located: file and line.
import type { Container, EnvVar, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import { lineAt, type FieldPath, type SourcedObject } from './read-manifests.js';

export interface ObjectRef { kind: string; namespace: string; name: string }
export interface Location { file: string; line: number }

export interface Workload {
  object: ObjectRef;
  container: string;
  /** The pod around the container (security context, host namespaces, volumes). */
  pod: PodSpec;
  c: Container;
  /** command + args as the server sees them. */
  args: string[];
  env: EnvVar[];
  /** Labels of the pods it makes (for Services and NetworkPolicies). */
  podLabels: Record<string, string>;
  annotations: Record<string, string>;
  /** A field of the container (`['securityContext', 'runAsUser']`) or of the pod (`['pod', 'hostPID']`): where it is, or its closest parent. */
  locate(field: FieldPath): Location;
  /** Where the container's object begins: the reference line for findings of the whole object. */
  at: Location;
  /** Volumes a controller adds (KServe's storage initializer) that the manifest does not show. */
  injected: { volume: Volume; mountPath: string; readOnly: boolean; why: string }[];
}

const WORKLOAD_POD: Record<string, FieldPath> = {
  Pod: ['spec'], Deployment: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'], DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'], Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ServingRuntime: ['spec'], ClusterServingRuntime: ['spec'],
};
const LABELS: Record<string, FieldPath> = {
  Pod: ['metadata', 'labels'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'],
};
const OVMS_FLAGS = /^--(model_path|config_path|rest_port|grpc_bind_address|rest_bind_address|grpc_workers|grpc_max_threads|grpc_memory_quota|grpc_channel_arguments|api_key_file|allowed_media_domains|nireq|plugin_config|metrics_enable)(=|$)/;

export const isOvmsImage = (image: string | undefined): boolean => /(^|\/)(openvino\/)?model_server(:|@|$)|(^|\/)ovms(:|@|$)/.test(image ?? '');
export const isOvmsContainer = (c: Container): boolean => isOvmsImage(c.image) || [...(c.command ?? []), ...(c.args ?? [])].some((a) => OVMS_FLAGS.test(a) || /(^|\/)ovms$/.test(a));

const get = (o: unknown, path: FieldPath): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), o);
const refOf = (o: SourcedObject): ObjectRef => {
  const m = (o.value['metadata'] ?? {}) as { name?: string; namespace?: string };
  return { kind: String(o.value['kind'] ?? '?'), namespace: m.namespace ?? 'default', name: m.name ?? '(unnamed)' };
};

function workloadOf(o: SourcedObject, podPath: FieldPath, ci: number, injected: Workload['injected'] = []): Workload {
  const pod = (get(o.value, podPath) ?? {}) as PodSpec;
  const c = pod.containers![ci]!;
  const kind = String(o.value['kind']);
  const at = (p: FieldPath): Location => ({ file: o.file, line: lineAt(o, [...o.path, ...p]) });
  const cPath = [...podPath, 'containers', ci];
  return {
    object: refOf(o), container: c.name ?? `#${ci}`, pod, c, args: [...(c.command ?? []), ...(c.args ?? [])], env: c.env ?? [],
    podLabels: (get(o.value, LABELS[kind] ?? ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, string>,
    annotations: ((o.value['metadata'] as { annotations?: Record<string, string> } | undefined)?.annotations) ?? {},
    locate: (field) => (field[0] === 'pod' ? at([...podPath, ...field.slice(1)]) : at([...cPath, ...field])),
    at: at([...cPath, 'name']),
    injected,
  };
}

/** An InferenceService's predictor over the runtime it names: what KServe would run. */
function inferenceService(isvc: SourcedObject, runtimes: SourcedObject[]): Workload[] {
  const predictor = (get(isvc.value, ['spec', 'predictor']) ?? {}) as { model?: Partial<Container> & { runtime?: string; storageUri?: string }; containers?: Container[] } & Partial<PodSpec>;
  if (predictor.containers?.length) {
    return predictor.containers.map((c, i) => (isOvmsContainer(c) ? workloadOf(isvc, ['spec', 'predictor'], i) : null)).filter((w): w is Workload => w !== null);
  }
  const model = predictor.model;
  if (!model) return [];
  const ns = refOf(isvc).namespace;
  const runtime = runtimes.find((r) => refOf(r).name === model.runtime && (r.value['kind'] === 'ClusterServingRuntime' || refOf(r).namespace === ns));
  if (!runtime) return [];
  const base = runtime.value['spec'] as PodSpec;
  const ci = base.containers?.findIndex((c) => c.name === 'kserve-container') ?? -1;
  if (ci < 0 || !isOvmsContainer(base.containers![ci]!)) return [];
  const rc = base.containers![ci]!;
  const merged: Container = {
    ...rc,
    args: [...(rc.args ?? []), ...(model.args ?? [])],
    env: [...(rc.env ?? []).filter((e) => !(model.env ?? []).some((m) => m.name === e.name)), ...(model.env ?? [])],
    resources: model.resources ?? rc.resources,
    ...(model.securityContext ? { securityContext: model.securityContext } : {}),
  };
  const readonly = (refOf(isvc) && ((isvc.value['metadata'] as { annotations?: Record<string, string> })?.annotations?.['storage.kserve.io/readonly'] ?? 'true')) !== 'false';
  const injected: Workload['injected'] = model.storageUri
    ? [{ volume: { name: 'kserve-provision-location', emptyDir: {} }, mountPath: '/mnt/models', readOnly: readonly, why: `KServe's storage initializer fills it from ${model.storageUri}${readonly ? ' and mounts it read-only' : '; storage.kserve.io/readonly: "false" mounts it writable'}` }]
    : [];
  const w = workloadOf(runtime, ['spec'], ci, injected);
  const mp: FieldPath = ['spec', 'predictor', 'model'];
  const fromIsvc = (field: FieldPath): boolean => ['args', 'env', 'resources', 'securityContext'].includes(String(field[0])) && get(isvc.value, [...mp, String(field[0])]) !== undefined;
  return [{
    ...w,
    object: refOf(isvc), container: `${w.container} (runtime ${refOf(runtime).name})`, pod: { ...base, ...(predictor.securityContext ? { securityContext: predictor.securityContext } : {}) },
    c: merged, args: [...(merged.command ?? []), ...(merged.args ?? [])], env: merged.env ?? [],
    podLabels: { 'serving.kserve.io/inferenceservice': refOf(isvc).name },
    annotations: ((isvc.value['metadata'] as { annotations?: Record<string, string> })?.annotations) ?? {},
    locate: (field) => (fromIsvc(field) ? { file: isvc.file, line: lineAt(isvc, [...isvc.path, ...mp, ...field]) } : w.locate(field)),
    at: { file: isvc.file, line: lineAt(isvc, [...isvc.path, ...mp]) },
  }];
}

export function findWorkloads(objects: readonly SourcedObject[]): Workload[] {
  const runtimes = objects.filter((o) => o.value['kind'] === 'ServingRuntime' || o.value['kind'] === 'ClusterServingRuntime');
  const out: Workload[] = [];
  const services = objects.filter((o) => o.value['kind'] === 'InferenceService');
  const merged = services.map((o) => ({ o, ws: inferenceService(o, runtimes) }));
  const usedRuntimes = new Set(merged.filter((m) => m.ws.length > 0).map((m) => String(get(m.o.value, ['spec', 'predictor', 'model', 'runtime']))));
  for (const o of objects) {
    const kind = String(o.value['kind'] ?? '');
    if (kind === 'InferenceService') { out.push(...merged.find((m) => m.o === o)!.ws); continue; }
    const podPath = WORKLOAD_POD[kind];
    if (!podPath) continue;
    // A runtime an InferenceService of the input names is judged as that service runs it.
    if ((kind === 'ServingRuntime' || kind === 'ClusterServingRuntime') && usedRuntimes.has(refOf(o).name)) continue;
    const pod = get(o.value, podPath) as PodSpec | undefined;
    (pod?.containers ?? []).forEach((c, i) => { if (isOvmsContainer(c)) out.push(workloadOf(o, podPath, i)); });
  }
  return out;
}

/** What the objects around the workloads say of exposure: Services, Ingresses, NetworkPolicies. */
export interface ExposureObjects { services: SourcedObject[]; ingresses: SourcedObject[]; policies: SourcedObject[] }
export interface ExposureContext extends ExposureObjects {
  byNamespace: Map<string, ExposureObjects>;
  /** Services and NetworkPolicies of a namespace whose selector matches these pod labels. */
  selecting(namespace: string, labels: Record<string, string>, kind: 'services' | 'policies'): SourcedObject[];
}

const selectorOf = (o: SourcedObject): Record<string, string> | undefined => (o.value['kind'] === 'Service'
  ? (o.value['spec'] as { selector?: Record<string, string> } | undefined)?.selector
  : (o.value['spec'] as { podSelector?: { matchLabels?: Record<string, string> } } | undefined)?.podSelector?.matchLabels ?? {});

export function exposureContext(objects: readonly SourcedObject[]): ExposureContext {
  const byNamespace = new Map<string, ExposureObjects>();
  // Selectors indexed by one of their label pairs: large inputs hold thousands of Services.
  const index = new Map<string, SourcedObject[]>();
  const selectAll = new Map<string, SourcedObject[]>();
  const all: ExposureObjects = { services: [], ingresses: [], policies: [] };
  const slot = { Service: 'services', Ingress: 'ingresses', NetworkPolicy: 'policies' } as const;
  for (const o of objects) {
    const key = slot[String(o.value['kind']) as keyof typeof slot];
    if (!key) continue;
    const ns = refOf(o).namespace;
    if (!byNamespace.has(ns)) byNamespace.set(ns, { services: [], ingresses: [], policies: [] });
    all[key].push(o);
    byNamespace.get(ns)![key].push(o);
    if (key === 'ingresses') continue;
    const sel = selectorOf(o);
    if (!sel) continue;
    const first = Object.entries(sel)[0];
    // A Service without a selector selects nothing; a NetworkPolicy with an empty podSelector selects every pod.
    if (!first) { if (key === 'policies') selectAll.set(`${key}/${ns}`, [...(selectAll.get(`${key}/${ns}`) ?? []), o]); continue; }
    const k = `${key}/${ns}/${first[0]}=${first[1]}`;
    index.set(k, [...(index.get(k) ?? []), o]);
  }
  return {
    ...all, byNamespace,
    selecting(namespace, labels, kind) {
      const out = new Set<SourcedObject>(selectAll.get(`${kind}/${namespace}`) ?? []);
      for (const [k, v] of Object.entries(labels)) {
        for (const o of index.get(`${kind}/${namespace}/${k}=${v}`) ?? []) if (Object.entries(selectorOf(o)!).every(([a, b]) => labels[a] === b)) out.add(o);
      }
      return [...out];
    },
  };
}

export const objectName = (r: ObjectRef): string => `${r.kind}/${r.namespace}/${r.name}`;
export { refOf };
