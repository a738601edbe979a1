// npm run bench:manifests: how long `ovms-validate manifests` takes to judge a large input, as a
// ratio to parsing the same text with the yaml library alone (the floor any judge has), in one
// process. The input is a generated List of 5,000 objects: OVMS Deployments (half of them with
// findings), their Services, NetworkPolicies and ConfigMaps. A measurement, not a test; it prints
// and exits 0, or 1 when judging takes 5 s or more (the bound on 2 cores).
import { performance } from 'node:perf_hooks';
import { parseAllDocuments, stringify } from 'yaml';
import { judgeManifests } from '../src/manifests/judge-manifests.js';
import { parseManifestText } from '../src/manifests/read-manifests.js';

const OBJECTS = Number(process.env['BENCH_OBJECTS'] ?? 5000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

function input(): string {
  const items: unknown[] = [];
  for (let i = 0; items.length < OBJECTS; i++) {
    // A fresh object each time: a shared one would come out as YAML anchors, which helm output rarely has.
    const labels = () => ({ app: `ovms-${i}` });
    const hardened = i % 2 === 0;
    items.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `ovms-${i}`, namespace: 'serving' },
      spec: {
        selector: { matchLabels: labels() },
        template: {
          metadata: { labels: labels() },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'ovms', image: 'openvino/model_server:2026.3', args: ['--model_path=/models/m', '--model_name=m', '--port=9178', '--rest_port=8000'],
              resources: { limits: { memory: hardened ? '4Gi' : '2Gi' } },
              securityContext: { readOnlyRootFilesystem: hardened, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'models', mountPath: '/models', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'models', persistentVolumeClaim: { claimName: 'models' } }, { name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `ovms-${i}`, namespace: 'serving' }, spec: { type: hardened ? 'ClusterIP' : 'NodePort', selector: labels(), ports: [{ port: 8000 }] } });
    items.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `ovms-${i}`, namespace: 'serving' }, spec: { podSelector: { matchLabels: labels() } } });
    items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cfg-${i}`, namespace: 'serving' }, data: { 'config.json': '{}' } });
  }
  return stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(0, OBJECTS) });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const text = input();
const parse: number[] = [];
const judge: number[] = [];
let found = 0;
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now();
  for (const d of parseAllDocuments(text)) d.toJS();
  parse.push(performance.now() - t);
  t = performance.now();
  const { objects } = parseManifestText(text, 'bench.yaml');
  found = judgeManifests(objects, null).workloads.length;
  judge.push(performance.now() - t);
}
const [p, j] = [median(parse), median(judge)];
if (process.env['BENCH_PER_CHECK']) {
  const { STATIC_CHECKS } = await import('../src/manifests/static-checks.js');
  const { exposureContext, findWorkloads } = await import('../src/manifests/workloads.js');
  const { objects } = parseManifestText(text, 'bench.yaml');
  let t = performance.now();
  const ws = findWorkloads(objects);
  const ctx = exposureContext(objects);
  console.log(`find workloads and context: ${(performance.now() - t).toFixed(0)} ms`);
  for (const c of STATIC_CHECKS) { t = performance.now(); for (const w of ws) c.judge(w, ctx); console.log(`${c.id}: ${(performance.now() - t).toFixed(0)} ms`); }
}
console.log(`input: ${OBJECTS} objects (${(text.length / 1048576).toFixed(1)} MiB of YAML), ${found} OVMS containers; median of ${ROUNDS} rounds`);
console.log(`reference (yaml parse alone): ${p.toFixed(0)} ms`);
console.log(`ovms-validate manifests (parse, locate, judge): ${j.toFixed(0)} ms = ${(j / p).toFixed(2)} x the reference`);
console.log(j < 5000 ? 'within the 5 s bound' : 'ABOVE the 5 s bound');
process.exit(j < 5000 ? 0 : 1);
