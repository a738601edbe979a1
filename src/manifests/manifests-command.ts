// `ovms-validate manifests PATH...`: the page's statements judged in Kubernetes manifests, static.
// Writes the same report files as a live run, each finding located at its manifest line.
// Exit codes as for a live run: 1 a required check fails, 2 bad input (a parse error names its
// file and line), 3 nothing of OVMS in what was read.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EnvironmentError, EXIT, UsageError } from '../errors.js';
import { REPORT_FILES, REPORT_FORMATS, type ReportFormat } from '../options/resolved-options.js';
import { PAGE_EDITIONS, type PageEdition } from '../ovms/page-editions.js';
import { buildReport } from '../report/build-report.js';
import { runEnvironment } from '../report/environment.js';
import { closeReportFolder, commitReport, openReportFolder } from '../report/report-folder.js';
import { renderReport } from '../report/render-report.js';
import type { TargetInfo } from '../report/schema.js';
import { appendStepSummary } from '../report/step-summary.js';
import { writeTerminal } from '../report/write-terminal.js';
import { writeMarkdown } from '../report/write-markdown.js';
import { Redactor } from '../secrets/redaction.js';
import { newRunId } from '../docker/labels.js';
import { toolVersion } from '../version.js';
import { judgeManifests } from './judge-manifests.js';
import { readManifests, type SourcedObject } from './read-manifests.js';
import { objectName } from './workloads.js';

export const MANIFESTS_HELP = [
  'Usage: ovms-validate manifests PATH... [--report-dir DIR] [--format a,b] [--page-edition E1|E2|E3]',
  '',
  'Judges the security page\'s statements in Kubernetes manifests: what they ask for, not what runs',
  '(every verdict is marked static). PATH is a file, a folder (its .yaml, .yml and .json files), or -',
  'for standard input:',
  '',
  '  helm template ovms ./chart | ovms-validate manifests -',
  '  kustomize build overlays/prod | ovms-validate manifests -',
  '  ovms-validate manifests k8s/ --report-dir reports/manifests',
  '',
  'It finds the OVMS containers (the model server\'s image or OVMS flags) in Pods, Deployments,',
  'StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, KServe ServingRuntimes and',
  'ClusterServingRuntimes, and InferenceServices (merged over the runtime they name when it is in the',
  'input); Services, Ingresses and NetworkPolicies in the input are read for exposure. Findings carry',
  'file and line: summary.md and report.html show path:line, report.sarif locates each result there.',
  '',
  '  --report-dir DIR        where the report files go [default: reports/manifests]',
  `  --format a,b            report files besides report.json: ${REPORT_FORMATS.join(', ')} [default: all]`,
  "  --page-edition E        judge by this edition of the page [default: the release the images' tags name, else the latest]",
  '',
  'Exit codes: 0 READY (checks pass or warn); 1 a required check fails; 2 bad usage or a manifest that',
  'does not parse (its file and line); 3 nothing of OVMS in what was read.',
  '',
].join('\n');

export interface ManifestsIo { out: (t: string) => void; progress: (l: string) => void; env: NodeJS.ProcessEnv; cwd: string; stdin: () => string }

function secretValues(objects: readonly SourcedObject[]): string[] {
  // Literal env values of secret-like names, and every Secret's data: redacted from every output.
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['env'])) for (const e of o['env'] as { value?: unknown }[]) if (typeof e?.value === 'string') out.push(e.value);
    for (const x of Object.values(o)) walk(x);
  };
  for (const o of objects) {
    if (o.value['kind'] === 'Secret') {
      for (const key of ['data', 'stringData']) for (const v of Object.values((o.value[key] ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out.push(v, ...(key === 'data' ? [Buffer.from(v, 'base64').toString('utf8')] : []));
    } else walk(o.value);
  }
  return out;
}

export function runManifests(argv: string[], io: ManifestsIo): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { 'report-dir': { type: 'string' }, format: { type: 'string' }, 'page-edition': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) { io.out(MANIFESTS_HELP); return EXIT.OK; }
  if (positionals.length === 0) throw new UsageError('manifests needs at least one PATH: a manifest file, a folder, or - for standard input (e.g. helm template ... | ovms-validate manifests -)');
  const edition = values['page-edition'] ?? null;
  if (edition !== null && !(PAGE_EDITIONS as readonly string[]).includes(edition)) throw new UsageError(`manifests --page-edition: '${edition}' is not an edition of the page; use one of ${PAGE_EDITIONS.join(', ')}`);
  const formats = (values.format ?? REPORT_FORMATS.join(',')).split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of formats) if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`manifests --format: '${f}' is not a report format; use some of ${REPORT_FORMATS.join(', ')}`);
  const reportDir = values['report-dir'] ?? 'reports/manifests';
  const startedAt = new Date();
  const read = readManifests(positionals, io.cwd, io.stdin);
  const redactor = new Redactor(secretValues(read.objects));
  const redact = (t: string): string => redactor.text(t);
  io.progress(`read ${read.files.length} file(s), ${read.documents} document(s), ${read.objects.length} object(s)`);
  const judged = judgeManifests(read.objects, edition as PageEdition | null);
  if (judged.workloads.length === 0) {
    const kinds = [...new Set(read.objects.map((o) => String(o.value['kind'] ?? '?')))].join(', ') || 'none';
    throw new EnvironmentError(`manifests: no OVMS container in ${read.files.join(', ')} (${read.objects.length} objects: ${kinds}); an OVMS container runs the openvino/model_server image or carries OVMS flags such as --model_path`);
  }
  io.progress(redact(`OVMS containers: ${judged.workloads.map((w) => `${objectName(w.object)} (${w.container}, ${w.at.file}:${w.at.line})`).join('; ')}`));
  const absDir = reportDir.startsWith('/') ? reportDir : `${io.cwd}/${reportDir}`;
  const runId = newRunId();
  const folder = openReportFolder(absDir, { runId, where: values['report-dir'] ? '--report-dir' : '--report-dir (default)', protect: read.files.map((f) => ({ path: f.startsWith('/') ? f : `${io.cwd}/${f}`, what: 'a manifest being judged' })) });
  try {
    const target: TargetInfo = {
      kind: 'manifests', standIn: false,
      identity: { reportedName: null, reportedVersion: null, source: `static: ${read.files.length} manifest file(s), ${read.objects.length} objects`, isOvms: judged.workloads.some((w) => /model_server/.test(w.c.image ?? '')), statement: `${judged.workloads.length} OVMS container(s) in ${read.files.join(', ')} (what the manifests ask for, not what runs)` },
      image: [...new Set(judged.workloads.map((w) => w.c.image ?? '?'))].join(', '), imageId: null, repoDigests: [], serverVersion: null, user: null, deployment: null,
      command: [], serverArgs: null, serverArgsSource: null, deviations: [], readiness: 'static: nothing was started', ready: true, answered: true, startupError: null,
      restUrl: null, grpcAddress: null, endpoints: { rest: null, grpc: null }, standInFaults: [], pageEdition: { edition: judged.edition.edition, how: judged.edition.how }, deploymentFile: null,
    };
    const report = buildReport({
      toolVersion: toolVersion(), runId, target, profile: 'quick', startedAt, finishedAt: new Date(), endReason: 'completed',
      environment: runEnvironment(null, null), planned: [...judged.results.keys()], results: judged.results, problems: [],
    });
    const files = renderReport(report, { formats: formats as ReportFormat[], reportDir: absDir, cwd: io.cwd, redact });
    commitReport(folder, files);
    io.out(redact(writeTerminal(report, reportDir)));
    const summary = io.env['GITHUB_STEP_SUMMARY'];
    if (summary) io.progress(appendStepSummary(summary, redact(writeMarkdown(report, { evidence: 'problems' })), reportDir));
    return report.decision.exitCode;
  } finally {
    closeReportFolder(folder);
  }
}

export const readStdin = (): string => readFileSync(0, 'utf8');
